"""The base of every service's eventsourcing application.

``ServiceApplication`` is an ``EventSourcedProjection``: besides its own commands (ordinary methods
that call ``save``) it applies upstream messages through ``process_event``, which records the new
events and the upstream ``Tracking`` in one transaction (exactly-once effect). Its policy looks the
message's payload class up in the service's INBOUND table, so services write handlers, never
dispatch code. Its mapper stamps the current ``Trace`` on every stored event (the path of the
correlation and causation ids from a request or message to the events it causes, and on to what
the relay publishes).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Tracking
from eventsourcing.projection import EventSourcedProjection
from eventsourcing.utils import EnvType

from shared.platform.integration import Inbound, Received, Sealing
from shared.platform.sealing import Keyring
from shared.platform.tracing import TRACE_KEY, current_trace, traced


class TracingMapper(Mapper[UUID]):
    """Stores the current trace (if any) with each event; decoded events carry it back
    (``shared.platform.tracing.trace_of``)."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        trace = current_trace.get()
        if trace is not None and TRACE_KEY not in vars(domain_event):
            # Events are frozen dataclasses; the trace is recorded, not part of the event's fields.
            object.__setattr__(domain_event, TRACE_KEY, trace.as_state())
        return super().to_stored_event(domain_event)


class ServiceApplication(EventSourcedProjection[UUID]):
    """A service's application: its commands, queries by id, and the INBOUND policy."""

    def __init__(
        self, env: EnvType | None = None, *, inbound: Inbound | None = None, keyring: Keyring | None = None
    ) -> None:
        self.inbound = inbound or Inbound()
        self.sealing = Sealing(keyring)
        """Opens (and seals) personal data in payloads; without a keyring it refuses to."""
        super().__init__(env)

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=TracingMapper)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one upstream message (and commit its tracking) under the message's trace."""
        with traced(domain_event.trace if isinstance(domain_event, Received) else None):
            super().process_event(domain_event, tracking)

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        if isinstance(domain_event, Received):
            handler = self.inbound.handler_for(type(domain_event.payload))
            if handler is not None:
                handler(self, domain_event, processing_event)
