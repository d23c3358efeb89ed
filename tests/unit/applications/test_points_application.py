"""The PointsApplication aggregate: start, pledge, sections, locking, change of unit, guards, events."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid5

import pytest

from services.applications.domain.application import APPLICATION_ID_NAMESPACE, PointsApplication
from services.applications.domain.errors import (
    ActorNotAllowedError,
    ApplicationIncompleteError,
    ApplicationNotVisibleError,
    EditingLockedError,
    InvalidCommandError,
    PledgeNotAcceptedError,
    SectionInvalidError,
    UnitChangeNotAllowedError,
)
from services.applications.domain.moments import application_date
from services.applications.domain.sections.family import SPOUSE_REQUIRED
from services.applications.domain.sections.names import SectionName
from services.applications.domain.status import (
    FINAL_STATUSES,
    SUBMITTED_STATUSES,
    Action,
    Actor,
)
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import NotVisible
from shared.kernel.form_codes import MaritalStatus
from shared.kernel.records import to_record
from shared.kernel.roles import Role
from shared.kernel.text import Text
from tests.unit.applications.builders import (
    APPLICANT,
    APPLICANT_ID,
    APPLICANT_ID_MASKED,
    APPLICATION_NUMBER,
    AT,
    CLERK,
    ON,
    OTHER_PERSON_ID,
    OTHER_UNIT,
    OTHER_UNIT_CREDIT_CODE,
    OTHER_UNIT_DISTRICT,
    OTHER_UNIT_ID,
    OTHER_UNIT_NAME,
    PLEDGE_VERSION,
    SHANGHAI,
    UNIT,
    UNIT_CREDIT_CODE,
    UNIT_DISTRICT,
    UNIT_ID,
    UNIT_NAME,
    application_in,
    deductions,
    family,
    fill_every_section,
    filled_application,
    investment,
    no_investment,
    personal_info,
    pledged_application,
    resume,
    scoring_claims,
    started_application,
)

LATER = AT + timedelta(hours=2)
LOCKED_STATUSES = sorted(SUBMITTED_STATUSES | FINAL_STATUSES)
SECTION_EVENTS = [
    "PersonalInfoSaved",
    "ResumeSaved",
    "FamilySaved",
    "InvestmentSaved",
    "ScoringClaimsSaved",
    "DeductionsSaved",
]


def save_each_section(application: PointsApplication, by: Actor, at: datetime = LATER) -> list[Any]:
    """Every editing command, as callables, for 'all of them are refused' tests."""
    return [
        lambda: application.accept_pledge(by=by, text_version=PLEDGE_VERSION, at=at),
        lambda: application.save_personal_info(personal_info(), by=by, at=at),
        lambda: application.save_resume(resume(), by=by, at=at),
        lambda: application.save_family(family(), by=by, at=at),
        lambda: application.save_investment(no_investment(), by=by, at=at),
        lambda: application.save_scoring_claims(scoring_claims(), by=by, at=at),
        lambda: application.save_deductions(deductions(), by=by, at=at),
    ]


# --------------------------------------------------------------------------------------------------
# Start
# --------------------------------------------------------------------------------------------------


def test_application_starts_in_draft_with_applicant_unit_kind_and_number() -> None:
    application = started_application(kind=ApplicationKind.RENEWAL)
    assert application.status is ApplicationStatus.DRAFT
    assert (application.applicant_id, application.unit_id, application.unit_credit_code) == (
        APPLICANT_ID,
        UNIT_ID,
        UNIT_CREDIT_CODE,
    )
    assert application.kind is ApplicationKind.RENEWAL
    assert application.application_number == APPLICATION_NUMBER
    assert application.started_at == AT
    assert application.status_history == ()
    assert application.verified_score is None


def test_application_id_is_derived_from_the_application_number() -> None:
    assert started_application().id == uuid5(APPLICATION_ID_NAMESPACE, APPLICATION_NUMBER)
    assert started_application(application_number="JF2").id != started_application().id


def test_the_applicant_may_start_the_application_too() -> None:
    assert started_application(by=APPLICANT).status is ApplicationStatus.DRAFT


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"unit_credit_code": "91350100M000100Y44"}, InvalidCommandError),
        ({"application_number": ""}, InvalidCommandError),
        ({"application_number": " JF1"}, InvalidCommandError),
        ({"application_number": "J" * 33}, InvalidCommandError),
        ({"at": datetime(2026, 3, 16, 10, 0)}, InvalidCommandError),
        ({"by": OTHER_UNIT}, ApplicationNotVisibleError),
        ({"by": Actor(Role.APPLICANT, str(OTHER_PERSON_ID))}, ApplicationNotVisibleError),
        ({"by": CLERK}, ActorNotAllowedError),
    ],
)
def test_start_refuses_bad_codes_numbers_naive_times_and_strangers(
    changes: dict[str, Any], error: type[Exception]
) -> None:
    arguments: dict[str, Any] = {
        "application_number": APPLICATION_NUMBER,
        "applicant_id": APPLICANT_ID,
        "applicant_id_masked": APPLICANT_ID_MASKED,
        "unit_id": UNIT_ID,
        "unit_credit_code": UNIT_CREDIT_CODE,
        "unit_name": UNIT_NAME,
        "unit_district": UNIT_DISTRICT,
        "kind": ApplicationKind.NEW,
        "by": UNIT,
        "at": AT,
    } | changes
    with pytest.raises(error):
        PointsApplication.start(**arguments)


def test_application_date_is_the_calendar_date_in_shanghai() -> None:
    assert application_date(datetime.fromisoformat("2026-03-15T17:30:00+00:00")) == ON  # 01:30 on the 16th
    assert application_date(datetime(2026, 3, 15, 23, 59, tzinfo=SHANGHAI)) == ON - timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# Pledge
# --------------------------------------------------------------------------------------------------


def test_no_section_can_be_saved_before_both_applicant_and_unit_accept_the_pledge() -> None:
    application = started_application()
    with pytest.raises(PledgeNotAcceptedError):
        application.save_personal_info(personal_info(), by=APPLICANT, at=AT)
    application.accept_pledge(by=APPLICANT, text_version=PLEDGE_VERSION, at=AT)
    with pytest.raises(PledgeNotAcceptedError):
        application.save_personal_info(personal_info(), by=APPLICANT, at=AT)
    application.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=AT)
    application.save_personal_info(personal_info(), by=APPLICANT, at=AT)
    assert application.personal_info == personal_info()


def test_pledge_acceptance_records_text_version_who_and_when() -> None:
    application = pledged_application()
    pledges = application.pledges
    assert set(pledges) == {Role.APPLICANT, Role.UNIT}
    assert pledges[Role.UNIT].accepted_by == UNIT.id
    assert pledges[Role.APPLICANT].text_version == PLEDGE_VERSION
    assert pledges[Role.APPLICANT].accepted_at == AT


def test_only_the_applicant_and_the_unit_accept_the_pledge() -> None:
    with pytest.raises(ActorNotAllowedError):
        started_application().accept_pledge(by=CLERK, text_version=PLEDGE_VERSION, at=AT)


def test_pledge_needs_a_text_version() -> None:
    with pytest.raises(InvalidCommandError):
        started_application().accept_pledge(by=APPLICANT, text_version=" ", at=AT)


# --------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------


def test_every_section_is_saved_on_its_own_with_its_own_event() -> None:
    application = pledged_application()
    fill_every_section(application)
    events = application.collect_events()
    assert [type(event).__name__ for event in events][-6:] == SECTION_EVENTS
    assert application.resume == resume()
    assert application.family == family()
    assert application.investment == no_investment()
    assert application.scoring_claims == scoring_claims()
    assert application.deductions == deductions()


def test_invalid_section_is_not_saved_and_the_error_carries_every_problem() -> None:
    application = pledged_application()
    version = application.version
    with pytest.raises(SectionInvalidError) as raised:
        application.save_personal_info(personal_info(name="", mobile="1"), by=APPLICANT, at=AT)
    assert raised.value.section == SectionName.PERSONAL_INFO
    assert {(error.field, error.code) for error in raised.value.errors} == {
        ("name", "required"),
        ("mobile", "mobile.format"),
    }
    assert raised.value.message.zh and raised.value.message.en
    assert application.version == version
    assert application.personal_info is None


def test_family_is_checked_against_the_saved_marital_status() -> None:
    application = pledged_application()
    application.save_personal_info(personal_info(marital_status=MaritalStatus.MARRIED), by=APPLICANT, at=AT)
    with pytest.raises(SectionInvalidError) as raised:
        application.save_family(family(spouse=None), by=APPLICANT, at=AT)
    assert raised.value.codes == {SPOUSE_REQUIRED}


def test_section_rules_use_the_date_of_the_save_as_the_application_date() -> None:
    application = pledged_application()
    after_contract = datetime(2027, 4, 1, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(SectionInvalidError) as raised:
        application.save_personal_info(personal_info(), by=APPLICANT, at=after_contract)
    assert "personal.contract_not_valid" in raised.value.codes


def test_the_unit_can_fill_in_sections_for_the_applicant() -> None:
    application = pledged_application()
    fill_every_section(application, by=UNIT)
    application.complete(by=UNIT, at=AT)
    assert application.status is ApplicationStatus.COMPLETED


def test_a_clerk_cannot_fill_in_sections() -> None:
    application = pledged_application()
    for command in save_each_section(application, CLERK)[1:]:
        with pytest.raises(ActorNotAllowedError):
            command()


def test_another_unit_or_applicant_is_answered_as_if_the_application_did_not_exist() -> None:
    application = pledged_application()
    stranger = Actor(Role.APPLICANT, str(OTHER_PERSON_ID))
    for actor in (OTHER_UNIT, stranger):
        for command in save_each_section(application, actor):
            with pytest.raises(ApplicationNotVisibleError) as raised:
                command()
            assert isinstance(raised.value, NotVisible)
            assert raised.value.message == Text("未找到该申请", "The application was not found")
        with pytest.raises(ApplicationNotVisibleError):
            application.complete(by=actor, at=AT)


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_a_stranger_is_told_not_found_whatever_the_status_and_the_action(status: ApplicationStatus) -> None:
    application = application_in(status)
    for actor in (OTHER_UNIT, Actor(Role.APPLICANT, str(OTHER_PERSON_ID))):
        for action in Action:
            with pytest.raises(ApplicationNotVisibleError):
                application.perform(action, by=actor, at=LATER, reason="")
    assert application.status is status


def test_editing_a_completed_form_takes_it_back_to_draft() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    application.save_investment(investment(), by=APPLICANT, at=LATER)
    assert application.status is ApplicationStatus.DRAFT
    reopen = application.status_history[-1]
    assert (reopen.action, reopen.actor) == (Action.REOPEN, APPLICANT)
    assert application.investment == investment()


def test_an_invalid_edit_of_a_completed_form_changes_nothing() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    with pytest.raises(SectionInvalidError):
        application.save_personal_info(personal_info(mobile="0"), by=APPLICANT, at=LATER)
    assert application.status is ApplicationStatus.COMPLETED


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_unit_approval_locks_editing_until_a_return_or_withdrawal(status: ApplicationStatus) -> None:
    application = application_in(status)
    for actor in (APPLICANT, UNIT):
        for command in save_each_section(application, actor):
            with pytest.raises(EditingLockedError) as raised:
                command()
            assert raised.value.status == status.value
            assert status.label.zh in raised.value.message.zh
    assert not application.is_editable


@pytest.mark.parametrize("status", sorted(SUBMITTED_STATUSES))
def test_the_lock_message_of_a_submitted_application_points_to_a_withdrawal_at_the_window(
    status: ApplicationStatus,
) -> None:
    application = application_in(status)
    with pytest.raises(EditingLockedError) as raised:
        application.save_personal_info(personal_info(), by=APPLICANT, at=LATER)
    assert "申请撤销" in raised.value.message.zh and "withdrawal" in raised.value.message.en


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_the_lock_message_of_a_decided_application_does_not_offer_a_withdrawal_it_cannot_have(
    status: ApplicationStatus,
) -> None:
    application = application_in(status)
    with pytest.raises(EditingLockedError) as raised:
        application.save_personal_info(personal_info(), by=APPLICANT, at=LATER)
    assert "撤销" not in raised.value.message.zh and "withdraw" not in raised.value.message.en
    assert status.label.zh in raised.value.message.zh and status.value not in raised.value.message.en
    assert "新的申请" in raised.value.message.zh and "new application" in raised.value.message.en


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED_BY_UNIT,
        ApplicationStatus.RETURNED_FOR_CORRECTION,
        ApplicationStatus.WITHDRAWN,
    ],
)
def test_sections_can_be_edited_before_submission_and_after_a_return_or_withdrawal(
    status: ApplicationStatus,
) -> None:
    application = application_in(status)
    application.save_personal_info(personal_info(former_name="张三"), by=APPLICANT, at=LATER)
    assert application.status is status
    assert application.personal_info is not None and application.personal_info.former_name == "张三"


# --------------------------------------------------------------------------------------------------
# Change of unit
# --------------------------------------------------------------------------------------------------


def test_the_applicant_can_move_the_application_to_a_new_unit_before_submission() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    application.change_unit(
        unit_id=OTHER_UNIT_ID,
        unit_credit_code=OTHER_UNIT_CREDIT_CODE,
        unit_name=OTHER_UNIT_NAME,
        unit_district=OTHER_UNIT_DISTRICT,
        by=APPLICANT,
        at=LATER,
    )
    assert (application.unit_id, application.unit_credit_code) == (OTHER_UNIT_ID, OTHER_UNIT_CREDIT_CODE)
    assert application.status is ApplicationStatus.DRAFT
    assert set(application.pledges) == {Role.APPLICANT}
    with pytest.raises(ApplicationNotVisibleError):
        application.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=LATER)
    with pytest.raises(PledgeNotAcceptedError):
        application.save_resume(resume(), by=APPLICANT, at=LATER)
    application.accept_pledge(by=OTHER_UNIT, text_version=PLEDGE_VERSION, at=LATER)
    application.complete(by=APPLICANT, at=LATER)
    application.approve_at_unit(by=OTHER_UNIT, at=LATER)
    assert application.status_history[-1].to_status is ApplicationStatus.UNIT_APPROVED


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_moving_to_another_unit_is_refused_after_submission(status: ApplicationStatus) -> None:
    application = application_in(status)
    with pytest.raises(UnitChangeNotAllowedError) as raised:
        application.change_unit(
            unit_id=OTHER_UNIT_ID,
            unit_credit_code=OTHER_UNIT_CREDIT_CODE,
            unit_name=OTHER_UNIT_NAME,
            unit_district=OTHER_UNIT_DISTRICT,
            by=APPLICANT,
            at=LATER,
        )
    assert status.label.zh in raised.value.message.zh
    assert application.unit_id == UNIT_ID


def test_only_the_applicant_moves_the_application_to_another_unit() -> None:
    application = filled_application()
    for actor in (UNIT, OTHER_UNIT, CLERK):
        with pytest.raises(ActorNotAllowedError):
            application.change_unit(
                unit_id=OTHER_UNIT_ID,
                unit_credit_code=OTHER_UNIT_CREDIT_CODE,
                unit_name=OTHER_UNIT_NAME,
                unit_district=OTHER_UNIT_DISTRICT,
                by=actor,
                at=LATER,
            )
    with pytest.raises(ApplicationNotVisibleError):
        application.change_unit(
            unit_id=OTHER_UNIT_ID,
            unit_credit_code=OTHER_UNIT_CREDIT_CODE,
            unit_name=OTHER_UNIT_NAME,
            unit_district=OTHER_UNIT_DISTRICT,
            by=Actor(Role.APPLICANT, str(OTHER_PERSON_ID)),
            at=LATER,
        )


def test_change_of_unit_needs_a_valid_code_and_a_different_unit() -> None:
    application = filled_application()
    with pytest.raises(InvalidCommandError):
        application.change_unit(
            unit_id=OTHER_UNIT_ID,
            unit_credit_code="123",
            unit_name=OTHER_UNIT_NAME,
            unit_district=OTHER_UNIT_DISTRICT,
            by=APPLICANT,
            at=LATER,
        )
    with pytest.raises(InvalidCommandError):
        application.change_unit(
            unit_id=UNIT_ID,
            unit_credit_code=UNIT_CREDIT_CODE,
            unit_name=OTHER_UNIT_NAME,
            unit_district=UNIT_DISTRICT,
            by=APPLICANT,
            at=LATER,
        )


# --------------------------------------------------------------------------------------------------
# Guards and events
# --------------------------------------------------------------------------------------------------


def test_commands_require_a_timezone_aware_time() -> None:
    naive = datetime(2026, 3, 16, 10, 0)
    application = filled_application()
    for command in save_each_section(application, APPLICANT, at=naive):
        with pytest.raises(InvalidCommandError):
            command()
    with pytest.raises(InvalidCommandError):
        application.complete(by=APPLICANT, at=naive)


def test_finishing_an_unfilled_application_lists_every_missing_section() -> None:
    application = pledged_application()
    with pytest.raises(ApplicationIncompleteError) as raised:
        application.complete(by=APPLICANT, at=AT)
    assert {error.section for error in raised.value.errors} == {
        name.value for name in SectionName if name is not SectionName.PLEDGE
    }


def test_unit_approval_checks_the_form_again_on_the_submission_date() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    after_permit_expiry = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(ApplicationIncompleteError) as raised:
        application.approve_at_unit(by=UNIT, at=after_permit_expiry)
    assert "personal.residence_permit_not_valid" in raised.value.codes


def test_every_event_class_has_an_explicit_topic() -> None:
    names = [
        "Started",
        "PledgeAccepted",
        *SECTION_EVENTS,
        "UnitChanged",
        "ApplicantMovedAway",
        "StatusChanged",
        "CorrectionRequested",
        "Submitted",
        "Approved",
        "DocumentAvailable",
    ]
    assert PointsApplication.TOPIC == "applications.PointsApplication"
    for name in names:
        assert f"applications.PointsApplication.{name}" == getattr(PointsApplication, name).TOPIC
    topics = {
        getattr(event, "TOPIC", None) for event in application_in(ApplicationStatus.APPROVED).collect_events()
    }
    assert topics <= {f"applications.PointsApplication.{name}" for name in names}


def test_section_events_carry_plain_json_records() -> None:
    application = filled_application()
    for event in application.collect_events():
        record = getattr(event, "record", None)
        if record is not None:
            assert json.loads(json.dumps(record)) == record
    assert to_record(personal_info())["sex"] is None


def test_every_status_change_carries_what_the_public_status_topic_needs() -> None:
    application = application_in(ApplicationStatus.UNIT_APPROVED)
    changes = [e for e in application.collect_events() if isinstance(e, PointsApplication.StatusChanged)]
    assert len(changes) == 2
    for change in changes:
        assert change.application_number == APPLICATION_NUMBER
        assert change.kind == "NEW"
        assert change.applicant_id_masked == APPLICANT_ID_MASKED
        assert (change.unit_id, change.unit_credit_code, change.unit_district) == (
            UNIT_ID,
            UNIT_CREDIT_CODE,
            UNIT_DISTRICT,
        )


def test_after_a_change_of_unit_the_status_changes_name_the_new_unit_and_its_district() -> None:
    application = filled_application()
    application.change_unit(
        unit_id=OTHER_UNIT_ID,
        unit_credit_code=OTHER_UNIT_CREDIT_CODE,
        unit_name=OTHER_UNIT_NAME,
        unit_district=OTHER_UNIT_DISTRICT,
        by=APPLICANT,
        at=LATER,
    )
    application.accept_pledge(by=OTHER_UNIT, text_version=PLEDGE_VERSION, at=LATER)
    application.complete(by=APPLICANT, at=LATER)
    [change] = [e for e in application.collect_events() if isinstance(e, PointsApplication.StatusChanged)]
    assert (change.unit_id, change.unit_district) == (OTHER_UNIT_ID, OTHER_UNIT_DISTRICT)
    assert application.unit_district == OTHER_UNIT_DISTRICT
