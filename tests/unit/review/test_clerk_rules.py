"""Duties, districts and the four-eyes rule for talent-centre clerks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.review.domain.clerk_rules import (
    Clerk,
    Decision,
    may_accept,
    may_approve,
    may_reset_password,
    may_review_unit_registration,
)
from shared.kernel.roles import Duty, Role

PUDONG = "310115"
XUHUI = "310104"
ALL = frozenset(Duty)

alice = Clerk("alice", PUDONG, ALL)
bob = Clerk("bob", PUDONG, ALL)
xu = Clerk("xu", XUHUI, ALL)


def test_same_clerk_cannot_accept_and_approve() -> None:
    decision = may_approve(alice, unit_district_code=PUDONG, accepted_by="alice")
    assert not decision.allowed
    assert decision.code == "four_eyes.same_clerk"
    assert "受理人不能审批" in decision.reason.zh
    assert "accepted" in decision.reason.en


def test_another_clerk_of_the_same_district_can_approve() -> None:
    decision = may_approve(bob, unit_district_code=PUDONG, accepted_by="alice")
    assert decision.allowed and decision.code == "allowed"
    assert decision.refusals == ()


def test_application_without_recorded_acceptance_cannot_be_approved() -> None:
    assert may_approve(bob, unit_district_code=PUDONG, accepted_by=None).code == "four_eyes.not_accepted"


def test_clerk_can_accept_only_in_own_district() -> None:
    assert may_accept(alice, unit_district_code=PUDONG).allowed
    assert may_accept(xu, unit_district_code=PUDONG).code == "clerk.other_district"


def test_clerk_can_approve_only_in_own_district() -> None:
    assert may_approve(xu, unit_district_code=PUDONG, accepted_by="alice").code == "clerk.other_district"


def test_clerk_can_review_unit_registrations_only_in_own_district() -> None:
    assert may_review_unit_registration(alice, unit_district_code=PUDONG).allowed
    assert may_review_unit_registration(xu, unit_district_code=PUDONG).code == "clerk.other_district"


@pytest.mark.parametrize(
    ("duty", "check"),
    [
        (Duty.ACCEPTANCE, lambda c: may_accept(c, unit_district_code=PUDONG)),
        (Duty.APPROVAL, lambda c: may_approve(c, unit_district_code=PUDONG, accepted_by="alice")),
        (Duty.UNIT_REGISTRATION, lambda c: may_review_unit_registration(c, unit_district_code=PUDONG)),
        (Duty.PASSWORD_RESET, lambda c: may_reset_password(c, account_role=Role.APPLICANT)),
    ],
)
def test_clerk_needs_the_matching_duty_for_each_action(
    duty: Duty, check: Callable[[Clerk], Decision]
) -> None:
    without = Clerk("carol", PUDONG, ALL - {duty})
    only = Clerk("carol", PUDONG, frozenset({duty}))
    refused = check(without)
    assert refused.code == "clerk.missing_duty"
    assert duty.label.zh in refused.reason.zh and duty.label.en in refused.reason.en
    assert check(only).allowed


def test_personal_password_reset_is_allowed_in_any_district() -> None:
    assert may_reset_password(xu, account_role=Role.APPLICANT).allowed


def test_unit_password_reset_only_in_the_units_district() -> None:
    assert may_reset_password(alice, account_role=Role.UNIT, unit_district_code=PUDONG).allowed
    refused = may_reset_password(xu, account_role=Role.UNIT, unit_district_code=PUDONG)
    assert refused.code == "clerk.other_district"
    with pytest.raises(ValueError, match="district"):
        may_reset_password(alice, account_role=Role.UNIT)


@pytest.mark.parametrize("role", [Role.CLERK, Role.SYSTEM])
def test_only_unit_and_applicant_passwords_are_reset_at_the_window(role: Role) -> None:
    with pytest.raises(ValueError, match="not reset at the window"):
        may_reset_password(alice, account_role=role)


def test_every_failed_rule_is_reported_in_order() -> None:
    acceptor_elsewhere_without_duty = Clerk("alice", XUHUI, frozenset({Duty.ACCEPTANCE}))
    decision = may_approve(acceptor_elsewhere_without_duty, unit_district_code=PUDONG, accepted_by="alice")
    assert [r.code for r in decision.refusals] == [
        "clerk.missing_duty",
        "clerk.other_district",
        "four_eyes.same_clerk",
    ]
    assert decision.code == "clerk.missing_duty"
    assert not decision


def test_every_reason_is_bilingual() -> None:
    decisions = [
        may_approve(Clerk("a", XUHUI, frozenset()), unit_district_code=PUDONG, accepted_by="a"),
        may_approve(bob, unit_district_code=PUDONG, accepted_by=None),
        may_accept(alice, unit_district_code=PUDONG),
    ]
    for decision in decisions:
        for reason in [decision.reason, *(refusal.reason for refusal in decision.refusals)]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reason.zh)
            assert reason.en.isascii() and reason.en
