"""Composition root of the review service: its definition, and the web app built from it.

``SERVICE`` names everything the service is made of; ``create_app(settings)`` is the web process
(and what the tests build), ``worker.run_worker`` the worker, both through ``shared.platform.kit``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.review.demo import SEED_DEMO
from services.review.http.api import router as api
from services.review.http.pages import router as pages
from services.review.integration import INBOUND, OUTBOUND
from services.review.readmodels import ReviewDesk
from services.review.service import ReviewService
from shared.platform.kit import ServiceDefinition, create_web_app
from shared.platform.settings import Settings

SERVICE = ServiceDefinition(
    name="review",
    application=ReviewService,
    routers=[pages, api],
    outbound=OUTBOUND,
    inbound=INBOUND,
    read_models=[ReviewDesk],
    commands={"seed-demo": SEED_DEMO},
)


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The review web app: the clerks' cases.

    Pages under ``/review/``, JSON under ``/api/review/``.

    ``overrides`` go to ``create_web_app`` (tests: ``persistence``, a token verifier, a clock...).
    """
    return create_web_app(SERVICE, settings, **overrides)
