"""The review worker process: the outbox relay, the inbox subscribers, the read models and side
effects of ``SERVICE`` (see ``shared.platform.kit.run_worker``)."""

from __future__ import annotations

from typing import Any

from services.review.app import SERVICE
from shared.platform.kit import run_worker as run_service_worker
from shared.platform.settings import Settings


async def run_worker(settings: Settings, **options: Any) -> None:
    """Run until cancelled; stops the relay, subscribers, followers and the application cleanly."""
    await run_service_worker(SERVICE, settings, **options)
