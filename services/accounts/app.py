"""Composition root of the accounts service: its definition, and the web app built from it.

``SERVICE`` names everything the service is made of; ``create_app(settings)`` is the web process
(and what the tests build), ``worker.run_worker`` the worker, both through ``shared.platform.kit``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.accounts.commands import COMMANDS
from services.accounts.http.api import router as api
from services.accounts.http.pages import router as pages
from services.accounts.integration import INBOUND, OUTBOUND
from services.accounts.mail import SIDE_EFFECTS
from services.accounts.readmodels import READ_MODELS
from services.accounts.service import AccountsService, SignInFailed
from shared.platform.kit import ServiceDefinition, create_web_app
from shared.platform.problems import ProblemKind
from shared.platform.settings import Settings

SERVICE = ServiceDefinition(
    name="accounts",
    application=AccountsService,
    routers=[pages, api],
    outbound=OUTBOUND,
    inbound=INBOUND,
    read_models=READ_MODELS,
    side_effects=SIDE_EFFECTS,
    errors={SignInFailed: ProblemKind(401, "sign-in-failed")},
    commands=COMMANDS,
    revocations_from_accounts=False,  # accounts writes session_revocations from its own events
)


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The accounts web app: portal, sign-in, units, applicants, clerks, resets; JSON API.

    Pages under ``/accounts/``, JSON under ``/api/accounts/``.

    ``overrides`` go to ``create_web_app`` (tests: ``persistence``, a token verifier, a clock...).
    """
    return create_web_app(SERVICE, settings, **overrides)
