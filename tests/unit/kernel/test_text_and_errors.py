"""The kernel's text type and error kinds."""

from __future__ import annotations

import pytest

from shared.kernel.errors import DomainError, FieldError, NotVisible, StateConflict, ValidationFailed
from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.kernel.text import LabelledEnum, Text


@pytest.mark.parametrize(("lang", "expected"), [("zh-CN", "中文"), ("en", "English"), ("en-GB", "English"),
                                                ("fr", "中文"), ("", "中文")])
def test_a_text_speaks_english_only_when_asked_and_chinese_otherwise(lang: str, expected: str) -> None:
    assert Text("中文", "English").for_lang(lang) == expected


def test_a_field_error_is_named_by_its_section_and_field() -> None:
    message = Text("请填写", "Required")
    assert FieldError("mobile", "required", message, section="personal_info").path == "personal_info.mobile"
    assert FieldError("", "missing", message, section="resume").path == "resume"
    assert FieldError("credit_code", "required", message).path == "credit_code"


def test_validation_failed_keeps_every_field_error_and_counts_them_in_its_message() -> None:
    errors = [FieldError("a", "x", Text("甲", "A")), FieldError("b", "y", Text("乙", "B"))]
    failure = ValidationFailed(errors)
    assert failure.errors == tuple(errors)
    assert failure.codes == {"x", "y"}
    assert "2" in failure.message.zh and "2" in failure.message.en


def test_a_domain_error_carries_a_stable_code_that_an_instance_may_refine() -> None:
    assert StateConflict(Text("冲突", "conflict")).code == "state_conflict"
    assert NotVisible(Text("无", "none")).code == "not_found"
    assert DomainError(Text("不行", "no"), code="unit.not_approved").code == "unit.not_approved"


def test_roles_and_duties_have_lower_case_wire_names_and_labels_in_both_languages() -> None:
    assert [r.value for r in ACCOUNT_ROLES] == ["unit", "applicant", "clerk"]
    for item in [*Role, *Duty]:
        assert item.value == item.value.lower()
        assert item.label.zh and item.label.en


def test_a_labelled_enum_member_carries_its_label_and_is_found_by_its_code() -> None:
    class Colour(LabelledEnum):
        RED = "red", Text("红", "Red")

    assert Colour("red") is Colour.RED and Colour.RED.value == str(Colour.RED) == "red"
    assert Colour.RED.label == Text("红", "Red")


def test_a_labelled_enum_member_without_a_label_is_refused_when_the_class_is_built() -> None:
    with pytest.raises(TypeError, match="needs its label"):

        class Unlabelled(LabelledEnum):
            PLAIN = "plain"
