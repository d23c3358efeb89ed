"""The inbox: FastStream Kafka subscribers that apply upstream events exactly once.

Each message is validated inside the handler (never by FastStream before it, which would turn a
malformed message into a poison-pill loop under ``NACK_ON_ERROR``):

* not JSON, not an envelope, a type of another source, an unknown type or a payload that fails its
  model: the raw bytes go to ``jifen.<service>.dlq.v1`` with headers naming the reason and origin,
  and the message is acked;
* otherwise the message, as ``Received`` (the envelope and its payload as the contract's model,
  validated once, here), goes to the service's tracked processor (its ``ServiceApplication``) in a
  worker thread with ``Tracking(f"{source}:{partition}", envelope.sequence)``, so its new events and
  the tracking row commit in one transaction;
* ``IntegrityError`` with the tracking id already recorded is a duplicate (a relay re-publish or a
  redelivery after a crash): acked and counted;
* anything else (another ``IntegrityError``, the database being down, a bug) is treated as
  transient: back off exponentially (capped well below ``max_poll_interval_ms``) and raise, so
  ``NACK_ON_ERROR`` seeks back and the message is redelivered. The partition waits; nothing is
  skipped.

The tracking key is the upstream notification id per (source, partition), not the Kafka offset:
re-published events land at new offsets but carry the same sequence.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio
from eventsourcing.persistence import IntegrityError, Tracking
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy
from pydantic import BaseModel, ValidationError

from shared.contracts.envelope import Envelope
from shared.contracts.registry import UnknownEventType, payload_model
from shared.contracts.topics import dead_letter_topic
from shared.platform.integration import Received

log = logging.getLogger("jifen.inbox")

DeadLetterSink = Callable[[bytes, bytes | None, dict[str, str]], Awaitable[None]]
"""(raw value, raw key, headers) -> published to the dead-letter topic."""

PayloadResolver = Callable[[str], type[BaseModel]]
"""Event type name -> payload model; raises ``UnknownEventType`` (default: the contract registry)."""


class TrackedProcessor(Protocol):
    """What the inbox needs from a service: apply one event with its tracking, atomically."""

    def process_event(self, event: Any, tracking: Tracking, /) -> None: ...

    def has_tracking_id(self, application_name: str, notification_id: int, /) -> bool: ...


class ProjectionProcessor:
    """Adapts an ``EventSourcedProjection`` (or anything with ``process_event`` and a tracking
    ``recorder``) to ``TrackedProcessor``."""

    def __init__(self, projection: Any) -> None:
        self.projection = projection

    def process_event(self, event: Any, tracking: Tracking, /) -> None:
        self.projection.process_event(event, tracking)

    def has_tracking_id(self, application_name: str, notification_id: int, /) -> bool:
        return bool(self.projection.recorder.has_tracking_id(application_name, notification_id))


@dataclass(frozen=True)
class Poison:
    reason: str
    """malformed-json | invalid-envelope | source-mismatch | unknown-type | invalid-payload"""
    detail: str


def classify(body: bytes, resolve: PayloadResolver = payload_model) -> Received[Any] | Poison:
    """Validate a raw message body: an envelope whose payload matches its registered type.

    Never raises: validation is deterministic, so any failure here would fail again on every
    redelivery (a poison-pill loop under ``NACK_ON_ERROR``). Whatever goes wrong is poison.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return Poison("malformed-json", str(exc)[:200])
    try:
        envelope = Envelope.model_validate(data)
    except ValidationError as exc:
        return Poison("invalid-envelope", str(exc)[:500])
    except Exception as exc:  # e.g. RecursionError on absurdly nested data
        return Poison("invalid-envelope", repr(exc)[:500])
    if not envelope.type.startswith(f"jifen.{envelope.source}."):
        # Tracking is keyed by the source: a mislabelled message would be tracked (and de-duplicated)
        # against another service's sequence numbers.
        return Poison("source-mismatch", f"{envelope.type} from {envelope.source}")
    try:
        payload = resolve(envelope.type).model_validate(envelope.data)
    except UnknownEventType:
        return Poison("unknown-type", envelope.type)
    except ValidationError as exc:
        return Poison("invalid-payload", str(exc)[:500])
    except Exception as exc:  # a payload validator that raises something else
        return Poison("invalid-payload", repr(exc)[:500])
    return Received(envelope, payload)


@dataclass
class InboxStats:
    consumed: int = 0
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    retries: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "consumed": self.consumed,
            "applied": self.applied,
            "duplicates": self.duplicates,
            "dead_lettered": self.dead_lettered,
            "retries": self.retries,
            "by_reason": dict(self.by_reason),
        }


class Inbox:
    """One service's inbound side: classification, exactly-once application, dead letters."""

    def __init__(
        self,
        service: str,
        processor: TrackedProcessor,
        dead_letter: DeadLetterSink,
        *,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        limiter: anyio.CapacityLimiter | None = None,
        resolve: PayloadResolver = payload_model,
    ) -> None:
        self.service = service
        self.processor = processor
        self.dead_letter = dead_letter
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.limiter = limiter
        self.resolve = resolve
        self.stats = InboxStats()
        self._attempts: dict[tuple[str, int], int] = {}
        self.on_change: Callable[[InboxStats], None] | None = None
        """Optional observer, called after every message (tests write their counters out)."""

    @staticmethod
    def tracking_name(envelope: Envelope, partition: int, stream: str | None = None) -> str:
        """``<source>:<partition>``; a second stream from the same source (e.g. the status topic,
        whose messages share sequences with the events topic) adds its name: ``<source>.<stream>:<p>``."""
        source = envelope.source if stream is None else f"{envelope.source}.{stream}"
        return f"{source}:{partition}"

    async def handle(
        self, body: bytes, *, topic: str, partition: int, offset: int, key: bytes | None,
        stream: str | None = None,
    ) -> None:
        """Process one record; returns normally to ack, raises to have it redelivered."""
        self.stats.consumed += 1
        try:
            verdict = classify(body, self.resolve)
            if isinstance(verdict, Poison):
                await self._park(verdict, body, key, topic, partition, offset)
                return
            envelope = verdict.envelope
            tracking = Tracking(self.tracking_name(envelope, partition, stream), envelope.sequence)
            await self._apply(verdict, tracking, topic, partition)
        finally:
            if self.on_change is not None:
                self.on_change(self.stats)

    async def _park(
        self, poison: Poison, body: bytes, key: bytes | None, topic: str, partition: int, offset: int,
    ) -> None:
        headers = {
            "dlq_reason": poison.reason,
            "dlq_detail": poison.detail.replace("\n", " ")[:500],
            "dlq_source_topic": topic,
            "dlq_source_partition": str(partition),
            "dlq_source_offset": str(offset),
            "dlq_consumer": self.service,
        }
        # If this publish fails, back off and raise: the message is redelivered and parked later.
        try:
            await self.dead_letter(body, key, headers)
        except Exception as exc:
            await self._backoff((topic, partition), exc, f"dead letter {topic}[{partition}]@{offset}")
            raise
        self._attempts.pop((topic, partition), None)
        self.stats.dead_lettered += 1
        self.stats.by_reason[poison.reason] = self.stats.by_reason.get(poison.reason, 0) + 1
        log.warning("dead-lettered %s[%d]@%d: %s", topic, partition, offset, poison.reason)

    async def _apply(self, message: Received[Any], tracking: Tracking, topic: str, partition: int) -> None:
        slot = (topic, partition)
        try:
            await anyio.to_thread.run_sync(self.processor.process_event, message, tracking,
                                           limiter=self.limiter)
        except IntegrityError as exc:
            try:
                seen = await anyio.to_thread.run_sync(
                    self.processor.has_tracking_id, tracking.application_name, tracking.notification_id,
                    limiter=self.limiter,
                )
            except Exception:
                seen = False
            if seen:
                self._attempts.pop(slot, None)
                self.stats.duplicates += 1
                return
            await self._backoff(slot, exc, self._describe(tracking))
            raise
        except Exception as exc:
            await self._backoff(slot, exc, self._describe(tracking))
            raise
        self._attempts.pop(slot, None)
        self.stats.applied += 1

    @staticmethod
    def _describe(tracking: Tracking) -> str:
        return f"{tracking.application_name} #{tracking.notification_id}"

    async def _backoff(self, slot: tuple[str, int], exc: BaseException, what: str) -> None:
        """Sleep before the redelivery: exponential per (topic, partition), capped at ``backoff_cap``."""
        attempt = self._attempts.get(slot, 0) + 1
        self._attempts[slot] = attempt
        self.stats.retries += 1
        delay = min(self.backoff_base * 2 ** (attempt - 1), self.backoff_cap)
        log.warning("inbox %s: %s failed (%r); retry %d in %.1fs", self.service, what, exc, attempt, delay)
        await asyncio.sleep(delay)


def broker_dead_letter(broker: KafkaBroker, service: str, topic: str | None = None) -> DeadLetterSink:
    """Dead letters published through the service's broker to ``jifen.<service>.dlq.v1``."""
    target = topic or dead_letter_topic(service)

    async def publish(body: bytes, key: bytes | None, headers: dict[str, str]) -> None:
        await broker.publish(body, topic=target, key=key, headers=headers)

    return publish


def subscribe(
    broker: KafkaBroker,
    inbox: Inbox,
    topic: str,
    *,
    group_id: str,
    stream: str | None = None,
    max_workers: int = 1,
    **consumer_options: Any,
) -> Any:
    """Register the inbox handler on ``topic`` with an explicit ack policy.

    ``NACK_ON_ERROR``: acked (committed) after the handler returns, sought back when it raises.
    ``max_workers > 1`` handles partitions concurrently while keeping each partition in order.
    """
    options: dict[str, Any] = {
        "group_id": group_id,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "auto_offset_reset": "earliest",
        "max_poll_interval_ms": 300_000,
        "title": f"{inbox.service}:{topic}",
    }
    if max_workers > 1:
        options["max_workers"] = max_workers
    options.update(consumer_options)
    if options["ack_policy"] is not AckPolicy.NACK_ON_ERROR:
        raise ValueError("inbox subscribers ack after processing and seek back on error (NACK_ON_ERROR)")

    async def on_message(msg: KafkaMessage) -> None:
        record = msg.raw_message
        assert not isinstance(record, tuple)
        await inbox.handle(
            msg.body, topic=record.topic, partition=record.partition, offset=record.offset,
            key=record.key, stream=stream,
        )

    return broker.subscriber(topic, **options)(on_message)
