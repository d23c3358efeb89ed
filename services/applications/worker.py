"""The applications worker process: outbox relay (and, later, inbound subscribers and projections)."""

from __future__ import annotations

from services.applications.contracts import to_published
from services.applications.service import ApplicationsService
from shared.platform.kafka import run_service_worker
from shared.platform.settings import Settings


async def run_worker(settings: Settings) -> None:
    """Run until cancelled; stops the relay, subscribers and the application cleanly."""
    await run_service_worker(settings, ApplicationsService, to_published)
