"""The wire envelope: CloudEvents 1.0 attribute names plus sequence, correlation and causation ids.

Stored domain events never go on the wire; a service maps them to a versioned payload model from
``shared.contracts`` and wraps it in an :class:`Envelope`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import payload_model, type_of

EVENT_ID_NAMESPACE = uuid.UUID("6f1c6d2a-4b0e-5a59-9d55-3a6f0c2b7e11")


def event_id_for(source: str, sequence: int, event_type: str) -> uuid.UUID:
    """Stable id of one published message: the same notification always gets the same id.

    The type is part of the name because one domain event may be published as several messages
    (e.g. on the events topic and on the status topic); each needs its own id.
    """
    return uuid.uuid5(EVENT_ID_NAMESPACE, f"{source}:{sequence}:{event_type}")


class Envelope(BaseModel):
    """One integration event as published to Kafka (JSON, structured CloudEvents mode)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID
    source: str = Field(min_length=1, description="publishing service, e.g. 'applications'")
    type: str = Field(min_length=1, description="e.g. 'jifen.applications.ApplicationSubmitted.v1'")
    time: AwareDatetime
    subject: str = Field(min_length=1, description="aggregate id; also the Kafka key")
    datacontenttype: Literal["application/json"] = "application/json"
    sequence: int = Field(ge=1, description="upstream notification id in the source's outbox")
    aggregateversion: int = Field(ge=1)
    correlationid: str = Field(min_length=1)
    causationid: str = Field(min_length=1)
    data: dict[str, Any]

    def payload(self) -> BaseModel:
        """The data validated against the registered payload model for ``type``."""
        return payload_model(self.type).model_validate(self.data)

    def kafka_key(self) -> bytes:
        return self.subject.encode()

    def kafka_headers(self) -> dict[str, str]:
        return {
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_id": str(self.id),
            "sequence": str(self.sequence),
            "correlation_id": self.correlationid,
        }


def wrap(
    *,
    source: str,
    sequence: int,
    subject: str,
    aggregate_version: int,
    occurred_at: datetime,
    payload: BaseModel,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Envelope:
    """Build the envelope for a payload whose model is registered in the contract registry."""
    event_type = type_of(type(payload))
    event_id = event_id_for(source, sequence, event_type)
    return Envelope(
        id=event_id,
        source=source,
        type=event_type,
        time=occurred_at,
        subject=subject,
        sequence=sequence,
        aggregateversion=aggregate_version,
        correlationid=correlation_id or str(event_id),
        causationid=causation_id or str(event_id),
        data=payload.model_dump(mode="json"),
    )
