"""The application status and kind vocabulary, with the labels every service shows."""

from __future__ import annotations

from shared.kernel.application_status import ApplicationKind, ApplicationStatus


def test_every_status_and_kind_has_a_chinese_and_an_english_label() -> None:
    for member in [*ApplicationStatus, *ApplicationKind]:
        assert member.label.zh and member.label.en.isascii()
        assert member.label.en[0].isupper(), "labels are shown on their own, in sentence case"


def test_the_chinese_status_labels_follow_the_seed_and_the_codes_are_the_wire_names() -> None:
    assert {status.value: status.label.zh for status in ApplicationStatus} == {
        "DRAFT": "填写中",
        "COMPLETED": "已完成",
        "RETURNED_BY_UNIT": "单位退回",
        "UNIT_APPROVED": "单位审核通过",
        "AWAITING_ACCEPTANCE": "等待受理",
        "ACCEPTED": "受理通过",
        "NOT_ACCEPTED": "不予受理",
        "RETURNED_FOR_CORRECTION": "退回补正",
        "AWAITING_APPROVAL": "等待审批",
        "APPROVED": "审批通过",
        "REJECTED": "审批不通过",
        "WITHDRAWN": "已撤销",
    }


def test_a_first_application_shows_as_new_and_a_renewal_as_renewal() -> None:
    assert {kind.value: kind.label.zh for kind in ApplicationKind} == {"NEW": "新办", "RENEWAL": "续办"}
