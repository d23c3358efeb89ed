"""Shanghai time: the portal's opening hours, application numbers, working days, every date a user
reads. Instants are stored aware (UTC); this is the zone they are shown and dated in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

MINUTE = "%Y-%m-%d %H:%M"


def shanghai_date(at: datetime) -> date:
    """The day an instant falls on in Shanghai."""
    return at.astimezone(SHANGHAI).date()


def shanghai_time(at: datetime | date | None, pattern: str = MINUTE) -> str:
    """An instant as users read it, on Shanghai's clock (a date is shown as it is; none is blank)."""
    if at is None:
        return ""
    if isinstance(at, datetime):
        return at.astimezone(SHANGHAI).strftime(pattern)
    return at.strftime(pattern)


__all__ = ["MINUTE", "SHANGHAI", "shanghai_date", "shanghai_time"]
