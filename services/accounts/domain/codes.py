"""Single-use codes (activation, password reset): derived, never stored.

A code is an HMAC of a server secret and the request's id, so the mail side effect can compute the
same code again from the event (which holds only the request id and the code's digest); nothing
stored, published or logged holds the code itself. Codes are 8 characters from an alphabet without
look-alikes (no 0/O, 1/I/L), shown as ``ABCD-EFGH``; input ignores case, spaces and hyphens.
"""

from __future__ import annotations

import hashlib
import hmac

from shared.kernel.errors import StateConflict

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
ACTIVATION = "activation"
RESET = "reset"


def derive_code(secret: bytes, purpose: str, request_id: str) -> str:
    """The code of request ``request_id`` (``purpose``: ``activation`` or ``reset``)."""
    digest = hmac.new(secret, f"{purpose}:{request_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def code_digest(code: str) -> str:
    """What is stored to check a code later (SHA-256 of the normalised code)."""
    return hashlib.sha256(f"jifen-code:{normalise_code(code)}".encode()).hexdigest()


def code_matches(raw: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(raw), digest)


class CodeExpired(StateConflict):
    """A single-use code whose time ran out."""

    code = "code.expired"


class CodeUsed(StateConflict):
    """A single-use code presented a second time."""

    code = "code.used"
