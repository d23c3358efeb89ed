"""Unified social credit codes (统一社会信用代码) of units, GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, S, V, Z):

* position 1: registration-authority code, position 2: organisation type under that authority;
* positions 3-8: administrative division of the registering authority (GB/T 2260; ``100000`` for
  national-level registrations);
* positions 9-17: the unit's old 9-character organisation code (组织机构代码, GB 11714-1997), which is
  what the seed page calls "单位组织机构代码"; its 9th character is its own check character;
* position 18: check character, 31 - (weighted sum of the first 17 mod 31), with 31 written as 0.

The accounts service keeps its own copy of these rules (services do not share domain code). The two
must accept exactly the same codes: a unit registered in accounts must be able to file applications
here. ``tests/unit/applications/test_validator_agreement.py`` checks that they agree. The input must
already be normalised (trimmed, upper-case), as accounts stores it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""3^(i-1) mod 31 for positions 1..17."""

ORGANISATION_CODE_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
"""GB 11714-1997 weights for the 8 body characters of an organisation code."""

ORGANISATION_TYPES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 群众团体, 其他
        "2": frozenset("19"),  # 外交
        "3": frozenset("123459"),  # 司法行政
        "4": frozenset("19"),  # 文化
        "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
        "6": frozenset("129"),  # 旅游
        "7": frozenset("129"),  # 宗教
        "8": frozenset("19"),  # 工会
        "9": frozenset("123"),  # 工商: 企业, 个体工商户, 农民专业合作社
        "A": frozenset("19"),  # 中央军委改革和编制办公室
        "N": frozenset("1239"),  # 农业
        "Y": frozenset("1"),  # 其他
    }
)
"""Registration authority (position 1) -> its organisation types (position 2), GB 32100-2015 appendix."""

PROVINCE_PREFIXES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    }
)  # fmt: skip
"""First two digits of a GB/T 2260 division code."""

NATIONAL_DIVISION = "100000"


def credit_code_check_character(first_17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if len(first_17) != 17 or any(character not in ALPHABET for character in first_17):
        raise ValueError("expected 17 characters from the credit-code alphabet")
    total = sum(
        ALPHABET.index(character) * weight for character, weight in zip(first_17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def organisation_code_check_character(first_8: str) -> str:
    """GB 11714-1997 check character of an organisation code body: ``11 - (sum mod 11)``, where 10 is
    written ``X`` and 11 is written ``0``; digits count as their value, letters A-Z as 10-35."""
    if len(first_8) != 8 or not all(c.isascii() and (c.isdigit() or "A" <= c <= "Z") for c in first_8):
        raise ValueError("expected 8 digits or upper-case Latin letters")
    total = sum(
        (int(c) if c.isdigit() else ord(c) - ord("A") + 10) * weight
        for c, weight in zip(first_8, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def is_valid_credit_code(text: str) -> bool:
    """Whether ``text`` is a valid 18-character unified social credit code: known authority and type,
    a division code, an organisation code with a correct GB 11714 check, and a correct final check
    character."""
    if len(text) != 18 or any(character not in ALPHABET for character in text):
        return False
    if text[1] not in ORGANISATION_TYPES.get(text[0], frozenset()):
        return False
    division = text[2:8]
    if not (division[:2] in PROVINCE_PREFIXES or division == NATIONAL_DIVISION) or not division.isdigit():
        return False
    if organisation_code_check_character(text[8:16]) != text[16]:
        return False
    return credit_code_check_character(text[:17]) == text[17]
