"""Integration as tables: what a service publishes (``Outbound``) and what it applies (``Inbound``).

Each service declares both in ``services/<name>/integration.py``::

    OUTBOUND = Outbound({PointsApplication.StatusChanged: status_changed})
    INBOUND = Inbound({ApplicationStatusChanged: on_status_changed})

*Outbound*: a domain event class maps to one or more functions returning the published payload
(a registered model from ``shared.contracts``), or ``None`` when that occurrence is not published.
A function that publishes personal data takes a second argument, the service's ``Sealing``, and
puts that data in the payload's sealed field with ``sealing.seal(...)``.
Classes are matched along the event's MRO, so a row for a base class serves all its subclasses.
The relay wraps each payload in the envelope itself: the topic comes from the contract registry,
the sequence is the notification id, correlation and causation come from the event's stored trace.
Domain events must therefore carry every fact their published form needs (the relay never loads an
aggregate).

*Inbound*: a payload class maps to a handler ``(service, message, processing_event) -> None``. The
inbox has validated the message already; the handler receives it as ``Received`` (envelope plus
the payload as its model) and collects new aggregate events on ``processing_event``, never saving
them itself, so that they commit together with the upstream tracking. The topics a service
subscribes to follow from the payload classes' registered topics. A type nobody handles is only
tracked.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import DomainEventProtocol
from pydantic import BaseModel

from shared.contracts.envelope import Envelope, wrap
from shared.contracts.registry import event_type_of
from shared.contracts.topics import stream_of
from shared.platform.sealing import Keyring
from shared.platform.tracing import Trace, trace_of

P = TypeVar("P", bound=BaseModel)
M = TypeVar("M", bound=BaseModel)

Published = tuple[str, Envelope]
"""One message to publish: (topic, envelope)."""

EventMapper = Callable[[DomainEventProtocol[Any], int], Iterable[Published]]
"""(domain event, notification id) -> its messages; what the outbox relay calls."""

PayloadFunction = Callable[..., BaseModel | None]
"""``(event) -> payload | None`` or, to seal personal data, ``(event, sealing) -> payload | None``."""
InboundHandler = Callable[[Any, "Received[Any]", ProcessingEvent[Any]], None]


@dataclass(frozen=True, slots=True)
class Received(Generic[P]):
    """An upstream message as the inbox accepted it: the envelope and its validated payload."""

    envelope: Envelope
    payload: P

    @property
    def trace(self) -> Trace:
        """The trace of what this message causes: same correlation, caused by this message."""
        return Trace(self.envelope.correlationid, str(self.envelope.id))


class SealingNotConfigured(RuntimeError):
    """Personal data was to be sealed or opened, but the service has no keyring."""


class Sealing:
    """Sealed fields of payloads (``shared.platform.sealing``), bound to the message they travel in:
    the context is ``"<payload type>:<subject>"`` (the subject is the aggregate id, the Kafka key)."""

    def __init__(self, keyring: Keyring | None) -> None:
        self.keyring = keyring

    def _keys(self) -> Keyring:
        if self.keyring is None:
            raise SealingNotConfigured(
                "no personal-data keyring (JIFEN_PERSONAL_DATA_KEY_FILE) is configured"
            )
        return self.keyring

    def seal(self, data: BaseModel, *, payload: type[BaseModel], subject: str) -> str:
        """``data`` sealed for a ``payload`` message about ``subject``."""
        return self._keys().seal(data.model_dump(mode="json"), context=f"{payload.__name__}:{subject}")

    def open(self, message: Received[Any], sealed: str, model: type[M]) -> M:
        """A sealed field of ``message``, as ``model`` (``SealError`` if it does not open)."""
        return self.open_kept(
            sealed, payload=type(message.payload), subject=message.envelope.subject, model=model
        )

    def open_kept(self, sealed: str, *, payload: type[BaseModel], subject: str, model: type[M]) -> M:
        """A sealed field kept after its message was applied (a consumer that stores it sealed and
        opens it only when it needs it), as ``model``; the message's payload type and subject bind it."""
        return model.model_validate(self._keys().open(sealed, context=f"{payload.__name__}:{subject}"))

    def fingerprints(self, value: str, *, purpose: str) -> list[str]:
        """``Keyring.fingerprints``: keyed hashes to find a record by a personal identifier."""
        return self._keys().fingerprints(value, purpose=purpose)

    def fingerprint(self, value: str, *, purpose: str) -> str:
        """``Keyring.fingerprint`` under the current key (what a new record stores)."""
        return self._keys().fingerprint(value, purpose=purpose)


class Outbound:
    """The OUTBOUND table: domain event class -> payload function(s)."""

    def __init__(self, rows: Mapping[type[Any], PayloadFunction | Sequence[PayloadFunction]] | None = None):
        self.rows: dict[type[Any], tuple[PayloadFunction, ...]] = {
            cls: (tuple(value) if isinstance(value, Sequence) else (value,))
            for cls, value in (rows or {}).items()
        }
        self._by_class: dict[type[Any], tuple[PayloadFunction, ...]] = {}

    def functions_for(self, event_class: type[Any]) -> tuple[PayloadFunction, ...]:
        found = self._by_class.get(event_class)
        if found is None:
            found = next((self.rows[c] for c in event_class.__mro__ if c in self.rows), ())
            self._by_class[event_class] = found
        return found

    def payloads(self, event: Any, sealing: Sealing | None = None) -> list[BaseModel]:
        """What ``event`` is published as (empty for a private event)."""
        found = []
        for function in self.functions_for(type(event)):
            payload = function(event, sealing or Sealing(None)) if _seals(function) else function(event)
            if payload is not None:
                found.append(payload)
        return found

    def mapper(
        self, source: str, *, sealing: Sealing | None = None, topics: Mapping[str, str] | None = None
    ) -> EventMapper:
        """The relay's mapping for a service named ``source``: payloads wrapped in envelopes, each for
        its contract topic (or the name ``topics`` gives it instead: tests' throw-away copies)."""
        renamed = dict(topics or {})

        def envelopes(event: Any, sequence: int) -> Iterator[Published]:
            trace = trace_of(event)
            for payload in self.payloads(event, sealing):
                topic = event_type_of(type(payload)).topic
                yield (
                    renamed.get(topic, topic),
                    wrap(
                        source=source,
                        sequence=sequence,
                        subject=str(event.originator_id),
                        aggregate_version=event.originator_version,
                        occurred_at=event.timestamp,
                        payload=payload,
                        correlation_id=trace.correlation_id if trace else None,
                        causation_id=trace.causation_id if trace else None,
                    ),
                )

        return envelopes


def _seals(function: PayloadFunction) -> bool:
    """Does the payload function take the sealing as its second argument?"""
    return len(inspect.signature(function).parameters) >= 2


@dataclass(frozen=True, slots=True)
class Subscription:
    """One topic a service consumes, and the stream name its tracking uses (see ``stream_of``)."""

    topic: str
    stream: str | None


class Inbound:
    """The INBOUND table: payload class -> handler."""

    def __init__(self, rows: Mapping[type[BaseModel], InboundHandler] | None = None) -> None:
        self.rows: dict[type[BaseModel], InboundHandler] = dict(rows or {})

    def handler_for(self, payload_class: type[BaseModel]) -> InboundHandler | None:
        return self.rows.get(payload_class)

    @cached_property
    def subscriptions(self) -> tuple[Subscription, ...]:
        topics = sorted({event_type_of(model).topic for model in self.rows})
        return tuple(Subscription(topic, stream_of(topic)) for topic in topics)
