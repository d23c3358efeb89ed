"""Composition root of the documents service: ``create_app(settings)`` for the process, CLI and tests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.documents.http.pages import router as pages
from shared.platform.settings import Settings
from shared.platform.web import create_service_app

UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
"""Evidence uploads may be larger than form posts; the gateway allows the same 10m on /documents/."""


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The documents web app (pages under ``/documents/``, JSON under ``/api/documents/``).

    ``overrides`` go to ``create_service_app`` (tests pass a token verifier, a clock...).
    """
    options: dict[str, Any] = {"max_body_size": UPLOAD_LIMIT_BYTES, **overrides}
    return create_service_app(settings, route_handlers=[pages], **options)
