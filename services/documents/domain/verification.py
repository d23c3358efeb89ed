"""Verification codes printed on points notices (核验码): unguessable, easy to type, checked publicly.

A code is 80 random bits written as 16 characters of Crockford's base-32 alphabet in four groups
(``7K2M-Q9XD-4TNB-H8VR``): no I, L, O or U, so what is read off paper is typed back unambiguously,
and 2^80 codes make guessing hopeless even without the gateway's rate limit. The randomness is
given by the caller (the service draws it from ``secrets``), so this module stays pure.
"""

from __future__ import annotations

import unicodedata

from shared.kernel.errors import FieldError
from shared.kernel.text import Text

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BYTES = 10
"""80 bits: 16 base-32 characters."""
GROUP = 4
_LENGTH = CODE_BYTES * 8 // 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_\u2010\u2011\u2012\u2013\u2014\u3000")


def new_code(random_bytes: bytes) -> str:
    """The code for ``random_bytes`` (exactly ``CODE_BYTES`` of them)."""
    if len(random_bytes) != CODE_BYTES:
        raise ValueError(f"a verification code needs {CODE_BYTES} random bytes")
    number = int.from_bytes(random_bytes, "big")
    chars = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(_LENGTH))]
    return _grouped("".join(chars))


MALFORMED = Text(
    "核验码格式不正确：请照通知书输入 16 位字母和数字",
    "That is not a verification code: type the 16 letters and digits printed on the notice",
)


def malformed_code(field: str = "code") -> FieldError:
    """What someone typed cannot be a code at all (the page's and the API's field error)."""
    return FieldError(field, "documents.code_malformed", MALFORMED)


def normalise_code(typed: str) -> str | None:
    """The code as printed, from what someone typed (any case, full-width or not, with or without
    dashes or spaces, O for 0 and I or L for 1); ``None`` when it cannot be a code at all."""
    compact = unicodedata.normalize("NFKC", typed).upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(compact) != _LENGTH or any(char not in ALPHABET for char in compact):
        return None
    return _grouped(compact)


def _grouped(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))
