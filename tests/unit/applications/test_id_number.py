"""GB 11643-1999 ID numbers: shape, birth date, check character, derived birth date and sex."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applications.domain.id_number import (
    CHECK_CHARACTERS,
    PROVINCE_PREFIXES,
    IdNumberProblem,
    InvalidIdNumberError,
    Sex,
    check_character,
    id_number_problem,
    parse_id_number,
)

OFFICIAL_EXAMPLE = "11010519491231002X"
"""The worked example printed in GB 11643-1999."""


def test_the_standard_s_worked_example_is_valid_and_reveals_birth_date_and_sex() -> None:
    facts = parse_id_number(OFFICIAL_EXAMPLE)
    assert id_number_problem(OFFICIAL_EXAMPLE) is None
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.sex is Sex.FEMALE
    assert facts.address_code == "110105"


def test_check_character_is_iso_7064_mod_11_2() -> None:
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"


def test_lower_case_x_is_accepted_as_check_character() -> None:
    assert id_number_problem(OFFICIAL_EXAMPLE.lower()) is None


def test_wrong_check_character_is_rejected() -> None:
    assert id_number_problem("110105194912310021") is IdNumberProblem.CHECK_CHARACTER


@pytest.mark.parametrize(
    "text",
    [
        "",
        "11010519491231002",
        "11010519491231002X1",
        "110105491231002",
        "1101051949123100XX",
        "A1010519491231002X",
    ],
)
def test_number_must_be_17_digits_and_a_digit_or_x(text: str) -> None:
    assert id_number_problem(text) is IdNumberProblem.FORMAT


@pytest.mark.parametrize("birth", ["19490230", "19491301", "18991231"])
def test_impossible_birth_date_is_rejected(birth: str) -> None:
    first_17 = f"110105{birth}002"
    assert id_number_problem(first_17 + check_character(first_17)) is IdNumberProblem.BIRTH_DATE


def test_odd_sequence_digit_means_male_even_means_female() -> None:
    male = "11010519900101001"
    female = "11010519900101002"
    assert parse_id_number(male + check_character(male)).sex is Sex.MALE
    assert parse_id_number(female + check_character(female)).sex is Sex.FEMALE


def test_parsing_an_invalid_number_raises_with_the_problem() -> None:
    with pytest.raises(InvalidIdNumberError) as raised:
        parse_id_number("110105194912310021")
    assert raised.value.problem is IdNumberProblem.CHECK_CHARACTER


def test_every_problem_has_messages_in_both_languages() -> None:
    for problem in IdNumberProblem:
        assert problem.message_zh and problem.message_en


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31)),
    address=st.tuples(
        st.sampled_from(sorted(PROVINCE_PREFIXES)), st.from_regex(r"[0-9]{4}", fullmatch=True)
    ).map("".join),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_any_number_with_its_computed_check_character_is_valid_and_round_trips(
    born: date, address: str, sequence: int
) -> None:
    first_17 = f"{address}{born:%Y%m%d}{sequence:03d}"
    number = first_17 + check_character(first_17)
    facts = parse_id_number(number)
    assert facts.birth_date == born
    assert facts.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)
    for wrong in CHECK_CHARACTERS.replace(number[17], ""):
        assert id_number_problem(first_17 + wrong) is IdNumberProblem.CHECK_CHARACTER


def test_address_code_must_start_with_a_province() -> None:
    first_17 = "99010519491231002"
    assert id_number_problem(first_17 + check_character(first_17)) is IdNumberProblem.ADDRESS_CODE


def test_only_ascii_digits_make_an_id_number() -> None:
    full_width = "".join(chr(ord(c) - ord("0") + ord("０")) for c in OFFICIAL_EXAMPLE[:17]) + "X"
    assert id_number_problem(full_width) is IdNumberProblem.FORMAT
