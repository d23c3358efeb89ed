"""Accounts: domain events -> published messages (the outbox relay's mapping).

Only events another context needs are published; everything else is private and maps to nothing.
Each notification may yield at most one message per topic (consumers de-duplicate by sequence).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEventProtocol

from shared.platform.outbox import Published


def to_published(event: DomainEventProtocol[Any], sequence: int) -> list[Published]:
    """No accounts domain event is published yet."""
    return []
