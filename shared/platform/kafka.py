"""Kafka client factories: the relay's idempotent producer and the service's FastStream broker."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from shared.platform.settings import Settings

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
