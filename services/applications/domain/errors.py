"""Domain errors of the applications service, each with a message in Simplified Chinese and English.

Validators never raise: they return a list of ``FieldError`` values so that a form page can show every
problem at once. Commands raise one of the ``DomainError`` subclasses below; the ones that come from
validation carry all the ``FieldError`` values found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WHOLE_SECTION = ""
"""``FieldError.field`` value for a problem that concerns a whole section (e.g. a missing section)."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One failed rule on one field of one form section.

    ``field`` is a path inside the section, e.g. ``"mobile"``, ``"entries[2].end_month"`` or
    ``"children[0].enjoys_points_benefits"``; ``WHOLE_SECTION`` for section-level problems.
    ``code`` is stable and machine-readable (for APIs, tests and translations).
    """

    section: str
    field: str
    code: str
    message_zh: str
    message_en: str


class DomainError(Exception):
    """Base class: a command was refused. Carries the reason in Chinese and English."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_en} / {message_zh}")


class ValidationFailedError(DomainError):
    """Base class of the errors that carry field-level problems."""

    def __init__(self, errors: Iterable[FieldError], message_zh: str, message_en: str) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(message_zh, message_en)

    @property
    def codes(self) -> set[str]:
        """The distinct error codes, handy for callers that branch on a rule."""
        return {error.code for error in self.errors}


class SectionInvalidError(ValidationFailedError):
    """A section was not saved because it has problems; ``errors`` lists all of them."""

    def __init__(self, section: str, errors: Iterable[FieldError]) -> None:
        self.section = section
        collected = tuple(errors)
        super().__init__(
            collected,
            f"本栏目有 {len(collected)} 处填写错误,未保存",
            f"The section has {len(collected)} problem(s) and was not saved",
        )


class ApplicationIncompleteError(ValidationFailedError):
    """The application cannot be finished (完成) or approved by the unit: ``errors`` lists every problem,
    including missing sections and veto items."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        collected = tuple(errors)
        super().__init__(
            collected,
            f"申请信息有 {len(collected)} 处问题,请修改后再点击“完成”",
            f"The application has {len(collected)} problem(s); correct them before finishing",
        )


class TransitionNotAllowedError(DomainError):
    """The action is not possible in the application's current status."""

    def __init__(self, status: str, action: str, message_zh: str, message_en: str) -> None:
        self.status = status
        self.action = action
        super().__init__(message_zh, message_en)


class ActorNotAllowedError(DomainError):
    """The actor (role or identity) may not perform this command on this application."""


class ReasonRequiredError(DomainError):
    """Returns, refusals, rejections and withdrawals must state a reason."""


class EditingLockedError(DomainError):
    """The application was submitted (单位审核通过) and cannot be changed online until it is returned or
    withdrawn at the window."""

    def __init__(self, status: str, message_zh: str, message_en: str) -> None:
        self.status = status
        super().__init__(message_zh, message_en)


class PledgeNotAcceptedError(DomainError):
    """Sections can be saved only after both the applicant and the unit accepted the pledge (承诺与授权)."""


class UnitChangeNotAllowedError(DomainError):
    """The applicant may move the application to another unit only before it is submitted."""


class InvalidCommandError(DomainError):
    """A command argument is malformed (naive timestamp, empty application number, ...)."""
