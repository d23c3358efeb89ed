"""Unified social credit codes (统一社会信用代码) of units, GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, S, V, Z);
the last one is a check character: 31 - (weighted sum of the first 17 mod 31), with 31 written as 0.
The code embeds the unit's old 9-character organisation code (组织机构代码) at positions 9-17, which
is what the seed page calls "单位组织机构代码".
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""3^(i-1) mod 31 for positions 1..17."""


def credit_code_check_character(first_17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if len(first_17) != 17 or any(character not in ALPHABET for character in first_17):
        raise ValueError("expected 17 characters from the credit-code alphabet")
    total = sum(
        ALPHABET.index(character) * weight for character, weight in zip(first_17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(text: str) -> bool:
    """Whether ``text`` is an 18-character unified social credit code with a correct check character."""
    if len(text) != 18 or any(character not in ALPHABET for character in text):
        return False
    return credit_code_check_character(text[:17]) == text[17]
