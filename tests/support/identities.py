"""Valid ID numbers and credit codes for tests, composed by the kernel's own rules."""

from __future__ import annotations

from datetime import date

from shared.kernel.credit_code import compose_credit_code
from shared.kernel.id_number import compose_id_number

PUDONG = "310115"


def id_number(born: date, sequence: int, address_code: str = "310104") -> str:
    """A valid ID number; an odd ``sequence`` makes a man, an even one a woman."""
    return compose_id_number(address_code, born, sequence)


def credit_code(serial: int, division: str = PUDONG) -> str:
    """A valid unified social credit code of a company (91) registered in ``division``."""
    return compose_credit_code(division, f"{serial:08d}")
