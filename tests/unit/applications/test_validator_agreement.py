"""The applications copy of the credit-code and ID-number rules agrees with the accounts copy.

Services do not import each other, so both keep their own validators. A unit code or ID number that
accounts accepted must not be rejected when it reaches an application, and the other way round. The
published-code table below is the same as in ``tests/unit/accounts/test_published_code_table.py``;
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

TODAY = date(2026, 1, 15)

# --- The published-code table (kept identical in tests/unit/accounts/test_published_code_table.py and
# tests/unit/applications/test_validator_agreement.py: both services must give the same verdicts).
#
# Valid codes are published registration data (annual reports, licences, the GB 32100-2015 worked
# example); each invalid code breaks exactly one rule of GB 32100-2015 / GB 11714-1997 while keeping a
# correct final check character, so a validator that skips that rule accepts it.
CREDIT_CODE_TABLE: list[tuple[str, bool, str]] = [
    ("9131000013221158XC", True, "上海浦东发展银行, Shanghai municipal registration"),
    ("91310000132260250X", True, "上海汽车集团, Shanghai municipal registration"),
    ("9131011877976576X6", True, "上海南特克实业, Qingpu"),
    ("91310109MACHK7GN2R", True, "上海掇骁贸易, Hongkou, MA series"),
    ("12100000425006133D", True, "华东师范大学, national-level public institution"),
    ("914403001922038216", True, "华为技术, Shenzhen"),
    ("91350100M000100Y43", True, "GB 32100-2015 explanatory worked example"),
    ("91110000802100433B", True, "Beijing municipal registration"),
    ("91310000132211581M", False, "organisation code 13221158-1 fails its GB 11714 check (should be X)"),
    ("51310000MJ0000000K", False, "organisation code MJ000000-0 fails its GB 11714 check"),
    ("B131000013221158XA", False, "B is not a registration-authority code"),
    ("9431000013221158X3", False, "4 is not an organisation type of authority 9 (工商)"),
    ("9100000013221158X4", False, "000000 is not an administrative division"),
    ("9131000013221158XD", False, "wrong final check character"),
    ("9131000013221158X", False, "17 characters"),
    ("9131000013221158IC", False, "I is not in the GB 32100 character set"),
]

ID_NUMBER_TABLE: list[tuple[str, bool, str]] = [
    ("11010519491231002X", True, "GB 11643-1999 worked example, female, 1949-12-31"),
    ("11010519491231002x", True, "lower-case x check character"),
    ("440524188001010014", False, "born 1880: before 1900"),
    ("000105194912310024", False, "address code 00xxxx is no province (check character correct)"),
    ("110105194902300020", False, "30 February (check character correct)"),
    ("110105194912310021", False, "wrong check character"),
    ("11010519491231002", False, "17 characters"),
    ("１１０１０５１９４９１２３１００２X", False, "full-width digits"),
]


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
