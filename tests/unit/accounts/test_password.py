from __future__ import annotations

import pytest

from services.accounts.domain.password import (
    DEFAULT_POLICY,
    PasswordPolicy,
    check_password,
    require_acceptable_password,
)
from shared.kernel.errors import ValidationFailed

ID_NUMBER = "11010519491231002X"


def codes(
    password: str,
    *,
    login_name: str | None = None,
    id_number: str | None = None,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> list[str]:
    return [
        e.code for e in check_password(password, login_name=login_name, id_number=id_number, policy=policy)
    ]


@pytest.mark.parametrize(
    "password", ["Lantern-Festival", "plum blossom 2026", "积分Apply2026!", "Aa1Aa1Aa1A"]
)
def test_password_meeting_the_policy_is_accepted(password: str) -> None:
    assert codes(password, login_name="hr.zhang", id_number=ID_NUMBER) == []


def test_password_shorter_than_ten_characters_is_rejected() -> None:
    assert codes("Aa1!Aa1!a") == ["password.too_short"]
    assert codes("Aa1!Aa1!ab") == []


def test_password_longer_than_128_characters_is_rejected() -> None:
    assert codes("Aa1!" * 32 + "x") == ["password.too_long"]


@pytest.mark.parametrize("password", ["abcdefghijk", "abcdefghij1", "ABCDEFGHIJ!", "1234567890!"])
def test_password_needs_three_of_four_character_classes(password: str) -> None:
    assert codes(password) == ["password.too_few_character_classes"]


def test_password_must_not_contain_the_login_name_in_any_case() -> None:
    assert codes("Welcome-HR.Zhang-1", login_name="hr.zhang") == ["password.contains_login_name"]


def test_login_names_shorter_than_three_characters_are_not_checked() -> None:
    assert codes("Lantern-Festival", login_name="la") == []


def test_unit_password_must_not_contain_the_credit_code_login() -> None:
    assert codes("x9131000013221158XC!", login_name="9131000013221158XC") == ["password.contains_login_name"]


def test_password_must_not_contain_six_consecutive_id_number_characters() -> None:
    assert codes("Born-19491231-ok", id_number=ID_NUMBER) == ["password.contains_id_number_digits"]
    assert codes("Tail-31002x-ok!", id_number=ID_NUMBER) == ["password.contains_id_number_digits"]
    assert codes("Tail-1002X-ok!!", id_number=ID_NUMBER) == []  # five characters are fine


def test_password_of_one_repeated_character_is_rejected() -> None:
    assert "password.single_repeated_character" in codes("!!!!!!!!!!!!")


def test_every_failed_rule_is_reported() -> None:
    assert codes("aaaa", login_name="aaa") == [
        "password.too_short",
        "password.too_few_character_classes",
        "password.contains_login_name",
        "password.single_repeated_character",
    ]


def test_password_errors_never_echo_the_password() -> None:
    for error in check_password("hunter2hunter2", login_name="hunter2"):
        assert "hunter2" not in error.message.zh + error.message.en
        assert error.field == "password"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message.zh)


def test_require_acceptable_password_raises_with_all_errors() -> None:
    with pytest.raises(ValidationFailed) as caught:
        require_acceptable_password("short")
    assert len(caught.value.errors) == 2


def test_policy_is_stated_in_both_languages() -> None:
    rules = DEFAULT_POLICY.rules()
    assert len(rules) == 5 and all(rule.zh and rule.en for rule in rules)
    assert "10" in rules[0].zh and "10" in rules[0].en


def test_policy_values_are_configurable() -> None:
    assert codes("Aa1!Aa1!a", policy=PasswordPolicy(min_length=8)) == []
