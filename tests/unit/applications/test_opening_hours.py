"""The online system is open 8:00-22:00 Shanghai time (seed: "系统开放时间为:8:00-22:00")."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from services.applications.domain.errors import InvalidCommandError
from services.applications.domain.opening_hours import SHANGHAI, OpeningHours, SystemClosedError

HOURS = OpeningHours()


def shanghai(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, 16, hour, minute, second, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (shanghai(7, 59, 59), False),
        (shanghai(8, 0), True),
        (shanghai(12, 30), True),
        (shanghai(21, 59, 59), True),
        (shanghai(22, 0), False),
        (shanghai(23, 30), False),
        (shanghai(0, 0), False),
    ],
)
def test_system_is_open_from_eight_to_twenty_two_shanghai_time(moment: datetime, is_open: bool) -> None:
    assert HOURS.is_open(moment) is is_open


def test_times_in_other_zones_are_read_in_shanghai_time() -> None:
    assert HOURS.is_open(datetime(2026, 3, 16, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    assert not HOURS.is_open(datetime(2026, 3, 16, 14, 30, tzinfo=UTC))  # 22:30 in Shanghai


def test_the_clock_is_injectable() -> None:
    now = shanghai(7, 0)
    hours = OpeningHours(clock=lambda: now)
    assert not hours.is_open()
    now = shanghai(9, 0)
    assert hours.is_open()


def test_closed_system_explains_the_opening_hours_in_chinese_and_english() -> None:
    hours = OpeningHours(clock=lambda: shanghai(23, 0))
    with pytest.raises(SystemClosedError) as raised:
        hours.ensure_open()
    assert "08:00-22:00" in raised.value.message.zh and "开放时间" in raised.value.message.zh
    assert "08:00-22:00" in raised.value.message.en and "open" in raised.value.message.en
    OpeningHours(clock=lambda: shanghai(10, 0)).ensure_open()


def test_other_opening_hours_can_be_configured() -> None:
    hours = OpeningHours(open=time(9, 0), close=time(17, 0))
    assert not hours.is_open(shanghai(8, 30))
    assert hours.is_open(shanghai(16, 59))
    with pytest.raises(ValueError):
        OpeningHours(open=time(22, 0), close=time(8, 0))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidCommandError):
        HOURS.is_open(datetime(2026, 3, 16, 10, 0))
