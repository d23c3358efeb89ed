"""Outbox relay throughput next to a raw idempotent aiokafka producer, on the real servers.

    .venv/bin/python -m benchmarks.relay [--events 20000] [--batch-size 1000]

Relay: N domain events are committed first (not timed); then the relay starts, and the clock runs
until a plain consumer has seen all N messages (commit -> Kafka -> consumer).

Raw: the same N envelopes, already serialised, sent by ``make_producer`` (idempotent, acks=all,
same linger/batch settings) to a topic with the same partition count, without awaiting each
record; the clock runs until the same kind of consumer has seen all N.

Both run in this one process, alternately ``--repeat`` times (fresh topics each time, the relay
position reset), against throw-away schemas and topics that are removed afterwards; the medians
are compared, because this small machine is shared and single runs vary a lot.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import time
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.platform.db import build_application, close_application, connect, eventsourcing_env
from shared.platform.kafka import make_producer
from shared.platform.outbox import build_relay, encode, run_relay
from shared.platform.settings import Settings
from tests.faults.support import FaultSource, create_schema, drop_schema, make_mapper, throwaway_topics

PARTITIONS = 6


async def consume_all(bootstrap: str, topic: str, expect: int, ready: asyncio.Event) -> float:
    """Count records from the beginning of every partition; returns the time the last one arrived."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                                fetch_max_bytes=50 * 1024 * 1024, max_partition_fetch_bytes=8 * 1024 * 1024)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        for tp in tps:
            await consumer.position(tp)
        ready.set()
        seen = 0
        while seen < expect:
            batch = await consumer.getmany(timeout_ms=200, max_records=10_000)
            seen += sum(len(records) for records in batch.values())
        return time.perf_counter()
    finally:
        await consumer.stop()


async def timed(bootstrap: str, topic: str, n: int, produce: Callable[[], Coroutine[Any, Any, Any]]) -> float:
    ready = asyncio.Event()
    consumer = asyncio.create_task(consume_all(bootstrap, topic, n, ready))
    await ready.wait()
    started = time.perf_counter()
    producer = asyncio.create_task(produce())
    done = await asyncio.wait_for(consumer, 600)
    producer.cancel()
    await asyncio.gather(producer, return_exceptions=True)
    return done - started


async def main(infra: Any, events: int, batch_size: int, repeat: int) -> None:
    from deploy.kafka.topics import create_topics_async, delete_topics_async
    from shared.contracts.topics import TopicSpec

    creds = infra.db("applications")
    settings = Settings.from_env("applications", infra.env)
    schema = create_schema(infra.admin_dsn, creds.user, "tbench")
    topics: list[str] = []
    env = eventsourcing_env(settings, {"POSTGRES_SCHEMA": schema})
    app = await anyio.to_thread.run_sync(lambda: build_application(FaultSource, env))
    try:
        def commit() -> None:
            for start in range(0, events, 500):
                app.start_counters([f"c{i}" for i in range(start, min(start + 500, events))])

        await anyio.to_thread.run_sync(commit)
        notes = app.recorder.select_notifications(start=0, limit=events, inclusive_of_start=False)
        envelopes = [envelope for note in notes
                     for _, envelope in make_mapper("-")(app.mapper.to_domain_event(note), note.id)]
        payloads = [encode(envelope) for envelope in envelopes]
        assert len(payloads) == events

        relay_times: list[float] = []
        raw_times: list[float] = []
        for _ in range(repeat):
            relay_topic, raw_topic = throwaway_topics()[0], throwaway_topics()[0]
            topics += [relay_topic, raw_topic]
            await create_topics_async(
                [TopicSpec(relay_topic, PARTITIONS), TopicSpec(raw_topic, PARTITIONS)], infra.kafka_bootstrap)

            def new_relay(topic: str = relay_topic) -> Any:
                relay = build_relay(
                    app=app, mapper=make_mapper(topic), env=env,
                    producer_factory=lambda: make_producer(infra.kafka_bootstrap, client_id="bench-relay"),
                    connect=lambda: connect(settings, purpose="bench-relay", schema=schema),
                    batch_size=batch_size,
                )
                relay.position.reset()  # every repetition relays all N events again
                return relay

            relay = await anyio.to_thread.run_sync(new_relay)
            relay_times.append(await timed(infra.kafka_bootstrap, relay_topic, events,
                                           functools.partial(run_relay, relay)))

            async def raw(topic: str = raw_topic) -> None:
                producer = make_producer(infra.kafka_bootstrap, client_id="bench-raw")
                await producer.start()
                try:
                    futures = [await producer.send(topic, value=v, key=k, headers=h) for v, k, h in payloads]
                    await asyncio.gather(*futures)
                finally:
                    await producer.stop()

            raw_times.append(await timed(infra.kafka_bootstrap, raw_topic, events, raw))

        relay_s, raw_s = statistics.median(relay_times), statistics.median(raw_times)
        size = sum(len(v) for v, _, _ in payloads) / len(payloads)
        print(f"events: {events}, avg message {size:.0f} B, {PARTITIONS} partitions, "
              f"relay batch {batch_size}, median of {repeat} alternating runs")
        print(f"raw idempotent producer: {events / raw_s:9.0f} events/s  ({raw_s:.2f}s; runs "
              f"{', '.join(f'{events / t:.0f}' for t in raw_times)})")
        print(f"outbox relay:            {events / relay_s:9.0f} events/s  ({relay_s:.2f}s commit -> "
              f"consumer; runs {', '.join(f'{events / t:.0f}' for t in relay_times)})")
        print(f"relay / raw:             {raw_s / relay_s:9.0%}")
    finally:
        await close_application(app)
        drop_schema(infra.admin_dsn, schema)
        if topics:
            await delete_topics_async(topics, infra.kafka_bootstrap)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from deploy.testing import ensure_infra

    asyncio.run(main(ensure_infra(), args.events, args.batch_size, args.repeat))
