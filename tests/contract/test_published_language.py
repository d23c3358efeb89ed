"""The published language: envelope shape, event-type registry and the generated documents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.contracts import Envelope, UnknownEventType, event_id_for, event_types, wrap
from shared.contracts.applications import Actor, ApplicationStatusChanged
from shared.contracts.asyncapi import build_asyncapi, render
from shared.contracts.topics import STATUS_TOPIC, TOPICS
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role

AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def a_status_change() -> ApplicationStatusChanged:
    return ApplicationStatusChanged(
        application_id=str(uuid.uuid4()),
        application_number="2026-310115-000001",
        kind=ApplicationKind.NEW,
        previous_status=ApplicationStatus.COMPLETED,
        new_status=ApplicationStatus.UNIT_APPROVED,
        actor=Actor(role=Role.UNIT, id=str(uuid.uuid4())),
        reason=None,
        changed_at=AT,
        applicant_id_masked="310101********123X",
        unit_id=str(uuid.uuid4()),
        unit_credit_code="91310115MA1K4XXX1X",
        district="310115",
    )


def test_envelope_uses_cloudevents_attribute_names() -> None:
    envelope = wrap(
        source="applications", sequence=7, subject="agg-1", aggregate_version=3, occurred_at=AT,
        payload=a_status_change(),
    )
    body = envelope.model_dump(mode="json")
    for attribute in ("specversion", "id", "source", "type", "time", "subject", "datacontenttype"):
        assert attribute in body
    assert body["specversion"] == "1.0"
    assert body["type"] == "jifen.applications.ApplicationStatusChanged.v1"
    assert body["sequence"] == 7 and body["aggregateversion"] == 3


def test_event_id_is_stable_across_republishes_and_differs_by_sequence_and_type() -> None:
    first = wrap(source="applications", sequence=42, subject="a", aggregate_version=1, occurred_at=AT,
                 payload=a_status_change())
    again = wrap(source="applications", sequence=42, subject="a", aggregate_version=1, occurred_at=AT,
                 payload=a_status_change())
    assert first.id == again.id == event_id_for("applications", 42, first.type)
    assert event_id_for("applications", 43, first.type) != first.id
    assert event_id_for("applications", 42, "jifen.applications.Other.v1") != first.id


def test_envelope_round_trips_through_json_and_validates_its_payload() -> None:
    payload = a_status_change()
    envelope = wrap(source="applications", sequence=1, subject=payload.application_id, aggregate_version=1,
                    occurred_at=AT, payload=payload)
    parsed = Envelope.model_validate_json(envelope.model_dump_json())
    assert parsed == envelope
    assert parsed.payload() == payload
    assert parsed.kafka_key() == payload.application_id.encode()


def test_unknown_event_type_is_refused_by_name() -> None:
    envelope = wrap(source="applications", sequence=1, subject="a", aggregate_version=1, occurred_at=AT,
                    payload=a_status_change())
    stranger = envelope.model_copy(update={"type": "jifen.applications.Nothing.v1"})
    with pytest.raises(UnknownEventType):
        stranger.payload()


def test_envelope_refuses_unknown_attributes_and_bad_sequence() -> None:
    body = wrap(source="applications", sequence=1, subject="a", aggregate_version=1, occurred_at=AT,
                payload=a_status_change()).model_dump(mode="json")
    with pytest.raises(ValidationError):
        Envelope.model_validate({**body, "password": "x"})
    with pytest.raises(ValidationError):
        Envelope.model_validate({**body, "sequence": 0})


def test_status_change_never_carries_a_full_id_number() -> None:
    schema = ApplicationStatusChanged.model_json_schema()
    assert "applicant_id_masked" in schema["properties"]
    assert not any("id_number" in name for name in schema["properties"])


def test_every_registered_event_type_is_routed_to_a_provisioned_topic() -> None:
    provisioned = {spec.name for spec in TOPICS}
    assert event_types()
    for event in event_types():
        assert event.topic in provisioned, event.name


def test_status_topic_keeps_history_for_ever() -> None:
    (status,) = [spec for spec in TOPICS if spec.name == STATUS_TOPIC]
    assert status.retention_ms == -1
    assert status.partitions == 6


def test_asyncapi_document_lists_every_topic_and_event_type() -> None:
    document = build_asyncapi()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {spec.name for spec in TOPICS}
    names = {message["name"] for message in document["components"]["messages"].values()}
    assert names == {event.name for event in event_types()}


def test_committed_contract_documents_match_the_code() -> None:
    for path, text in render().items():
        assert path.exists(), f"{path} missing: run .venv/bin/python -m tools.api_docs"
        drifted = f"{path} drifted: run .venv/bin/python -m tools.api_docs"
        assert path.read_text(encoding="utf-8") == text, drifted


def test_event_times_must_carry_a_utc_offset() -> None:
    body = wrap(source="applications", sequence=1, subject="a", aggregate_version=1, occurred_at=AT,
                payload=a_status_change()).model_dump(mode="json")
    with pytest.raises(ValidationError):
        Envelope.model_validate({**body, "time": "2026-11-26T09:30:00"})
    with pytest.raises(ValidationError):
        ApplicationStatusChanged.model_validate({**body["data"], "changed_at": "2026-11-26T09:30:00"})
