"""The accounts worker process: outbox relay (and, later, inbound subscribers and projections)."""

from __future__ import annotations

from services.accounts.contracts import to_published
from services.accounts.service import AccountsService
from shared.platform.kafka import run_service_worker
from shared.platform.settings import Settings


async def run_worker(settings: Settings) -> None:
    """Run until cancelled; stops the relay, subscribers and the application cleanly."""
    await run_service_worker(settings, AccountsService, to_published)
