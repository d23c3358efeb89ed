"""Public holidays and make-up working days (调休上班) in mainland China, as data.

Rule of the calendar: Monday-Friday are working days and Saturday/Sunday are not, except that
a listed holiday is never a working day and a listed make-up day is always one. Only the years
below are known; the State Council publishes each year's notice in November of the year before,
so add the next year here when it appears (and a test for it).

Sources (full text checked against the Xinhua release carried by gmw.cn):

* 2025 -- 《国务院办公厅关于2025年部分节假日安排的通知》(国办发明电〔2024〕12号), 2024-11-12,
  https://m.gmw.cn/2024-11/12/content_1303894933.htm
* 2026 -- 《国务院办公厅关于2026年部分节假日安排的通知》, 2025-11-04,
  https://politics.gmw.cn/2025-11/04/content_38391083.htm
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType


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
