"""Shanghai time: the portal's opening hours, application numbers, working days, every date a user
reads. Instants are stored aware (UTC); this is the zone they are shown and dated in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

__all__ = ["SHANGHAI"]
