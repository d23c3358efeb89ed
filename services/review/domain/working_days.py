"""Working-day arithmetic on the mainland China calendar, and the 20-working-day scoring clock.

Counting convention (the usual one for administrative time limits: the start day itself is not
counted):

* ``add_working_days(start, n)`` is the n-th working day *after* ``start``; ``n = 0`` gives
  ``start`` back.
* ``working_days_between(a, b)`` counts the working days ``d`` with ``a < d <= b``; it is negative
  (minus the count of ``b < d <= a``) when ``b`` is before ``a``.

So ``working_days_between(a, add_working_days(a, n)) == n`` for every ``a`` and ``n >= 0``.

Dates outside the years in :mod:`services.review.domain.holidays` raise
:class:`CalendarOutOfRange` instead of guessing: a deadline computed without the holiday notice
would be wrong by up to a week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.review.domain.holidays import ARRANGEMENTS, YearArrangement
from shared.kernel.errors import DomainError
from shared.kernel.text import Text

SATURDAY = 5


class CalendarOutOfRange(DomainError):
    """A date outside the years whose holiday arrangements are known: no deadline is guessed."""

    code = "calendar.out_of_range"

    def __init__(self, day: date, years: tuple[int, ...]) -> None:
        self.day = day
        self.years = years
        span = f"{years[0]}-{years[-1]}" if years else "none"
        super().__init__(
            Text(
                f"工作日历未包含{day.year}年的节假日安排（已有：{span}），无法计算工作日。",
                f"The working-day calendar has no holiday arrangement for {day.year} "
                f"(known years: {span}); cannot count working days on {day.isoformat()}.",
            )
        )


@dataclass(frozen=True)
class WorkingDayCalendar:
    arrangements: Mapping[int, YearArrangement]
    _holidays: frozenset[date] = field(init=False, repr=False)
    _make_up_days: frozenset[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        holidays: set[date] = set()
        make_up: set[date] = set()
        for year, arrangement in self.arrangements.items():
            if arrangement.year != year:
                raise ValueError(f"arrangement for {arrangement.year} filed under {year}")
            days = arrangement.holiday_dates()
            extra = set(arrangement.make_up_working_days)
            if any(d.year != year for d in days | extra):
                raise ValueError(f"{year}: a listed date falls in another year")
            if days & extra:
                raise ValueError(f"{year}: a date is both a holiday and a make-up working day")
            if any(d.weekday() < SATURDAY for d in extra):
                raise ValueError(f"{year}: a make-up working day must fall on a weekend")
            holidays |= days
            make_up |= extra
        object.__setattr__(self, "_holidays", frozenset(holidays))
        object.__setattr__(self, "_make_up_days", frozenset(make_up))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.arrangements))

    def covers(self, day: date) -> bool:
        return day.year in self.arrangements

    def _require(self, day: date) -> None:
        if not self.covers(day):
            raise CalendarOutOfRange(day, self.years)

    def is_make_up_working_day(self, day: date) -> bool:
        self._require(day)
        return day in self._make_up_days

    def is_working_day(self, day: date) -> bool:
        self._require(day)
        if day in self._holidays:
            return False
        if day in self._make_up_days:
            return True
        return day.weekday() < SATURDAY

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be zero or positive")
        self._require(start)
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        self._require(a)
        self._require(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


CHINA_CALENDAR = WorkingDayCalendar(ARRANGEMENTS)
"""The calendar built from the State Council notices in :mod:`holidays` (2025 and 2026)."""


def is_working_day(day: date) -> bool:
    return CHINA_CALENDAR.is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    return CHINA_CALENDAR.add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return CHINA_CALENDAR.working_days_between(a, b)


# --- the scoring clock ---------------------------------------------------------------------

SCORING_TIME_LIMIT_WORKING_DAYS = 20
"""Once the materials are verified, the district HRSS sets the score within 20 working days
(domain brief §2b)."""


@dataclass(frozen=True, slots=True)
class ClockReading:
    started_on: date
    deadline: date
    remaining: int
    """Working days after ``today`` up to and including the deadline; 0 on the deadline day,
    negative (working days late) after it."""
    overdue: bool

    @property
    def due_today(self) -> bool:
        return self.remaining == 0 and not self.overdue


@dataclass(frozen=True, slots=True)
class ScoringClock:
    """The 20-working-day limit for setting the score, counted from the verification date."""

    calendar: WorkingDayCalendar = CHINA_CALENDAR
    limit: int = SCORING_TIME_LIMIT_WORKING_DAYS

    def deadline(self, started_on: date) -> date:
        return self.calendar.add_working_days(started_on, self.limit)

    def remaining(self, started_on: date, today: date) -> int:
        return self.calendar.working_days_between(today, self.deadline(started_on))

    def overdue(self, started_on: date, today: date) -> bool:
        return today > self.deadline(started_on)

    def read(self, started_on: date, today: date) -> ClockReading:
        due = self.deadline(started_on)
        return ClockReading(
            started_on=started_on,
            deadline=due,
            remaining=self.calendar.working_days_between(today, due),
            overdue=today > due,
        )


SCORING_CLOCK = ScoringClock()


def deadline(started_on: date) -> date:
    return SCORING_CLOCK.deadline(started_on)


def remaining(started_on: date, today: date) -> int:
    return SCORING_CLOCK.remaining(started_on, today)


def overdue(started_on: date, today: date) -> bool:
    return SCORING_CLOCK.overdue(started_on, today)
