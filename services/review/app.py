"""Composition root of the review service: ``create_app(settings)`` for the process, CLI and tests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.review.http.pages import router as pages
from shared.platform.settings import Settings
from shared.platform.web import create_service_app


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The review web app (pages under ``/review/``, JSON under ``/api/review/``).

    ``overrides`` go to ``create_service_app`` (tests pass a token verifier, a clock...).
    """
    return create_service_app(settings, route_handlers=[pages], **overrides)
