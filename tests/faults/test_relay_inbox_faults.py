"""Exactly-once effects through relay -> Kafka -> inbox while processes are killed (real servers).

One stream of 1,200 domain events over 60 aggregates goes from a throw-away producer schema
through the outbox relay (its own OS process) into a throw-away 6-partition topic, and from there
through the inbox (another OS process) into a throw-away consumer schema, while:

(a) the relay is killed with SIGKILL mid-stream and restarted;
(b) the consumer is killed with SIGKILL mid-batch and restarted;
(c) every notification is re-published on purpose (relay position reset to 0);

and four malformed messages (garbage bytes, wrong envelope, unknown type, invalid payload) are
dead-lettered without stopping the consumer. Every upstream event must take effect exactly once and
in per-aggregate order. Run with ``pytest -s`` to see the counts.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from tests.faults.support import (
    CounterTicked,
    Ledger,
    ProcConfig,
    Throwaway,
    admin_execute,
    end_offsets,
    read_status,
    read_topic,
    spawn,
    throwaway_world,
    wait_for,
    wrap_test_event,
)

pytestmark = [pytest.mark.infra, pytest.mark.timeout(400)]

COUNTERS = 60
TICKS_PER_COUNTER = 19
TOTAL = COUNTERS * (1 + TICKS_PER_COUNTER)  # 1,200 domain events


@dataclass
class World:
    throwaway: Throwaway
    tmp: Path
    source: ProcConfig
    sink: ProcConfig
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, module: str, config: ProcConfig) -> subprocess.Popen[bytes]:
        proc = spawn(module, config, self.tmp / f"{module.rsplit('.', 1)[-1]}.log")
        self.procs.append(proc)
        return proc

    def scalar(self, sql: str) -> Any:
        rows = admin_execute(self.throwaway.infra.admin_dsn, sql)
        return rows[0][0] if rows else None

    def relay_position(self) -> int:
        if not self.scalar(f"SELECT to_regclass('\"{self.source.schema}\".faultsrc_relay_tracking')"):
            return 0
        return int(self.scalar(
            f'SELECT coalesce(max(notification_id), 0) FROM "{self.source.schema}".faultsrc_relay_tracking '
            "WHERE application_name = 'kafka-relay'") or 0)

    def effects(self) -> int:
        if not self.scalar(f"SELECT to_regclass('\"{self.sink.schema}\".faultsink_events')"):
            return 0
        return int(self.scalar(f'SELECT count(*) FROM "{self.sink.schema}".faultsink_events') or 0)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-4000:]}" for p in sorted(self.tmp.glob("*.log")))


@pytest.fixture
def world(infra: Any, tmp_path: Path) -> Iterator[World]:
    with throwaway_world(infra) as t:
        w = World(
            t, tmp_path,
            t.source_config(tmp_path / "relay.json", batch_size=100, record_delay=0.2),
            t.sink_config(tmp_path / "sink.json", group_id=f"faultsink-{uuid.uuid4().hex[:8]}",
                          stall_after=600),
        )
        try:
            yield w
        finally:
            for proc in w.procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(10)


def sigkill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)


async def publish_poison(bootstrap: str, topic: str) -> list[bytes]:
    """Four malformed messages: garbage, not an envelope, an unknown type, an invalid payload."""
    good = wrap_test_event(sequence=10**9, subject=str(uuid.uuid4()), aggregate_version=1,
                           occurred_at=datetime.now(UTC),
                           payload=CounterTicked(counter_id="x", n=1)).model_dump(mode="json")
    bodies = [
        b"\xff\xfe not json at all",
        json.dumps({"hello": "world"}).encode(),
        json.dumps({**good, "type": "jifen.faultsrc.NoSuchEvent.v1"}).encode(),
        json.dumps({**good, "data": {"counter_id": "x", "n": "not-a-number"}}).encode(),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for i, body in enumerate(bodies):
            await producer.send_and_wait(topic, body, key=f"poison-{i}".encode())
    finally:
        await producer.stop()
    return bodies


def test_exactly_once_in_order_through_kills_republish_and_poison(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = time.monotonic()
    app = world.throwaway.source_app()
    expected: dict[uuid.UUID, int] = {}
    writer_error: list[BaseException] = []

    def write() -> None:
        try:
            ids = app.start_counters([f"c{i}" for i in range(COUNTERS)])
            for cid in ids:
                expected[cid] = 1
            ticks = [cid for cid in ids for _ in range(TICKS_PER_COUNTER)]
            random.Random(7).shuffle(ticks)
            for cid in ticks:
                expected[cid] = app.tick(cid)
        except BaseException as exc:  # pragma: no cover - reported below
            writer_error.append(exc)

    consumer = world.start("tests.faults.consumer_proc", world.sink)
    relay = world.start("tests.faults.relay_proc", world.source)

    def alive() -> None:
        for proc in (consumer, relay):
            if proc.poll() is not None:
                raise AssertionError(f"process {proc.args!r} exited early\n{world.logs()}")
        if read_status(world.sink.status_file).get("order_violations"):
            raise AssertionError(f"per-aggregate order violated\n{world.logs()}")

    # Start writing once the relay leads and the consumer runs, so that the kills land mid-stream.
    wait_for(lambda: read_status(world.source.status_file).get("leader"), timeout=60,
             what="relay leading", check=alive)
    wait_for(lambda: read_status(world.sink.status_file).get("running"), timeout=60,
             what="consumer running", check=alive)
    writer = threading.Thread(target=write, name="writer")
    writer.start()
    try:
        # (a) SIGKILL the relay mid-stream (more events are still being committed), then restart it.
        wait_for(lambda: world.relay_position() >= 300, timeout=60, what="relay position 300", check=alive)
        assert writer.is_alive(), "the writer finished before the relay was killed: not mid-stream"
        killed_relay_at = world.relay_position()
        sigkill(relay)
        relay_run1 = read_status(world.source.status_file)
        relay = world.start("tests.faults.relay_proc", replace(
            world.source, status_file=str(world.tmp / "relay2.json"), record_delay=0.0))

        # (b) SIGKILL the consumer mid-batch: after its 600th effect committed, before that
        # message's offset is committed to Kafka. Then restart it.
        wait_for(lambda: read_status(world.sink.status_file).get("stalled"), timeout=90,
                 what="consumer stalled after 600 effects", check=alive)
        killed_consumer_at = world.effects()
        sink_run1 = read_status(world.sink.status_file)  # exact: the consumer is stalled
        sigkill(consumer)
        assert killed_consumer_at < TOTAL, "the consumer had already applied everything: not mid-stream"
        sink2 = replace(world.sink, status_file=str(world.tmp / "sink2.json"), stall_after=0)
        consumer = world.start("tests.faults.consumer_proc", sink2)

        # Poison messages in the middle of the stream: dead-lettered, and the consumer goes on.
        poison = asyncio.run(publish_poison(world.source.kafka_bootstrap, world.source.topic))
    finally:
        writer.join(120)
    assert not writer_error, writer_error
    committed = sum(expected.values())
    assert committed == TOTAL

    wait_for(lambda: world.effects() >= TOTAL, timeout=120, what=f"{TOTAL} effects", check=alive)
    wait_for(lambda: read_status(sink2.status_file).get("dead_lettered") == 4, timeout=30,
             what="4 dead letters", check=alive)
    assert world.effects() == TOTAL

    # (c) Re-publish everything on purpose: stop the relay, reset its position, run it again.
    stop(relay)
    relay_run2 = read_status(str(world.tmp / "relay2.json"))
    duplicates_before = read_status(sink2.status_file)["duplicates"]
    head = int(world.scalar(f'SELECT max(notification_id) FROM "{world.source.schema}".faultsrc_events'))
    relay3_status = str(world.tmp / "relay3.json")
    relay = world.start("tests.faults.relay_proc",
                        replace(world.source, status_file=relay3_status, reset=True))
    wait_for(lambda: read_status(relay3_status).get("position") == head
             and read_status(relay3_status).get("published") == TOTAL,
             timeout=60, what="full re-publish", check=alive)
    wait_for(lambda: read_status(sink2.status_file).get("duplicates", 0) - duplicates_before >= TOTAL,
             timeout=90, what="re-published duplicates suppressed", check=alive)
    relay_run3 = read_status(relay3_status)
    stop(relay)
    stop(consumer)
    sink_final = read_status(sink2.status_file)

    # Exactly once and in order, per aggregate: ledger uuid5(A) has exactly versions 1..n(A).
    rows = admin_execute(world.throwaway.infra.admin_dsn,
                         f'SELECT originator_id, count(*), min(originator_version), max(originator_version) '
                         f'FROM "{world.sink.schema}".faultsink_events GROUP BY originator_id')
    ledgers = {r[0]: r[1:] for r in rows}
    assert len(ledgers) == COUNTERS
    for cid, version in expected.items():
        count, low, high = ledgers[Ledger.create_id(str(cid))]
        assert (count, low, high) == (version, 1, version), (cid, count, low, high, version)
    assert world.effects() == TOTAL
    assert sink_final["order_violations"] == 0

    # Dead letters: the four raw bodies, with reason and origin headers.
    dead = asyncio.run(read_topic(world.source.kafka_bootstrap, world.source.dlq_topic, expect=4))
    assert sorted(r.value for r in dead) == sorted(poison)
    reasons = sorted(dict(r.headers)["dlq_reason"].decode() for r in dead)
    assert reasons == ["invalid-envelope", "invalid-payload", "malformed-json", "unknown-type"]
    for record in dead:
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["dlq_source_topic"] == world.source.topic
        assert int(headers["dlq_source_offset"]) >= 0

    on_topic = asyncio.run(end_offsets(world.source.kafka_bootstrap, world.source.topic))
    published_total = on_topic - len(poison)
    assert relay_run3["published"] == TOTAL
    republished_a = published_total - 2 * TOTAL  # published by run 1 but not recorded: again by run 2
    assert republished_a > 0, "the relay SIGKILL did not hit a published-but-unrecorded batch"
    duplicates_c = sink_final["duplicates"] - duplicates_before
    assert duplicates_c == TOTAL
    # Duplicates before (c), both consumer runs: the re-publishes of (a) plus the redeliveries of (b).
    duplicates_ab = sink_run1["duplicates"] + duplicates_before
    redelivered_b = duplicates_ab - republished_a
    assert redelivered_b >= 1, "the message applied before the consumer's SIGKILL was not redelivered"
    assert sink_final["dead_lettered"] == 4
    assert sink_final["consumed"] == (sink_final["applied"] + sink_final["duplicates"]
                                      + sink_final["dead_lettered"] + sink_final["retries"])

    report = f"""
relay/inbox fault proof ({time.monotonic() - t0:.1f}s)
  domain events committed:              {committed} over {COUNTERS} aggregates, 6 partitions
  (a) relay SIGKILLed at position        {killed_relay_at}; run 1 published={relay_run1.get('published')}
      relay run 2 published              {relay_run2.get('published')} (from the recorded position; \
{republished_a} of them were already on Kafka)
  (b) consumer SIGKILLed at effects      {killed_consumer_at} (effect committed, offset not); run 1: \
consumed={sink_run1['consumed']} applied={sink_run1['applied']} duplicates={sink_run1['duplicates']}
      redelivered after the kill          {redelivered_b} (suppressed as duplicates)
  (c) relay run 3 (position reset to 0)  published={relay_run3['published']}
  messages on the events topic:         {on_topic} = {published_total} published + {len(poison)} poison
  consumer run 2: consumed={sink_final['consumed']} applied={sink_final['applied']} \
duplicates suppressed={sink_final['duplicates']} ({duplicates_c} from (c)) \
dead-lettered={sink_final['dead_lettered']} retries={sink_final['retries']}
  effects in the consumer schema:       {world.effects()} (exactly {TOTAL}, versions 1..n per aggregate)
  dead-letter topic:                    {len(dead)} records, reasons {reasons}
"""
    with capsys.disabled():  # shown in every run, not only with -s
        print(report)
