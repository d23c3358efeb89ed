"""GB 32100-2015 unified social credit codes (the unit code an application carries)."""

from __future__ import annotations

import pytest

from services.applications.domain.credit_code import credit_code_check_character, is_valid_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_published_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)


def test_wrong_check_character_is_rejected() -> None:
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert not is_valid_credit_code("91350100M000100Y44")


@pytest.mark.parametrize(
    "code",
    ["", "91350100M000100Y4", "91350100M000100Y433", "91350100I000100Y43", "91350100m000100Y43"],
)
def test_code_is_18_characters_from_the_credit_code_alphabet(code: str) -> None:
    assert not is_valid_credit_code(code)
