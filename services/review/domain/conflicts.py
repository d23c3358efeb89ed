"""A decision on what a clerk has already decided is refused, saying when and by whom it was taken.

The domain knows the clerk by id only; the message names them generically ("工作人员" / "a clerk") and
``decided_by`` carries the id, so that a page can name the clerk from the district's directory
(:meth:`AlreadyDecided.naming`) and the API hands the id on (problem details member).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.kernel.errors import StateConflict
from shared.kernel.moments import shanghai_time
from shared.kernel.text import Text

A_CLERK = Text("工作人员", "a clerk")


class AlreadyDecided(StateConflict):
    def __init__(
        self, compose: Callable[[Text, str], Text], *, decided_by: str, decided_at: datetime, code: str
    ) -> None:
        self._compose = compose
        self.decided_by = decided_by
        self.decided_at = decided_at
        super().__init__(compose(A_CLERK, shanghai_time(decided_at)), code=code)

    def naming(self, name: str) -> Text:
        """The refusal with the clerk who decided named (``name`` from the clerk directory)."""
        return self._compose(Text(name, name), shanghai_time(self.decided_at))

    def details(self) -> dict[str, Any]:
        return {"decided_by": self.decided_by, "decided_at": self.decided_at.isoformat()}
