"""个人简历: from the last full-time school, continuous month by month, gaps as 待业, at most 8 online."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applications.domain.sections.resume import (
    MAX_ONLINE_ENTRIES,
    Resume,
    ResumeCode,
    ResumeEntry,
    validate_resume,
)
from shared.kernel.form_codes import ResumeEntryKind
from tests.unit.applications.builders import ON, month, resume, school, unemployed, work


def codes(value: Resume, on: date = ON) -> set[str]:
    return {error.code for error in validate_resume(value, on)}


def test_continuous_resume_from_school_to_the_present_is_valid() -> None:
    assert validate_resume(resume(), ON) == []


def test_resume_must_start_with_the_last_full_time_school() -> None:
    value = Resume(entries=(work(month(2012, 7), None),))
    assert codes(value) == {ResumeCode.FIRST_ENTRY_NOT_SCHOOL}


def test_resume_gap_must_be_entered_as_unemployment() -> None:
    value = Resume(entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 9), None)))
    errors = validate_resume(value, ON)
    assert [(error.field, error.code) for error in errors] == [("entries[1].start_month", ResumeCode.GAP)]
    assert "待业" in errors[0].message.zh


def test_gap_entered_as_unemployment_is_continuous() -> None:
    value = Resume(
        entries=(
            school(month(2008, 9), month(2012, 6)),
            unemployed(month(2012, 7), month(2012, 8)),
            work(month(2012, 9), None),
        )
    )
    assert codes(value) == set()


def test_next_entry_may_start_in_the_month_after_the_previous_ends() -> None:
    value = Resume(entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 7), None)))
    assert codes(value) == set()


def test_next_entry_may_start_in_the_same_month_the_previous_ends() -> None:
    """A job change in the middle of a month puts both jobs in that month."""
    value = Resume(entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 6), None)))
    assert codes(value) == set()


def test_overlapping_entries_are_refused() -> None:
    value = Resume(entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 5), None)))
    assert codes(value) == {ResumeCode.OVERLAP}


def test_entry_cannot_end_before_it_starts() -> None:
    value = Resume(entries=(school(month(2012, 9), month(2012, 6)), work(month(2012, 7), None)))
    assert ResumeCode.ENDS_BEFORE_START in codes(value)


def test_only_the_last_entry_may_run_to_the_present() -> None:
    value = Resume(entries=(school(month(2008, 9), None), work(month(2012, 7), None)))
    assert codes(value) == {ResumeCode.OPEN_END_BEFORE_LAST}


def test_last_entry_must_run_to_the_present_or_the_application_month() -> None:
    ends_in_application_month = Resume(
        entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 7), ON))
    )
    ends_earlier = Resume(
        entries=(school(month(2008, 9), month(2012, 6)), work(month(2012, 7), month(2026, 1)))
    )
    assert codes(ends_in_application_month) == set()
    assert codes(ends_earlier) == {ResumeCode.DOES_NOT_REACH_PRESENT}


def test_entries_cannot_start_or_end_after_the_application_month() -> None:
    value = Resume(
        entries=(
            school(month(2008, 9), month(2012, 6)),
            work(month(2012, 7), month(2026, 4)),
            work(month(2026, 5), None),
        )
    )
    assert codes(value) >= {
        ResumeCode.ENDS_AFTER_APPLICATION_MONTH,
        ResumeCode.STARTS_AFTER_APPLICATION_MONTH,
    }


def test_empty_resume_is_refused() -> None:
    assert codes(Resume(entries=())) == {ResumeCode.EMPTY}


def test_school_and_work_entries_name_the_organisation_and_work_entries_the_post() -> None:
    value = Resume(
        entries=(
            replace(school(month(2008, 9), month(2012, 6)), organisation=""),
            replace(work(month(2012, 7), None), post=""),
        )
    )
    fields = {error.field: error.code for error in validate_resume(value, ON)}
    assert fields == {"entries[0].organisation": "required", "entries[1].post": "required"}


def test_unemployment_entries_need_no_organisation_or_post() -> None:
    entry = unemployed(month(2012, 7), month(2012, 8))
    assert entry.organisation == entry.post == ""
    value = Resume(entries=(school(month(2008, 9), month(2012, 6)), entry, work(month(2012, 9), None)))
    assert codes(value) == set()


def consecutive_jobs(count: int, first_year: int = 2010) -> tuple[ResumeEntry, ...]:
    """``count`` one-year jobs back to back from ``first_year``, the last one open."""
    entries = []
    for index in range(count):
        start = month(first_year + index, 1)
        end = None if index == count - 1 else month(first_year + index, 12)
        entries.append(work(start, end, organisation=f"公司{index}"))
    return tuple(entries)


def test_at_most_eight_entries_are_entered_online() -> None:
    nine = Resume(entries=(school(month(2005, 9), month(2009, 12)), *consecutive_jobs(8)))
    assert ResumeCode.TOO_MANY_ENTRIES in codes(nine)
    eight = Resume(entries=(school(month(2006, 9), month(2009, 12)), *consecutive_jobs(7)))
    assert codes(eight) == set()


def test_with_a_full_history_sheet_the_eight_most_recent_entries_need_not_start_at_school() -> None:
    value = Resume(entries=consecutive_jobs(MAX_ONLINE_ENTRIES), full_history_sheet_confirmed=True)
    assert codes(value) == set()
    assert codes(replace(value, full_history_sheet_confirmed=False)) == {ResumeCode.FIRST_ENTRY_NOT_SCHOOL}


def test_full_history_sheet_means_the_eight_most_recent_entries_are_entered() -> None:
    value = Resume(entries=consecutive_jobs(5), full_history_sheet_confirmed=True)
    assert codes(value) == {ResumeCode.SHEET_NEEDS_FULL_ONLINE_LIST}


def test_full_history_sheet_does_not_lift_the_limit_of_eight() -> None:
    value = Resume(entries=consecutive_jobs(9), full_history_sheet_confirmed=True)
    assert codes(value) == {ResumeCode.TOO_MANY_ENTRIES}


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

Segment = tuple[ResumeEntryKind, int, bool]
"""(kind, length in months minus one, starts in the same month the previous one ended)."""

segments = st.lists(
    st.tuples(st.sampled_from(ResumeEntryKind), st.integers(0, 30), st.booleans()),
    min_size=1,
    max_size=MAX_ONLINE_ENTRIES - 1,
)


def add_months(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def build_continuous(later: list[Segment], application_month: date, open_end: bool) -> Resume:
    """A school entry then ``later`` entries, laid out backwards from the application month so that
    the last entry reaches it; each hand-over is 'next month' or 'same month'."""
    total = sum(length + (0 if same_month else 1) for _, length, same_month in later)
    school_end = add_months(application_month, -total)
    entries = [school(add_months(school_end, -36), school_end)]
    previous_end = school_end
    for kind, length, same_month in later:
        start = previous_end if same_month else add_months(previous_end, 1)
        end = add_months(start, length)
        organisation, post = ("", "") if kind is ResumeEntryKind.UNEMPLOYED else ("某单位", "某岗位")
        entries.append(ResumeEntry(kind, start, end, organisation, post))
        previous_end = end
    assert previous_end == application_month
    if open_end:
        entries[-1] = replace(entries[-1], end_month=None)
    return Resume(entries=tuple(entries))


@given(later=segments, open_end=st.booleans())
def test_any_continuous_resume_validates(later: list[Segment], open_end: bool) -> None:
    application_month = month(ON.year, ON.month)
    value = build_continuous(later, application_month, open_end)
    assert validate_resume(value, ON) == []


@given(later=segments, boundary=st.integers(min_value=1), gap=st.integers(min_value=1, max_value=24))
def test_any_resume_with_an_injected_gap_fails_with_the_gap_code(
    later: list[Segment], boundary: int, gap: int
) -> None:
    value = build_continuous(later, month(ON.year, ON.month), open_end=True)
    boundary = boundary % (len(value.entries) - 1) + 1
    # Move every entry before the boundary back in time: a gap opens at the boundary, nothing else changes.
    shifted = [
        replace(
            entry,
            start_month=add_months(entry.start_month, -gap - 1),
            end_month=add_months(entry.end_month, -gap - 1),
        )
        if index < boundary and entry.end_month is not None
        else entry
        for index, entry in enumerate(value.entries)
    ]
    errors = validate_resume(Resume(entries=tuple(shifted)), ON)
    assert [(error.field, error.code) for error in errors] == [
        (f"entries[{boundary}].start_month", ResumeCode.GAP)
    ]


@given(later=segments, boundary=st.integers(min_value=1), overlap=st.integers(min_value=1, max_value=24))
def test_any_resume_with_an_injected_overlap_fails_with_the_overlap_code(
    later: list[Segment], boundary: int, overlap: int
) -> None:
    value = build_continuous(later, month(ON.year, ON.month), open_end=True)
    boundary = boundary % (len(value.entries) - 1) + 1
    shifted = [
        replace(
            entry,
            start_month=add_months(entry.start_month, overlap + 1),
            end_month=add_months(entry.end_month, overlap + 1),
        )
        if index < boundary and entry.end_month is not None
        else entry
        for index, entry in enumerate(value.entries)
    ]
    assert ResumeCode.OVERLAP in {error.code for error in validate_resume(Resume(entries=tuple(shifted)), ON)}


@pytest.mark.parametrize("kind", list(ResumeEntryKind))
def test_resume_entry_kinds_are_school_work_and_unemployment(kind: ResumeEntryKind) -> None:
    assert kind.value in {"SCHOOL", "WORK", "UNEMPLOYED"}
