"""Kafka client factories: the relay's idempotent producer and the service's FastStream broker."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
from aiokafka import AIOKafkaProducer
from eventsourcing.application import Application
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from shared.platform.outbox import EventMapper
from shared.platform.settings import Settings

if TYPE_CHECKING:
    from shared.platform.inbox import Inbox

RELAY_LINGER_MS = 5
"""Short linger: the relay hands over a whole batch at once, so a few ms fills big record batches."""

RELAY_MAX_BATCH_BYTES = 512 * 1024


def make_producer(
    bootstrap_servers: str,
    *,
    client_id: str,
    linger_ms: int = RELAY_LINGER_MS,
    max_batch_size: int = RELAY_MAX_BATCH_BYTES,
    request_timeout_ms: int = 30_000,
    **extra: Any,
) -> AIOKafkaProducer:
    """An idempotent producer (``acks=all``).

    Idempotence keeps one request in flight per broker and stamps sequence numbers, so retries
    neither duplicate nor reorder records within a partition. Must be created inside the running
    event loop; the caller starts and stops it.
    """
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=linger_ms,
        max_batch_size=max_batch_size,
        request_timeout_ms=request_timeout_ms,
        **extra,
    )


def relay_producer(settings: Settings) -> AIOKafkaProducer:
    return make_producer(settings.kafka_bootstrap, client_id=f"{settings.service}-relay")


def make_broker(settings: Settings, **extra: Any) -> KafkaBroker:
    """The service's FastStream broker for subscribers and dead-letter publishing.

    Topics are provisioned by deploy scripts, never auto-created; the broker-wide ack policy is
    ``NACK_ON_ERROR`` (each subscriber still states its own, see ``shared.platform.inbox``).
    """
    options: dict[str, Any] = {
        "client_id": f"{settings.service}-worker",
        "enable_idempotence": True,
        "allow_auto_create_topics": False,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "graceful_timeout": 15.0,
    }
    options.update(extra)
    return KafkaBroker(settings.kafka_bootstrap, **options)


SubscriberSetup = Callable[[KafkaBroker, "Inbox"], None]


async def run_service_worker(
    settings: Settings,
    app_class: type[Application[Any]],
    mapper: EventMapper,
    *,
    subscribers: SubscriberSetup | None = None,
    overrides: Mapping[str, str] | None = None,
) -> None:
    """The body of every service's ``run_worker``: build the eventsourcing application, run its
    outbox relay and (if the service consumes anything) its inbox subscribers until cancelled,
    then stop everything (eventsourcing threads are non-daemon, so close the application)."""
    from shared.platform.db import build_application, close_application, connect, eventsourcing_env
    from shared.platform.inbox import Inbox, ProjectionProcessor, broker_dead_letter
    from shared.platform.outbox import build_relay, run_relay

    env = eventsourcing_env(settings, overrides)
    app = await anyio.to_thread.run_sync(lambda: build_application(app_class, env))
    try:

        def new_relay() -> Any:
            return build_relay(
                app=app,
                mapper=mapper,
                env=env,
                producer_factory=lambda: relay_producer(settings),
                connect=lambda: connect(settings, purpose="relay", schema=env.get("POSTGRES_SCHEMA")),
            )

        relay = await anyio.to_thread.run_sync(new_relay)
        broker: KafkaBroker | None = None
        if subscribers is not None:
            broker = make_broker(settings)
            dead_letter = broker_dead_letter(broker, settings.service)
            inbox = Inbox(settings.service, ProjectionProcessor(app), dead_letter)
            subscribers(broker, inbox)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run_relay, relay)
            try:
                if broker is not None:
                    await broker.start()
                await anyio.sleep_forever()
            finally:
                with anyio.CancelScope(shield=True):
                    if broker is not None:
                        await broker.stop()
                tasks.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await close_application(app)
