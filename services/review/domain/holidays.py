"""Public holidays and make-up working days (调休上班) in mainland China, as data and as law.

Rule of the calendar: Monday-Friday are working days and Saturday/Sunday are not, except that
a holiday is never a working day and a make-up day is always one.

* **Published years** (``ARRANGEMENTS``): the State Council's yearly notice
  《国务院办公厅关于YYYY年部分节假日安排的通知》, which appears in November of the year before, moves
  days around the statutory holidays (bridges, make-up days). Add a year by adding its row here
  (and a test for it); a clock computed before the row existed then counts exactly.
* **Other years** (``HOLIDAY_LAWS``): only the statutory holidays of the holiday law in force
  (《全国年节及纪念日放假办法》) are known. Their lunar dates (春节, 端午, 中秋) and the 清明 solar term
  come from a ``LunarCalendar`` (a maintained calendar package, outside the domain); the make-up
  days cannot be known, so every count that touches such a year is *provisional*.

Sources of the notices (full text checked against the Xinhua release carried by gmw.cn):

* 2025 -- 《国务院办公厅关于2025年部分节假日安排的通知》(国办发明电〔2024〕12号), 2024-11-12,
  https://m.gmw.cn/2024-11/12/content_1303894933.htm
* 2026 -- 《国务院办公厅关于2026年部分节假日安排的通知》, 2025-11-04,
  https://politics.gmw.cn/2025-11/04/content_38391083.htm
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Protocol

from shared.kernel.text import Text


@dataclass(frozen=True, slots=True)
class HolidayPeriod:
    name_zh: str
    name_en: str
    first: date
    last: date

    def days(self) -> tuple[date, ...]:
        count = (self.last - self.first).days + 1
        return tuple(self.first + timedelta(days=i) for i in range(count))


@dataclass(frozen=True, slots=True)
class YearArrangement:
    year: int
    notice_title: str
    notice_date: date
    source_url: str
    holidays: tuple[HolidayPeriod, ...]
    make_up_working_days: tuple[date, ...]

    def holiday_dates(self) -> frozenset[date]:
        return frozenset(d for period in self.holidays for d in period.days())


_D = date

ARRANGEMENTS: Mapping[int, YearArrangement] = MappingProxyType(
    {
        2025: YearArrangement(
            year=2025,
            notice_title="国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
            notice_date=_D(2024, 11, 12),
            source_url="https://m.gmw.cn/2024-11/12/content_1303894933.htm",
            holidays=(
                # 一、元旦：1月1日（周三）放假1天，不调休。
                HolidayPeriod("元旦", "New Year's Day", _D(2025, 1, 1), _D(2025, 1, 1)),
                # 二、春节：1月28日至2月4日放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
                HolidayPeriod("春节", "Spring Festival", _D(2025, 1, 28), _D(2025, 2, 4)),
                # 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
                HolidayPeriod("清明节", "Qingming Festival", _D(2025, 4, 4), _D(2025, 4, 6)),
                # 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
                HolidayPeriod("劳动节", "Labour Day", _D(2025, 5, 1), _D(2025, 5, 5)),
                # 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
                HolidayPeriod("端午节", "Dragon Boat Festival", _D(2025, 5, 31), _D(2025, 6, 2)),
                # 六、国庆节、中秋节：10月1日至8日放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
                HolidayPeriod(
                    "国庆节、中秋节",
                    "National Day and Mid-Autumn Festival",
                    _D(2025, 10, 1),
                    _D(2025, 10, 8),
                ),
            ),
            make_up_working_days=(
                _D(2025, 1, 26),
                _D(2025, 2, 8),
                _D(2025, 4, 27),
                _D(2025, 9, 28),
                _D(2025, 10, 11),
            ),
        ),
        2026: YearArrangement(
            year=2026,
            notice_title="国务院办公厅关于2026年部分节假日安排的通知",
            notice_date=_D(2025, 11, 4),
            source_url="https://politics.gmw.cn/2025-11/04/content_38391083.htm",
            holidays=(
                # 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
                HolidayPeriod("元旦", "New Year's Day", _D(2026, 1, 1), _D(2026, 1, 3)),
                # 二、春节：2月15日（周日）至23日（周一）放假调休，共9天。
                #     2月14日（周六）、2月28日（周六）上班。
                HolidayPeriod("春节", "Spring Festival", _D(2026, 2, 15), _D(2026, 2, 23)),
                # 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
                HolidayPeriod("清明节", "Qingming Festival", _D(2026, 4, 4), _D(2026, 4, 6)),
                # 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
                HolidayPeriod("劳动节", "Labour Day", _D(2026, 5, 1), _D(2026, 5, 5)),
                # 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
                HolidayPeriod("端午节", "Dragon Boat Festival", _D(2026, 6, 19), _D(2026, 6, 21)),
                # 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
                HolidayPeriod("中秋节", "Mid-Autumn Festival", _D(2026, 9, 25), _D(2026, 9, 27)),
                # 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。
                #     9月20日（周日）、10月10日（周六）上班。
                HolidayPeriod("国庆节", "National Day", _D(2026, 10, 1), _D(2026, 10, 7)),
            ),
            make_up_working_days=(
                _D(2026, 1, 4),
                _D(2026, 2, 14),
                _D(2026, 2, 28),
                _D(2026, 5, 9),
                _D(2026, 9, 20),
                _D(2026, 10, 10),
            ),
        ),
    }
)


# --- the holiday law, for years without a published arrangement -----------------------------------


class LunarCalendar(Protocol):
    """Chinese-calendar dates in a Gregorian year (implemented outside the domain by a calendar
    package)."""

    def lunar_day(self, year: int, month: int, day: int) -> date:
        """The Gregorian date of ``month``/``day`` (not a leap month) of the lunar year that starts in
        Gregorian ``year``."""
        ...

    def new_years_eve(self, year: int) -> date:
        """农历除夕: the last day of the lunar year that ends in Gregorian ``year`` (腊月廿九 or 三十)."""
        ...

    def qingming(self, year: int) -> date:
        """The day of the 清明 solar term in ``year``."""
        ...


class DayKind(Enum):
    SOLAR = "solar"
    """A fixed Gregorian month and day (元旦 1 Jan, 劳动节 1-2 May, 国庆节 1-3 Oct)."""
    LUNAR = "lunar"
    """A lunar month and day (春节 正月初一, 端午 五月初五, 中秋 八月十五)."""
    NEW_YEARS_EVE = "new_years_eve"
    """农历除夕."""
    QINGMING = "qingming"
    """The 清明 solar-term day."""


@dataclass(frozen=True, slots=True)
class HolidayDay:
    kind: DayKind
    month: int = 0
    day: int = 0

    def on(self, year: int, lunar: LunarCalendar) -> date:
        if self.kind is DayKind.SOLAR:
            return date(year, self.month, self.day)
        if self.kind is DayKind.LUNAR:
            return lunar.lunar_day(year, self.month, self.day)
        if self.kind is DayKind.NEW_YEARS_EVE:
            return lunar.new_years_eve(year)
        return lunar.qingming(year)


def _solar(month: int, *days: int) -> tuple[HolidayDay, ...]:
    return tuple(HolidayDay(DayKind.SOLAR, month, d) for d in days)


def _lunar(month: int, *days: int) -> tuple[HolidayDay, ...]:
    return tuple(HolidayDay(DayKind.LUNAR, month, d) for d in days)


_EVE = (HolidayDay(DayKind.NEW_YEARS_EVE),)
_QINGMING = (HolidayDay(DayKind.QINGMING),)


@dataclass(frozen=True, slots=True)
class StatutoryHoliday:
    name: Text
    days: tuple[HolidayDay, ...]


@dataclass(frozen=True, slots=True)
class HolidayLaw:
    """One version of 《全国年节及纪念日放假办法》: the holidays every citizen has, from a date."""

    title: str
    effective_from: date
    source: str
    holidays: tuple[StatutoryHoliday, ...]

    def periods(self, year: int, lunar: LunarCalendar) -> tuple[HolidayPeriod, ...]:
        """The year's statutory holidays as periods (one per holiday; its days are consecutive)."""
        found = []
        for holiday in self.holidays:
            days = sorted(d.on(year, lunar) for d in holiday.days)
            found.append(HolidayPeriod(holiday.name.zh, holiday.name.en, days[0], days[-1]))
        return tuple(found)


_NEW_YEAR = Text("元旦", "New Year's Day")
_SPRING = Text("春节", "Spring Festival")
_QINGMING_FESTIVAL = Text("清明节", "Qingming Festival")
_LABOUR = Text("劳动节", "Labour Day")
_DRAGON_BOAT = Text("端午节", "Dragon Boat Festival")
_MID_AUTUMN = Text("中秋节", "Mid-Autumn Festival")
_NATIONAL = Text("国庆节", "National Day")

HOLIDAY_LAWS: tuple[HolidayLaw, ...] = (
    HolidayLaw(
        title="全国年节及纪念日放假办法（2013年12月11日国务院令第644号修订）",
        effective_from=date(2014, 1, 1),
        source="国务院令第644号 (2013-12-11): 11 days; 春节 is 正月初一 to 初三",
        holidays=(
            StatutoryHoliday(_NEW_YEAR, _solar(1, 1)),
            StatutoryHoliday(_SPRING, _lunar(1, 1, 2, 3)),
            StatutoryHoliday(_QINGMING_FESTIVAL, _QINGMING),
            StatutoryHoliday(_LABOUR, _solar(5, 1)),
            StatutoryHoliday(_DRAGON_BOAT, _lunar(5, 5)),
            StatutoryHoliday(_MID_AUTUMN, _lunar(8, 15)),
            StatutoryHoliday(_NATIONAL, _solar(10, 1, 2, 3)),
        ),
    ),
    HolidayLaw(
        # domain brief §2b′: the State Council's decision of November 2024 added 农历除夕 and 5月2日.
        title="全国年节及纪念日放假办法（2024年11月国务院决定修订，2025年1月1日起施行）",
        effective_from=date(2025, 1, 1),
        source="https://toutiao.com/topic/7466941766890555443 ; "
        "http://www.hbcasj.com/socialgd/10000169/20241113/47572359.html",
        holidays=(
            StatutoryHoliday(_NEW_YEAR, _solar(1, 1)),
            StatutoryHoliday(_SPRING, _EVE + _lunar(1, 1, 2, 3)),
            StatutoryHoliday(_QINGMING_FESTIVAL, _QINGMING),
            StatutoryHoliday(_LABOUR, _solar(5, 1, 2)),
            StatutoryHoliday(_DRAGON_BOAT, _lunar(5, 5)),
            StatutoryHoliday(_MID_AUTUMN, _lunar(8, 15)),
            StatutoryHoliday(_NATIONAL, _solar(10, 1, 2, 3)),
        ),
    ),
)
"""Versions of the holiday law, oldest first."""


def law_in_force(year: int, laws: tuple[HolidayLaw, ...] = HOLIDAY_LAWS) -> HolidayLaw:
    """The version in force on 1 January of ``year`` (the oldest one for earlier years: such a count
    is provisional anyway)."""
    in_force = [law for law in laws if law.effective_from <= date(year, 1, 1)]
    return in_force[-1] if in_force else laws[0]
