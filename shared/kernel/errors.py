"""Field errors and the kinds of domain error, shared by every domain.

Validators never raise: they return ``FieldError`` values so that a form can show every problem at
once. Commands raise a ``DomainError``; its *kind* (the base class) says how any entry point answers,
in one place (``shared.platform.problems``):

=====================  ======  =====================================================================
kind                   HTTP    meaning
=====================  ======  =====================================================================
``ValidationFailed``   422     the input breaks rules; ``errors`` lists every field-level problem
``DomainError``        422     any other rule refused the command (the message says which)
``StateConflict``      409     not possible in the current state (a transition, a stale version,
                               a duplicate, a decision already taken)
``NotPermitted``       403     the caller's role or duty does not allow it
``NotVisible``         404     unknown, or not the caller's to see: the answer never confirms that
                               another unit's or person's record exists
=====================  ======  =====================================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared.kernel.text import Text

WHOLE_SECTION = ""
"""``FieldError.field`` of a problem that concerns a whole section (e.g. a missing section)."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One failed rule on one field.

    ``field`` is a path inside its ``section`` (``"mobile"``, ``"entries[2].end_month"``), or
    ``WHOLE_SECTION``; forms without sections leave ``section`` empty. ``code`` is stable and
    machine-readable (APIs, tests, translations).
    """

    field: str
    code: str
    message: Text
    section: str = ""

    @property
    def path(self) -> str:
        """``section.field`` (or whichever of the two is set): the field's name in an API problem."""
        if self.section and self.field:
            return f"{self.section}.{self.field}"
        return self.section or self.field


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Validated(Generic[T]):
    """What a validator found: the valid (normalised) ``value``, or ``None`` and every failed rule."""

    value: T | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


class DomainError(Exception):
    """A command was refused by a rule; ``message`` says why in both languages."""

    code: str = "domain.refused"
    """Stable name of the refusal (problem details carry it); subclasses and instances refine it."""

    def __init__(self, message: Text, *, code: str | None = None) -> None:
        self.message = message
        if code is not None:
            self.code = code
        super().__init__(f"{message.en} / {message.zh}")

    def details(self) -> dict[str, Any]:
        """What a caller needs beyond the message to act on the refusal (JSON-ready; problem
        details carry it as extension members). None by default."""
        return {}


class ValidationFailed(DomainError):
    """The input breaks rules: ``errors`` holds every field-level problem found."""

    code = "validation_failed"

    def __init__(self, errors: Iterable[FieldError], message: Text | None = None) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        count = len(self.errors)
        super().__init__(
            message or Text(f"有 {count} 处填写错误", f"There are {count} problem(s) with what was entered")
        )

    @property
    def codes(self) -> set[str]:
        """The distinct error codes (callers that branch on a rule, tests)."""
        return {error.code for error in self.errors}


class StateConflict(DomainError):
    """The command is not possible in the current state (HTTP 409, with the reason)."""

    code = "state_conflict"


class NotPermitted(DomainError):
    """The caller's role or duty does not allow the command (HTTP 403)."""

    code = "not_permitted"


class NotVisible(DomainError):
    """Unknown, or not the caller's to see (HTTP 404): never confirms that the record exists."""

    code = "not_found"
