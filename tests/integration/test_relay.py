"""Relay and inbox against the real PostgreSQL and Kafka (throw-away schemas and topics).

* one relay leads, a second stands by on the advisory lock and takes over when the first stops;
* LISTEN wakes the relay long before its poll interval;
* lag is head minus the recorded position;
* on the real broker, NACK_ON_ERROR redelivers a message whose processing failed transiently.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from shared.platform.db import close_application
from shared.platform.inbox import Inbox, ProjectionProcessor, subscribe
from shared.platform.kafka import make_broker, make_producer
from shared.platform.outbox import OutboxRelay
from tests.faults.support import (
    FaultSource,
    Ledger,
    Throwaway,
    fault_relay,
    make_mapper,
    read_topic,
    resolve,
    throwaway_world,
    until,
)

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(180)]


@pytest.fixture
def throwaway(infra: Any) -> Iterator[Throwaway]:
    with throwaway_world(infra) as world:
        yield world


def relay_for(world: Throwaway, app: FaultSource, **options: Any) -> OutboxRelay:
    return fault_relay(
        world.source, world.source_schema, app, mapper=make_mapper(world.topic),
        producer_factory=lambda: make_producer(world.source.kafka_bootstrap, client_id="it-relay"),
        lock_retry_interval=0.1, **options,
    )


async def test_one_relay_leads_the_other_takes_over_and_listen_wakes_it(throwaway: Throwaway) -> None:
    app = await anyio.to_thread.run_sync(throwaway.source_app)
    try:
        # poll_interval is 30 s: only NOTIFY can make these relays react within the test's timeouts.
        first = await anyio.to_thread.run_sync(lambda: relay_for(throwaway, app, poll_interval=30.0))
        second = await anyio.to_thread.run_sync(lambda: relay_for(throwaway, app, poll_interval=30.0))
        task1 = asyncio.create_task(first.run())
        await until(lambda: first.stats.leader, "first relay leading", timeout=20)
        task2 = asyncio.create_task(second.run())
        await asyncio.sleep(0.5)
        assert not second.stats.leader, "two relays must never lead at once"

        started = time.monotonic()
        await anyio.to_thread.run_sync(lambda: app.start_counters([f"a{i}" for i in range(10)]))
        await until(lambda: first.stats.position == 10, "first relay at position 10", timeout=10)
        woke_after = time.monotonic() - started
        assert woke_after < 5, f"LISTEN should wake the relay, took {woke_after:.1f}s"

        task1.cancel()
        await asyncio.gather(task1, return_exceptions=True)
        await until(lambda: second.stats.leader, "second relay leading", timeout=20)
        await anyio.to_thread.run_sync(lambda: app.start_counters([f"b{i}" for i in range(5)]))
        await until(lambda: second.stats.position == 15, "second relay at position 15", timeout=10)
        assert await second.lag() == 0
        task2.cancel()
        await asyncio.gather(task2, return_exceptions=True)
        assert first.stats.published + second.stats.published == 15

        records = await read_topic(throwaway.source.kafka_bootstrap, throwaway.topic, expect=15)
        assert len(records) == 15
        assert len({r.partition for r in records}) > 1
        for record in records:
            assert record.key.decode() == json.loads(record.value)["subject"]  # keyed by aggregate id
            assert dict(record.headers)["ce_type"] == b"jifen.faultsrc.CounterStarted.v1"
        print(f"\nrelay handover: first published {first.stats.published}, second "
              f"{second.stats.published}; LISTEN wake-up {woke_after:.2f}s (poll interval 30s)")
        await anyio.to_thread.run_sync(first.position.close)
        await anyio.to_thread.run_sync(second.position.close)
    finally:
        await close_application(app)


async def test_lag_is_head_minus_recorded_position(throwaway: Throwaway) -> None:
    app = await anyio.to_thread.run_sync(throwaway.source_app)
    relay = await anyio.to_thread.run_sync(lambda: relay_for(throwaway, app))
    try:
        await anyio.to_thread.run_sync(lambda: app.start_counters(["x", "y", "z"]))
        assert await relay.lag() == 3
        await anyio.to_thread.run_sync(relay.position.record, 2)
        assert await relay.lag() == 1
    finally:
        await anyio.to_thread.run_sync(relay.position.close)
        await close_application(app)


async def test_real_broker_redelivers_after_a_transient_failure(throwaway: Throwaway) -> None:
    from eventsourcing.persistence import OperationalError, Tracking

    app = await anyio.to_thread.run_sync(throwaway.source_app)
    sink = await anyio.to_thread.run_sync(throwaway.sink_app)
    failures = [OperationalError("database down")]

    class FlakyOnce(ProjectionProcessor):
        def process_event(self, event: Any, tracking: Tracking, /) -> None:
            if failures:
                raise failures.pop()
            super().process_event(event, tracking)

    broker = make_broker(throwaway.sink, client_id="it-sink")
    inbox = Inbox("it", FlakyOnce(sink), lambda *a: asyncio.sleep(0), backoff_base=0.1, resolve=resolve)
    subscribe(broker, inbox, throwaway.topic, group_id=f"it-{uuid.uuid4().hex[:8]}")
    relay = await anyio.to_thread.run_sync(lambda: relay_for(throwaway, app, poll_interval=0.2))
    try:
        ids = await anyio.to_thread.run_sync(lambda: app.start_counters(["only"]))
        await broker.start()
        task = asyncio.create_task(relay.run())
        await until(lambda: inbox.stats.applied == 1, "one event applied", timeout=60)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert inbox.stats.retries == 1 and inbox.stats.consumed == 2  # delivered, failed, redelivered
        ledger: Ledger = await anyio.to_thread.run_sync(sink.repository.get, Ledger.create_id(str(ids[0])))
        assert ledger.version == 1
    finally:
        await broker.stop()
        await anyio.to_thread.run_sync(relay.position.close)
        await close_application(app)
        await close_application(sink)
