"""The applications service's eventsourcing application.

The points application aggregate, its form rules and status machine.

It is an ``EventSourcedProjection`` because the service also applies other services' published
events (through ``shared.platform.inbox``): its ``policy`` turns an inbound ``Envelope`` into local
aggregate events, recorded together with the upstream ``Tracking`` in one transaction. Domain
commands and policies arrive with later issues.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.projection import EventSourcedProjection


class ApplicationsService(EventSourcedProjection[UUID]):
    name = "applications"
    """Prefixes the tables (applications_events, applications_tracking), env lookups and tracking names.

    Never rename it."""

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        """Inbound events nobody handles yet are only tracked (the tracking row still commits)."""
