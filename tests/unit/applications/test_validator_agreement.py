"""The applications copy of the credit-code and ID-number rules agrees with the accounts copy.

Services do not import each other, so both keep their own validators. A unit code or ID number that
accounts accepted must not be rejected when it reaches an application, and the other way round. The
published-code table (``tests/unit/published_codes.py``) is shared with the accounts tests;
here it also runs through both validators side by side, and Hypothesis compares them on generated
near-valid values (correct final check character, random everything else).

Agreement is on normalised values (trimmed, upper-case), which is what accounts stores and passes on.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.accounts.domain.credit_code import CHARSET, credit_code_check_character, validate_credit_code
from services.accounts.domain.id_number import id_check_character, validate_id_number
from services.applications.domain.credit_code import is_valid_credit_code
from services.applications.domain.id_number import id_number_problem
from services.applications.domain.sections.common import Problems
from services.applications.domain.sections.names import SectionName
from tests.unit.published_codes import CREDIT_CODE_TABLE, ID_NUMBER_TABLE

TODAY = date(2026, 1, 15)



@pytest.mark.parametrize(("code", "valid", "why"), CREDIT_CODE_TABLE)
def test_applications_accepts_exactly_the_valid_credit_codes_of_the_published_table(
    code: str, valid: bool, why: str
) -> None:
    assert is_valid_credit_code(code) is valid, why


@pytest.mark.parametrize(("number", "valid", "why"), ID_NUMBER_TABLE)
def test_applications_accepts_exactly_the_valid_id_numbers_of_the_published_table(
    number: str, valid: bool, why: str
) -> None:
    assert (id_number_problem(number) is None) is valid, why


@pytest.mark.parametrize(("code", "valid", "why"), CREDIT_CODE_TABLE)
def test_both_services_give_the_same_verdict_on_every_published_credit_code(
    code: str, valid: bool, why: str
) -> None:
    assert is_valid_credit_code(code) is validate_credit_code(code).ok, why


@pytest.mark.parametrize(("number", "valid", "why"), ID_NUMBER_TABLE)
def test_both_services_give_the_same_verdict_on_every_published_id_number(
    number: str, valid: bool, why: str
) -> None:
    assert (id_number_problem(number) is None) is validate_id_number(number, today=TODAY).ok, why


def test_an_id_number_with_a_trailing_newline_is_not_a_valid_stored_value() -> None:
    assert id_number_problem("11010519491231002X\n") is not None


# A first character from the authorities plus a few that are none; a second character biased to the
# type codes; a division that is often Shanghai; an organisation code whose own check is right or not.
_first = st.sampled_from("123456789ANYB0CX")
_second = st.sampled_from("12345679" + "0ABX")
_division = st.one_of(
    st.sampled_from(["310000", "310115", "100000", "000000", "990000"]),
    st.text("0123456789", min_size=6, max_size=6),
)
_body = st.text(CHARSET, min_size=9, max_size=9)


@settings(max_examples=300, deadline=None)
@given(first=_first, second=_second, division=_division, body=_body)
def test_both_services_agree_on_generated_credit_codes(
    first: str, second: str, division: str, body: str
) -> None:
    first_17 = f"{first}{second}{division}{body}"
    code = first_17 + credit_code_check_character(first_17)
    assert is_valid_credit_code(code) is validate_credit_code(code).ok


@settings(max_examples=300, deadline=None)
@given(
    address=st.text("0123456789", min_size=6, max_size=6),
    born=st.text("0123456789", min_size=8, max_size=8)
    | st.dates(date(1880, 1, 1), date(2099, 12, 31)).map(lambda d: f"{d:%Y%m%d}"),
    sequence=st.text("0123456789", min_size=3, max_size=3),
    lower_x=st.booleans(),
)
def test_both_services_agree_on_generated_id_numbers(
    address: str, born: str, sequence: str, lower_x: bool
) -> None:
    first_17 = f"{address}{born}{sequence}"
    check = id_check_character(first_17)
    number = first_17 + (check.lower() if lower_x else check)
    # The form's check (which adds "not born after the application date") against accounts' check.
    accepted_on_the_form = Problems(SectionName.PERSONAL_INFO).id_number("id_number", number, TODAY)
    assert accepted_on_the_form is validate_id_number(number, today=TODAY).ok
