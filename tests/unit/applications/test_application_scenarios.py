"""Scenarios run through an eventsourcing ``Application``: save, reload from the repository, and check
that the state rebuilt from the stored events is the state the commands produced.

``PointsApplicationScenarios`` takes the ``env`` that configures persistence, so the same scenarios
can be rerun on PostgreSQL later with ``{"PERSISTENCE_MODULE": "eventsourcing.postgres", ...}``. Here
they run on the default in-memory (POPO) persistence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.applications.domain.application import PointsApplication
from services.applications.domain.errors import SectionInvalidError
from services.applications.domain.status import TRANSITIONS, Action
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from tests.unit.applications.builders import (
    APPLICANT,
    APPLICATION_NUMBER,
    AT,
    CLERK,
    OTHER_UNIT,
    OTHER_UNIT_CREDIT_CODE,
    OTHER_UNIT_DISTRICT,
    OTHER_UNIT_ID,
    OTHER_UNIT_NAME,
    PLEDGE_VERSION,
    UNIT,
    VERIFIED_SCORE,
    deductions,
    family,
    filled_application,
    investment,
    no_investment,
    personal_info,
    resume,
    scoring_claims,
    started_application,
    take,
)

POPO_ENV = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class ApplicationsUnderTest(Application[UUID]):
    """A minimal command side: start, then 'load, run a command, save'."""

    name = "jifen_applications_scenarios"

    def start(self, application_number: str = APPLICATION_NUMBER) -> UUID:
        application = started_application(application_number=application_number)
        self.save(application)
        return application.id

    def run(self, application_id: UUID, command: Callable[[PointsApplication], None]) -> None:
        application: PointsApplication = self.repository.get(application_id)
        command(application)
        self.save(application)

    def get(self, application_id: UUID) -> PointsApplication:
        application: PointsApplication = self.repository.get(application_id)
        assert isinstance(application, PointsApplication)
        return application


class SnapshottingApplicationsUnderTest(ApplicationsUnderTest):
    """Takes a snapshot every 4 events: the aggregate's state must survive the snapshot transcoder."""

    name = "jifen_applications_scenarios_snapshots"
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[UUID]], int]] = {
        PointsApplication: 4
    }


class PointsApplicationScenarios:
    """The scenarios, written once against an ``env``; each method builds its own application."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def new_app(self) -> ApplicationsUnderTest:
        return ApplicationsUnderTest(env=self.env)

    def full_application_is_approved_and_rebuilt_from_its_events(self) -> None:
        app = self.new_app()
        application_id = app.start()
        later = AT + timedelta(minutes=5)
        app.run(application_id, lambda a: a.accept_pledge(by=APPLICANT, text_version=PLEDGE_VERSION, at=AT))
        app.run(application_id, lambda a: a.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=AT))
        app.run(application_id, lambda a: a.save_personal_info(personal_info(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.save_resume(resume(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.save_family(family(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.save_investment(investment(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.save_scoring_claims(scoring_claims(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.save_deductions(deductions(), by=APPLICANT, at=AT))
        app.run(application_id, lambda a: a.complete(by=APPLICANT, at=later))
        app.run(application_id, lambda a: a.approve_at_unit(by=UNIT, at=later))
        app.run(application_id, lambda a: a.queue_for_acceptance(by=CLERK, at=later))
        app.run(application_id, lambda a: a.accept(by=CLERK, at=later))
        app.run(application_id, lambda a: a.queue_for_approval(by=CLERK, at=later))
        app.run(application_id, lambda a: a.approve(by=CLERK, at=later, verified_score=VERIFIED_SCORE))

        reloaded = app.get(application_id)
        assert reloaded.status is ApplicationStatus.APPROVED
        assert reloaded.verified_score == VERIFIED_SCORE
        assert reloaded.application_number == APPLICATION_NUMBER
        assert reloaded.kind is ApplicationKind.NEW
        assert reloaded.personal_info == personal_info()
        assert reloaded.resume == resume()
        assert reloaded.family == family()
        assert reloaded.investment == investment()
        assert reloaded.scoring_claims == scoring_claims()
        assert reloaded.deductions == deductions()
        assert reloaded.pledges[APPLICANT.role].accepted_at == AT
        assert [change.to_status for change in reloaded.status_history] == [
            ApplicationStatus.COMPLETED,
            ApplicationStatus.UNIT_APPROVED,
            ApplicationStatus.AWAITING_ACCEPTANCE,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.AWAITING_APPROVAL,
            ApplicationStatus.APPROVED,
        ]
        assert all(change.at == later for change in reloaded.status_history)
        claims = reloaded.claims_for_calculator()
        assert claims is not None and claims.investment == investment().as_claim()

        # Stored events carry the explicit topics, never module paths.
        topics = [stored.topic for stored in app.recorder.select_events(application_id)]
        assert topics[0] == "applications.PointsApplication.Started"
        assert all(topic.startswith("applications.PointsApplication.") for topic in topics)
        # Historical state: the version right after 完成 shows 已完成.
        completed_version = topics.index("applications.PointsApplication.StatusChanged") + 1
        earlier: PointsApplication = app.repository.get(application_id, version=completed_version)
        assert earlier.status is ApplicationStatus.COMPLETED

    def withdrawal_and_change_of_unit_are_rebuilt(self) -> None:
        app = self.new_app()
        application = filled_application()
        app.save(application)
        later = AT + timedelta(hours=1)
        app.run(application.id, lambda a: a.complete(by=APPLICANT, at=later))
        app.run(application.id, lambda a: a.approve_at_unit(by=UNIT, at=later))
        app.run(application.id, lambda a: a.withdraw(by=CLERK, at=later, reason="申请人更换工作单位"))
        app.run(
            application.id,
            lambda a: a.change_unit(
                unit_id=OTHER_UNIT_ID,
                unit_credit_code=OTHER_UNIT_CREDIT_CODE,
                unit_name=OTHER_UNIT_NAME,
                unit_district=OTHER_UNIT_DISTRICT,
                by=APPLICANT,
                at=later,
            ),
        )
        reloaded = app.get(application.id)
        assert reloaded.status is ApplicationStatus.WITHDRAWN
        assert reloaded.is_editable
        assert reloaded.unit_id == OTHER_UNIT_ID
        assert set(reloaded.pledges) == {APPLICANT.role}
        assert reloaded.status_history[-1].reason == "申请人更换工作单位"
        app.run(
            application.id, lambda a: a.accept_pledge(by=OTHER_UNIT, text_version=PLEDGE_VERSION, at=later)
        )
        app.run(application.id, lambda a: a.save_investment(no_investment(), by=APPLICANT, at=later))
        app.run(application.id, lambda a: a.complete(by=APPLICANT, at=later))
        app.run(application.id, lambda a: a.approve_at_unit(by=OTHER_UNIT, at=later))
        assert app.get(application.id).status is ApplicationStatus.UNIT_APPROVED

    def refused_section_leaves_nothing_stored(self) -> None:
        app = self.new_app()
        application = filled_application()
        app.save(application)
        before = len(list(app.recorder.select_events(application.id)))
        with pytest.raises(SectionInvalidError):
            app.run(
                application.id, lambda a: a.save_personal_info(personal_info(mobile="x"), by=APPLICANT, at=AT)
            )
        assert len(list(app.recorder.select_events(application.id))) == before
        assert app.get(application.id).personal_info == personal_info()

    def state_survives_snapshots(self) -> None:
        app = SnapshottingApplicationsUnderTest(env=self.env)
        application = filled_application()
        app.save(application)
        app.run(application.id, lambda a: a.complete(by=APPLICANT, at=AT))
        app.run(application.id, lambda a: a.approve_at_unit(by=UNIT, at=AT))
        assert app.snapshots is not None
        assert list(app.snapshots.get(application.id))
        reloaded = app.get(application.id)
        assert reloaded.form == application.form
        assert reloaded.status is ApplicationStatus.UNIT_APPROVED
        assert reloaded.pledges == application.pledges
        assert reloaded.status_history[-1].to_status is ApplicationStatus.UNIT_APPROVED

    def a_second_application_with_the_same_number_collides(self) -> None:
        app = self.new_app()
        app.start()
        with pytest.raises(IntegrityError):
            app.start()


SCENARIOS = [
    name
    for name in vars(PointsApplicationScenarios)
    if not name.startswith("_")
    and name not in {"new_app"}
    and callable(vars(PointsApplicationScenarios)[name])
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_on_in_memory_persistence(scenario: str) -> None:
    getattr(PointsApplicationScenarios(POPO_ENV), scenario)()


actions = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(choices=actions)
def test_any_walk_through_the_status_table_is_rebuilt_identically_from_events(choices: list[int]) -> None:
    """Random walks over allowed transitions: the reloaded aggregate has the same status and history."""
    app = ApplicationsUnderTest(env=POPO_ENV)
    application = filled_application()
    app.save(application)
    for choice in choices:
        options = sorted(action for (status, action) in TRANSITIONS if status is application.status)
        options = [action for action in options if action is not Action.REOPEN]
        if not options:
            break
        take(application, options[choice % len(options)])
        app.save(application)
    reloaded = app.get(application.id)
    assert reloaded.status is application.status
    assert reloaded.status_history == application.status_history
    assert reloaded.verified_score == application.verified_score
