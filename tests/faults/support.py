"""Test-only producer and consumer for the relay/inbox proofs (fault tests, integration, benchmark).

Producer side: ``Counter`` aggregates in a ``FaultSource`` application, published by the real outbox
relay as ``CounterStarted`` / ``CounterTicked`` envelopes (source ``faultsrc``).

Consumer side: ``FaultSink``, an ``EventSourcedProjection`` whose policy records every upstream
event as one ``Ledger`` event. The ledger of upstream aggregate A has the id ``uuid5(A)`` and its
version *n* is upstream version *n*, so the events table's primary key
``(originator_id, originator_version)`` is a unique constraint on (aggregate id, aggregate version):
a second effect of one event cannot be stored. The policy refuses anything but version
``ledger.version + 1`` (``OutOfOrder``), so per-aggregate order is asserted on every event; a replay
(an old version with an old sequence) collects nothing, as a policy must be idempotent in business
terms, and the tracking row then rejects it as a duplicate.

Everything lives in throw-away schemas and topics (``throwaway_world``); in the fault tests both
sides run in their own OS processes (``tests.faults.relay_proc`` and ``tests.faults.consumer_proc``)
configured by ``ProcConfig``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate, DomainEventProtocol, event
from eventsourcing.projection import EventSourcedProjection
from pydantic import BaseModel, ConfigDict

from shared.contracts.envelope import Envelope, event_id_for
from shared.contracts.registry import UnknownEventType
from shared.platform.db import build_application, connect, eventsourcing_env
from shared.platform.integration import EventMapper, Published, Received
from shared.platform.outbox import OutboxRelay, ProducerFactory, build_relay
from shared.platform.settings import Settings

if TYPE_CHECKING:
    from deploy.testing import Infra

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = "faultsrc"

# ------------------------------------------------------------------------------------ producer


class Counter(Aggregate):
    TOPIC = "tests.faults.Counter"

    class Event(Aggregate.Event):
        TOPIC = "tests.faults.Counter.Event"

    class Created(Aggregate.Created):
        TOPIC = "tests.faults.Counter.Created"

    class Started(Aggregate.Created):
        TOPIC = "tests.faults.Counter.Started"
        label: str

    class Ticked(Aggregate.Event):
        TOPIC = "tests.faults.Counter.Ticked"
        n: int

    class Noted(Aggregate.Event):
        """A private event: never published."""

        TOPIC = "tests.faults.Counter.Noted"
        text: str

    @event(Started)
    def __init__(self, label: str) -> None:
        self.label = label
        self.n = 0

    @event(Ticked)
    def tick(self, n: int) -> None:
        self.n = n

    @event(Noted)
    def note(self, text: str) -> None:
        pass


class FaultSource(Application[UUID]):
    name = "faultsrc"

    def start_counters(self, labels: list[str]) -> list[UUID]:
        counters = [Counter(label) for label in labels]
        self.save(*counters)
        return [c.id for c in counters]

    def tick(self, counter_id: UUID) -> int:
        counter: Counter = self.repository.get(counter_id)
        counter.tick(counter.n + 1)
        self.save(counter)
        return counter.version


class CounterStarted(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    counter_id: str
    label: str


class CounterTicked(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    counter_id: str
    n: int


TEST_TYPES: dict[str, type[BaseModel]] = {
    f"jifen.{SOURCE}.{model.__name__}.v1": model for model in (CounterStarted, CounterTicked)
}
"""The test's own event types. They stay out of the shared contract registry (whose contents the
contract tests and the AsyncAPI document check); the inbox is given ``resolve`` instead."""


def resolve(type_name: str) -> type[BaseModel]:
    try:
        return TEST_TYPES[type_name]
    except KeyError:
        raise UnknownEventType(type_name) from None


def wrap_test_event(
    *, sequence: int, subject: str, aggregate_version: int, occurred_at: datetime, payload: BaseModel
) -> Envelope:
    """``shared.contracts.wrap`` for the test types (which the shared registry does not know)."""
    event_type = f"jifen.{SOURCE}.{type(payload).__name__}.v1"
    assert event_type in TEST_TYPES
    event_id = event_id_for(SOURCE, sequence, event_type)
    return Envelope(
        id=event_id, source=SOURCE, type=event_type, time=occurred_at, subject=subject,
        sequence=sequence, aggregateversion=aggregate_version, correlationid=str(event_id),
        causationid=str(event_id), data=payload.model_dump(mode="json"),
    )


def make_mapper(topic: str) -> Callable[[DomainEventProtocol[Any], int], list[Published]]:
    """The producer's contracts mapping, publishing to a throw-away topic."""

    def to_published(domain_event: DomainEventProtocol[Any], sequence: int) -> list[Published]:
        payload: BaseModel
        if isinstance(domain_event, Counter.Started):
            payload = CounterStarted(counter_id=str(domain_event.originator_id), label=domain_event.label)
        elif isinstance(domain_event, Counter.Ticked):
            payload = CounterTicked(counter_id=str(domain_event.originator_id), n=domain_event.n)
        else:
            return []
        envelope = wrap_test_event(
            sequence=sequence,
            subject=str(domain_event.originator_id),
            aggregate_version=domain_event.originator_version,
            occurred_at=domain_event.timestamp,
            payload=payload,
        )
        return [(topic, envelope)]

    return to_published


# ------------------------------------------------------------------------------------ consumer

LEDGER_NS = UUID("0b6c1f57-7c53-4d0e-9a57-3c1f6a4e2d10")


class OutOfOrder(Exception):
    """An upstream event arrived out of per-aggregate order."""


class Ledger(Aggregate):
    TOPIC = "tests.faults.Ledger"

    class Event(Aggregate.Event):
        TOPIC = "tests.faults.Ledger.Event"

    class Created(Aggregate.Created):
        TOPIC = "tests.faults.Ledger.Created"

    class Opened(Aggregate.Created):
        TOPIC = "tests.faults.Ledger.Opened"
        upstream_id: str
        sequence: int

    class Recorded(Aggregate.Event):
        TOPIC = "tests.faults.Ledger.Recorded"
        sequence: int

    @staticmethod
    def create_id(upstream_id: str) -> UUID:
        return uuid.uuid5(LEDGER_NS, upstream_id)

    @event(Opened)
    def __init__(self, upstream_id: str, sequence: int) -> None:
        self.upstream_id = upstream_id
        self.last_sequence = sequence

    @event(Recorded)
    def record(self, sequence: int) -> None:
        self.last_sequence = sequence


class FaultSink(EventSourcedProjection[UUID]):
    name = "faultsink"

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        """One ``Ledger`` event per upstream event; other inputs are only tracked."""
        if not isinstance(domain_event, Received):
            return
        envelope = domain_event.envelope
        ledger_id = Ledger.create_id(envelope.subject)
        version = envelope.aggregateversion
        if ledger_id in self.repository:
            ledger: Ledger = self.repository.get(ledger_id)
            if version <= ledger.version and envelope.sequence <= ledger.last_sequence:
                return  # a replay: collect nothing; the tracking insert then flags the duplicate
            if version != ledger.version + 1:
                raise OutOfOrder(f"{envelope.subject}: got v{version} after v{ledger.version}")
            ledger.record(envelope.sequence)
        else:
            if version != 1:
                raise OutOfOrder(f"{envelope.subject}: got v{version} first")
            ledger = Ledger(envelope.subject, envelope.sequence)
        processing_event.collect_events(ledger)


# ------------------------------------------------------------------------------------ processes


@dataclass(frozen=True)
class ProcConfig:
    pg_host: str
    pg_port: int
    pg_database: str
    db_user: str
    db_password: str
    schema: str
    kafka_bootstrap: str
    topic: str
    dlq_topic: str
    status_file: str
    group_id: str = ""
    batch_size: int = 200
    reset: bool = False
    record_delay: float = 0.0
    """Relay: seconds to wait before recording a batch's position (widens the published-but-not-
    recorded window that a SIGKILL should hit)."""
    stall_after: int = 0
    """Consumer: after this many effects, hang between the effect's commit and its Kafka ack, so
    that a SIGKILL then lands exactly in that window (0 = never)."""

    def settings(self, service: str) -> Settings:
        return Settings(
            service=service,
            pg_host=self.pg_host,
            pg_port=self.pg_port,
            pg_database=self.pg_database,
            db_user=self.db_user,
            db_password=self.db_password,
            kafka_bootstrap=self.kafka_bootstrap,
        )

    def overrides(self) -> dict[str, str]:
        return in_schema(self.schema)

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> ProcConfig:
        return cls(**json.loads(text))


def in_schema(schema: str) -> dict[str, str]:
    """eventsourcing env overrides that put an application into a throw-away schema."""
    return {"POSTGRES_SCHEMA": schema}


def fault_relay(
    settings: Settings,
    schema: str,
    app: FaultSource,
    *,
    mapper: EventMapper,
    producer_factory: ProducerFactory,
    **options: Any,
) -> OutboxRelay:
    """A real relay (advisory lock, LISTEN) for ``app`` in ``schema`` (blocking: call from a thread)."""
    return build_relay(
        app=app,
        mapper=mapper,
        env=eventsourcing_env(settings, in_schema(schema)),
        producer_factory=producer_factory,
        connect=lambda: connect(settings, purpose="relay", schema=schema),
        **options,
    )


CONFIG_VAR = "JIFEN_FAULT_CONFIG"


def spawn(module: str, config: ProcConfig, log_file: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env[CONFIG_VAR] = config.dumps()
    env["PYTHONUNBUFFERED"] = "1"
    with open(log_file, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module], cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )


def read_status(path: str | Path) -> dict[str, Any]:
    try:
        return dict(json.loads(Path(path).read_text()))
    except (FileNotFoundError, ValueError):
        return {}


def write_status(path: str | Path, data: dict[str, Any]) -> None:
    tmp = Path(f"{path}.tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def wait_for(
    condition: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = "condition",
    check: Callable[[], None] | None = None,
) -> Any:
    """Poll ``condition`` until truthy; ``check`` may raise to fail fast (e.g. a process died)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if check is not None:
            check()
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


async def until(
    condition: Callable[[], Any], what: str, *, timeout: float = 15.0, interval: float = 0.02
) -> None:
    """``wait_for`` for a test running on the event loop: the loop keeps running while it polls."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


# ------------------------------------------------------------------------------------ throw-away world


def admin_execute(admin_dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall()) if cur.description else []


def create_schema(admin_dsn: str, owner: str, prefix: str = "t") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_execute(admin_dsn, f'CREATE SCHEMA "{name}" AUTHORIZATION "{owner}"')
    return name


def drop_schema(admin_dsn: str, name: str) -> None:
    admin_execute(admin_dsn, f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def throwaway_topics() -> tuple[str, str]:
    """(events topic, dlq topic) with unique names; the caller creates and deletes them."""
    run = uuid.uuid4().hex[:12]
    return f"jifen.test.{run}.events.v1", f"jifen.test.{run}.dlq.v1"


async def read_topic(bootstrap: str, topic: str, *, expect: int, timeout: float = 30.0) -> list[Any]:
    """Every record of ``topic`` from the beginning (no group); waits until ``expect`` are seen."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        while len(records) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for rs in batch.values():
                records.extend(rs)
        # settle: anything beyond the expectation would be a bug worth seeing
        for rs in (await consumer.getmany(timeout_ms=300)).values():
            records.extend(rs)
    finally:
        await consumer.stop()
    return records


async def end_offsets(bootstrap: str, topic: str) -> int:
    """Total records ever written to ``topic`` (sum of partition end offsets)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        ends = await consumer.end_offsets(tps)
        return int(sum(ends.values()))
    finally:
        await consumer.stop()


@dataclass(frozen=True)
class Throwaway:
    """A producer schema (``applications`` role), a consumer schema (``review`` role), a 6-partition
    events topic and a 1-partition dead-letter topic, all created for one test."""

    infra: Infra
    source: Settings
    source_schema: str
    sink: Settings
    sink_schema: str
    topic: str
    dlq_topic: str

    def source_app(self) -> FaultSource:
        """The producer application in the source schema (blocking: call from a thread)."""
        return build_application(FaultSource, eventsourcing_env(self.source, in_schema(self.source_schema)))

    def sink_app(self) -> FaultSink:
        """The consumer projection in the sink schema (blocking: call from a thread)."""
        return build_application(FaultSink, eventsourcing_env(self.sink, in_schema(self.sink_schema)))

    def source_config(self, status_file: Path, **options: Any) -> ProcConfig:
        """Config of a ``relay_proc`` publishing from the source schema."""
        return self._config(self.source, self.source_schema, status_file, **options)

    def sink_config(self, status_file: Path, **options: Any) -> ProcConfig:
        """Config of a ``consumer_proc`` applying to the sink schema."""
        return self._config(self.sink, self.sink_schema, status_file, **options)

    def _config(self, settings: Settings, schema: str, status_file: Path, **options: Any) -> ProcConfig:
        return ProcConfig(
            pg_host=settings.pg_host,
            pg_port=settings.pg_port,
            pg_database=settings.pg_database,
            db_user=settings.db_user,
            db_password=settings.db_password,
            schema=schema,
            kafka_bootstrap=settings.kafka_bootstrap,
            topic=self.topic,
            dlq_topic=self.dlq_topic,
            status_file=str(status_file),
            **options,
        )


@contextmanager
def throwaway_world(infra: Infra) -> Iterator[Throwaway]:
    """Create a :class:`Throwaway` and drop/delete all of it afterwards."""
    from deploy.kafka.topics import create_topics, delete_topics
    from shared.contracts.topics import TopicSpec

    source, sink = Settings.from_env("applications", infra.env), Settings.from_env("review", infra.env)
    with ExitStack() as cleanup:
        topic, dlq = throwaway_topics()
        create_topics([TopicSpec(topic, 6), TopicSpec(dlq, 1)], infra.kafka_bootstrap)
        cleanup.callback(delete_topics, [topic, dlq], infra.kafka_bootstrap)
        source_schema = create_schema(infra.admin_dsn, source.db_user, "tsrc")
        cleanup.callback(drop_schema, infra.admin_dsn, source_schema)
        sink_schema = create_schema(infra.admin_dsn, sink.db_user, "tsink")
        cleanup.callback(drop_schema, infra.admin_dsn, sink_schema)
        yield Throwaway(infra, source, source_schema, sink, sink_schema, topic, dlq)
