"""Time in the applications domain: the aggregate never reads the clock, every command takes ``at``.

``at`` must be timezone-aware; its calendar date in Shanghai is the application date the form rules
are checked on. (When the online system is open is not a domain rule: the portal's opening hours are
``shared.platform.opening_hours``, applied by the web layer to writes by units and applicants.)
"""

from __future__ import annotations

from datetime import date, datetime

from services.applications.domain.errors import InvalidCommandError
from shared.kernel.moments import SHANGHAI
from shared.kernel.text import Text


def require_aware(moment: datetime) -> None:
    """Refuse a naive datetime (``InvalidCommandError``): every time the domain takes must be aware."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidCommandError.of(
            "at", "time.not_timezone_aware", Text("时间必须带时区", "The time must be timezone-aware")
        )


def application_date(at: datetime) -> date:
    """The calendar date in Shanghai of an aware datetime: the date the form rules are checked on."""
    return at.astimezone(SHANGHAI).date()
