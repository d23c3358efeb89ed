"""Mainland mobile numbers: 11 digits starting 13-19, separators and the country prefix removed."""

from __future__ import annotations

import pytest

from shared.kernel.errors import ValidationFailed
from shared.kernel.mobile import parse_mobile, validate_mobile


@pytest.mark.parametrize("number", ["13800138000", "15912345678", "19912345678", "16612345678"])
def test_mainland_mobile_numbers_starting_13_to_19_are_accepted(number: str) -> None:
    assert validate_mobile(number).value == number


@pytest.mark.parametrize(
    "raw",
    [
        "+86 138 0013 8000",
        "0086-138-0013-8000",
        " 138-0013-8000 ",
        "１３８００１３８０００",
        "＋８６ １３８－００１３－８０００",
    ],
)
def test_mobile_separators_and_country_prefix_are_removed(raw: str) -> None:
    assert parse_mobile(raw) == "13800138000"


@pytest.mark.parametrize("number", ["12800138000", "10800138000", "23800138000", "021-62345678"])
def test_mobile_must_start_with_1_then_3_to_9(number: str) -> None:
    assert [e.code for e in validate_mobile(number).errors] == ["mobile.prefix"]


@pytest.mark.parametrize("number", ["1380013800", "138001380001", "1380013800a", "138 0013 8٠00"])
def test_mobile_must_be_eleven_digits(number: str) -> None:
    assert [e.code for e in validate_mobile(number).errors] == ["mobile.format"]


def test_mobile_is_required() -> None:
    assert [e.code for e in validate_mobile("  ").errors] == ["mobile.required"]


def test_parse_mobile_raises_with_bilingual_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_mobile("12345")
    error = caught.value.errors[0]
    assert error.message.zh and error.message.en.isascii()
