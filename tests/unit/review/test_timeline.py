"""An application's status timeline in review: the published steps, in order, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.review.domain.timeline import StatusTimeline, Step
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.roles import Role

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def step(status: ApplicationStatus, minutes: int, previous: ApplicationStatus | None = None) -> Step:
    return Step(previous, status, Role.UNIT, "unit-1", AT + timedelta(minutes=minutes), None)


def test_the_timeline_keeps_the_steps_in_the_order_they_were_published() -> None:
    timeline = StatusTimeline("app-1", "JF1")
    timeline.record(step(ApplicationStatus.COMPLETED, 0, ApplicationStatus.DRAFT))
    timeline.record(step(ApplicationStatus.UNIT_APPROVED, 5, ApplicationStatus.COMPLETED))
    assert [s.status for s in timeline.steps] == [
        ApplicationStatus.COMPLETED,
        ApplicationStatus.UNIT_APPROVED,
    ]
    assert timeline.steps[1].previous is ApplicationStatus.COMPLETED
    assert timeline.current is ApplicationStatus.UNIT_APPROVED


def test_a_step_published_twice_is_recorded_once() -> None:
    timeline = StatusTimeline("app-1", "JF1")
    timeline.record(step(ApplicationStatus.COMPLETED, 0))
    timeline.record(step(ApplicationStatus.COMPLETED, 0))
    assert len(timeline.steps) == 1
    assert len(timeline.collect_events()) == 2  # opened, one step


def test_one_timeline_per_application() -> None:
    assert StatusTimeline.create_id("app-1") == StatusTimeline.create_id("app-1")
    assert StatusTimeline.create_id("app-1") != StatusTimeline.create_id("app-2")
