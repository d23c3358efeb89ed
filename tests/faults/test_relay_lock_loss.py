"""The active relay's lock session is killed by PostgreSQL mid-backlog (real servers).

A backlog of 1,200 domain events over 60 aggregates (each aggregate's events spread over the whole
backlog) sits in a throw-away schema. Relay A leads; relay B stands by on the advisory lock. When A
is reading batch 13 (held there by a gate in its mapper, so the kill lands mid-backlog every run),
its lock session is terminated with ``pg_terminate_backend`` (found through ``pg_locks``). Then:

1. B acquires the lock and leads; A, released, notices the lost lease, stops publishing and stands
   by (nothing handed to Kafka by A from the moment it knows, and at most the batch it was already
   reading after the kill);
2. B drains the backlog from the recorded position (re-publishing what A had sent but not recorded);
3. a consumer reading the topic sees every (aggregate, version) at least once, each aggregate in one
   partition and in order (replays only go back to versions already seen, never skip ahead), and
   after de-duplication by (source, sequence) exactly the committed set.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from aiokafka import AIOKafkaProducer

from shared.platform.db import close_application
from shared.platform.kafka import make_producer
from shared.platform.outbox import OutboxRelay
from tests.faults.support import (
    SOURCE,
    Counter,
    FaultSource,
    Throwaway,
    admin_execute,
    end_offsets,
    fault_relay,
    make_mapper,
    read_topic,
    throwaway_world,
    until,
)

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(120)]

COUNTERS = 60
EVENTS_PER_COUNTER = 20
TOTAL = COUNTERS * EVENTS_PER_COUNTER  # 1,200
BATCH = 50
GATE = 12 * BATCH + 1  # the first notification of batch 13: relay A is held while reading it


@pytest.fixture
def world(infra: Any) -> Iterator[Throwaway]:
    with throwaway_world(infra) as world:
        yield world


class Watched:
    """A relay's producer side, watched: messages handed to Kafka, and how many after a mark."""

    def __init__(self) -> None:
        self.sent = 0
        self.mark: int | None = None
        self.producers = 0

    def since_mark(self) -> int:
        return self.sent - (self.mark if self.mark is not None else self.sent)

    def factory(self, bootstrap: str, client_id: str) -> AIOKafkaProducer:
        producer = make_producer(bootstrap, client_id=client_id)
        self.producers += 1
        send_batch = producer.send_batch

        async def counted(builder: Any, topic: str, *, partition: int) -> Any:
            self.sent += builder.record_count()
            return await send_batch(builder, topic, partition=partition)

        producer.send_batch = counted
        return producer


def relay_for(world: Throwaway, app: FaultSource, watched: Watched, mapper: Any, name: str) -> OutboxRelay:
    return fault_relay(
        world.source, world.source_schema, app, mapper=mapper,
        producer_factory=lambda: watched.factory(world.source.kafka_bootstrap, f"lockloss-{name}"),
        lock_retry_interval=0.1, batch_size=BATCH, poll_interval=0.2,
    )


def lock_holder(world: Throwaway, key: int) -> list[tuple[int, str]]:
    """(pid, application_name) of the sessions holding the relay's advisory lock."""
    return [(int(pid), str(name)) for pid, name in admin_execute(
        world.infra.admin_dsn,
        "SELECT l.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = %s) "
        "AND l.classid::bigint = %s AND l.objid::bigint = %s",
        (world.infra.pg_database, (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
    )]


def write_backlog(app: FaultSource) -> None:
    """Round 1 starts every counter, each later round ticks every counter: one save per round, so
    each aggregate's events are spread over the whole backlog (and over many relay batches)."""
    counters = [Counter(f"c{i}") for i in range(COUNTERS)]
    app.save(*counters)
    for n in range(1, EVENTS_PER_COUNTER):
        for counter in counters:
            counter.tick(n)
        app.save(*counters)


async def test_relay_lock_session_killed_mid_backlog(
    world: Throwaway, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = time.monotonic()
    app = await anyio.to_thread.run_sync(world.source_app)
    await anyio.to_thread.run_sync(write_backlog, app)
    committed = {
        (int(seq), str(aggregate), int(version)) for seq, aggregate, version in admin_execute(
            world.infra.admin_dsn,
            "SELECT notification_id, originator_id, originator_version "
            f'FROM "{world.source_schema}".faultsrc_events',
        )
    }
    assert len(committed) == TOTAL

    # Relay A's mapper stops at the gate until released (bounded), so the kill lands mid-backlog.
    reached, release = threading.Event(), threading.Event()
    plain = make_mapper(world.topic)

    def gated(domain_event: Any, sequence: int) -> Any:
        if sequence == GATE and not release.is_set():
            reached.set()
            release.wait(20)
        return plain(domain_event, sequence)

    watch_a, watch_b = Watched(), Watched()
    relay_a = await anyio.to_thread.run_sync(lambda: relay_for(world, app, watch_a, gated, "a"))
    relay_b = await anyio.to_thread.run_sync(lambda: relay_for(world, app, watch_b, plain, "b"))
    assert relay_a.lease is not None and relay_b.lease is not None
    key = relay_a.lease.key

    # A's lease checks (one per pipeline step) are counted, so the test knows when A has passed the
    # check of the step that awaits the gated batch: A will then hand that batch to Kafka.
    checks_a = 0
    check_a = relay_a.lease.check

    async def counted_check() -> None:
        nonlocal checks_a
        await check_a()
        checks_a += 1

    relay_a.lease.check = counted_check  # type: ignore[method-assign]
    # B records positions only once A has stepped down, so that A's last (acknowledged) position
    # is stored before B records the same or lower ones: the order a slow old leader produces.
    a_down = threading.Event()
    record_b = relay_b.position.record

    def record_b_after_a(notification_id: int) -> None:
        a_down.wait(20)
        record_b(notification_id)

    relay_b.position.record = record_b_after_a  # type: ignore[method-assign]
    tasks: list[asyncio.Task[None]] = []
    try:
        tasks.append(asyncio.create_task(relay_a.run()))
        await until(lambda: relay_a.stats.leader, "relay A leading")
        tasks.append(asyncio.create_task(relay_b.run()))
        await until(lambda: reached.is_set() and checks_a == GATE // BATCH + 1,
                    "relay A awaiting the gated batch")
        assert not relay_b.stats.leader, "two relays must never lead at once"

        # Kill A's lock session, found the way an operator would: pg_locks + pg_stat_activity.
        holders = lock_holder(world, key)
        lease_conn = relay_a.lease._conn
        assert lease_conn is not None
        assert holders == [(lease_conn.get_server_pid(), "applications-relay")], holders
        victim = holders[0][0]
        position_at_kill = await anyio.to_thread.run_sync(relay_a.position.read)
        assert 0 < position_at_kill < TOTAL, "not mid-backlog"
        watch_a.mark = watch_a.sent
        assert admin_execute(world.infra.admin_dsn, "SELECT pg_terminate_backend(%s)", (victim,)) == [(True,)]

        # (2) B takes the lock (A is still held inside its read); only then is A let go, so both
        # relays' messages really meet on the topic.
        await until(lambda: relay_b.stats.leader and watch_b.producers == 1,
                    "relay B leading (position read, producer started)")
        conn_b = relay_b.lease._conn
        assert conn_b is not None
        assert [pid for pid, _ in lock_holder(world, key)] == [conn_b.get_server_pid()]
        release.set()

        # (1) A notices, stops publishing, and stands by.
        await until(lambda: not relay_a.stats.leader, "relay A stepping down")
        a_down.set()
        sent_by_a_after_kill = watch_a.since_mark()
        watch_a.mark = watch_a.sent
        await until(lambda: relay_b.stats.position == TOTAL, "relay B draining the backlog")
        assert await relay_b.lag() == 0
        assert not relay_a.stats.leader and relay_b.stats.leader
        assert watch_a.since_mark() == 0, "relay A published while standing by"
        assert sent_by_a_after_kill == BATCH, "relay A: only the batch it was reading after the kill"
        assert [pid for pid, _ in lock_holder(world, key)] == [conn_b.get_server_pid()]
    finally:
        release.set()
        a_down.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await anyio.to_thread.run_sync(relay_a.position.close)
        await anyio.to_thread.run_sync(relay_b.position.close)
        await close_application(app)

    # (3) A plain consumer reads the whole topic.
    on_topic = await end_offsets(world.source.kafka_bootstrap, world.topic)
    records = await read_topic(world.source.kafka_bootstrap, world.topic, expect=on_topic)
    assert len(records) == on_topic >= TOTAL
    assert on_topic == watch_a.sent + watch_b.sent, "every message handed to Kafka is on the topic once"
    seen: dict[tuple[str, int], tuple[str, int]] = {}  # (source, sequence) -> (aggregate, version)
    partition_of: dict[str, int] = {}
    highest: dict[str, int] = {}
    replays = 0
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        envelope = json.loads(record.value)
        aggregate, version = envelope["subject"], envelope["aggregateversion"]
        assert record.key.decode() == aggregate
        assert partition_of.setdefault(aggregate, record.partition) == record.partition, aggregate
        top = highest.get(aggregate, 0)
        assert version <= top + 1, f"{aggregate}: v{version} after v{top} (a gap: lost or reordered)"
        replays += version <= top
        highest[aggregate] = max(top, version)
        ident = (envelope["source"], envelope["sequence"])
        assert seen.setdefault(ident, (aggregate, version)) == (aggregate, version), ident
    assert {(seq, agg, ver) for (src, seq), (agg, ver) in seen.items() if src == SOURCE} == committed
    assert len(seen) == TOTAL
    assert highest == {agg: EVENTS_PER_COUNTER for _, agg, _ in committed}
    assert replays == on_topic - TOTAL
    assert replays > 0, "the kill hit no published-but-unrecorded batch"

    report = f"""
relay lock-loss proof ({time.monotonic() - t0:.1f}s)
  domain events committed:            {TOTAL} over {COUNTERS} aggregates, batches of {BATCH}, 6 partitions
  relay A lock session terminated:    pid {victim} (pg_locks), recorded position {position_at_kill}
  relay A handed to Kafka:            {watch_a.sent} messages ({sent_by_a_after_kill} after the kill: \
the batch it was reading; 0 after stepping down); batches acknowledged {relay_a.stats.batches}
  relay B (standby, took over):       handed {watch_b.sent} messages; position {relay_b.stats.position}
  messages on the topic:              {on_topic} ({replays} replays of already-seen versions)
  after de-duplication by (source, sequence): {len(seen)} == committed set; per-aggregate order held
  in {len(set(partition_of.values()))} partitions
"""
    with capsys.disabled():  # shown in every run, not only with -s
        print(report)
