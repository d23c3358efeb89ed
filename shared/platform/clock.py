"""The injectable clock: everything that asks "what time is it" takes a ``Clock`` (tests pass a fixed one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The default clock: an aware UTC ``datetime``."""
    return datetime.now(UTC)
