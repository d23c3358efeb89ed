"""Resident ID number (GB 11643-1999, ISO 7064 MOD 11-2) and masking.

Known-good numbers are the standard's own examples (11010519491231002X, 440524188001010014) and
numbers built here with a hand-computed check digit; no real person's number is used.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.kernel.credit_code import validate_credit_code
from shared.kernel.errors import ValidationFailed
from shared.kernel.id_number import (
    Sex,
    compose_id_number,
    id_check_character,
    mask_id_number,
    parse_id_number,
    validate_id_number,
)
from shared.kernel.text import Text

TODAY = date(2026, 1, 15)


def codes(raw: str, today: date = TODAY) -> list[str]:
    return [e.code for e in validate_id_number(raw, today=today).errors]


def test_id_check_digit_matches_hand_computation() -> None:
    # 11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> 'X'
    assert id_check_character("11010519491231002") == "X"
    # The standard's second example, 44052418800101001: sum 195; 195 mod 11 = 8 -> '4'
    assert id_check_character("44052418800101001") == "4"


def test_standard_example_numbers_validate() -> None:
    assert validate_id_number("11010519491231002X", today=TODAY).ok


def test_birth_dates_before_1900_are_rejected() -> None:
    # The standard's second example (born 1880) has a correct check digit but is not a living applicant.
    assert codes("440524188001010014") == ["id_number.birth_date_too_early"]


def test_id_number_returns_birth_date_and_sex() -> None:
    person = parse_id_number("11010519491231002X", today=TODAY)
    assert person.birth_date == date(1949, 12, 31)
    assert person.sex is Sex.FEMALE  # 17th digit 2 is even
    assert person.address_code == "110105"


def test_odd_seventeenth_digit_means_male() -> None:
    first17 = "31011519851120451"
    person = parse_id_number(first17 + id_check_character(first17), today=TODAY)
    assert person.sex is Sex.MALE
    assert person.sex.label == Text("男", "Male")


def test_id_check_character_must_match() -> None:
    assert codes("11010519491231002") == ["id_number.length"]
    assert codes("110105194912310021") == ["id_number.check_character_mismatch"]


def test_lower_case_x_is_accepted() -> None:
    assert parse_id_number(" 11010519491231002x ", today=TODAY).value == "11010519491231002X"


def test_id_number_must_be_digits_with_optional_final_x() -> None:
    assert codes("1101051949123100X2") == ["id_number.format"]
    assert codes("1101051949123100٢X") == ["id_number.format"]  # an Arabic-Indic digit is no digit here


def test_full_width_digits_typed_with_a_chinese_input_method_are_read_as_ascii() -> None:
    assert (
        parse_id_number("１１０１０５１９４９１２３１００２Ｘ\u3000", today=TODAY).value
        == "11010519491231002X"
    )


def test_id_number_is_required() -> None:
    assert codes("") == ["id_number.required"]


def test_birth_date_must_be_a_real_date() -> None:
    first17 = "31010420010229001"  # 2001 is not a leap year
    assert codes(first17 + id_check_character(first17)) == ["id_number.birth_date_invalid"]


def test_leap_day_birth_date_is_valid() -> None:
    first17 = "31010420000229001"
    assert parse_id_number(first17 + id_check_character(first17), today=TODAY).birth_date == date(2000, 2, 29)


def test_birth_date_may_not_be_in_the_future() -> None:
    first17 = "31010120260116001"
    number = first17 + id_check_character(first17)
    assert codes(number, today=date(2026, 1, 15)) == ["id_number.birth_date_in_future"]
    assert codes(number, today=date(2026, 1, 16)) == []


def test_address_code_must_start_with_a_province() -> None:
    first17 = "99010119900101123"
    assert codes(first17 + id_check_character(first17)) == ["id_number.region_invalid"]


def test_residence_permits_of_taiwan_residents_share_the_format_with_address_code_83() -> None:
    first17 = "83000019900101123"
    assert codes(first17 + id_check_character(first17)) == []
    # 83 is no administrative division, so a unit's credit code cannot carry it.
    refused = validate_credit_code("9183000013221158XC")
    assert "credit_code.division_invalid" in {error.code for error in refused.errors}


def test_a_stored_number_read_back_without_a_date_tells_birth_date_and_sex() -> None:
    first17 = "31010120260116001"  # born after TODAY: refused as input on TODAY, readable as stored data
    number = first17 + id_check_character(first17)
    assert codes(number) == ["id_number.birth_date_in_future"]
    person = validate_id_number(number, today=None).value
    assert person is not None and (person.birth_date, person.sex) == (date(2026, 1, 16), Sex.MALE)


def test_every_failed_rule_is_reported() -> None:
    assert codes("990101203001011230") == [
        "id_number.region_invalid",
        "id_number.birth_date_in_future",
        "id_number.check_character_mismatch",
    ]


def test_parse_id_number_raises_validation_failed() -> None:
    with pytest.raises(ValidationFailed):
        parse_id_number("110105194912310021", today=TODAY)


def test_mask_keeps_first_six_and_last_four() -> None:
    assert mask_id_number("31010119800101123X") == "310101********123X"


def test_mask_hides_everything_when_the_length_is_wrong() -> None:
    assert mask_id_number("3101011980010112") == "*" * 16
    assert mask_id_number("") == ""


def test_parsed_id_repr_never_shows_the_full_number() -> None:
    person = parse_id_number("11010519491231002X", today=TODAY)
    assert "11010519491231002X" not in repr(person)
    assert "11010519491231002X" not in str(person)
    assert "110105********002X" in repr(person)


def test_id_errors_never_echo_the_number() -> None:
    for error in validate_id_number("110105194912310021", today=TODAY).errors:
        assert "110105194912310021" not in error.message.zh + error.message.en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message.zh)
        assert error.message.en.isascii()


# --- generated numbers ----------------------------------------------------------------------

_ADDRESS_CODES = ["310101", "310104", "310115", "310151", "110105", "320102", "440305", "510107", "652201"]


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> tuple[str, date, int]:
    region = draw(st.sampled_from(_ADDRESS_CODES))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17), birth, sequence


@given(valid_id_numbers())
def test_generated_valid_id_numbers_always_validate(case: tuple[str, date, int]) -> None:
    number, birth, sequence = case
    person = parse_id_number(number, today=TODAY)
    assert person.birth_date == birth
    assert person.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)


@given(valid_id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_digit_change_in_an_id_number_fails(
    case: tuple[str, date, int], position: int, new: str
) -> None:
    number = case[0]
    if number[position] == new or (new == "X" and position != 17):
        return
    changed = number[:position] + new + number[position + 1 :]
    assert "id_number.check_character_mismatch" in codes(changed)


def test_a_composed_id_number_is_valid_and_carries_its_birth_date_and_sex() -> None:
    resident = parse_id_number(compose_id_number("310104", date(1990, 5, 17), 123), today=date(2026, 12, 2))
    assert resident.birth_date == date(1990, 5, 17) and resident.sex is Sex.MALE
