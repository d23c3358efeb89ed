"""Composition root of the documents service: its definition, and the web app built from it.

``SERVICE`` names everything the service is made of; ``create_app(settings)`` is the web process
(and what the tests build), ``worker.run_worker`` the worker, both through ``shared.platform.kit``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from services.documents.http.api import router as api
from services.documents.http.pages import router as pages
from services.documents.integration import INBOUND, OUTBOUND
from services.documents.readmodels import DocumentIndex
from services.documents.rendering.effect import Rendering
from services.documents.rendering.renderer import Renderer
from services.documents.service import DocumentsService
from shared.platform.application import ServiceApplication
from shared.platform.clock import utcnow
from shared.platform.kit import ServiceDefinition, create_web_app
from shared.platform.settings import Settings


def rendering(settings: Settings, app: ServiceApplication) -> Rendering:
    """The worker's renderer: fails here, at start-up, if the CJK fonts are missing."""
    from services.documents.storage import DirectoryStore, PostgresStore, worker_pool

    assert isinstance(app, DocumentsService)
    store = (
        DirectoryStore(settings.documents_dir)
        if settings.documents_dir is not None
        else PostgresStore(worker_pool(settings, app.env.get("POSTGRES_SCHEMA") or settings.schema))
    )
    return Rendering(
        app,
        Renderer(),
        store,
        base_url=settings.gateway_url,
        clock=utcnow,
    )


SERVICE = ServiceDefinition(
    name="documents",
    application=DocumentsService,
    routers=[pages, api],
    outbound=OUTBOUND,
    inbound=INBOUND,
    read_models=[DocumentIndex],
    side_effects=[rendering],
)


def create_app(settings: Settings, **overrides: Any) -> Litestar:
    """The documents web app: downloads of the PDFs and the public verification of notices.

    Pages under ``/documents/``, JSON under ``/api/documents/``.

    ``overrides`` go to ``create_web_app`` (tests: ``persistence``, a token verifier, a clock...).
    """
    return create_web_app(SERVICE, settings, **overrides)
