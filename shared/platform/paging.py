"""Lists read a page at a time: every list a page or the API shows (queues, dashboards, directories)
is paged the same way, twenty rows a page, counted from 1, in a stable order the query gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 20
MAX_PAGE = 100_000
"""Beyond any list of this portal (two million rows). A larger page number asked for reads as this
one, so that no offset overflows PostgreSQL's bigint (a 30-digit ``?page=`` was a 500)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, how many there are in all, and which page this is."""

    rows: Sequence[T]
    total: int
    page: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one, so that an empty list is page 1 of 1)."""
        return page_count(self.total, self.size)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def limit_offset(page: int, size: int = PAGE_SIZE) -> str:
    """The SQL that selects ``page`` (from 1; below 1 is the first, above ``MAX_PAGE`` that one) of
    ``size`` rows."""
    return f" LIMIT {int(size)} OFFSET {(min(max(1, int(page)), MAX_PAGE) - 1) * int(size)}"


def like_literal(text: str) -> str:
    """``text`` matched literally inside a LIKE / ILIKE pattern (``%`` and ``_`` are no wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
