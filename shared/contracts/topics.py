"""Kafka topic names and their provisioning specs: the one list every script and service reads."""

from __future__ import annotations

from dataclasses import dataclass

SERVICES: tuple[str, ...] = ("accounts", "applications", "review", "documents")


def events_topic(service: str) -> str:
    """The topic a service's outbox relay publishes its integration events to."""
    return f"jifen.{service}.events.v1"


def dead_letter_topic(service: str) -> str:
    """Where a service's consumers park messages they can never process."""
    return f"jifen.{service}.dlq.v1"


STATUS_TOPIC = "jifen.applications.status.v1"
"""Public audit trail: one event per status transition, kept for ever."""


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int | None = None
    """None keeps the broker default; -1 keeps messages for ever."""

    def configs(self) -> dict[str, str]:
        return {} if self.retention_ms is None else {"retention.ms": str(self.retention_ms)}


EVENT_PARTITIONS = 6
DLQ_PARTITIONS = 1

TOPICS: tuple[TopicSpec, ...] = (
    *(TopicSpec(events_topic(s), EVENT_PARTITIONS) for s in SERVICES),
    *(TopicSpec(dead_letter_topic(s), DLQ_PARTITIONS, retention_ms=-1) for s in SERVICES),
    TopicSpec(STATUS_TOPIC, EVENT_PARTITIONS, retention_ms=-1),
)


def stream_of(topic: str) -> str | None:
    """The name a consumer gives ``topic`` in its tracking: ``None`` for a service's events topic,
    the topic's own short name for any other topic of the same source (the status topic's messages
    share their sequence numbers with the events topic, so each needs its own tracking row)."""
    if topic.endswith(".events.v1"):
        return None
    return topic.split(".")[2]
