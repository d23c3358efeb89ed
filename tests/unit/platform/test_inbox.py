"""Inbox classification: applied, duplicate, poison, transient (POPO projection, TestKafkaBroker)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.contracts.envelope import Envelope
from shared.platform.inbox import Inbox, Poison, ProjectionProcessor, classify, subscribe
from shared.platform.integration import Received
from tests.faults.support import (
    SOURCE,
    CounterStarted,
    CounterTicked,
    FaultSink,
    Ledger,
    resolve,
    wrap_test_event,
)

pytestmark = pytest.mark.anyio
TOPIC = "jifen.test.unit.events.v1"
DLQ = "jifen.test.unit.dlq.v1"


def envelope(subject: str, version: int, sequence: int) -> Envelope:
    payload: Any = (CounterStarted(counter_id=subject, label="x") if version == 1
                    else CounterTicked(counter_id=subject, n=version - 1))
    return wrap_test_event(sequence=sequence, subject=subject, aggregate_version=version,
                     occurred_at=datetime.now(UTC), payload=payload)


def body(env: Envelope) -> bytes:
    return env.model_dump_json().encode()


GOOD = envelope("agg", 1, 1).model_dump(mode="json")
POISON = {
    "malformed-json": b"\x00\xff{",
    "invalid-envelope": json.dumps({"hello": "world"}).encode(),
    "unknown-type": json.dumps({**GOOD, "type": "jifen.faultsrc.Nope.v1"}).encode(),
    "invalid-payload": json.dumps({**GOOD, "data": {"counter_id": "x"}}).encode(),
    "source-mismatch": json.dumps({**GOOD, "source": "accounts"}).encode(),
}


@pytest.mark.parametrize("reason", sorted(POISON))
def test_classify_names_the_reason_for_each_kind_of_poison(reason: str) -> None:
    verdict = classify(POISON[reason], resolve)
    assert isinstance(verdict, Poison) and verdict.reason == reason


def test_classify_never_raises_on_hostile_bodies() -> None:
    """A body that makes the parser raise something other than ValueError must still be parked:
    raising would redeliver it for ever and stall the partition."""
    deep = b"[" * 100_000 + b"]" * 100_000
    verdict = classify(deep, resolve)
    assert isinstance(verdict, Poison) and verdict.reason == "malformed-json"

    def broken_resolver(name: str) -> Any:
        raise RuntimeError("registry bug")

    verdict = classify(json.dumps(GOOD).encode(), broken_resolver)
    assert isinstance(verdict, Poison) and verdict.reason == "invalid-payload"


async def test_a_body_that_breaks_the_parser_is_dead_lettered_and_acked() -> None:
    parked = Parked()
    inbox = Inbox("unit", ProjectionProcessor(FaultSink()), parked, resolve=resolve)
    await inbox.handle(b"[" * 100_000, topic=TOPIC, partition=0, offset=9, key=None)
    assert inbox.stats.dead_lettered == 1 and inbox.stats.by_reason == {"malformed-json": 1}


def test_classify_accepts_a_valid_envelope_and_hands_over_its_payload_as_the_model() -> None:
    verdict = classify(json.dumps(GOOD).encode(), resolve)
    assert isinstance(verdict, Received)
    assert isinstance(verdict.envelope, Envelope)
    assert verdict.payload == resolve(GOOD["type"]).model_validate(GOOD["data"])


class Parked:
    def __init__(self) -> None:
        self.items: list[tuple[bytes, bytes | None, dict[str, str]]] = []

    async def __call__(self, value: bytes, key: bytes | None, headers: dict[str, str]) -> None:
        self.items.append((value, key, headers))


async def test_applies_once_suppresses_duplicates_and_parks_poison() -> None:
    sink = FaultSink()
    parked = Parked()
    inbox = Inbox("unit", ProjectionProcessor(sink), parked, resolve=resolve)
    a = str(uuid.uuid4())
    for env in (envelope(a, 1, 1), envelope(a, 2, 5)):
        await inbox.handle(body(env), topic=TOPIC, partition=3, offset=0, key=a.encode())
    await inbox.handle(body(envelope(a, 1, 1)), topic=TOPIC, partition=3, offset=9, key=a.encode())
    await inbox.handle(POISON["unknown-type"], topic=TOPIC, partition=3, offset=10, key=None)

    assert inbox.stats.as_dict() == {"consumed": 4, "applied": 2, "duplicates": 1, "dead_lettered": 1,
                                     "retries": 0, "by_reason": {"unknown-type": 1}}
    assert sink.recorder.max_tracking_id(f"{SOURCE}:3") == 5
    ledger: Ledger = sink.repository.get(Ledger.create_id(a))
    assert ledger.version == 2 and ledger.last_sequence == 5
    value, _, headers = parked.items[0]
    assert value == POISON["unknown-type"]
    assert headers["dlq_reason"] == "unknown-type"
    assert (headers["dlq_source_topic"], headers["dlq_source_partition"], headers["dlq_source_offset"]) \
        == (TOPIC, "3", "10")


async def test_tracking_is_per_source_and_partition() -> None:
    sink = FaultSink()
    inbox = Inbox("unit", ProjectionProcessor(sink), Parked(), resolve=resolve)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    await inbox.handle(body(envelope(a, 1, 7)), topic=TOPIC, partition=0, offset=0, key=None)
    await inbox.handle(body(envelope(b, 1, 3)), topic=TOPIC, partition=1, offset=0, key=None)
    assert inbox.stats.applied == 2  # a lower sequence on another partition is not a duplicate
    assert Inbox.tracking_name(envelope(a, 1, 7), 2, "status") == f"{SOURCE}.status:2"


class Flaky(ProjectionProcessor):
    def __init__(self, projection: Any, errors: list[Exception]) -> None:
        super().__init__(projection)
        self.errors = errors

    def process_event(self, event: Any, tracking: Tracking, /) -> None:
        if self.errors:
            raise self.errors.pop(0)
        super().process_event(event, tracking)


@pytest.mark.parametrize("error", [OperationalError("database down"), IntegrityError("version clash")])
async def test_transient_failures_back_off_and_raise_for_redelivery(error: Exception) -> None:
    sink = FaultSink()
    inbox = Inbox("unit", Flaky(sink, [error, error]), Parked(), backoff_base=0.01, backoff_cap=0.02,
                  resolve=resolve)
    message = body(envelope(str(uuid.uuid4()), 1, 1))
    for _ in range(2):
        with pytest.raises(type(error)):
            await inbox.handle(message, topic=TOPIC, partition=0, offset=0, key=None)
    await inbox.handle(message, topic=TOPIC, partition=0, offset=0, key=None)
    assert (inbox.stats.retries, inbox.stats.applied, inbox.stats.duplicates) == (2, 1, 0)


async def test_subscriber_on_the_test_broker_routes_poison_to_the_dead_letter_topic() -> None:
    broker = KafkaBroker("localhost:9092")
    sink = FaultSink()
    parked: list[dict[str, Any]] = []

    async def dead_letter(value: bytes, key: bytes | None, headers: dict[str, str]) -> None:
        await broker.publish(value, topic=DLQ, key=key, headers=headers)

    inbox = Inbox("unit", ProjectionProcessor(sink), dead_letter, resolve=resolve)
    subscribe(broker, inbox, TOPIC, group_id="unit")

    @broker.subscriber(DLQ, group_id="dlq-watch", auto_offset_reset="earliest")
    async def watch(msg: KafkaMessage) -> None:
        parked.append({"body": msg.body, "headers": msg.headers})

    a = str(uuid.uuid4())
    async with TestKafkaBroker(broker) as br:
        await br.publish(body(envelope(a, 1, 1)), topic=TOPIC, key=a.encode())
        await br.publish(POISON["malformed-json"], topic=TOPIC)
        await br.publish(body(envelope(a, 1, 1)), topic=TOPIC, key=a.encode())
    assert inbox.stats.as_dict()["applied"] == 1
    assert inbox.stats.duplicates == 1 and inbox.stats.dead_lettered == 1
    assert parked[0]["body"] == POISON["malformed-json"]
    assert parked[0]["headers"]["dlq_reason"] == "malformed-json"


async def test_a_failing_dead_letter_publish_backs_off_and_raises_for_redelivery() -> None:
    calls: list[int] = []

    async def broken(value: bytes, key: bytes | None, headers: dict[str, str]) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("dlq unavailable")

    inbox = Inbox("unit", ProjectionProcessor(FaultSink()), broken, backoff_base=0.01, resolve=resolve)
    with pytest.raises(ConnectionError):
        await inbox.handle(POISON["malformed-json"], topic=TOPIC, partition=0, offset=4, key=None)
    await inbox.handle(POISON["malformed-json"], topic=TOPIC, partition=0, offset=4, key=None)
    assert (inbox.stats.retries, inbox.stats.dead_lettered, len(calls)) == (1, 1, 2)
