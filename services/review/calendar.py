"""The working-day calendar the review service counts with: the published State Council notices, and
for other years the holiday law's statutory days, with lunar dates from ``lunar-python`` (6tail's
maintained Chinese-calendar package; pure Python, astronomical solar terms).

The domain (``domain/working_days.py``) stays free of the package: it asks a ``LunarCalendar`` for
the few dates the law names, and this module answers with the package.
"""

from __future__ import annotations

from datetime import date

from lunar_python import Lunar

from services.review.domain.holidays import ARRANGEMENTS
from services.review.domain.working_days import ScoringClock, WorkingDayCalendar

"""Clerks count in Shanghai days: a timestamp's working day is its date in Asia/Shanghai."""


def _date(solar: object) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())  # type: ignore[attr-defined]


class LunarPython:
    """``holidays.LunarCalendar`` on lunar-python."""

    def lunar_day(self, year: int, month: int, day: int) -> date:
        return _date(Lunar.fromYmd(year, month, day).getSolar())

    def new_years_eve(self, year: int) -> date:
        return _date(Lunar.fromYmd(year, 1, 1).next(-1).getSolar())

    def qingming(self, year: int) -> date:
        # The jieqi table of the lunar year that starts in ``year`` holds that year's 清明 (April).
        return _date(Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"])


CALENDAR = WorkingDayCalendar(ARRANGEMENTS, lunar=LunarPython())
SCORING_CLOCK = ScoringClock(CALENDAR)
