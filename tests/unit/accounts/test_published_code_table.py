"""The published-code table, run through the accounts validators.

The applications service keeps its own copy of the credit-code and ID-number rules (services do not
import each other). ``tests/unit/applications/test_validator_agreement.py`` runs the same table
(``tests/unit/published_codes.py``) through that copy, so a code one service accepts is never
rejected by the other.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.accounts.domain.credit_code import validate_credit_code
from services.accounts.domain.id_number import validate_id_number
from tests.unit.published_codes import CREDIT_CODE_TABLE, ID_NUMBER_TABLE

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(("code", "valid", "why"), CREDIT_CODE_TABLE)
def test_accounts_accepts_exactly_the_valid_credit_codes_of_the_published_table(
    code: str, valid: bool, why: str
) -> None:
    assert validate_credit_code(code).ok is valid, why


@pytest.mark.parametrize(("number", "valid", "why"), ID_NUMBER_TABLE)
def test_accounts_accepts_exactly_the_valid_id_numbers_of_the_published_table(
    number: str, valid: bool, why: str
) -> None:
    assert validate_id_number(number, today=TODAY).ok is valid, why
