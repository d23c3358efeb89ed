"""The documents worker process: outbox relay (and, later, inbound subscribers and projections)."""

from __future__ import annotations

from services.documents.contracts import to_published
from services.documents.service import DocumentsService
from shared.platform.kafka import run_service_worker
from shared.platform.settings import Settings


async def run_worker(settings: Settings) -> None:
    """Run until cancelled; stops the relay, subscribers and the application cleanly."""
    await run_service_worker(settings, DocumentsService, to_published)
