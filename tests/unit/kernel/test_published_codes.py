"""The published-code table, run through the kernel's identifier rules (the only implementation).

Valid codes are published registration data (annual reports, licences, the GB 32100-2015 worked
example) and the GB 11643-1999 worked example; each invalid code breaks exactly one rule of
GB 32100-2015 / GB 11714-1997 / GB 11643-1999 while keeping a correct final check character, so a
validator that skips that rule accepts it.
"""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.credit_code import validate_credit_code
from shared.kernel.id_number import validate_id_number

TODAY = date(2026, 1, 15)

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
    ("１１０１０５１９４９１２３１００２X", True, "full-width digits (a Chinese input method) read as ASCII"),
]


@pytest.mark.parametrize(("code", "valid", "why"), CREDIT_CODE_TABLE)
def test_exactly_the_valid_credit_codes_of_the_published_table_are_accepted(
    code: str, valid: bool, why: str
) -> None:
    assert validate_credit_code(code).ok is valid, why


@pytest.mark.parametrize(("number", "valid", "why"), ID_NUMBER_TABLE)
def test_exactly_the_valid_id_numbers_of_the_published_table_are_accepted(
    number: str, valid: bool, why: str
) -> None:
    assert validate_id_number(number, today=TODAY).ok is valid, why
