"""The status machine: every allowed transition, every forbidden one, who may act, and why.

``EXPECTED_TRANSITIONS`` is written out by hand from the seed page and domain.md §2d (and
ARCHITECTURE §4 for the talent centre's refusals), and compared with ``TRANSITIONS`` both ways: a row
missing, added or changed in the table under test fails here. The other tests derive their cases from
the table to drive every row through the aggregate.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from services.applications.domain.application import PointsApplication
from services.applications.domain.errors import (
    ActorNotAllowedError,
    EditingLockedError,
    InvalidCommandError,
    ReasonRequiredError,
    ReasonTooLongError,
    TransitionNotAllowedError,
)
from services.applications.domain.status import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    SUBMITTED_STATUSES,
    TRANSITIONS,
    Action,
    Transition,
    plan_transition,
)
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.points import rules
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.roles import Role
from tests.unit.applications.builders import (
    ACTOR_FOR_ROLE,
    APPLICANT,
    AT,
    CLERK,
    UNIT,
    VERIFIED_SCORE,
    actor_for,
    application_in,
    personal_info,
    take,
)

ALLOWED = sorted(TRANSITIONS.items())
FORBIDDEN = [
    (status, action)
    for status in ApplicationStatus
    for action in Action
    if (status, action) not in TRANSITIONS
]
ROLE_REFUSALS = [
    (status, action, role)
    for (status, action), transition in ALLOWED
    for role in Role
    if role not in transition.roles
]
LATER = AT + timedelta(hours=1)

S, A = ApplicationStatus, Action
APPLICANT_OR_UNIT = frozenset({Role.APPLICANT, Role.UNIT})
ONLY_UNIT = frozenset({Role.UNIT})
ONLY_CLERK = frozenset({Role.CLERK})
CLERK_OR_SYSTEM = frozenset({Role.CLERK, Role.SYSTEM})
REASON = True

Row = tuple[ApplicationStatus, frozenset[Role], bool]
"""Target status, the roles that may take the action, whether a reason is required."""

EXPECTED_TRANSITIONS: dict[tuple[ApplicationStatus, Action], Row] = {
    # Seed step 9: the last page is filled in and 完成 is pressed; the applicant fills in the form in
    # a personal account, or the unit does (seed 一, step 10; §2d S0 "unit, applicant"). Again after
    # the unit sent it back, after 退回补正 and after a withdrawal (§2d S3x, S6: "back to editable").
    (S.DRAFT, A.COMPLETE): (S.COMPLETED, APPLICANT_OR_UNIT, not REASON),
    (S.RETURNED_BY_UNIT, A.COMPLETE): (S.COMPLETED, APPLICANT_OR_UNIT, not REASON),
    (S.RETURNED_FOR_CORRECTION, A.COMPLETE): (S.COMPLETED, APPLICANT_OR_UNIT, not REASON),
    (S.WITHDRAWN, A.COMPLETE): (S.COMPLETED, APPLICANT_OR_UNIT, not REASON),
    # Seed step 10 (查看和修改申报信息): a completed form may still be changed; it is then a draft again.
    (S.COMPLETED, A.REOPEN): (S.DRAFT, APPLICANT_OR_UNIT, not REASON),
    # Seed steps 11-12: the unit checks (申请人信息审核) and sends it back, or presses 单位审核通过, which
    # submits it and locks it (§2d S1 "unit may edit or send back", S2; the return reason is shown).
    (S.COMPLETED, A.RETURN_TO_APPLICANT): (S.RETURNED_BY_UNIT, ONLY_UNIT, REASON),
    (S.COMPLETED, A.APPROVE_AT_UNIT): (S.UNIT_APPROVED, ONLY_UNIT, not REASON),
    # Seed steps 14-16: materials handed in at the window show as 等待受理; then, in the usual order,
    # 等待受理 -> 受理通过 -> 等待审批 -> 审批通过 (§2d S2-S5). The queue steps may be taken by the system.
    (S.UNIT_APPROVED, A.QUEUE_FOR_ACCEPTANCE): (S.AWAITING_ACCEPTANCE, CLERK_OR_SYSTEM, not REASON),
    (S.AWAITING_ACCEPTANCE, A.ACCEPT): (S.ACCEPTED, ONLY_CLERK, not REASON),
    (S.ACCEPTED, A.QUEUE_FOR_APPROVAL): (S.AWAITING_APPROVAL, CLERK_OR_SYSTEM, not REASON),
    (S.AWAITING_APPROVAL, A.APPROVE): (S.APPROVED, ONLY_CLERK, not REASON),
    # The centre refuses (不予受理, ARCHITECTURE §4) or returns the submission for correction (§2d S3x,
    # 退回), or the score is not approved (§2d S5x, 审批不通过); each states why.
    (S.AWAITING_ACCEPTANCE, A.REFUSE_ACCEPTANCE): (S.NOT_ACCEPTED, ONLY_CLERK, REASON),
    (S.AWAITING_ACCEPTANCE, A.RETURN_FOR_CORRECTION): (S.RETURNED_FOR_CORRECTION, ONLY_CLERK, REASON),
    (S.AWAITING_APPROVAL, A.RETURN_FOR_CORRECTION): (S.RETURNED_FOR_CORRECTION, ONLY_CLERK, REASON),
    (S.AWAITING_APPROVAL, A.REJECT): (S.REJECTED, ONLY_CLERK, REASON),
    # Seed step 12: after 单位审核通过 a change needs 申请撤销 at the centre's window, recorded by a clerk,
    # while the application is still in progress there (§2d S6).
    (S.UNIT_APPROVED, A.WITHDRAW): (S.WITHDRAWN, ONLY_CLERK, REASON),
    (S.AWAITING_ACCEPTANCE, A.WITHDRAW): (S.WITHDRAWN, ONLY_CLERK, REASON),
    (S.ACCEPTED, A.WITHDRAW): (S.WITHDRAWN, ONLY_CLERK, REASON),
    (S.AWAITING_APPROVAL, A.WITHDRAW): (S.WITHDRAWN, ONLY_CLERK, REASON),
}


def perform_allowed(application: PointsApplication, action: Action, reason: str = "原因") -> None:
    application.perform(
        action,
        by=actor_for(action, application.status),
        at=LATER,
        reason=reason,
        verified_score=VERIFIED_SCORE if action is Action.APPROVE else None,
    )


# --------------------------------------------------------------------------------------------------
# The table itself
# --------------------------------------------------------------------------------------------------


def test_the_transition_table_has_exactly_the_rows_written_from_the_seed() -> None:
    missing = sorted(set(EXPECTED_TRANSITIONS) - set(TRANSITIONS))
    unexpected = sorted(set(TRANSITIONS) - set(EXPECTED_TRANSITIONS))
    assert (missing, unexpected) == ([], [])


EXPECTED_ROWS = sorted(EXPECTED_TRANSITIONS.items())


@pytest.mark.parametrize(("key", "expected"), EXPECTED_ROWS, ids=[f"{s}-{a}" for (s, a), _ in EXPECTED_ROWS])
def test_every_row_leads_where_the_seed_says_for_the_roles_it_names(
    key: tuple[ApplicationStatus, Action], expected: Row
) -> None:
    transition = TRANSITIONS[key]
    assert (transition.target, transition.roles, transition.reason_required) == expected


def test_every_action_has_chinese_and_english_labels() -> None:
    for action in Action:
        assert action.label.zh and action.label.en


def test_every_status_is_reachable_from_draft() -> None:
    for status in ApplicationStatus:
        assert application_in(status).status is status


def test_editable_submitted_and_final_statuses_partition_all_statuses() -> None:
    assert set(ApplicationStatus) == EDITABLE_STATUSES | SUBMITTED_STATUSES | FINAL_STATUSES
    assert not EDITABLE_STATUSES & SUBMITTED_STATUSES
    assert not SUBMITTED_STATUSES & FINAL_STATUSES
    assert not FINAL_STATUSES & EDITABLE_STATUSES


def test_final_statuses_allow_no_action() -> None:
    assert not [key for key in TRANSITIONS if key[0] in FINAL_STATUSES]


def test_returns_refusals_rejection_and_withdrawal_require_a_reason() -> None:
    needing_reason = {action for (_, action), transition in TRANSITIONS.items() if transition.reason_required}
    assert needing_reason == {
        Action.RETURN_TO_APPLICANT,
        Action.REFUSE_ACCEPTANCE,
        Action.RETURN_FOR_CORRECTION,
        Action.REJECT,
        Action.WITHDRAW,
    }


def test_withdrawal_is_recorded_by_a_clerk_from_every_submitted_status() -> None:
    withdrawals = {status: t for (status, action), t in TRANSITIONS.items() if action is Action.WITHDRAW}
    assert set(withdrawals) == SUBMITTED_STATUSES
    assert all(
        t == Transition(ApplicationStatus.WITHDRAWN, frozenset({Role.CLERK}), True)
        for t in withdrawals.values()
    )


# --------------------------------------------------------------------------------------------------
# Every allowed transition, on the aggregate
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "transition"), ALLOWED, ids=[f"{s}-{a}" for (s, a), _ in ALLOWED])
def test_every_allowed_transition_moves_to_its_target_and_records_actor_time_and_reason(
    key: tuple[ApplicationStatus, Action], transition: Transition
) -> None:
    status, action = key
    application = application_in(status)
    actor = actor_for(action, status)
    perform_allowed(application, action, reason="  理由  ")
    assert application.status is transition.target
    change = application.status_history[-1]
    assert (change.action, change.from_status, change.to_status) == (action, status, transition.target)
    assert change.actor == actor
    assert change.at == LATER
    assert change.reason == "理由"


@pytest.mark.parametrize(
    ("status", "action", "role"), ROLE_REFUSALS, ids=[f"{s}-{a}-{r}" for s, a, r in ROLE_REFUSALS]
)
def test_every_allowed_transition_refuses_the_roles_not_in_the_table(
    status: ApplicationStatus, action: Action, role: Role
) -> None:
    application = application_in(status)
    with pytest.raises(ActorNotAllowedError):
        application.perform(
            action, by=ACTOR_FOR_ROLE[role], at=LATER, reason="原因", verified_score=VERIFIED_SCORE
        )
    assert application.status is status


@pytest.mark.parametrize(
    ("key", "transition"),
    [(key, t) for key, t in ALLOWED if t.reason_required],
    ids=[f"{s}-{a}" for (s, a), t in ALLOWED if t.reason_required],
)
def test_a_blank_reason_is_refused_where_a_reason_is_required(
    key: tuple[ApplicationStatus, Action], transition: Transition
) -> None:
    status, action = key
    application = application_in(status)
    with pytest.raises(ReasonRequiredError):
        application.perform(action, by=actor_for(action, status), at=LATER, reason="   ")
    assert application.status is status


def test_only_the_units_return_limits_its_reason_here_to_the_kernels_length() -> None:
    limited = {key: t.reason_max_length for key, t in TRANSITIONS.items() if t.reason_max_length is not None}
    assert limited == {(S.COMPLETED, A.RETURN_TO_APPLICANT): REASON_MAX_LENGTH}


def test_a_unit_return_reason_longer_than_500_characters_is_refused_at_the_reason_field() -> None:
    application = application_in(S.COMPLETED)
    with pytest.raises(ReasonTooLongError) as refused:
        application.return_to_applicant(by=UNIT, at=LATER, reason="改" * (REASON_MAX_LENGTH + 1))
    assert [(e.field, e.code) for e in refused.value.errors] == [("reason", "too_long")]
    assert (
        str(REASON_MAX_LENGTH) in refused.value.message.zh
        and str(REASON_MAX_LENGTH) in refused.value.message.en
    )
    assert application.status is S.COMPLETED


def test_a_unit_return_reason_of_500_characters_around_spaces_is_accepted() -> None:
    application = application_in(S.COMPLETED)
    application.return_to_applicant(by=UNIT, at=LATER, reason=f"  {'改' * REASON_MAX_LENGTH}  ")
    assert application.status is S.RETURNED_BY_UNIT


# --------------------------------------------------------------------------------------------------
# Every forbidden transition
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_every_forbidden_transition_is_refused_naming_the_current_status(
    status: ApplicationStatus, action: Action
) -> None:
    for role in Role:
        with pytest.raises(TransitionNotAllowedError) as raised:
            plan_transition(status, action, role, "原因")
        assert raised.value.status == status.value
    application = application_in(status)
    history = application.status_history
    with pytest.raises(TransitionNotAllowedError) as raised:
        application.perform(action, by=CLERK, at=LATER, reason="原因")
    error = raised.value
    assert (error.status, error.action) == (status.value, action.value)
    assert status.label.zh in error.message.zh
    assert status.label.en in error.message.en and status.value not in error.message.en  # a name, no code
    assert application.status is status
    assert application.status_history == history


# --------------------------------------------------------------------------------------------------
# Particular transitions
# --------------------------------------------------------------------------------------------------


def test_happy_path_follows_the_seed_waiting_accepted_waiting_approved() -> None:
    application = application_in(ApplicationStatus.APPROVED)
    assert [change.to_status.label.zh for change in application.status_history] == [
        "已完成",
        "单位审核通过",
        "等待受理",
        "受理通过",
        "等待审批",
        "审批通过",
    ]


def test_approval_records_the_verified_score() -> None:
    application = application_in(ApplicationStatus.AWAITING_APPROVAL)
    application.approve(by=CLERK, at=LATER, verified_score=131)
    assert application.verified_score == 131
    assert application.status_history[-1].verified_score == 131


PASS_MARK_ON_LATER = rules.rules_in_force(LATER.date()).pass_mark.points


@pytest.mark.parametrize("score", [None, PASS_MARK_ON_LATER - 1, -5])
def test_approval_needs_a_verified_score_of_at_least_the_pass_mark(score: int | None) -> None:
    application = application_in(ApplicationStatus.AWAITING_APPROVAL)
    with pytest.raises(InvalidCommandError):
        application.perform(Action.APPROVE, by=CLERK, at=LATER, verified_score=score)
    assert application.status is ApplicationStatus.AWAITING_APPROVAL


@pytest.fixture
def pass_mark_lowered_to_110_from_2026(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The pass mark is data ("will be adjusted dynamically"): pretend it was lowered to 110 on
    2026-01-01, while 2025 keeps 120."""
    (current,) = rules.PASS_MARKS
    monkeypatch.setattr(
        rules,
        "PASS_MARKS",
        (
            rules.PassMarkRow(current.id, 120, current.source, current.effective_from, date(2025, 12, 31)),
            rules.PassMarkRow("pass_mark.test.110", 110, "test: adjusted pass mark", date(2026, 1, 1)),
        ),
    )
    rules.rules_in_force.cache_clear()
    yield
    rules.rules_in_force.cache_clear()


@pytest.mark.usefixtures("pass_mark_lowered_to_110_from_2026")
def test_approval_reads_the_pass_mark_in_force_on_the_approval_date_from_the_rule_data() -> None:
    assert LATER.date() >= date(2026, 1, 1)
    refused = application_in(ApplicationStatus.AWAITING_APPROVAL)
    with pytest.raises(InvalidCommandError) as raised:
        refused.approve(by=CLERK, at=LATER, verified_score=109)
    assert "110" in raised.value.message.zh and "110" in raised.value.message.en
    approved = application_in(ApplicationStatus.AWAITING_APPROVAL)
    approved.approve(by=CLERK, at=LATER, verified_score=115)
    assert approved.status is ApplicationStatus.APPROVED
    assert approved.verified_score == 115


def test_a_score_is_recorded_only_on_approval() -> None:
    application = application_in(ApplicationStatus.AWAITING_ACCEPTANCE)
    with pytest.raises(InvalidCommandError):
        application.perform(Action.ACCEPT, by=CLERK, at=LATER, verified_score=130)


def test_returned_for_correction_is_editable_then_completed_and_unit_approved_again() -> None:
    application = application_in(ApplicationStatus.AWAITING_ACCEPTANCE)
    application.return_for_correction(by=CLERK, at=LATER, reason="缺少劳动合同复印件")
    application.save_personal_info(personal_info(mobile="13900000000"), by=APPLICANT, at=LATER)
    application.complete(by=APPLICANT, at=LATER)
    application.approve_at_unit(by=UNIT, at=LATER)
    assert application.status is ApplicationStatus.UNIT_APPROVED
    assert application.status_history[-3].reason == "缺少劳动合同复印件"


def test_withdrawn_application_is_editable_and_can_be_submitted_again() -> None:
    application = application_in(ApplicationStatus.ACCEPTED)
    application.withdraw(by=CLERK, at=LATER, reason="申请人要求修改学历信息")
    assert application.is_editable
    application.save_personal_info(personal_info(former_name="张三"), by=APPLICANT, at=LATER)
    application.complete(by=APPLICANT, at=LATER)
    application.approve_at_unit(by=UNIT, at=LATER)
    take(application, Action.QUEUE_FOR_ACCEPTANCE, LATER)
    assert application.status is ApplicationStatus.AWAITING_ACCEPTANCE


def test_unit_return_sends_the_form_back_and_the_applicant_completes_it_again() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    application.return_to_applicant(by=UNIT, at=LATER, reason="简历时间与社保记录不一致")
    assert application.status is ApplicationStatus.RETURNED_BY_UNIT
    application.save_personal_info(personal_info(landline="021-12345678"), by=APPLICANT, at=LATER)
    application.complete(by=APPLICANT, at=LATER)
    assert application.status_history[-1].to_status is ApplicationStatus.COMPLETED


def test_unit_approval_locks_editing() -> None:
    application = application_in(ApplicationStatus.COMPLETED)
    application.approve_at_unit(by=UNIT, at=LATER)
    with pytest.raises(EditingLockedError) as raised:
        application.save_personal_info(personal_info(), by=APPLICANT, at=LATER)
    assert raised.value.status == ApplicationStatus.UNIT_APPROVED.value
    assert "单位审核通过" in raised.value.message.zh and "申请撤销" in raised.value.message.zh
