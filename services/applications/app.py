"""Composition root of the applications service: its definition, and the web app built from it.

``SERVICE`` names everything the service is made of; ``create_app(settings)`` is the web process
(and what the tests build), ``worker.run_worker`` the worker, both through ``shared.platform.kit``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.applications.demo import SEED_DEMO
from services.applications.http.api import router as api
from services.applications.http.form_pages import router as form_pages
from services.applications.http.pages import router as pages
from services.applications.http.simulator import router as simulator
from services.applications.integration import INBOUND, OUTBOUND
from services.applications.readmodels import ApplicationLists
from services.applications.service import ApplicationsService
from shared.platform.kit import ServiceDefinition, create_web_app
from shared.platform.settings import Settings

SERVICE = ServiceDefinition(
    name="applications",
    application=ApplicationsService,
    routers=[pages, form_pages, api, simulator],
    outbound=OUTBOUND,
    inbound=INBOUND,
    read_models=[ApplicationLists],
    commands={"seed-demo": SEED_DEMO},
)


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The applications web app: the points application.

    Pages under ``/applications/``, JSON under ``/api/applications/``.

    ``overrides`` go to ``create_web_app`` (tests: ``persistence``, a token verifier, a clock...).
    """
    return create_web_app(SERVICE, settings, **overrides)
