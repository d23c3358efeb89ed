"""Mainland resident ID numbers (居民身份证号码), GB 11643-1999.

An ID number has 18 characters: a 6-digit address code, an 8-digit birth date (YYYYMMDD), a 3-digit
sequence code whose last digit is odd for men and even for women, and a check character computed
with ISO 7064 MOD 11-2 over the first 17 digits (``0``-``9`` or ``X`` for 10).

The accounts service keeps its own copy of this rule: services do not share domain code. The two must
accept the same numbers (``tests/unit/applications/test_validator_agreement.py``); the input here must
already be trimmed (accounts trims before it validates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""2^(17-i) mod 11 for positions 1..17."""

CHECK_CHARACTERS = "10X98765432"
"""Check character for each value of (weighted sum mod 11)."""

EARLIEST_BIRTH_YEAR = 1900

_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")
"""ASCII digits only (``\\d`` would also match full-width and other Unicode digits)."""

PROVINCE_PREFIXES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82", "83",
    }
)  # fmt: skip
"""First two digits of the address code (GB/T 2260 provinces; 81/82/83 are used by the residence
permits of Hong Kong, Macao and Taiwan residents, which share the format). Same list as accounts."""


class Sex(StrEnum):
    """Sex as encoded in the ID number (and as stated on the form)."""

    MALE = "MALE"
    FEMALE = "FEMALE"

    @property
    def label_zh(self) -> str:
        return "男" if self is Sex.MALE else "女"


class IdNumberProblem(StrEnum):
    """Why an ID number is not valid. The values are the error codes used on the form."""

    FORMAT = "id_number.format"
    ADDRESS_CODE = "id_number.address_code"
    BIRTH_DATE = "id_number.birth_date"
    CHECK_CHARACTER = "id_number.check_character"

    @property
    def message_zh(self) -> str:
        return {
            IdNumberProblem.FORMAT: "身份证号码应为18位,前17位为数字,最后一位为数字或X",
            IdNumberProblem.ADDRESS_CODE: "身份证号码前6位地址码无效",
            IdNumberProblem.BIRTH_DATE: "身份证号码中的出生日期无效",
            IdNumberProblem.CHECK_CHARACTER: "身份证号码校验位不正确,请核对",
        }[self]

    @property
    def message_en(self) -> str:
        return {
            IdNumberProblem.FORMAT: "An ID number has 18 characters: 17 digits, then a digit or X",
            IdNumberProblem.ADDRESS_CODE: "The first 6 digits of the ID number are not a valid address code",
            IdNumberProblem.BIRTH_DATE: "The birth date inside the ID number is not a valid date",
            IdNumberProblem.CHECK_CHARACTER: "The ID number's check character is wrong; please check it",
        }[self]


@dataclass(frozen=True, slots=True)
class IdNumberFacts:
    """What an ID number tells about its holder."""

    address_code: str
    birth_date: date
    sex: Sex


class InvalidIdNumberError(ValueError):
    """Raised by ``parse_id_number`` for an invalid number."""

    def __init__(self, problem: IdNumberProblem) -> None:
        self.problem = problem
        super().__init__(problem.message_en)


def check_character(first_17_digits: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(first_17_digits) != 17 or not first_17_digits.isdigit():
        raise ValueError("expected exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalise_id_number(text: str) -> str:
    """Strip surrounding spaces and write the check character ``x`` as ``X``."""
    return text.strip().upper()


def id_number_problem(text: str) -> IdNumberProblem | None:
    """The first problem with ``text`` as an 18-digit ID number, or ``None`` if it is valid.

    Lower-case ``x`` is accepted as the check character. Whether the birth date lies in the future
    depends on a reference date; callers check ``birth_date`` against theirs.
    """
    if not _SHAPE.fullmatch(text):
        return IdNumberProblem.FORMAT
    if text[:2] not in PROVINCE_PREFIXES:
        return IdNumberProblem.ADDRESS_CODE
    if _birth_date(text) is None:
        return IdNumberProblem.BIRTH_DATE
    if check_character(text[:17]) != text[17].upper():
        return IdNumberProblem.CHECK_CHARACTER
    return None


def parse_id_number(text: str) -> IdNumberFacts:
    """Birth date and sex encoded in a valid ID number; raises ``InvalidIdNumberError`` otherwise."""
    problem = id_number_problem(text)
    if problem is not None:
        raise InvalidIdNumberError(problem)
    birth_date = _birth_date(text)
    assert birth_date is not None  # checked by id_number_problem
    sex = Sex.MALE if int(text[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberFacts(address_code=text[:6], birth_date=birth_date, sex=sex)


def _birth_date(text: str) -> date | None:
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    if born.year < EARLIEST_BIRTH_YEAR:
        return None
    return born
