"""The directory's rules (numbers, one open application per applicant, moves), the stale-save rule's
parts, and the task list's states."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from services.applications.domain.application import SectionProgress
from services.applications.domain.changes import Change, ChangeKind, differing_fields, section_conflicts
from services.applications.domain.directory import Applicant, ApplicationNumbers
from services.applications.domain.errors import (
    ApplicationAlreadyOpenError,
    InvalidCommandError,
    UnitChangeNotAllowedError,
)
from services.applications.domain.sections.names import SectionName
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.roles import Role
from tests.unit.applications.builders import (
    APPLICANT,
    APPLICANT_BIRTH_DATE,
    AT,
    ON,
    OTHER_UNIT_ID,
    PLEDGE_VERSION,
    UNIT,
    UNIT_ID,
    application_in,
    filled_application,
    scoring_claims,
    started_application,
)

P = SectionProgress


def test_application_numbers_run_per_day_in_shanghai() -> None:
    numbers = ApplicationNumbers.for_day(AT)
    assert [numbers.issue(), numbers.issue()] == ["JF2026031600001", "JF2026031600002"]
    assert ApplicationNumbers.id_for(AT) == numbers.id != ApplicationNumbers.id_for(AT + timedelta(days=1))


def test_a_day_has_at_most_99999_numbers() -> None:
    numbers = ApplicationNumbers.for_day(AT)
    numbers.issued = 99_999
    with pytest.raises(InvalidCommandError):
        numbers.issue()


def applicant() -> Applicant:
    return Applicant.register(
        applicant_id=uuid4(),
        unit_id=UNIT_ID,
        name="张伟",
        id_number_masked="310104********1234",
        birth_date=APPLICANT_BIRTH_DATE,
        sex="MALE",
        personal_sealed="sealed",
        sealed_subject="s",
        at=AT,
    )


def test_an_applicant_has_one_application_in_progress_at_a_time() -> None:
    person = applicant()
    first, second = uuid4(), uuid4()
    person.open_application(application_id=first, application_number="JF1", current_is_final=True, at=AT)
    with pytest.raises(ApplicationAlreadyOpenError) as raised:
        person.open_application(
            application_id=second, application_number="JF2", current_is_final=False, at=AT
        )
    assert raised.value.application_id == first
    person.open_application(application_id=second, application_number="JF2", current_is_final=True, at=AT)
    assert person.current_application_id == second and person.application_ids == [first, second]


def test_moving_and_activating_record_only_what_changes() -> None:
    person = applicant()
    person.move_to_unit(unit_id=UNIT_ID, at=AT)
    person.activate(at=AT)
    person.activate(at=AT)
    person.move_to_unit(unit_id=OTHER_UNIT_ID, at=AT)
    assert [type(e).__name__ for e in person.collect_events()] == ["Registered", "Activated", "MovedToUnit"]


def change(section: SectionName, part: str = "") -> Change:
    return Change(ChangeKind.SECTION, Role.UNIT, AT, section, part)


@pytest.mark.parametrize(
    ("changed", "saving", "stale"),
    [
        (change(SectionName.RESUME), (SectionName.RESUME, ""), True),
        (change(SectionName.FAMILY), (SectionName.RESUME, ""), False),
        (change(SectionName.SCORING_CLAIMS, "bonus"), (SectionName.SCORING_CLAIMS, "education"), False),
        (change(SectionName.SCORING_CLAIMS, "bonus"), (SectionName.SCORING_CLAIMS, "bonus"), True),
        (change(SectionName.SCORING_CLAIMS, ""), (SectionName.SCORING_CLAIMS, "bonus"), True),
        (change(SectionName.SCORING_CLAIMS, "bonus"), (SectionName.SCORING_CLAIMS, ""), True),
    ],
)
def test_a_save_is_stale_only_when_someone_saved_the_same_section_or_page_since(
    changed: Change, saving: tuple[SectionName, str], stale: bool
) -> None:
    assert bool(section_conflicts([changed], *saving)) is stale


def test_the_fields_that_differ_are_named_by_their_paths() -> None:
    before = {"entries": [{"post": "a", "region": ""}], "full_history_sheet_confirmed": False}
    after = {
        "entries": [{"post": "b", "region": ""}, {"post": "c", "region": ""}],
        "full_history_sheet_confirmed": False,
    }
    assert differing_fields(before, after) == ("entries[0].post", "entries[1].post", "entries[1].region")


def test_nothing_opens_before_both_pledges_then_sections_start_empty() -> None:
    application = started_application()
    progress = application.section_progress(ON)
    assert progress[SectionName.PLEDGE] is P.NOT_STARTED
    assert {progress[s] for s in SectionName if s is not SectionName.PLEDGE} == {P.CANNOT_START}
    application.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=AT)
    assert application.section_progress(ON)[SectionName.PLEDGE] is P.IN_PROGRESS
    application.accept_pledge(by=APPLICANT, text_version=PLEDGE_VERSION, at=AT)
    progress = application.section_progress(ON)
    assert progress[SectionName.PLEDGE] is P.COMPLETED and progress[SectionName.RESUME] is P.NOT_STARTED


def test_the_scoring_section_is_in_progress_until_each_of_its_pages_was_saved() -> None:
    application = filled_application()  # the scoring section saved whole: every page
    assert application.section_progress(ON)[SectionName.SCORING_CLAIMS] is P.COMPLETED
    fresh = started_application()
    fresh.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=AT)
    fresh.accept_pledge(by=APPLICANT, text_version=PLEDGE_VERSION, at=AT)
    fresh.save_scoring_claims(scoring_claims(), by=APPLICANT, at=AT, part="education")
    assert fresh.section_progress(ON)[SectionName.SCORING_CLAIMS] is P.IN_PROGRESS
    for part in ("social_insurance", "bonus", "direct_routes"):
        fresh.save_scoring_claims(scoring_claims(), by=APPLICANT, at=AT, part=part)
    assert fresh.section_progress(ON)[SectionName.SCORING_CLAIMS] is not P.IN_PROGRESS
    with pytest.raises(InvalidCommandError):
        fresh.save_scoring_claims(scoring_claims(), by=APPLICANT, at=AT, part="no-such-page")


def test_a_section_with_a_problem_of_the_whole_form_is_marked_so() -> None:
    application = filled_application()
    later = ON.replace(year=ON.year + 1)  # the residence permit and the contract have ended by then
    assert application.section_progress(later)[SectionName.PERSONAL_INFO] is P.HAS_PROBLEMS
    assert application.section_progress(ON)[SectionName.PERSONAL_INFO] is P.COMPLETED


def test_a_move_is_only_noted_on_an_application_that_no_longer_moves() -> None:
    with pytest.raises(UnitChangeNotAllowedError):
        filled_application().note_applicant_moved(new_unit_id=OTHER_UNIT_ID, at=AT)
    submitted = application_in(ApplicationStatus.UNIT_APPROVED)
    submitted.note_applicant_moved(new_unit_id=OTHER_UNIT_ID, at=AT)
    submitted.note_applicant_moved(new_unit_id=OTHER_UNIT_ID, at=AT)
    assert submitted.moved_away_to == OTHER_UNIT_ID and submitted.unit_id == UNIT_ID
    assert [type(e).__name__ for e in submitted.collect_events()].count("ApplicantMovedAway") == 1
