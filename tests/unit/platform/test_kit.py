"""The service kit: integration tables, the traced mapper, INBOUND dispatch and the web app built from
a service definition, on eventsourcing's in-memory persistence."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from shared.contracts import wrap
from shared.contracts.accounts import ApplicantPersonalData, ApplicantRegistered
from shared.contracts.applications import Actor, ApplicationStatusChanged
from shared.contracts.topics import STATUS_TOPIC
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import StateConflict
from shared.kernel.id_number import Sex
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.application import ServiceApplication
from shared.platform.auth import TokenVerifier
from shared.platform.integration import (
    Inbound,
    Outbound,
    Received,
    Sealing,
    SealingNotConfigured,
    Subscription,
)
from shared.platform.kit import MEMORY, ServiceDefinition, create_web_app
from shared.platform.problems import ProblemKind
from shared.platform.sealing import Keyring, SealError, new_key_line
from shared.platform.settings import Settings
from shared.platform.tracing import Trace, trace_of, traced

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


class Case(Aggregate):
    """A tiny aggregate standing in for a service's own."""

    TOPIC = "tests.kit.Case"

    class Event(Aggregate.Event):
        TOPIC = "tests.kit.Case.Event"

    class Created(Aggregate.Created):
        TOPIC = "tests.kit.Case.Created"

    class Opened(Aggregate.Created):
        TOPIC = "tests.kit.Case.Opened"
        number: str

    class Moved(Aggregate.Event):
        TOPIC = "tests.kit.Case.Moved"
        status: str

    class Noted(Aggregate.Event):
        TOPIC = "tests.kit.Case.Noted"
        text: str

    @event(Opened)
    def __init__(self, number: str) -> None:
        self.number = number
        self.status = "DRAFT"

    @event(Moved)
    def move(self, status: str) -> None:
        self.status = status

    @event(Noted)
    def note(self, text: str) -> None:
        pass


class Cases(ServiceApplication):
    name = "applications"

    def open_case(self, number: str) -> UUID:
        case = Case(number)
        self.save(case)
        return case.id


def status_changed(moved: Case.Moved) -> ApplicationStatusChanged:
    return ApplicationStatusChanged(
        application_id=str(moved.originator_id),
        application_number="2026-310115-000001",
        kind=ApplicationKind.NEW,
        previous_status=None,
        new_status=ApplicationStatus(moved.status),
        actor=Actor(role=Role.UNIT, id="unit-1"),
        changed_at=moved.timestamp,
        applicant_id_masked="310101********123X",
        unit_id="unit-1",
        unit_credit_code="91310115MA1K4XXX1X",
        district="310115",
    )


def only_when_approved(moved: Case.Moved) -> ApplicationStatusChanged | None:
    return status_changed(moved) if moved.status == "APPROVED" else None


def moved_case(app: Cases, status: str, trace: Trace | None = None) -> tuple[Case, Any, int]:
    case = Case("2026-1")
    app.save(case)
    with traced(trace):
        case.move(status)
        [recording] = app.save(case)
    [note] = app.recorder.select_notifications(start=recording.notification.id, limit=1)
    return case, app.mapper.to_domain_event(note), note.id


# --------------------------------------------------------------------------------------------------
# OUTBOUND


def test_an_outbound_row_wraps_the_payload_in_an_envelope_on_the_contract_topic() -> None:
    app = Cases(env=MEMORY)
    case, moved, sequence = moved_case(app, "UNIT_APPROVED", Trace("corr-1", "req-1"))
    [(topic, envelope)] = Outbound({Case.Moved: status_changed}).mapper("applications")(moved, sequence)
    assert topic == STATUS_TOPIC
    assert envelope.type == "jifen.applications.ApplicationStatusChanged.v1"
    assert envelope.source == "applications"
    assert envelope.sequence == sequence
    assert envelope.subject == str(case.id)
    assert envelope.aggregateversion == 2
    assert envelope.time == moved.timestamp
    assert (envelope.correlationid, envelope.causationid) == ("corr-1", "req-1")
    assert envelope.payload() == status_changed(moved)


def test_an_event_stored_without_a_trace_publishes_with_its_own_id_as_correlation_and_causation() -> None:
    app = Cases(env=MEMORY)
    _, moved, sequence = moved_case(app, "UNIT_APPROVED")
    [(_, envelope)] = Outbound({Case.Moved: status_changed}).mapper("applications")(moved, sequence)
    assert envelope.correlationid == envelope.causationid == str(envelope.id)


def test_private_events_and_rows_that_return_none_publish_nothing() -> None:
    app = Cases(env=MEMORY)
    outbound = Outbound({Case.Moved: only_when_approved})
    _, draft, sequence = moved_case(app, "COMPLETED")
    assert list(outbound.mapper("applications")(draft, sequence)) == []
    case = Case("2026-2")
    case.note("private")
    assert outbound.payloads(case.collect_events()[-1]) == []


def test_a_row_for_a_base_class_serves_its_subclasses_and_a_row_may_publish_twice() -> None:
    app = Cases(env=MEMORY)
    _, moved, _ = moved_case(app, "APPROVED")
    assert len(Outbound({Aggregate.Event: status_changed}).payloads(moved)) == 1
    assert len(Outbound({Case.Moved: [status_changed, only_when_approved]}).payloads(moved)) == 2


# --------------------------------------------------------------------------------------------------
# the trace


def test_the_mapper_stores_the_current_trace_with_each_event_and_reads_it_back() -> None:
    app = Cases(env=MEMORY)
    _, traced_event, _ = moved_case(app, "COMPLETED", Trace("corr-9", "req-9"))
    _, plain_event, _ = moved_case(app, "COMPLETED")
    assert trace_of(traced_event) == Trace("corr-9", "req-9")
    assert trace_of(plain_event) is None


# --------------------------------------------------------------------------------------------------
# INBOUND

RECEIVED: list[tuple[str, str]] = []


def on_status_changed(
    service: Cases, message: Received[ApplicationStatusChanged], processing: ProcessingEvent[UUID]
) -> None:
    case = Case(message.payload.application_number)
    case.move(message.payload.new_status)
    processing.collect_events(case)
    RECEIVED.append((type(message.payload).__name__, message.payload.new_status))


def a_message(status: str, sequence: int = 1) -> Received[ApplicationStatusChanged]:
    payload = ApplicationStatusChanged(
        application_id=str(uuid.uuid4()),
        application_number="2026-310115-000009",
        kind=ApplicationKind.NEW,
        previous_status=ApplicationStatus.COMPLETED,
        new_status=ApplicationStatus(status),
        actor=Actor(role=Role.UNIT, id="unit-1"),
        changed_at=AT,
        applicant_id_masked="310101********123X",
        unit_id="unit-1",
        unit_credit_code="91310115MA1K4XXX1X",
        district="310115",
    )
    envelope = wrap(
        source="applications",
        sequence=sequence,
        subject=payload.application_id,
        aggregate_version=2,
        occurred_at=AT,
        payload=payload,
        correlation_id="corr-7",
    )
    return Received(envelope, payload)


def test_inbound_hands_the_payload_model_to_its_handler_and_commits_the_events_with_tracking() -> None:
    RECEIVED.clear()
    app = Cases(env=MEMORY, inbound=Inbound({ApplicationStatusChanged: on_status_changed}))
    message = a_message("UNIT_APPROVED", sequence=5)
    app.process_event(message, Tracking("applications.status:0", 5))
    assert RECEIVED == [("ApplicationStatusChanged", "UNIT_APPROVED")]
    assert app.recorder.max_tracking_id("applications.status:0") == 5
    notifications = app.recorder.select_notifications(start=1, limit=9)
    opened, moved = (app.mapper.to_domain_event(n) for n in notifications)
    assert isinstance(opened, Case.Opened) and opened.number == "2026-310115-000009"
    assert isinstance(moved, Case.Moved) and moved.status == "UNIT_APPROVED"
    # what the message causes carries its correlation, and names the message as its cause
    assert trace_of(moved) == Trace("corr-7", str(message.envelope.id))


def test_a_message_nobody_handles_is_only_tracked() -> None:
    app = Cases(env=MEMORY, inbound=Inbound())
    app.process_event(a_message("ACCEPTED", sequence=3), Tracking("applications.status:2", 3))
    assert app.recorder.max_tracking_id("applications.status:2") == 3
    assert app.recorder.max_notification_id() is None


def test_the_topics_a_service_subscribes_to_follow_from_its_inbound_payloads() -> None:
    inbound = Inbound({ApplicationStatusChanged: on_status_changed})
    assert inbound.subscriptions == (Subscription(STATUS_TOPIC, "status"),)
    assert Inbound().subscriptions == ()


# --------------------------------------------------------------------------------------------------
# personal data, sealed


KEYRING = Keyring.parse(new_key_line("k1"))
PERSON = ApplicantPersonalData(
    name="张三", id_number="11010519491231002X", mobile="13800138000", email="zhang@example.com"
)


def applicant_registered(opened: Case.Opened, sealing: Sealing) -> ApplicantRegistered:
    return ApplicantRegistered(
        applicant_id=str(opened.originator_id),
        unit_id="unit-1",
        unit_credit_code="91310115MA1K4XXX1X",
        id_number_masked="110105********002X",
        birth_date=date(1949, 12, 31),
        sex=Sex.FEMALE,
        registered_at=opened.timestamp,
        personal=sealing.seal(PERSON, payload=ApplicantRegistered, subject=str(opened.originator_id)),
    )


def test_an_outbound_row_that_takes_the_sealing_publishes_personal_data_only_sealed() -> None:
    case = Case("2026-3")
    [opened] = case.collect_events()
    [(_, envelope)] = Outbound({Case.Opened: applicant_registered}).mapper(
        "accounts", sealing=Sealing(KEYRING)
    )(opened, 1)
    assert "11010519491231002X" not in envelope.model_dump_json() and "张三" not in envelope.model_dump_json()
    payload = ApplicantRegistered.model_validate(envelope.data)
    message = Received(envelope, payload)
    assert Sealing(KEYRING).open(message, payload.personal, ApplicantPersonalData) == PERSON


def test_sealed_data_does_not_open_in_another_message_nor_without_the_key() -> None:
    case, other = Case("2026-4"), Case("2026-5")
    [opened], [other_opened] = case.collect_events(), other.collect_events()
    mapper = Outbound({Case.Opened: applicant_registered}).mapper("accounts", sealing=Sealing(KEYRING))
    [(_, envelope)] = mapper(opened, 1)
    [(_, elsewhere)] = mapper(other_opened, 2)
    moved = Received(
        elsewhere,
        ApplicantRegistered.model_validate({**elsewhere.data, "personal": envelope.data["personal"]}),
    )
    with pytest.raises(SealError):
        Sealing(KEYRING).open(moved, moved.payload.personal, ApplicantPersonalData)
    with pytest.raises(SealingNotConfigured):
        Sealing(None).open(moved, moved.payload.personal, ApplicantPersonalData)
    with pytest.raises(SealingNotConfigured):  # a service without the key cannot publish it either
        list(Outbound({Case.Opened: applicant_registered}).mapper("accounts")(opened, 1))


# --------------------------------------------------------------------------------------------------
# the web app from a definition


class NotYet(StateConflict):
    pass


@get("/api/applications/cases/{number:str}", exclude_from_auth=True, sync_to_thread=True)
def open_a_case(number: FromPath[str], service: NamedDependency[Cases]) -> dict[str, str]:
    if number == "locked":
        raise NotYet(Text("还不能办理", "Not yet"), code="not_yet")
    return {"id": str(service.open_case(number)), "app": type(service).__name__}


def test_a_definition_refuses_an_application_of_another_name() -> None:
    with pytest.raises(ValueError, match="name"):
        ServiceDefinition(name="review", application=Cases)


@pytest.mark.anyio
async def test_handlers_get_the_service_and_its_errors_are_answered_as_the_definition_maps_them(
    tmp_path: Path,
) -> None:
    definition = ServiceDefinition(
        name="applications",
        application=Cases,
        routers=[open_a_case],
        errors={NotYet: ProblemKind(423, "locked")},
    )
    app = create_web_app(
        definition,
        Settings(service="applications", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="k" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        opened = await client.get("/api/applications/cases/2026-1")
        again = await client.get("/api/applications/cases/2026-2")
        locked = await client.get("/api/applications/cases/locked")
    assert opened.status_code == 200 and opened.json()["app"] == "Cases"
    assert opened.json()["id"] != again.json()["id"]
    assert locked.status_code == 423
    assert locked.json()["code"] == "not_yet" and locked.json()["detail"] == "还不能办理"
