"""The applications service's commands and the upstream events it applies, on in-memory persistence:
the directory from accounts, starting and filling an application, the stale-save rule, the unit's
review and submission, review's decisions, a change of employer, and what is published.

(The same flows run on PostgreSQL and Kafka in ``tests/integration/test_applications_end_to_end.py``.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from services.applications.domain.application import PointsApplication, SectionProgress
from services.applications.domain.changes import ChangeKind
from services.applications.domain.errors import (
    ApplicationAlreadyOpenError,
    ApplicationNotVisibleError,
    EditingLockedError,
    NotInDirectoryError,
    SectionInvalidError,
    StaleVersionError,
    UnitNotApprovedError,
)
from services.applications.domain.sections.names import SectionName
from services.applications.integration import OUTBOUND, approved, submitted
from services.applications.service import REGISTERED_ID_NUMBER_DIFFERS
from shared.contracts.applications import ApplicationStatusChanged, SubmittedForm
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.id_number import mask_id_number
from shared.kernel.points.claims import MonthlyContribution, SocialInsuranceClaim
from shared.kernel.roles import Role
from tests.support.applications import (
    APPLICANT,
    OTHER_UNIT,
    RESUME_REASON,
    UNIT,
    InMemoryService,
    accepted,
    applicant_changed_unit,
    applicant_registered,
    case_opened,
    document_rendered,
    not_accepted,
    other_unit_approved,
    returned_for_correction,
    score_approved,
    unit_approved,
    withdrawal_recorded,
)
from tests.support.identities import id_number
from tests.unit.applications.builders import (
    APPLICANT_ID,
    APPLICANT_ID_NUMBER,
    AT,
    OTHER_UNIT_ID,
    UNIT_ID,
    UNIT_NAME,
    month,
    personal_info,
    resume,
    scoring_claims,
    work,
)

S = ApplicationStatus


@pytest.fixture
def world() -> InMemoryService:
    return InMemoryService().with_directory()


def test_the_unit_starts_its_applicants_application_with_the_days_next_number(world: InMemoryService) -> None:
    saved = world.start()
    application: PointsApplication = world.app.repository.get(saved.application_id)
    assert application.application_number == "JF2026031600001"
    assert (application.unit_id, application.unit_name, application.unit_district) == (
        UNIT_ID,
        UNIT_NAME,
        "310115",
    )
    assert application.applicant_id_masked == mask_id_number(APPLICANT_ID_NUMBER)
    applicant = world.app.applicant(APPLICANT_ID)
    assert applicant is not None and applicant.current_application_id == saved.application_id


def test_another_unit_can_neither_start_nor_see_the_application(world: InMemoryService) -> None:
    world.deliver(other_unit_approved())
    with pytest.raises(NotInDirectoryError):
        world.start(by=OTHER_UNIT)
    saved = world.start()
    with pytest.raises(ApplicationNotVisibleError):
        world.app.application(saved.application_id, OTHER_UNIT)


def test_an_applicant_of_a_unit_not_approved_yet_cannot_start() -> None:
    world = InMemoryService()
    world.deliver(applicant_registered(world.sealing))
    with pytest.raises(UnitNotApprovedError):
        world.start(by=APPLICANT)


def test_a_second_application_waits_until_the_first_is_decided(world: InMemoryService) -> None:
    first = world.start()
    with pytest.raises(ApplicationAlreadyOpenError) as raised:
        world.start(by=APPLICANT, at=AT + timedelta(days=1))
    assert raised.value.application_id == first.application_id


def test_a_save_of_a_section_someone_changed_since_is_refused_naming_who_and_which_fields(
    world: InMemoryService,
) -> None:
    application_id = world.start().application_id
    base = world.fill(application_id).version
    hr = world.app.save_section(
        application_id,
        SectionName.RESUME,
        replace(
            resume(), entries=(*resume().entries[:3], work(month(2020, 4), None, "上海浦江软件有限公司"))
        ),
        by=UNIT,
        based_on_version=base,
        at=AT,
    )
    with pytest.raises(StaleVersionError) as raised:
        world.app.save_section(
            application_id, SectionName.RESUME, resume(), by=APPLICANT, based_on_version=base, at=AT
        )
    [change] = raised.value.changes
    assert (change.kind, change.by_role, change.section) == (
        ChangeKind.SECTION,
        Role.UNIT,
        SectionName.RESUME,
    )
    assert change.fields == ("entries[3].organisation",)
    assert raised.value.current_version == hr.version
    # another section saved on the same old version does not overwrite anything: it is saved
    world.app.save_section(
        application_id,
        SectionName.PERSONAL_INFO,
        personal_info(landline="021-64001234"),
        by=APPLICANT,
        based_on_version=base,
        at=AT,
    )
    # based on the version shown with the changes, the save goes through
    world.app.save_section(
        application_id, SectionName.RESUME, resume(), by=APPLICANT, based_on_version=hr.version + 1, at=AT
    )


def test_submitting_a_version_someone_changed_since_is_refused(world: InMemoryService) -> None:
    application_id = world.start().application_id
    saved = world.fill(application_id)
    completed = world.app.complete(application_id, by=APPLICANT, based_on_version=saved.version, at=AT)
    world.app.save_section(
        application_id, SectionName.RESUME, resume(), by=APPLICANT, based_on_version=completed.version, at=AT
    )
    with pytest.raises(StaleVersionError) as raised:
        world.app.submit(application_id, by=UNIT, based_on_version=completed.version, at=AT)
    assert [c.kind for c in raised.value.changes] == [ChangeKind.STATUS, ChangeKind.SECTION]
    assert raised.value.changes[0].status is S.DRAFT  # the applicant's edit took it back to draft


def test_the_personal_information_carries_the_id_number_the_applicant_was_registered_with(
    world: InMemoryService,
) -> None:
    application_id = world.start().application_id
    saved = world.fill(application_id)
    other = id_number(personal_info().resident_id.birth_date, 357)  # type: ignore[union-attr]
    with pytest.raises(SectionInvalidError) as raised:
        world.app.save_section(
            application_id,
            SectionName.PERSONAL_INFO,
            personal_info(id_number=other),
            by=APPLICANT,
            based_on_version=saved.version,
            at=AT,
        )
    assert raised.value.codes == {REGISTERED_ID_NUMBER_DIFFERS}


def test_review_decisions_take_a_submitted_application_to_approved_with_its_verified_lines(
    world: InMemoryService,
) -> None:
    application_id = world.submitted()
    number = world.number(application_id)
    for message in (
        case_opened(application_id, number),
        accepted(application_id, number),
        score_approved(application_id, number, 126),
    ):
        world.deliver(message)
    application: PointsApplication = world.app.repository.get(application_id)
    assert [step.to_status for step in application.status_history] == [
        S.COMPLETED,
        S.UNIT_APPROVED,
        S.AWAITING_ACCEPTANCE,
        S.ACCEPTED,
        S.AWAITING_APPROVAL,
        S.APPROVED,
    ]
    assert [step.actor.role for step in application.status_history][2:] == [
        Role.SYSTEM,
        Role.CLERK,
        Role.SYSTEM,
        Role.CLERK,
    ]
    assert application.verified_score == 126
    declared = {line.indicator: line for line in application.declared_lines}
    assert [(line.indicator, line.cap, line.rule_id) for line in application.verified_lines] == [
        ("age", declared["age"].cap, declared["age"].rule_id),
        ("education", declared["education"].cap, declared["education"].rule_id),
    ]


def test_a_repeated_or_impossible_decision_changes_nothing(world: InMemoryService) -> None:
    application_id = world.submitted()
    number = world.number(application_id)
    world.deliver(case_opened(application_id, number))
    world.deliver(accepted(application_id, number))
    version = world.version(application_id)
    world.deliver(accepted(application_id, number))  # a repeat at a new position
    world.deliver(not_accepted(application_id, number))  # too late: already accepted
    world.deliver(case_opened(application_id, "JF0000"))  # the number does not match
    assert world.version(application_id) == version


def test_a_return_for_correction_reopens_the_form_with_its_reasons_per_section_until_resubmission(
    world: InMemoryService,
) -> None:
    application_id = world.submitted()
    number = world.number(application_id)
    world.deliver(case_opened(application_id, number))
    world.deliver(returned_for_correction(application_id, number))
    application: PointsApplication = world.app.repository.get(application_id)
    assert application.status is S.RETURNED_FOR_CORRECTION and application.is_editable
    assert application.correction_reasons == {"resume": RESUME_REASON}
    assert application.missing_materials == ("labour_contract",)
    assert application.status_history[-1].reason == f"个人简历：{RESUME_REASON}"
    assert application.section_progress(AT.date())[SectionName.RESUME] is SectionProgress.HAS_PROBLEMS
    saved = world.app.save_section(
        application_id, SectionName.RESUME, resume(), by=UNIT, based_on_version=application.version, at=AT
    )
    application = world.app.repository.get(application_id)
    assert application.section_progress(AT.date())[SectionName.RESUME] is SectionProgress.COMPLETED
    saved = world.app.complete(application_id, by=UNIT, based_on_version=saved.version, at=AT)
    world.app.submit(application_id, by=UNIT, based_on_version=saved.version, at=AT)
    application = world.app.repository.get(application_id)
    assert application.submissions == 2 and application.correction_reasons == {}


def test_an_application_not_submitted_moves_with_the_applicant_to_the_new_unit(
    world: InMemoryService,
) -> None:
    world.deliver(other_unit_approved())
    application_id = world.start().application_id
    world.fill(application_id)
    world.deliver(applicant_changed_unit())
    application: PointsApplication = world.app.repository.get(application_id)
    assert application.unit_id == OTHER_UNIT_ID
    assert Role.UNIT not in application.pledges  # the new unit accepts the pledge itself
    with pytest.raises(ApplicationNotVisibleError):
        world.app.application(application_id, UNIT)
    world.app.application(application_id, OTHER_UNIT)


def test_a_submitted_application_stays_with_its_unit_when_the_applicant_moves_until_it_is_withdrawn(
    world: InMemoryService,
) -> None:
    world.deliver(other_unit_approved())
    application_id = world.submitted()
    number = world.number(application_id)
    world.deliver(applicant_changed_unit())
    application: PointsApplication = world.app.repository.get(application_id)
    assert (application.unit_id, application.moved_away_to) == (UNIT_ID, OTHER_UNIT_ID)
    with pytest.raises(EditingLockedError):
        world.app.save_section(
            application_id,
            SectionName.RESUME,
            resume(),
            by=UNIT,
            based_on_version=application.version,
            at=AT,
        )
    world.deliver(withdrawal_recorded(application_id, number))
    application = world.app.repository.get(application_id)
    assert application.status is S.WITHDRAWN
    assert application.unit_id == OTHER_UNIT_ID  # editable again: it follows the applicant


def test_the_submission_publishes_the_whole_form_sealed_with_its_declared_lines_and_materials(
    world: InMemoryService,
) -> None:
    application_id = world.submitted()
    [event] = [e for e in world.app.events.get(application_id) if isinstance(e, PointsApplication.Submitted)]
    payload = submitted(event, world.sealing)
    assert payload.submission == 1 and payload.unit_name == UNIT_NAME
    assert payload.declared_total == sum(line.points for line in payload.declared_lines if line.counted)
    assert {m.code for m in payload.materials} >= {"applicant_id_card", "labour_contract"}
    assert personal_info().id_number not in payload.model_dump_json()
    opened = SubmittedForm.model_validate(
        world.keyring.open(payload.form, context=f"ApplicationSubmitted:{application_id}")
    )
    assert opened.personal_info.id_number == personal_info().id_number
    assert len(opened.pledges) == 2 and len(opened.resume.entries) == len(resume().entries)


def test_the_start_every_status_change_and_the_approval_are_published(world: InMemoryService) -> None:
    application_id = world.submitted()
    number = world.number(application_id)
    world.deliver(case_opened(application_id, number))
    world.deliver(accepted(application_id, number))
    world.deliver(score_approved(application_id, number, 126))
    events = list(world.app.events.get(application_id))
    published = [p for e in events for p in OUTBOUND.payloads(e, world.sealing)]
    changes = [p for p in published if isinstance(p, ApplicationStatusChanged)]
    assert changes[0].previous_status is None  # the start: the audit trail's first step, as the timeline's
    assert [p.new_status for p in changes] == [
        S.DRAFT,
        S.COMPLETED,
        S.UNIT_APPROVED,
        S.AWAITING_ACCEPTANCE,
        S.ACCEPTED,
        S.AWAITING_APPROVAL,
        S.APPROVED,
    ]
    [approval] = [approved(e) for e in events if isinstance(e, PointsApplication.Approved)]
    assert approval.verified_total == 126 and approval.unit_name == UNIT_NAME


def test_a_rendered_document_is_recorded_once_per_version(world: InMemoryService) -> None:
    application_id = world.submitted()
    number = world.number(application_id)
    world.deliver(document_rendered(application_id, number))
    version = world.version(application_id)
    world.deliver(document_rendered(application_id, number))
    assert world.version(application_id) == version
    world.deliver(document_rendered(application_id, number, version=2))
    application: PointsApplication = world.app.repository.get(application_id)
    assert application.documents["application_form"].version == 2


def test_the_unit_name_follows_the_directory(world: InMemoryService) -> None:
    world.deliver(unit_approved(name="上海浦江软件股份有限公司"))
    assert world.app.unit(UNIT_ID).name == "上海浦江软件股份有限公司"  # type: ignore[union-attr]
    assert world.start(kind=ApplicationKind.RENEWAL).application_id


def test_months_paid_fewer_than_the_base_history_shows_are_refused_not_scored(world: InMemoryService) -> None:
    """24 months at 3x the average wage and 0 months paid cannot both be true."""
    application_id = world.start().application_id
    saved = world.fill(application_id)
    history = tuple(
        MonthlyContribution(month(2024, 1) + timedelta(days=31 * n), Decimal(3)) for n in range(24)
    )
    claims = scoring_claims(social_insurance=SocialInsuranceClaim(contribution_months=0, history=history))
    with pytest.raises(SectionInvalidError) as raised:
        world.app.save_section(
            application_id,
            SectionName.SCORING_CLAIMS,
            claims,
            by=APPLICANT,
            based_on_version=saved.version,
            at=AT,
        )
    [problem] = raised.value.errors
    assert (problem.path, problem.code) == (
        "scoring_claims.social_insurance.contribution_months",
        "points.months_paid_below_history",
    )
