"""The published language between services: envelope, topics, event types and their payloads.

Importing this package registers every event type.
"""

from shared.contracts import accounts, applications, documents, review  # noqa: F401  (registers event types)
from shared.contracts.envelope import Envelope, event_id_for, wrap
from shared.contracts.registry import (
    EventType,
    UnknownEventType,
    event_types,
    payload_model,
    published,
    type_of,
)
from shared.contracts.topics import STATUS_TOPIC, TOPICS, dead_letter_topic, events_topic

__all__ = [
    "STATUS_TOPIC",
    "TOPICS",
    "Envelope",
    "EventType",
    "UnknownEventType",
    "dead_letter_topic",
    "event_id_for",
    "event_types",
    "events_topic",
    "payload_model",
    "published",
    "type_of",
    "wrap",
]
