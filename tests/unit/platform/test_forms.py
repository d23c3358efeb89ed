"""Form pages show every problem at its field and in the summary, in the page's language."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from shared.kernel.errors import FieldError
from shared.kernel.text import Text
from shared.platform.forms import FormErrors

ERRORS = [
    FieldError(
        "mobile", "mobile.format", Text("手机号码格式不对", "Not a mobile number"), section="personal"
    ),
    FieldError(
        "mobile", "mobile.required", Text("请填写手机号码", "Enter a mobile number"), section="personal"
    ),
    FieldError("entries[2].end_month", "resume.gap", Text("有空档", "There is a gap"), section="resume"),
]


def test_each_problem_is_listed_in_the_summary_and_the_first_one_shows_at_its_field() -> None:
    errors = FormErrors.of(ERRORS, "zh-CN")
    assert errors.summary == [
        {"field": "personal.mobile", "message": "手机号码格式不对"},
        {"field": "personal.mobile", "message": "请填写手机号码"},
        {"field": "resume.entries[2].end_month", "message": "有空档"},
    ]
    assert errors.by_field["personal.mobile"] == "手机号码格式不对"


def test_the_page_may_map_an_error_to_the_id_of_its_input_and_english_is_available() -> None:
    errors = FormErrors.of(ERRORS[2:], "en", ids={"resume.entries[2].end_month": "entry-3-end-year"})
    assert errors.summary == [{"field": "entry-3-end-year", "message": "There is a gap"}]
    assert not FormErrors.of([], "en")


class Posted(BaseModel):
    name: str = Field(min_length=2)
    years: int


def test_problems_in_a_posted_form_get_the_same_messages_as_the_api() -> None:
    with pytest.raises(ValidationError) as caught:
        Posted.model_validate({"name": "a", "years": "many"})
    errors = FormErrors.from_pydantic(caught.value, "zh-CN")
    assert errors.by_field == {"name": "至少需要 2 个字符", "years": "请输入整数"}


def test_the_error_summary_follows_the_page_order_whatever_order_the_rules_found_them() -> None:
    found = [
        FieldError("password", "weak", Text("密码太弱", "Weak")),
        FieldError("group", "empty", Text("至少一项", "At least one")),  # no input of its own
        FieldError("section.name", "required", Text("请填写姓名", "Enter the name")),
    ]
    errors = FormErrors.of(found, "en", {"section.name": "name"}, page_order=["name", "mobile", "password"])
    assert [e["field"] for e in errors.summary] == ["name", "password", "group"]
    assert errors.by_field == {"name": "Enter the name", "password": "Weak", "group": "At least one"}
    unordered = FormErrors.of(found, "en", {"section.name": "name"})
    assert [e["field"] for e in unordered.summary] == ["password", "group", "name"]
