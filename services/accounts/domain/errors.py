"""Validation error value used by every accounts validator.

Each error carries a stable machine code (for APIs, tests and translations) and the
message in Simplified Chinese and English. Kept local to the accounts service: services do
not share domain code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One failed rule on one field."""

    field: str
    code: str
    message_zh: str
    message_en: str


class ValidationFailed(ValueError):
    """Raised by the ``require_*`` helpers and aggregate commands when input is invalid."""

    def __init__(self, errors: tuple[FieldError, ...]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))
