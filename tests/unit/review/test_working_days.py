"""Working-day calendar from the State Council holiday notices for 2025 and 2026."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.review.domain.holidays import ARRANGEMENTS, HolidayPeriod, YearArrangement
from services.review.domain.working_days import (
    CHINA_CALENDAR,
    CalendarOutOfRange,
    WorkingDayCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = date


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
    assert CHINA_CALENDAR.is_make_up_working_day(day)


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


@pytest.mark.parametrize("day", [D(2024, 12, 31), D(2027, 1, 1)])
def test_dates_outside_the_holiday_data_raise_a_clear_error(day: date) -> None:
    with pytest.raises(CalendarOutOfRange) as caught:
        is_working_day(day)
    error = caught.value
    assert error.code == "calendar.out_of_range"
    assert str(day.year) in error.message.zh and "2025-2026" in error.message.en


def test_counting_into_a_year_without_data_raises() -> None:
    with pytest.raises(CalendarOutOfRange):
        add_working_days(D(2026, 12, 30), 5)
    with pytest.raises(CalendarOutOfRange):
        working_days_between(D(2026, 12, 1), D(2027, 1, 4))


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


_IN_RANGE = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 6, 30))


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
