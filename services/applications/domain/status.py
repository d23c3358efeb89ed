"""The application status machine, as data.

``TRANSITIONS`` maps (current status, action) to the new status, the roles (``shared.kernel.roles``)
allowed to take the action, and whether a reason is required. ``plan_transition`` is the one generic
check every status change goes through; the aggregate records the result as a ``StatusChanged`` event.
The statuses and their labels are the kernel's vocabulary (``shared.kernel.application_status``),
because review and documents show them too; the machine itself is this service's.

Sources: the seed page (完成 → 单位审核通过 → 等待受理 → 受理通过 → 等待审批 → 审批通过; after 单位审核通过
"信息无法修改,如要修改必须到对应人才服务中心窗口提交申请撤销"), ARCHITECTURE §4 and domain.md §2d.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from services.applications.domain.errors import (
    ActorNotAllowedError,
    ReasonRequiredError,
    ReasonTooLongError,
    TransitionNotAllowedError,
)
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.roles import Role
from shared.kernel.text import LabelledEnum, Text


class Action(LabelledEnum):
    """Everything that changes an application's status (labels complete "not possible to ...")."""

    COMPLETE = "COMPLETE", Text("完成填写", "finish the form")
    REOPEN = "REOPEN", Text("修改已完成的申报信息", "change a completed form")
    RETURN_TO_APPLICANT = "RETURN_TO_APPLICANT", Text("单位退回", "return to the applicant")
    APPROVE_AT_UNIT = "APPROVE_AT_UNIT", Text("单位审核通过", "approve and submit as the unit")
    QUEUE_FOR_ACCEPTANCE = "QUEUE_FOR_ACCEPTANCE", Text("转入等待受理", "queue for acceptance")
    ACCEPT = "ACCEPT", Text("受理", "accept")
    REFUSE_ACCEPTANCE = "REFUSE_ACCEPTANCE", Text("不予受理", "refuse to accept")
    RETURN_FOR_CORRECTION = "RETURN_FOR_CORRECTION", Text("退回补正", "return for correction")
    QUEUE_FOR_APPROVAL = "QUEUE_FOR_APPROVAL", Text("转入等待审批", "queue for approval")
    APPROVE = "APPROVE", Text("审批通过", "approve")
    REJECT = "REJECT", Text("审批不通过", "reject")
    WITHDRAW = "WITHDRAW", Text("申请撤销", "withdraw")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a role and an identity.

    For ``Role.APPLICANT`` the id is the applicant's account id, for ``Role.UNIT`` the unit id (a unit
    logs in with its unit account), for ``Role.CLERK`` the clerk's id, for ``Role.SYSTEM`` the name of
    the process.
    """

    role: Role
    id: str


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the status machine: where an action leads and who may take it."""

    target: ApplicationStatus
    roles: frozenset[Role]
    reason_required: bool = False
    reason_max_length: int | None = None
    """Characters of the reason typed here; ``None`` for the talent centre's, which review checks (退回补正
    joins the reasons of several sections, each up to the kernel's limit)."""


_APPLICANT_OR_UNIT = frozenset({Role.APPLICANT, Role.UNIT})
_UNIT = frozenset({Role.UNIT})
_CLERK = frozenset({Role.CLERK})
_CLERK_OR_SYSTEM = frozenset({Role.CLERK, Role.SYSTEM})

_S = ApplicationStatus

EDITABLE_STATUSES: frozenset[ApplicationStatus] = frozenset(
    {_S.DRAFT, _S.COMPLETED, _S.RETURNED_BY_UNIT, _S.RETURNED_FOR_CORRECTION, _S.WITHDRAWN}
)
"""Sections may be saved (and the unit changed) only in these statuses, i.e. before submission."""

SUBMITTED_STATUSES: frozenset[ApplicationStatus] = frozenset(
    {_S.UNIT_APPROVED, _S.AWAITING_ACCEPTANCE, _S.ACCEPTED, _S.AWAITING_APPROVAL}
)
"""Submitted and still in progress at the talent centre: locked; a withdrawal (申请撤销) is possible."""

FINAL_STATUSES: frozenset[ApplicationStatus] = frozenset({_S.NOT_ACCEPTED, _S.APPROVED, _S.REJECTED})
"""Decided. Nothing else can happen to the application (a new one gets a new 流水号)."""

_COMPLETE = Transition(_S.COMPLETED, _APPLICANT_OR_UNIT)
_WITHDRAW = Transition(_S.WITHDRAWN, _CLERK, reason_required=True)
_RETURN_FOR_CORRECTION = Transition(_S.RETURNED_FOR_CORRECTION, _CLERK, reason_required=True)

TRANSITIONS: Mapping[tuple[ApplicationStatus, Action], Transition] = MappingProxyType(
    {
        # The applicant (or the unit on the applicant's behalf) finishes the form: 完成.
        (_S.DRAFT, Action.COMPLETE): _COMPLETE,
        (_S.RETURNED_BY_UNIT, Action.COMPLETE): _COMPLETE,
        (_S.RETURNED_FOR_CORRECTION, Action.COMPLETE): _COMPLETE,
        (_S.WITHDRAWN, Action.COMPLETE): _COMPLETE,
        # Changing a completed form (seed step 10) takes it back to draft, so that the unit never
        # approves data it has not seen complete. The aggregate does this on any edit.
        (_S.COMPLETED, Action.REOPEN): Transition(_S.DRAFT, _APPLICANT_OR_UNIT),
        # The unit checks: sends back, or approves and thereby submits (locks) it.
        (_S.COMPLETED, Action.RETURN_TO_APPLICANT): Transition(
            _S.RETURNED_BY_UNIT, _UNIT, reason_required=True, reason_max_length=REASON_MAX_LENGTH
        ),
        (_S.COMPLETED, Action.APPROVE_AT_UNIT): Transition(_S.UNIT_APPROVED, _UNIT),
        # The talent centre: materials handed in at the window (or the case opened by the system).
        (_S.UNIT_APPROVED, Action.QUEUE_FOR_ACCEPTANCE): Transition(_S.AWAITING_ACCEPTANCE, _CLERK_OR_SYSTEM),
        (_S.AWAITING_ACCEPTANCE, Action.ACCEPT): Transition(_S.ACCEPTED, _CLERK),
        (_S.AWAITING_ACCEPTANCE, Action.REFUSE_ACCEPTANCE): Transition(
            _S.NOT_ACCEPTED, _CLERK, reason_required=True
        ),
        (_S.AWAITING_ACCEPTANCE, Action.RETURN_FOR_CORRECTION): _RETURN_FOR_CORRECTION,
        (_S.ACCEPTED, Action.QUEUE_FOR_APPROVAL): Transition(_S.AWAITING_APPROVAL, _CLERK_OR_SYSTEM),
        (_S.AWAITING_APPROVAL, Action.RETURN_FOR_CORRECTION): _RETURN_FOR_CORRECTION,
        (_S.AWAITING_APPROVAL, Action.APPROVE): Transition(_S.APPROVED, _CLERK),
        (_S.AWAITING_APPROVAL, Action.REJECT): Transition(_S.REJECTED, _CLERK, reason_required=True),
        # 申请撤销, recorded at the window, from any submitted status still in progress.
        (_S.UNIT_APPROVED, Action.WITHDRAW): _WITHDRAW,
        (_S.AWAITING_ACCEPTANCE, Action.WITHDRAW): _WITHDRAW,
        (_S.ACCEPTED, Action.WITHDRAW): _WITHDRAW,
        (_S.AWAITING_APPROVAL, Action.WITHDRAW): _WITHDRAW,
    }
)


def allowed_transition(status: ApplicationStatus, action: Action, role: Role) -> Transition:
    """The transition for ``action`` in ``status`` if ``role`` may take it (a page asks before it
    offers the action). Raises ``TransitionNotAllowedError`` naming the current status if the table has
    no such row, ``ActorNotAllowedError`` if the role may not take the action."""
    transition = TRANSITIONS.get((status, action))
    if transition is None:
        raise TransitionNotAllowedError(
            status.value,
            action.value,
            Text(
                f"申请当前状态为“{status.label.zh}”，不能{action.label.zh}",
                f'The application\'s status is "{status.label.en}"; it is not possible '
                f"to {action.label.en} now",
            ),
        )
    if role not in transition.roles:
        allowed = [r.label for r in Role if r in transition.roles]
        raise ActorNotAllowedError(
            Text(
                f"“{action.label.zh}”只能由{'、'.join(label.zh for label in allowed)}操作",
                f"Only these may {action.label.en}: {', '.join(label.en for label in allowed)}",
            )
        )
    return transition


def plan_transition(status: ApplicationStatus, action: Action, role: Role, reason: str) -> Transition:
    """The transition for ``action`` in ``status``, after checking the role and the reason.

    Raises as :func:`allowed_transition` does, ``ReasonRequiredError`` if a reason is required and
    blank, ``ReasonTooLongError`` if it is longer than the row allows.
    """
    transition = allowed_transition(status, action, role)
    if transition.reason_required and not reason.strip():
        raise ReasonRequiredError(
            Text(f"“{action.label.zh}”必须填写原因", f"A reason is required to {action.label.en}")
        )
    most = transition.reason_max_length
    if most is not None and len(reason.strip()) > most:
        raise ReasonTooLongError(
            Text(
                f"“{action.label.zh}”的原因不能超过{most}个字（现为{len(reason.strip())}个字）",
                f"The reason to {action.label.en} must be at most {most} characters "
                f"(it has {len(reason.strip())})",
            )
        )
    return transition
