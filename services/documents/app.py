"""Composition root of the documents service: its definition, and the web app built from it.

``SERVICE`` names everything the service is made of; ``create_app(settings)`` is the web process
(and what the tests build), ``worker.run_worker`` the worker, both through ``shared.platform.kit``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.documents.http.pages import router as pages
from services.documents.integration import INBOUND, OUTBOUND
from services.documents.service import DocumentsService
from shared.platform.kit import ServiceDefinition, create_web_app
from shared.platform.settings import Settings

UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
"""Evidence uploads may be larger than form posts; the gateway allows the same 10m on /documents/."""

SERVICE = ServiceDefinition(
    name="documents",
    application=DocumentsService,
    routers=[pages],
    outbound=OUTBOUND,
    inbound=INBOUND,
    max_body_size=UPLOAD_LIMIT_BYTES,
)


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The documents web app: PDFs and their verification.

    Pages under ``/documents/``, JSON under ``/api/documents/``.

    ``overrides`` go to ``create_web_app`` (tests: ``persistence``, a token verifier, a clock...).
    """
    return create_web_app(SERVICE, settings, **overrides)
