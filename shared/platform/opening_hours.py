"""The online system's opening hours (系统开放时间 8:00–22:00, Asia/Shanghai) for portal writes.

The hours are configuration (``JIFEN_OPENING_HOURS``) and the clock is injectable, so tests can stand
at 21:59 or 22:00 without waiting. Reading pages is always possible; handlers that change data add
the ``within_opening_hours`` guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from shared.kernel.moments import SHANGHAI
from shared.platform.clock import Clock
from shared.platform.problems import ProblemError


@dataclass(frozen=True)
class OpeningHours:
    """Daily opening hours on Shanghai's clock (the portal's only time zone: ``shared.kernel.moments``)."""

    opens: time
    closes: time

    @classmethod
    def parse(cls, spec: str) -> OpeningHours:
        """``"08:00-22:00"`` -> OpeningHours (closing time exclusive)."""
        start, _, end = spec.partition("-")
        opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        if closes <= opens:
            raise ValueError(f"opening hours must close after they open: {spec!r}")
        return cls(opens, closes)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(SHANGHAI).time()
        return self.opens <= local < self.closes

    def label(self) -> str:
        """``8:00–22:00`` as printed on the portal."""
        return f"{self.opens.hour}:{self.opens.minute:02d}–{self.closes.hour}:{self.closes.minute:02d}"


def open_now(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether the portal accepts writes now (``app.state.opening_hours`` on ``app.state.clock``)."""
    hours: OpeningHours = connection.app.state.opening_hours
    clock: Clock = connection.app.state.clock
    return hours.is_open(clock())


async def within_opening_hours(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard for portal writes: 403 ``outside-opening-hours`` while the system is closed (async:
    Litestar runs a sync guard in a worker thread on every request).

    Uses ``app.state.opening_hours`` and ``app.state.clock`` (set by ``create_service_app``).
    """
    if not open_now(connection):
        hours: OpeningHours = connection.app.state.opening_hours
        raise ProblemError(
            403,
            "outside-opening-hours",
            detail_key="problem.outside-opening-hours.detail",
            params={"hours": hours.label()},
        )
