"""Working-day calendar: the State Council holiday notices for 2025 and 2026 exactly, other years from
the holiday law in force and the lunar calendar, provisionally."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.review.calendar import CALENDAR, LunarPython
from services.review.domain.holidays import (
    ARRANGEMENTS,
    HOLIDAY_LAWS,
    HolidayPeriod,
    YearArrangement,
    law_in_force,
)
from services.review.domain.working_days import CalendarOutOfRange, WorkingDayCalendar

D = date
is_working_day = CALENDAR.is_working_day
add_working_days = CALENDAR.add_working_days
working_days_between = CALENDAR.working_days_between


def test_ordinary_weekday_is_working_day() -> None:
    assert is_working_day(D(2025, 3, 3))  # Monday


@pytest.mark.parametrize("day", [D(2025, 3, 1), D(2025, 3, 2), D(2026, 7, 4), D(2026, 7, 5)])
def test_weekend_is_not_working_day(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 1),  # 元旦, Wednesday, one day only
        D(2025, 1, 28),  # 除夕, first day of Spring Festival 2025
        D(2025, 2, 4),  # last day of Spring Festival 2025
        D(2025, 4, 4),
        D(2025, 5, 5),
        D(2025, 6, 2),
        D(2025, 10, 8),  # National Day + Mid-Autumn, merged 8 days
        D(2026, 1, 2),
        D(2026, 2, 23),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 6, 19),
        D(2026, 9, 25),
        D(2026, 10, 7),
    ],
)
def test_public_holiday_is_not_working_day(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ],
)
def test_make_up_working_day_counts_as_working_day(day: date) -> None:
    assert day.weekday() >= 5
    assert is_working_day(day)
    assert CALENDAR.is_make_up_working_day(day)


def test_holiday_periods_match_the_notices() -> None:
    lengths = {year: [len(p.days()) for p in a.holidays] for year, a in ARRANGEMENTS.items()}
    # 2025: 元旦 1, 春节 8, 清明 3, 劳动 5, 端午 3, 国庆中秋 8 (国办发明电〔2024〕12号)
    # 2026: 元旦 3, 春节 9, 清明 3, 劳动 5, 端午 3, 中秋 3, 国庆 7 (notice of 2025-11-04)
    assert lengths == {2025: [1, 8, 3, 5, 3, 8], 2026: [3, 9, 3, 5, 3, 3, 7]}
    for arrangement in ARRANGEMENTS.values():
        assert "国务院办公厅关于" in arrangement.notice_title
        assert arrangement.source_url.startswith("https://")


def test_both_years_have_248_working_days() -> None:
    # 365 days - 104 weekend days - weekday holidays (2025: 18, 2026: 19) + make-up days (5, 6)
    for year in (2025, 2026):
        days = [D(year, 1, 1) + timedelta(days=i) for i in range(365)]
        assert sum(is_working_day(d) for d in days) == 248


def test_the_published_years_are_exact_and_the_others_provisional() -> None:
    assert CALENDAR.published_years == (2025, 2026)
    assert not CALENDAR.is_provisional(D(2026, 12, 31))
    assert CALENDAR.is_provisional(D(2027, 1, 1)) and CALENDAR.is_provisional(D(2024, 12, 31))
    assert not CALENDAR.provisional_between(D(2025, 1, 1), D(2026, 12, 31))
    assert CALENDAR.provisional_between(D(2026, 12, 1), D(2027, 1, 4))
    assert CALENDAR.provisional_between(D(2027, 1, 4), D(2026, 12, 1))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_statutory_days_computed_for_a_published_year_are_holidays_of_its_notice(year: int) -> None:
    """The law and the lunar package agree with the State Council: every statutory day the law names
    (除夕, 春节, 清明, 端午, 中秋 from the lunar calendar) is a holiday of that year's notice."""
    computed = law_in_force(year).periods(year, LunarPython())
    statutory = {d for period in computed for d in period.days()}
    assert len(statutory) == 13  # the 2025 law: 13 days
    assert statutory <= ARRANGEMENTS[year].holiday_dates()


def test_a_year_without_a_notice_counts_the_statutory_holidays_of_the_law_without_make_up_days() -> None:
    year = CALENDAR.year(2027)
    assert year.provisional and "放假办法" in year.basis
    assert not year.make_up_days
    # 除夕 is 腊月廿九 in 2027 (5 Feb); 正月初一 6 Feb; 清明 5 Apr; 端午 9 Jun; 中秋 15 Sep.
    expected = {
        D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8), D(2027, 4, 5),
        D(2027, 5, 1), D(2027, 5, 2), D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1), D(2027, 10, 2),
        D(2027, 10, 3),
    }  # fmt: skip
    assert year.holiday_dates == expected
    assert not is_working_day(D(2027, 2, 5)) and is_working_day(D(2027, 2, 9))
    assert not is_working_day(D(2027, 2, 13))  # a Saturday stays a rest day: no make-up day is guessed


def test_a_year_before_2025_counts_on_the_earlier_law_with_three_spring_festival_days() -> None:
    assert law_in_force(2024) is HOLIDAY_LAWS[0] and law_in_force(2025) is HOLIDAY_LAWS[1]
    # 2024: 正月初一 is 10 Feb; 除夕 (9 Feb) was not a statutory holiday before 2025.
    assert {d for d in CALENDAR.year(2024).holiday_dates if d.month == 2} == {
        D(2024, 2, 10), D(2024, 2, 11), D(2024, 2, 12)
    }  # fmt: skip
    assert is_working_day(D(2024, 2, 9))


@pytest.mark.parametrize("day", [D(1999, 5, 3), D(2027, 1, 1), D(2060, 10, 9)])
def test_no_date_makes_the_calendar_raise(day: date) -> None:
    assert isinstance(is_working_day(day), bool)
    assert working_days_between(D(2026, 6, 1), day) != 0


def test_a_calendar_without_a_lunar_source_refuses_years_it_does_not_know() -> None:
    notices_only = WorkingDayCalendar(ARRANGEMENTS)
    with pytest.raises(CalendarOutOfRange) as caught:
        notices_only.is_working_day(D(2027, 1, 4))
    assert caught.value.code == "calendar.out_of_range"
    assert "2027" in caught.value.message.zh and "2025-2026" in caught.value.message.en


def test_counting_across_2026_into_2027_uses_the_computed_holidays() -> None:
    # Wed 30 Dec 2026, Thu 31 Dec, [Fri 1 Jan 2027 元旦], Mon 4 Jan ...
    assert add_working_days(D(2026, 12, 29), 3) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 1), D(2027, 1, 4)) == 23


def test_add_working_days_skips_weekends_and_holidays_and_uses_make_up_days() -> None:
    start = D(2025, 9, 26)  # Friday before National Day 2025
    assert [add_working_days(start, n) for n in range(1, 7)] == [
        D(2025, 9, 28),  # Sunday make-up day
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),  # after the 8-day holiday
        D(2025, 10, 10),
        D(2025, 10, 11),  # Saturday make-up day
    ]


def test_add_zero_working_days_returns_the_start() -> None:
    assert add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)


def test_add_working_days_counts_from_the_next_day_even_on_a_holiday() -> None:
    assert add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)


def test_add_negative_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="zero or positive"):
        add_working_days(D(2025, 3, 3), -1)


def test_working_days_between_excludes_start_and_includes_end() -> None:
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 4)) == 1
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Friday -> Monday


def test_working_days_between_is_negative_when_reversed() -> None:
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 3)) == -5


def test_working_days_can_span_the_year_end() -> None:
    # 2025-12-31 Wed -> 2026-01-05 Mon: 1-3 Jan holiday, 4 Jan Sunday make-up day, 5 Jan.
    assert working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 2
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_calendar_rejects_a_make_up_day_that_is_not_a_weekend() -> None:
    bad = YearArrangement(2025, "t", D(2024, 11, 12), "https://example.invalid", (), (D(2025, 3, 3),))
    with pytest.raises(ValueError, match="weekend"):
        WorkingDayCalendar({2025: bad})


def test_calendar_rejects_a_date_that_is_both_holiday_and_make_up_day() -> None:
    day = D(2025, 3, 1)
    bad = YearArrangement(
        2025, "t", D(2024, 11, 12), "https://x.invalid", (HolidayPeriod("x", "x", day, day),), (day,)
    )
    with pytest.raises(ValueError, match="both"):
        WorkingDayCalendar({2025: bad})


_IN_RANGE = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 6, 30))


@given(_IN_RANGE, st.integers(min_value=0, max_value=100))
def test_add_working_days_then_working_days_between_round_trips(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n
    if n:
        assert is_working_day(end)


@given(_IN_RANGE, _IN_RANGE, _IN_RANGE)
def test_working_days_between_adds_up(a: date, b: date, c: date) -> None:
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@given(
    st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31)),
    st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_counting_and_adding_agree_with_walking_the_calendar_day_by_day(a: date, b: date, n: int) -> None:
    first, last = sorted((a, b))
    walked = sum(is_working_day(first + timedelta(days=i)) for i in range(1, (last - first).days + 1))
    assert working_days_between(first, last) == walked == -working_days_between(last, first)
    day, remaining = a, n
    while remaining:
        day += timedelta(days=1)
        remaining -= is_working_day(day)
    assert add_working_days(a, n) == day
