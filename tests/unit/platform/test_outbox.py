"""Outbox relay: mapping, batching, position and supervision, on POPO persistence and a fake producer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError

from shared.platform.lease import advisory_key
from shared.platform.outbox import OutboxRelay, RelayPosition
from tests.faults.support import Counter, FaultSource, make_mapper

pytestmark = pytest.mark.anyio
TOPIC = "jifen.test.unit.events.v1"


class FakeBuilder:
    def __init__(self) -> None:
        self.records: list[tuple[bytes, bytes, dict[str, bytes]]] = []
        self.closed = False

    def append(self, *, timestamp: Any, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> Any:
        if self.closed:  # as aiokafka's BatchBuilder: a closed batch takes no more records
            return None
        self.records.append((key, value, dict(headers)))
        return object()

    def close(self) -> None:
        self.closed = True


class FakeProducer:
    """Records sends; acknowledges at once, on ``release()``, or fails every record batch."""

    def __init__(self, log: list[tuple[str, Any]], *, hold: bool = False, fail: bool = False) -> None:
        self.log = log
        self.hold = hold
        self.fail = fail
        self.pending: list[asyncio.Future[None]] = []
        self.sent: list[tuple[str, bytes, bytes, dict[str, bytes]]] = []
        self.handed_over: list[FakeBuilder] = []
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def partitions_for(self, topic: str) -> set[int]:
        return set(range(6))

    def create_batch(self) -> FakeBuilder:
        return FakeBuilder()

    async def send_batch(self, batch: FakeBuilder, topic: str, *, partition: int) -> Any:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.handed_over.append(batch)
        for key, value, headers in batch.records:
            self.log.append(("send", key))
            self.sent.append((topic, value, key, headers))
        if self.fail:
            future.set_exception(KafkaConnectionError("broker gone"))
        elif self.hold:
            self.pending.append(future)
        else:
            future.set_result(None)
        return future

    def release(self) -> None:
        for future in self.pending:
            future.set_result(None)
        self.log.append(("acked", len(self.pending)))
        self.pending.clear()


def a_relay(app: FaultSource, factory: Callable[[], Any], **options: Any) -> OutboxRelay:
    options.setdefault("poll_interval", 0.01)
    return OutboxRelay(app=app, mapper=make_mapper(TOPIC), position=RelayPosition(app.name, {}),
                       producer_factory=factory, **options)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.005)

    await asyncio.wait_for(poll(), timeout)


async def test_publishes_each_event_once_keyed_by_aggregate_in_order_and_records_the_position() -> None:
    app = FaultSource()
    ids = app.start_counters(["a", "b"])
    for _ in range(3):
        app.tick(ids[0])
    counter: Counter = app.repository.get(ids[1])
    counter.note("private")  # a private event: no message, but the position passes it
    app.save(counter)
    app.tick(ids[1])
    head = app.recorder.max_notification_id()
    assert head == 7

    log: list[tuple[str, Any]] = []
    producer = FakeProducer(log)
    relay = a_relay(app, lambda: producer)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.stats.position == head)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert relay.position.read() == head
    assert relay.stats.published == 6 and relay.stats.notifications == 7
    assert await relay.lag() == 0
    bodies = [json.loads(v) for _, v, _, _ in producer.sent]
    assert {t for t, *_ in producer.sent} == {TOPIC}
    assert [k.decode() for _, _, k, _ in producer.sent] == [b["subject"] for b in bodies]
    for key in {b["subject"] for b in bodies}:  # per aggregate: consecutive versions, rising sequences
        mine = [b for b in bodies if b["subject"] == key]
        assert [b["sequence"] for b in mine] == sorted(b["sequence"] for b in mine)
    assert [b["aggregateversion"] for b in bodies if b["subject"] == str(ids[0])] == [1, 2, 3, 4]
    assert [b["aggregateversion"] for b in bodies if b["subject"] == str(ids[1])] == [1, 3]  # v2 private
    _, _, _, headers = producer.sent[0]
    assert headers["ce_type"] == b"jifen.faultsrc.CounterStarted.v1"
    assert headers["sequence"] == str(bodies[0]["sequence"]).encode()
    assert len({b["id"] for b in bodies}) == 6
    assert producer.stopped


async def test_record_batches_are_handed_over_closed_so_that_they_never_wait_for_the_linger() -> None:
    app = FaultSource()
    app.start_counters([f"c{i}" for i in range(12)])
    producer = FakeProducer([])
    relay = a_relay(app, lambda: producer)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.stats.position == 12)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert len(producer.sent) == 12
    assert len(producer.handed_over) > 1, "one record batch per partition"
    assert all(batch.closed for batch in producer.handed_over)


async def test_pipelines_two_batches_and_records_positions_only_after_their_acks() -> None:
    app = FaultSource()
    app.start_counters([f"c{i}" for i in range(7)])
    log: list[tuple[str, Any]] = []
    producer = FakeProducer(log, hold=True)
    relay = a_relay(app, lambda: producer, batch_size=3)
    task = asyncio.create_task(relay.run())
    # Batches of 3, 3 and 1: the first two are handed over without awaiting any acknowledgement,
    # the third waits until the first is acknowledged (a window of two batches).
    await until(lambda: len(producer.sent) == 6)
    await asyncio.sleep(0.05)
    assert relay.position.read() == 0, "position must not move before its records are acknowledged"
    assert [kind for kind, _ in log] == ["send"] * 6
    producer.release()
    await until(lambda: relay.position.read() == 6 and len(producer.sent) == 7)
    producer.release()
    await until(lambda: relay.position.read() == 7)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert [kind for kind, _ in log] == ["send"] * 6 + ["acked"] + ["send"] + ["acked"]
    assert producer.pending == []
    assert relay.stats.published == 7 and relay.stats.batches == 3


async def test_repeated_publish_failures_recreate_the_producer_and_resume_from_the_position() -> None:
    app = FaultSource()
    app.start_counters(["a", "b", "c"])
    log: list[tuple[str, Any]] = []
    producers = [FakeProducer(log, fail=True), FakeProducer(log)]
    made: list[FakeProducer] = []

    def factory() -> FakeProducer:
        made.append(producers[len(made)])
        return made[-1]

    relay = a_relay(app, factory, restart_after=2, max_backoff=0.01)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.position.read() == 3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert relay.stats.publish_failures == 2
    assert relay.stats.producer_restarts == 1
    assert producers[0].stopped and len(producers[0].sent) == 6  # two attempts of three
    assert len(producers[1].sent) == 3


async def test_reset_position_republishes_everything() -> None:
    app = FaultSource()
    app.start_counters(["a", "b"])
    log: list[tuple[str, Any]] = []
    producer = FakeProducer(log)
    relay = a_relay(app, lambda: producer)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.position.read() == 2)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    relay.position.reset()
    assert relay.position.read() == 0
    relay2 = a_relay(app, lambda: producer)
    relay2.position = relay.position
    task = asyncio.create_task(relay2.run())
    await until(lambda: relay2.position.read() == 2)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    first, second = producer.sent[:2], producer.sent[2:]
    assert [json.loads(v)["id"] for _, v, _, _ in first] == [json.loads(v)["id"] for _, v, _, _ in second]


async def test_a_mapping_that_puts_two_messages_on_one_topic_is_refused() -> None:
    app = FaultSource()
    app.start_counters(["a"])
    mapper = make_mapper(TOPIC)
    log: list[tuple[str, Any]] = []
    producer = FakeProducer(log)
    relay = OutboxRelay(app=app, mapper=lambda e, s: [*mapper(e, s), *mapper(e, s)],
                        position=RelayPosition(app.name, {}), producer_factory=lambda: producer,
                        poll_interval=0.01, max_backoff=0.01)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.stats.errors >= 2)  # refused, and refused again after the restart
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert "maps to two messages on " + TOPIC in relay.stats.last_error
    assert producer.sent == []  # nothing of the refused notification went out
    assert relay.position.read() == 0


def test_advisory_key_is_a_stable_signed_64_bit_integer() -> None:
    key = advisory_key("jifen-relay:applications.applications")
    assert key == advisory_key("jifen-relay:applications.applications")
    assert -(2**63) <= key < 2**63
    assert key != advisory_key("jifen-relay:review.review")


class FakeLockConnection:
    """An asyncpg connection stand-in: grants the advisory lock, or never answers (half-open TCP)."""

    def __init__(self, *, grant: bool = True, hang: bool = False) -> None:
        self.grant = grant
        self.hang = hang
        self.closed = False
        self.queries: list[str] = []

    async def fetchval(self, query: str, *args: Any) -> Any:
        self.queries.append(query)
        if self.hang:
            await asyncio.Event().wait()
        return self.grant if "advisory" in query else 1

    def is_closed(self) -> bool:
        return self.closed

    async def close(self) -> None:
        self.closed = True

    def terminate(self) -> None:
        self.closed = True

    async def add_listener(self, channel: str, callback: Any) -> None:
        pass


async def test_a_lock_session_that_stops_answering_is_a_lost_lease() -> None:
    """A half-open connection never raises: the check must give up on it and stop the relay."""
    from shared.platform.lease import AdvisoryLease, LeaseLost

    conn = FakeLockConnection()

    async def connect() -> Any:
        return conn

    lease = AdvisoryLease(connect, 42, channel=None, timeout=0.05)
    await asyncio.wait_for(lease.acquire(asyncio.Event()), 1)
    conn.hang = True
    with pytest.raises(LeaseLost):
        await asyncio.wait_for(lease.check(), 2)
    assert conn.closed


async def test_a_standby_does_not_hang_on_a_dead_lock_session() -> None:
    from shared.platform.lease import AdvisoryLease

    connections = [FakeLockConnection(hang=True), FakeLockConnection()]
    made: list[FakeLockConnection] = []

    async def connect() -> Any:
        made.append(connections[len(made)])
        return made[-1]

    lease = AdvisoryLease(connect, 42, channel=None, retry_interval=0.01, timeout=0.05)
    await asyncio.wait_for(lease.acquire(asyncio.Event()), 2)
    assert connections[0].closed and len(made) == 2
    await lease.release()
    assert connections[1].closed


async def test_a_standby_cancelled_as_its_lock_query_times_out_stops_instead_of_retrying() -> None:
    # Python 3.11's wait_for can report such a cancel as TimeoutError; the standby must still stop.
    from shared.platform.lease import AdvisoryLease

    standby: list[asyncio.Task[None]] = []

    class CancelledAsItTimesOut(FakeLockConnection):
        async def fetchval(self, query: str, *args: Any) -> Any:
            standby[0].cancel()
            raise TimeoutError

    async def connect() -> Any:
        return CancelledAsItTimesOut()

    lease = AdvisoryLease(connect, 42, channel=None, retry_interval=0.01, timeout=0.05)
    standby.append(asyncio.create_task(lease.acquire(asyncio.Event())))
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(standby[0], 2)


async def test_a_relay_that_loses_its_lock_stops_publishing_until_it_holds_it_again() -> None:
    from shared.platform.lease import AdvisoryLease

    app = FaultSource()
    ids = app.start_counters(["a"])
    sessions: list[FakeLockConnection] = []

    async def connect() -> Any:
        # The first session is granted; later ones find the lock held elsewhere.
        sessions.append(FakeLockConnection(grant=not sessions))
        return sessions[-1]

    log: list[tuple[str, Any]] = []
    producer = FakeProducer(log)
    relay = a_relay(app, lambda: producer)
    relay.lease = AdvisoryLease(connect, 42, channel=None, retry_interval=0.01, timeout=0.05)
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.position.read() == 1)
    sessions[0].hang = True  # the lock's session goes silent: another relay may take over
    await until(lambda: len(sessions) == 2 and len(sessions[1].queries) >= 2)  # standing by
    published = len(producer.sent)
    app.tick(ids[0])
    relay.wake.set()
    await asyncio.sleep(0.2)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(producer.sent) == published, "published without holding the lock"
    assert relay.position.read() == 1 and not relay.stats.leader
