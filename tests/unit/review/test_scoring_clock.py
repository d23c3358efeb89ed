"""The 20-working-day limit for setting the score after the materials are verified (domain §2b)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.review.calendar import CALENDAR, SCORING_CLOCK
from services.review.domain.working_days import SCORING_TIME_LIMIT_WORKING_DAYS, ScoringClock

D = date
deadline = SCORING_CLOCK.deadline


def remaining(started: date, today: date) -> int:
    return SCORING_CLOCK.read(started, today).remaining


def overdue(started: date, today: date) -> bool:
    return SCORING_CLOCK.read(started, today).overdue


def test_scoring_limit_is_twenty_working_days() -> None:
    assert SCORING_TIME_LIMIT_WORKING_DAYS == 20


def test_scoring_deadline_is_twenty_working_days_after_verification() -> None:
    # March 2025 has no holidays: 4-7, 10-14, 17-21, 24-28 Mar = 19 working days, then 31 Mar.
    assert deadline(D(2025, 3, 3)) == D(2025, 3, 31)


def test_scoring_deadline_skips_national_day_and_counts_make_up_days() -> None:
    # 28 Sep (Sun, make-up), 29, 30 Sep, 9, 10, 11 (Sat, make-up) Oct, 13-17, 20-24, 27-30 Oct.
    assert deadline(D(2025, 9, 26)) == D(2025, 10, 30)


def test_scoring_deadline_skips_spring_festival_2026() -> None:
    # 9-13 Feb, 14 Feb (Sat, make-up), [15-23 Feb holiday], 24-27 Feb, 28 Feb (Sat, make-up), 2-6, 9-12 Mar
    assert deadline(D(2026, 2, 6)) == D(2026, 3, 12)


def test_remaining_counts_down_to_zero_on_the_deadline_day() -> None:
    started = D(2025, 3, 3)
    assert remaining(started, started) == 20
    assert remaining(started, D(2025, 3, 10)) == 15
    assert remaining(started, D(2025, 3, 31)) == 0
    assert remaining(started, D(2025, 4, 2)) == -2


def test_clock_is_not_overdue_on_the_deadline_day_but_is_the_day_after() -> None:
    started = D(2025, 3, 3)
    assert not overdue(started, D(2025, 3, 31))
    assert overdue(started, D(2025, 4, 1))


def test_clock_reading_summarises_the_state() -> None:
    clock = SCORING_CLOCK
    on_deadline = clock.read(D(2025, 3, 3), D(2025, 3, 31))
    assert (on_deadline.deadline, on_deadline.remaining, on_deadline.overdue) == (D(2025, 3, 31), 0, False)
    assert on_deadline.due_today
    late_weekend = clock.read(D(2025, 3, 27), D(2025, 4, 26))  # deadline Fri 25 Apr; Saturday after
    assert late_weekend.deadline == D(2025, 4, 25)
    assert late_weekend.overdue and not late_weekend.due_today
    assert late_weekend.remaining == 0  # no working day has passed since the deadline yet


def test_scoring_deadline_can_fall_on_a_make_up_sunday() -> None:
    # 31 Mar, 1-3 Apr, [4 Apr 清明], 7-11, 14-18, 21-25 Apr = 19, then Sunday 27 Apr (make-up day).
    assert deadline(D(2025, 3, 28)) == D(2025, 4, 27)


def test_clock_limit_is_configurable() -> None:
    assert ScoringClock(CALENDAR, limit=5).deadline(D(2025, 3, 3)) == D(2025, 3, 10)


def test_a_clock_accepted_in_december_2026_runs_into_2027_and_is_provisional() -> None:
    # Dec 16-18, 21-25, 28-31 2026 = 12; [1 Jan 2027 元旦]; 4-8 Jan = 17; 11-13 Jan = 20.
    reading = SCORING_CLOCK.read(D(2026, 12, 15), D(2026, 12, 15))
    assert reading.deadline == D(2027, 1, 13)
    assert reading.remaining == 20 and not reading.overdue
    assert reading.provisional


def test_a_clock_inside_the_published_years_is_not_provisional() -> None:
    assert not SCORING_CLOCK.read(D(2025, 3, 3), D(2025, 3, 10)).provisional


def test_a_clock_read_in_a_later_year_is_provisional_even_when_its_deadline_was_not() -> None:
    assert SCORING_CLOCK.read(D(2026, 11, 2), D(2027, 1, 5)).provisional


@pytest.mark.parametrize("today", [D(2025, 4, 1), D(2025, 10, 20), D(2026, 2, 20), D(2027, 1, 20)])
def test_a_clock_is_overdue_exactly_when_it_started_on_or_before_the_latest_overdue_start(
    today: date,
) -> None:
    cutoff = SCORING_CLOCK.latest_overdue_start(today)
    assert SCORING_CLOCK.read(cutoff, today).overdue
    assert not SCORING_CLOCK.read(cutoff + timedelta(days=1), today).overdue
