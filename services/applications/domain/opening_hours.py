"""When the online system is open: 8:00-22:00 Shanghai time (seed: "系统开放时间为:8:00-22:00").

A pure policy with an injectable clock. The HTTP layer asks it before accepting a write; the aggregate
itself never reads the clock (commands take ``at``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from services.applications.domain.errors import InvalidCommandError
from shared.kernel.errors import StateConflict
from shared.kernel.text import Text

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


def require_aware(moment: datetime) -> None:
    """Refuse a naive datetime (``InvalidCommandError``): every time the domain takes must be aware."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidCommandError.of(
            "at", "time.not_timezone_aware", Text("时间必须带时区", "The time must be timezone-aware")
        )


class SystemClosedError(StateConflict):
    """The online system is closed at this time of day (not possible now; possible in opening hours)."""

    code = "system_closed"


@dataclass(frozen=True)
class OpeningHours:
    """Open from ``open`` (inclusive) to ``close`` (exclusive), local time in ``tz``: 22:00:00 is closed."""

    open: time = time(8, 0)
    close: time = time(22, 0)
    tz: tzinfo = SHANGHAI
    clock: Callable[[], datetime] = field(default=utc_now, compare=False)

    def __post_init__(self) -> None:
        if not self.open < self.close:
            raise ValueError("opening time must be before closing time")

    def is_open(self, now: datetime | None = None) -> bool:
        """Whether the system is open at ``now`` (default: the clock's time). ``now`` must be aware."""
        moment = self.clock() if now is None else now
        require_aware(moment)
        local = moment.astimezone(self.tz).time()
        return self.open <= local < self.close

    def ensure_open(self, now: datetime | None = None) -> None:
        """Raise ``SystemClosedError`` (with the opening hours in both languages) when closed."""
        if not self.is_open(now):
            hours = f"{self.open:%H:%M}-{self.close:%H:%M}"
            raise SystemClosedError(
                Text(
                    f"系统开放时间为 {hours}(北京时间),请在开放时间内办理",
                    f"The system is open {hours} Beijing time; please come back during opening hours",
                )
            )
