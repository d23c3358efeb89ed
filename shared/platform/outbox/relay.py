"""The outbox relay: the eventsourcing notification log, published to Kafka at least once.

One relay runs per service. It is a singleton by ``pg_try_advisory_lock`` held on a dedicated
asyncpg connection; a second relay waits for the lock and takes over when the first one dies (the
server drops a dead session's locks).

The loop: read the notifications after the recorded position (in id order, which is commit order
because eventsourcing inserts under an EXCLUSIVE table lock), map each domain event to zero or more
``(topic, Envelope)`` messages, hand the whole batch to an idempotent producer without awaiting
each record, await all acknowledgements, and only then record the batch's last notification id as
a ``Tracking`` row (``<app>_relay_tracking``, name ``kafka-relay``). A crash between publishing and
recording re-publishes the batch: at-least-once; consumers de-duplicate by upstream sequence.

The relay wakes on LISTEN ``<app>_events`` but also polls, because NOTIFY is only a hint.

Throughput (benchmarks/relay.py): reading, decoding, mapping and encoding a batch runs in a worker
thread while the previous batch is with the producer (a window of two batches), messages go into
one record batch per partition (``create_batch``/``send_batch``, partition = murmur2 of the key as
in the default partitioner), and positions are recorded in the background, strictly in order, each
after every message up to it was acknowledged. Any failure drops everything unrecorded and resumes
from the recorded position; repeated failures recreate the producer.
"""


from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.partitioner import murmur2
from eventsourcing.application import Application

from shared.contracts.envelope import Envelope
from shared.platform.integration import EventMapper
from shared.platform.lease import AdvisoryLease, Connect, LeaseLost, advisory_key
from shared.platform.outbox.position import RelayPosition

log = logging.getLogger("jifen.relay")

ProducerFactory = Callable[[], AIOKafkaProducer]


class PublishFailed(Exception):
    """A batch was not acknowledged in full; it will be re-published from the recorded position."""


def encode(envelope: Envelope) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Kafka value, key and headers of one envelope."""
    headers = [(k, v.encode()) for k, v in envelope.kafka_headers().items()]
    return envelope.model_dump_json().encode(), envelope.kafka_key(), headers


Message = tuple[str, bytes, bytes, list[tuple[str, bytes]], int]
"""(topic, value, key, headers, key hash): one encoded message; the hash picks its partition."""


@dataclass(frozen=True)
class Batch:
    notifications: int
    last_id: int
    """The last notification id of the batch (the position to record once it is acknowledged)."""
    messages: list[Message]
    """Every message to publish, in notification order."""


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a future's exception as seen (it is handled elsewhere), so asyncio does not log it."""
    if not future.cancelled():
        future.exception()


def key_hash(key: bytes) -> int:
    """The Java client's (and aiokafka's default) partitioner hash: murmur2, positive."""
    return int(murmur2(key)) & 0x7FFFFFFF


@dataclass
class RelayStats:
    notifications: int = 0
    """Notifications relayed (published or skipped as private)."""
    published: int = 0
    """Messages acknowledged by Kafka (re-publishes count again)."""
    batches: int = 0
    publish_failures: int = 0
    producer_restarts: int = 0
    position: int = 0
    head: int = 0
    leader: bool = False
    errors: int = 0
    """Failures of the relay loop (each is logged and followed by a restart with backoff)."""
    last_error: str = ""

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


class OutboxRelay:
    def __init__(
        self,
        *,
        app: Application[Any],
        mapper: EventMapper,
        position: RelayPosition,
        producer_factory: ProducerFactory,
        lease: AdvisoryLease | None = None,
        batch_size: int = 1000,
        poll_interval: float = 1.0,
        publish_timeout: float = 30.0,
        restart_after: int = 3,
        max_backoff: float = 10.0,
    ) -> None:
        self.app = app
        self.mapper = mapper
        self.position = position
        self.producer_factory = producer_factory
        self.lease = lease
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.publish_timeout = publish_timeout
        self.restart_after = restart_after
        self.max_backoff = max_backoff
        self.stats = RelayStats()
        self.wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None

    # -- observability ------------------------------------------------------------------------------

    async def lag(self) -> int:
        """Head of the notification log minus the recorded position (queries both)."""
        head, position = await anyio.to_thread.run_sync(self._head_and_position)
        self.stats.head, self.stats.position = head, position
        return max(head - position, 0)

    def _head_and_position(self) -> tuple[int, int]:
        return self.app.recorder.max_notification_id() or 0, self.position.read()

    # -- supervision --------------------------------------------------------------------------------

    async def run(self) -> None:
        """Relay until cancelled. Never returns; errors are logged and retried."""
        failures = 0
        while True:
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except LeaseLost:
                log.warning("relay lost its lock; re-acquiring")
                failures = 0
            except Exception as exc:
                failures += 1
                self.stats.errors += 1
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("relay failed; restarting (attempt %d)", failures)
                await asyncio.sleep(min(0.5 * 2**failures, self.max_backoff))
            finally:
                self.stats.leader = False
                # Shielded: under an anyio task group a cancelled scope would cancel every await
                # here too, leaving the producer open and the lock held.
                with anyio.CancelScope(shield=True):
                    await self._stop_producer()
                    if self.lease is not None:
                        await self.lease.release()

    async def _lead(self) -> None:
        """Relay while holding the lease.

        A pipeline: while batch *k* is being acknowledged, batch *k+1* is already handed to the
        producer and batch *k+2* is read and mapped in a worker thread. Positions are recorded
        strictly in order, each only after every message up to it was acknowledged. On a failure
        everything not yet recorded is dropped and re-read from the recorded position.
        """
        if self.lease is not None:
            await self.lease.acquire(self.wake)
        self.stats.leader = True
        position = await anyio.to_thread.run_sync(self.position.read)
        self.stats.position = position
        producer = await self._start_producer()
        failures = 0
        prefetch: asyncio.Task[Batch] | None = None
        inflight: deque[tuple[Batch, list[asyncio.Future[Any]]]] = deque()
        recording: asyncio.Task[None] | None = None

        async def settle_oldest() -> None:
            nonlocal recording
            batch, futures = inflight.popleft()
            await self._acknowledged(futures)
            self.stats.published += len(batch.messages)
            self.stats.batches += 1
            self.stats.notifications += batch.notifications
            # Recorded in the background while the pipeline moves on; each recording waits for
            # the previous one, so the stored position only ever moves forward.
            previous = recording
            recording = asyncio.create_task(self._record(batch.last_id, previous))

        try:
            while True:
                self.wake.clear()
                if self.lease is not None:
                    await self.lease.check()
                batch = await prefetch if prefetch is not None else await self._prepare(position)
                prefetch = None
                full = batch.notifications == self.batch_size
                try:
                    if batch.notifications:
                        if full:
                            prefetch = asyncio.create_task(self._prepare(batch.last_id))
                        inflight.append((batch, await self._send(producer, batch)))
                        position = batch.last_id
                        if len(inflight) > 1:
                            await settle_oldest()
                    if not full:
                        while inflight:
                            await settle_oldest()
                except PublishFailed as exc:
                    await self._discard(prefetch)
                    prefetch = None
                    while inflight:
                        self._forget(inflight.popleft()[1])
                    if recording is not None:
                        await recording
                        recording = None
                    failures += 1
                    self.stats.publish_failures += 1
                    log.warning("relay publish failed (%d in a row): %s", failures, exc.__cause__ or exc)
                    if failures >= self.restart_after:
                        log.warning("relay recreating its Kafka producer")
                        await self._stop_producer()
                        self.stats.producer_restarts += 1
                        producer = await self._start_producer()
                        failures = 0
                    await asyncio.sleep(min(0.2 * 2**failures, self.max_backoff))
                    # Resume from what is recorded, not from what we believe we sent.
                    position = await anyio.to_thread.run_sync(self.position.read)
                    self.stats.position = position
                    continue
                if batch.notifications:
                    failures = 0
                if not full:
                    if recording is not None:
                        await recording
                        recording = None
                    self.stats.head = max(self.stats.head, self.stats.position)
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.poll_interval):
                            await self.wake.wait()
        finally:
            with anyio.CancelScope(shield=True):
                await self._discard(prefetch)
                while inflight:
                    self._forget(inflight.popleft()[1])
                if recording is not None:
                    # Let an acknowledged batch's position reach the database, even when cancelled.
                    await asyncio.gather(recording, return_exceptions=True)

    async def _record(self, position: int, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await previous
        await anyio.to_thread.run_sync(self.position.record, position)
        self.stats.position = max(self.stats.position, position)
        self.stats.head = max(self.stats.head, position)

    @staticmethod
    async def _discard(task: asyncio.Task[Batch] | None) -> None:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _prepare(self, position: int) -> Batch:
        """Select, decode, map and encode the batch after ``position`` in one worker thread."""
        return await anyio.to_thread.run_sync(self._prepare_sync, position)

    def _prepare_sync(self, position: int) -> Batch:
        notes = self.app.recorder.select_notifications(
            start=position, limit=self.batch_size, inclusive_of_start=False
        )
        messages: list[Message] = []
        for note in notes:
            event = self.app.mapper.to_domain_event(note)
            topics: set[str] = set()
            for topic, envelope in self.mapper(event, note.id):
                # Consumers de-duplicate by (source, partition, sequence): a second message with
                # the same sequence on one topic would be dropped as a duplicate.
                if topic in topics:
                    raise ValueError(f"notification {note.id} maps to two messages on {topic}")
                topics.add(topic)
                value, key, headers = encode(envelope)
                messages.append((topic, value, key, headers, key_hash(key)))
        return Batch(len(notes), notes[-1].id if notes else position, messages)

    async def _send(self, producer: AIOKafkaProducer, batch: Batch) -> list[asyncio.Future[Any]]:
        """Hand every message of the batch to the producer without awaiting acknowledgements.

        Messages are appended to one record batch per partition (aiokafka's ``create_batch`` /
        ``send_batch``), which costs far less per message than ``send()``. The partition is the
        default partitioner's (murmur2 of the key), so one aggregate's events stay in one partition
        and in order; the idempotent producer keeps the batches of a partition in order.
        """
        futures: list[asyncio.Future[Any]] = []
        partitions: dict[str, list[int]] = {}
        builders: dict[tuple[str, int], Any] = {}
        try:
            for topic, value, key, headers, hashed in batch.messages:
                known = partitions.get(topic)
                if known is None:
                    known = partitions[topic] = sorted(await producer.partitions_for(topic))
                partition = known[hashed % len(known)]
                builder = builders.get((topic, partition))
                if builder is None:
                    builder = builders[(topic, partition)] = producer.create_batch()
                if builder.append(timestamp=None, key=key, value=value, headers=headers) is None:
                    futures.append(await self._hand_over(producer, builder, topic, partition))
                    builder = builders[(topic, partition)] = producer.create_batch()
                    if builder.append(timestamp=None, key=key, value=value, headers=headers) is None:
                        raise ValueError(f"a message on {topic} is larger than the producer's batch size")
            for (topic, partition), builder in builders.items():
                futures.append(await self._hand_over(producer, builder, topic, partition))
        except (KafkaError, TimeoutError, OSError) as exc:
            self._forget(futures)
            raise PublishFailed(type(exc).__name__) from exc
        return futures

    @staticmethod
    async def _hand_over(
        producer: AIOKafkaProducer, builder: Any, topic: str, partition: int
    ) -> asyncio.Future[Any]:
        """Close the record batch and give it to the producer. The batch is complete, so it goes
        out with the producer's next request: an open one would wait ``linger_ms`` for more records
        that never come (linger only helps ``send()``, one record at a time)."""
        builder.close()
        future: asyncio.Future[Any] = await producer.send_batch(builder, topic, partition=partition)
        return future

    async def _acknowledged(self, futures: list[asyncio.Future[Any]]) -> None:
        """Await every acknowledgement of the batch (bounded by ``publish_timeout``)."""
        if not futures:
            return
        gathered = asyncio.gather(*futures)
        gathered.add_done_callback(_retrieve)
        try:
            async with asyncio.timeout(self.publish_timeout):
                await gathered
        except (KafkaError, TimeoutError, OSError) as exc:
            self._forget(futures)
            raise PublishFailed(type(exc).__name__) from exc

    @staticmethod
    def _forget(futures: list[asyncio.Future[Any]]) -> None:
        for future in futures:
            if not future.done():
                future.cancel()
            elif not future.cancelled():
                future.exception()  # retrieved, so asyncio does not log it as unhandled

    async def _start_producer(self) -> AIOKafkaProducer:
        producer = self.producer_factory()
        try:
            await producer.start()
        except BaseException:
            await self._close(producer)
            raise
        self._producer = producer
        return producer

    async def _stop_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await self._close(producer)

    @staticmethod
    async def _close(producer: AIOKafkaProducer, timeout: float = 5.0) -> None:
        """Stop a producer; if it cannot flush (broker gone) abandon its pending records."""
        try:
            async with asyncio.timeout(timeout):
                await producer.stop()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("relay producer did not stop cleanly: %r", exc)
            # aiokafka's stop() waits for the accumulator to drain, which never happens while the
            # broker is unreachable with idempotence on: cancel its sender and close the client.
            sender_task = getattr(getattr(producer, "_sender", None), "sender_task", None)
            if sender_task is not None:
                sender_task.cancel()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(timeout):
                    await producer.client.close()


def build_relay(
    *,
    app: Application[Any],
    mapper: EventMapper,
    env: Mapping[str, str],
    producer_factory: ProducerFactory,
    connect: Connect | None,
    lock_name: str | None = None,
    **options: Any,
) -> OutboxRelay:
    """A relay for ``app`` (blocking: constructs the position recorder; call from a thread).

    ``env`` is the application's eventsourcing env (it names the schema). ``connect`` opens the
    dedicated asyncpg connection for the lock and LISTEN; ``None`` runs without a lock (tests).
    """
    position = RelayPosition(app.name, env)
    lease = None
    if connect is not None:
        schema = env.get("POSTGRES_SCHEMA", "public")
        lease = AdvisoryLease(
            connect,
            advisory_key(lock_name or f"jifen-relay:{schema}.{app.name.lower()}"),
            channel=getattr(app.recorder, "channel_name", None),
            retry_interval=float(options.pop("lock_retry_interval", 1.0)),
        )
    return OutboxRelay(
        app=app, mapper=mapper, position=position, producer_factory=producer_factory, lease=lease,
        **options,
    )


async def run_relay(relay: OutboxRelay) -> None:
    """Run until cancelled, then close the position recorder's pool."""
    try:
        await relay.run()
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(relay.position.close)

