"""Every status transition of an application is one message on the public status topic, with every
contract field filled and personal data masked, and another service receives it through INBOUND as
the contract's payload class: the applications relay and review's inbox on real Kafka and PostgreSQL
(throw-away schemas and topic copies)."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import pytest

from services.applications.service import ApplicationsService
from services.review.domain.timeline import StatusTimeline
from services.review.service import ReviewService
from shared.contracts.applications import ApplicationStatusChanged
from shared.contracts.topics import STATUS_TOPIC
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.roles import Role
from tests.support.world import Bus, Running
from tests.unit.applications.builders import (
    APPLICANT_ID_MASKED,
    APPLICANT_ID_NUMBER,
    UNIT_CREDIT_CODE,
    UNIT_DISTRICT,
    UNIT_ID,
    VERIFIED_SCORE,
    filled_application,
    path_to,
    take,
)

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(180)]

JOURNEY = [
    ApplicationStatus.COMPLETED,
    ApplicationStatus.UNIT_APPROVED,
    ApplicationStatus.AWAITING_ACCEPTANCE,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.AWAITING_APPROVAL,
    ApplicationStatus.APPROVED,
]


async def test_the_start_and_each_transition_are_one_masked_status_message_each_that_review_receives(
    infra: Any,
) -> None:
    async with (
        Bus(infra) as bus,
        Running(infra, bus, "applications") as applications,
        Running(infra, bus, "review") as review,
    ):
        application = filled_application()
        for action in path_to(ApplicationStatus.APPROVED):
            take(application, action)
        app: ApplicationsService
        async with applications.application() as app:
            await anyio.to_thread.run_sync(app.save, application)

        envelopes = await bus.read(STATUS_TOPIC, subject=str(application.id), expect=len(JOURNEY) + 1)
        assert {e.type for e in envelopes} == {"jifen.applications.ApplicationStatusChanged.v1"}
        changes = [ApplicationStatusChanged.model_validate(e.data) for e in envelopes]
        start, changes = changes[0], changes[1:]
        assert (start.previous_status, start.new_status) == (None, ApplicationStatus.DRAFT)
        assert start.application_number == application.application_number
        assert [c.new_status for c in changes] == JOURNEY  # one per transition, in order
        assert [c.previous_status for c in changes] == [ApplicationStatus.DRAFT, *JOURNEY[:-1]]
        first = changes[0]
        assert first.application_id == str(application.id)
        assert first.application_number == application.application_number
        assert first.kind is application.kind
        assert (first.unit_id, first.unit_credit_code, first.district) == (
            str(UNIT_ID),
            UNIT_CREDIT_CODE,
            UNIT_DISTRICT,
        )
        assert first.applicant_id_masked == APPLICANT_ID_MASKED
        assert first.actor.role is Role.APPLICANT
        assert [c.verified_score for c in changes] == [None] * 5 + [VERIFIED_SCORE]
        assert all(c.reason for c in changes[2:])  # the clerks' steps carry their reasons
        for envelope in envelopes:
            assert APPLICANT_ID_NUMBER not in envelope.model_dump_json()  # masked, never in clear
            assert envelope.source == "applications" and envelope.subject == str(application.id)
        assert [e.sequence for e in envelopes] == sorted(e.sequence for e in envelopes)

        reader: ReviewService
        async with review.application() as reader:
            timeline_id = StatusTimeline.create_id(str(application.id))
            deadline = asyncio.get_running_loop().time() + 30
            while True:
                review.assert_running()
                if timeline_id in reader.repository:
                    timeline: StatusTimeline = reader.repository.get(timeline_id)
                    if len(timeline.steps) == len(JOURNEY) + 1:
                        break
                assert asyncio.get_running_loop().time() < deadline, "review never saw every step"
                await asyncio.sleep(0.2)
    assert [step.status for step in timeline.steps] == [ApplicationStatus.DRAFT, *JOURNEY]
    assert timeline.current is ApplicationStatus.APPROVED
    assert timeline.application_number == application.application_number
