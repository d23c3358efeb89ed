"""Domain errors of the applications service, each a kind of the kernel's errors (``shared.kernel.errors``).

Validators never raise: they return a list of ``FieldError`` values so that a form page can show every
problem at once. Commands raise one of the errors below; the kind (base class) says how an entry point
answers: ``ValidationFailed`` (422, with every field error), ``StateConflict`` (409, with the reason),
``NotPermitted`` (403), ``NotVisible`` (404: another applicant's or unit's application is answered as if
it did not exist).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from shared.kernel.errors import (
    FieldError,
    NotPermitted,
    NotVisible,
    StateConflict,
    ValidationFailed,
)
from shared.kernel.moments import SHANGHAI
from shared.kernel.text import Text


class SectionInvalidError(ValidationFailed):
    """A section was not saved because it has problems; ``errors`` lists all of them."""

    code = "application.section_invalid"

    def __init__(self, section: str, errors: Iterable[FieldError]) -> None:
        self.section = section
        collected = tuple(errors)
        super().__init__(
            collected,
            Text(
                f"本栏目有 {len(collected)} 处填写错误，未保存",
                f"The section has {len(collected)} problem(s) and was not saved",
            ),
        )


class ApplicationIncompleteError(ValidationFailed):
    """The application cannot be finished (完成) or approved by the unit: ``errors`` lists every problem,
    including missing sections and veto items."""

    code = "application.incomplete"

    def __init__(self, errors: Iterable[FieldError]) -> None:
        collected = tuple(errors)
        super().__init__(
            collected,
            Text(
                f"申请信息有 {len(collected)} 处问题，请修改后再点击“完成”",
                f"The application has {len(collected)} problem(s); correct them before finishing",
            ),
        )


class InvalidCommandError(ValidationFailed):
    """A command argument breaks a rule (an application number with spaces, an invalid unit code, an
    approval without a sufficient verified score, a naive timestamp, ...); ``errors`` names the fields."""

    code = "application.invalid_command"

    @classmethod
    def of(cls, field: str, code: str, message: Text) -> InvalidCommandError:
        """The error for one argument; its message is the error's message."""
        return cls((FieldError(field, code, message),), message)


class ReasonRequiredError(ValidationFailed):
    """Returns, refusals, rejections and withdrawals must state a reason (field ``reason``)."""

    code = "application.reason_required"

    def __init__(self, message: Text) -> None:
        super().__init__((FieldError("reason", "required", message),), message)


class ReasonTooLongError(ValidationFailed):
    """A reason longer than its transition allows (field ``reason``; ``status.Transition``)."""

    code = "application.reason_too_long"

    def __init__(self, message: Text) -> None:
        super().__init__((FieldError("reason", "too_long", message),), message)


class TransitionNotAllowedError(StateConflict):
    """The action is not possible in the application's current status."""

    code = "application.transition_not_allowed"

    def __init__(self, status: str, action: str, message: Text) -> None:
        self.status = status
        self.action = action
        super().__init__(message)


class EditingLockedError(StateConflict):
    """The application was submitted (单位审核通过) or decided and cannot be changed online; a submitted
    one can be changed after a return or a withdrawal at the window."""

    code = "application.editing_locked"

    def __init__(self, status: str, message: Text) -> None:
        self.status = status
        super().__init__(message)


class PledgeNotAcceptedError(StateConflict):
    """Sections can be saved only after both the applicant and the unit accepted the pledge (承诺与授权)."""

    code = "application.pledge_not_accepted"


class UnitChangeNotAllowedError(StateConflict):
    """The applicant may move the application to another unit only before it is submitted."""

    code = "application.unit_change_not_allowed"


class ActorNotAllowedError(NotPermitted):
    """The actor's role may not perform this command (e.g. a clerk filling in a section)."""

    code = "application.actor_not_allowed"


NOT_FOUND = Text("未找到该申请", "The application was not found")


class ApplicationNotVisibleError(NotVisible):
    """The actor acts on an application that is not theirs (another applicant's, or an applicant who is
    not the unit's employee). Answered like an unknown application: its existence is not confirmed."""

    def __init__(self, message: Text = NOT_FOUND) -> None:
        super().__init__(message)


class ApplicationAlreadyOpenError(StateConflict):
    """The applicant already has an application that is not decided: it is continued, not started again."""

    code = "application.already_open"

    def __init__(self, application_id: UUID, message: Text) -> None:
        self.application_id = application_id
        super().__init__(message)


NOT_IN_DIRECTORY = Text("未找到该申请人或单位", "The applicant or unit was not found")


class NotInDirectoryError(NotVisible):
    """The applicant or unit is not in this service's directory (unknown, not approved, or not the
    caller's): answered like any record the caller may not see."""

    def __init__(self, message: Text = NOT_IN_DIRECTORY) -> None:
        super().__init__(message)


class StaleVersionError(StateConflict):
    """The command was based on an older version of the application and someone changed it since:
    ``changes`` says who changed what and when (``domain.changes``), ``current_version`` is the version
    to base the next attempt on, once the user has seen them. Nothing was saved."""

    code = "application.stale_version"

    def __init__(self, changes: tuple[Any, ...], *, current_version: int) -> None:
        self.changes = changes
        self.current_version = current_version
        super().__init__(
            Text(
                "自您打开本页以来，申请已被他人修改，本次未保存；请查看修改内容后再保存",
                "Someone changed the application after you opened this page, so nothing was saved; "
                "look at what changed, then save again",
            )
        )

    def details(self) -> dict[str, Any]:
        """The version to retry on and who changed what since (times in Shanghai time)."""
        return {
            "current_version": self.current_version,
            "changes": [
                {
                    "kind": change.kind.value,
                    "by_role": change.by_role.value,
                    "at": change.at.astimezone(SHANGHAI).isoformat(),
                    "section": change.section.value if change.section else None,
                    "part": change.part,
                    "status": change.status.value if change.status else None,
                    "fields": list(change.fields),
                }
                for change in self.changes
            ],
        }


class UnitNotApprovedError(StateConflict):
    """The applicant's unit is not (yet) an approved unit in this service's directory."""

    code = "application.unit_not_approved"
