"""Working-day arithmetic on the mainland China calendar, and the 20-working-day scoring clock.

Counting convention (the usual one for administrative time limits: the start day itself is not
counted):

* ``add_working_days(start, n)`` is the n-th working day *after* ``start``; ``n = 0`` gives
  ``start`` back.
* ``working_days_between(a, b)`` counts the working days ``d`` with ``a < d <= b``; it is negative
  (minus the count of ``b < d <= a``) when ``b`` is before ``a``.

So ``working_days_between(a, add_working_days(a, n)) == n`` for every ``a`` and ``n >= 0``.

A year with a published State Council arrangement (:data:`holidays.ARRANGEMENTS`) counts exactly.
Any other year counts on the statutory holidays of the holiday law in force, computed with the
calendar's ``LunarCalendar``, without make-up days: every answer that touches such a year is
*provisional* (``is_provisional``, ``provisional_between``, ``ClockReading.provisional``) and the
UI says so. No date raises; a calendar built without a ``LunarCalendar`` (tests of the published
years) raises :class:`CalendarOutOfRange` outside them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.review.domain.holidays import (
    HOLIDAY_LAWS,
    HolidayLaw,
    HolidayPeriod,
    LunarCalendar,
    YearArrangement,
    law_in_force,
)
from shared.kernel.errors import DomainError
from shared.kernel.text import Text

SATURDAY = 5


class CalendarOutOfRange(DomainError):
    """A year with no published arrangement, and no lunar calendar to compute its holidays."""

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


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """One year's holidays and make-up days, and whether they are the published ones."""

    year: int
    holidays: tuple[HolidayPeriod, ...]
    holiday_dates: frozenset[date]
    make_up_days: frozenset[date]
    provisional: bool
    basis: str
    """The notice's title, or the holiday law's (provisional years)."""
    through_from: int = field(init=False, repr=False, compare=False)
    """The ordinal of 1 January, ``through``'s first day."""
    through: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """``through[i]``: the working days of the year up to and including its day ``i + 1`` (so
    counting and adding working days is a subtraction and a bisection, not a walk day by day)."""

    def __post_init__(self) -> None:
        running, counts = 0, []
        day = date(self.year, 1, 1)
        while day.year == self.year:
            if day not in self.holiday_dates and (day in self.make_up_days or day.weekday() < SATURDAY):
                running += 1
            counts.append(running)
            day += timedelta(days=1)
        object.__setattr__(self, "through", tuple(counts))
        object.__setattr__(self, "through_from", date(self.year, 1, 1).toordinal())

    def working_days_through(self, day: date) -> int:
        return self.through[day.toordinal() - self.through_from]

    @property
    def working_days(self) -> int:
        return self.through[-1]


def _checked(arrangement: YearArrangement) -> CalendarYear:
    year = arrangement.year
    days = arrangement.holiday_dates()
    extra = frozenset(arrangement.make_up_working_days)
    if any(d.year != year for d in days | extra):
        raise ValueError(f"{year}: a listed date falls in another year")
    if days & extra:
        raise ValueError(f"{year}: a date is both a holiday and a make-up working day")
    if any(d.weekday() < SATURDAY for d in extra):
        raise ValueError(f"{year}: a make-up working day must fall on a weekend")
    return CalendarYear(year, arrangement.holidays, days, extra, False, arrangement.notice_title)


@dataclass(frozen=True)
class WorkingDayCalendar:
    arrangements: Mapping[int, YearArrangement]
    lunar: LunarCalendar | None = None
    laws: tuple[HolidayLaw, ...] = HOLIDAY_LAWS
    _years: dict[int, CalendarYear] = field(init=False, repr=False)
    """The published years, and each computed year once it was asked for (a pure function of the
    year and this calendar's data, so a concurrent duplicate computation is harmless)."""

    def __post_init__(self) -> None:
        published = {}
        for year, arrangement in self.arrangements.items():
            if arrangement.year != year:
                raise ValueError(f"arrangement for {arrangement.year} filed under {year}")
            published[year] = _checked(arrangement)
        object.__setattr__(self, "_years", published)

    @property
    def published_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.arrangements))

    def year(self, year: int) -> CalendarYear:
        """The year's holidays: the published arrangement, or the statutory days of the law in force."""
        found = self._years.get(year)
        if found is None:
            if self.lunar is None:
                raise CalendarOutOfRange(date(year, 1, 1), self.published_years)
            law = law_in_force(year, self.laws)
            periods = law.periods(year, self.lunar)
            days = frozenset(d for period in periods for d in period.days() if d.year == year)
            found = self._years[year] = CalendarYear(year, periods, days, frozenset(), True, law.title)
        return found

    def is_provisional(self, day: date) -> bool:
        """Is ``day`` in a year without a published arrangement?"""
        return self.year(day.year).provisional

    def provisional_between(self, a: date, b: date) -> bool:
        """Does a count between ``a`` and ``b`` (either order) touch a provisional year?"""
        first, last = sorted((a, b))
        return any(self.year(y).provisional for y in range(first.year, last.year + 1))

    def is_make_up_working_day(self, day: date) -> bool:
        return day in self.year(day.year).make_up_days

    def is_working_day(self, day: date) -> bool:
        known = self.year(day.year)
        if day in known.holiday_dates:
            return False
        if day in known.make_up_days:
            return True
        return day.weekday() < SATURDAY

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be zero or positive")
        if n == 0:
            return start
        known = self.year(start.year)
        target = known.working_days_through(start) + n
        while target > known.working_days:
            target -= known.working_days
            known = self.year(known.year + 1)
        # The first day of the year whose running count reaches the target is a working day.
        return date.fromordinal(known.through_from + bisect_left(known.through, target))

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        count = self.year(b.year).working_days_through(b) - self.year(a.year).working_days_through(a)
        return count + sum(self.year(y).working_days for y in range(a.year, b.year))


# --- the scoring clock ---------------------------------------------------------------------

SCORING_TIME_LIMIT_WORKING_DAYS = 20
"""Once the materials are verified, the district HRSS sets the score within 20 working days
(domain brief §2b). Review counts it from acceptance (受理通过)."""


@dataclass(frozen=True, slots=True)
class ClockReading:
    started_on: date
    deadline: date
    remaining: int
    """Working days after ``today`` up to and including the deadline; 0 on the deadline day,
    negative (working days late) after it."""
    overdue: bool
    provisional: bool
    """The deadline or the count touches a year without a published arrangement."""

    @property
    def due_today(self) -> bool:
        return self.remaining == 0 and not self.overdue


@dataclass(frozen=True, slots=True)
class ScoringClock:
    """The 20-working-day limit for setting the score, counted from acceptance."""

    calendar: WorkingDayCalendar
    limit: int = SCORING_TIME_LIMIT_WORKING_DAYS

    def deadline(self, started_on: date) -> date:
        return self.calendar.add_working_days(started_on, self.limit)

    def read(self, started_on: date, today: date) -> ClockReading:
        due = self.deadline(started_on)
        return ClockReading(
            started_on=started_on,
            deadline=due,
            remaining=self.calendar.working_days_between(today, due),
            overdue=today > due,
            provisional=self.calendar.provisional_between(started_on, max(due, today)),
        )

    def latest_overdue_start(self, today: date) -> date:
        """The last start date whose clock is overdue on ``today``: a clock started on ``d`` is
        overdue exactly when ``d <= latest_overdue_start(today)`` (deadlines grow with the start),
        so a list can filter overdue cases in SQL."""
        day = today
        while self.deadline(day) >= today:
            day -= timedelta(days=1)
        return day
