"""Instants are stored in UTC and shown on Shanghai's clock (UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.kernel.moments import shanghai_date, shanghai_time


def test_an_instant_is_shown_on_shanghais_clock() -> None:
    assert shanghai_time(datetime(2026, 12, 1, 7, 30, tzinfo=UTC)) == "2026-12-01 15:30"


def test_an_evening_instant_in_utc_falls_on_the_next_day_in_shanghai() -> None:
    late = datetime(2026, 12, 31, 16, 5, tzinfo=UTC)
    assert shanghai_date(late) == date(2027, 1, 1)
    assert shanghai_time(late, "%Y-%m-%d") == "2027-01-01"


def test_a_date_is_shown_as_it_is_and_nothing_is_blank() -> None:
    assert shanghai_time(date(2026, 3, 9), "%Y-%m-%d") == "2026-03-09"
    assert shanghai_time(None) == ""
