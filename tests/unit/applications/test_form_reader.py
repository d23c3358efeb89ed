"""The form pages' reader: what a user typed becomes values, or a field error at that field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.applications.domain.sections.names import SectionName
from services.applications.http.forms import FormReader, field_id, read_personal_info
from shared.platform.forms import FormErrors


def reader(**values: str) -> FormReader:
    return FormReader(
        {name.replace("__", "."): value for name, value in values.items()}, SectionName.INVESTMENT
    )


def test_numbers_and_dates_typed_in_full_width_digits_are_read_as_ascii() -> None:
    form = reader(
        capital="１２，３４５",
        share="３７．５％",
        **{"paid_on-year": "２０２４", "paid_on-month": "０３", "paid_on-day": "９"},
    )
    assert form.integer("capital") == 12345
    assert form.decimal("share") == Decimal("37.5")
    assert form.full_date("paid_on") == date(2024, 3, 9)
    assert form.errors == []


def test_a_letter_in_a_number_is_an_error_at_that_field_and_nothing_is_read() -> None:
    form = reader(capital="12a45", share="三十")
    assert form.integer("capital") is None
    assert form.decimal("share") is None
    assert [(error.field, error.code) for error in form.errors] == [
        ("capital", "integer"),
        ("share", "number"),
    ]


def test_a_date_that_does_not_exist_is_an_error_and_a_blank_optional_one_is_none() -> None:
    form = reader(**{"paid_on-year": "2023", "paid_on-month": "2", "paid_on-day": "30"})
    assert form.full_date("paid_on") is None
    assert form.full_date("ended_on", required=False) is None
    assert [(error.field, error.code) for error in form.errors] == [("paid_on", "date")]


def test_free_text_is_kept_as_typed_apart_from_surrounding_space() -> None:
    assert reader(name="  上海（浦东）１号  ").text("name") == "上海（浦东）１号"


def test_a_date_that_does_not_exist_does_not_hide_the_other_mistakes_of_the_page() -> None:
    values = {
        "name": "",
        "mobile": "12345",
        "landline": "abc",
        "ethnicity": "汉族",
        "hukou_address": "上海市",
        "shanghai_address": "上海市",
        "employment.post": "工程师",
        "residence_permit_valid_from-year": "2024",
        "residence_permit_valid_from-month": "13",
        "residence_permit_valid_from-day": "1",
    }
    info, errors = read_personal_info(values, "11010519491231002X")
    assert info is None
    fields = {error.field for error in errors}
    assert {"residence_permit_valid_from", "name", "mobile", "landline"} <= fields


def test_the_error_summary_follows_the_order_of_the_inputs_on_the_page() -> None:
    posted = {"name": "", "landline": "abc", "residence_permit_valid_from-year": "2024"}
    _, errors = read_personal_info(
        {**posted, "residence_permit_valid_from-month": "13"}, "11010519491231002X"
    )
    ids = {e.path: field_id(e.path, SectionName.PERSONAL_INFO) for e in errors}
    ordered = [e["field"] for e in FormErrors.of(errors, "zh-CN", ids, page_order=posted).summary]
    date_input = "residence_permit_valid_from-year"  # a date's error links to its first box
    assert ordered.index("name") < ordered.index("landline") < ordered.index(date_input)
