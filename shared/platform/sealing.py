"""Personal data on internal topics travels sealed: one AES-256-GCM encrypted field of the payload.

Another service may need an applicant's name and full ID number (the application form prints
them). Such fields never appear in a payload in clear: the publisher puts them, as one JSON object,
into a single string field made by ``Keyring.seal``, and only services given the key can
``open`` it. A consumer without the key, the topic's retention and every log see only ciphertext.

* The field's text is ``v1.<key id>.<base64url(nonce || ciphertext+tag)>``: a fresh 96-bit nonce per
  seal; the key id lets keys rotate (seal with the current key, open with any known one).
* The seal is bound to its place by associated data (``context``, e.g. the event type and aggregate
  id), so a sealed value copied into another message does not open.
* The keyring file (``JIFEN_PERSONAL_DATA_KEY_FILE``, made by ``deploy/keys.py``) holds one
  ``<key id> <base64 key>`` line per key, the current one first.

A service that must *find* a record by a personal identifier (a clerk searching by ID number) keeps
a ``fingerprint`` instead of the identifier: an HMAC-SHA256 under a key derived from a keyring key
(HKDF, per purpose), tagged with the key id. ``fingerprints`` gives the value's fingerprint under
every key, so records fingerprinted before a rotation are still found.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class SealError(ValueError):
    """A sealed value that cannot be opened: unknown key, wrong context, tampered or malformed."""


def new_key_line(key_id: str | None = None) -> str:
    """One keyring line with a fresh random key (for ``deploy/keys.py``)."""
    key_id = key_id or f"k{secrets.token_hex(4)}"
    return f"{key_id} {base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


class Keyring:
    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if current not in keys:
            raise ValueError("the current key is not in the keyring")
        for key_id, key in keys.items():
            if not _KEY_ID.match(key_id) or len(key) != KEY_BYTES:
                raise ValueError(f"keyring entry {key_id!r} is not a {KEY_BYTES}-byte key with a plain id")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._mac_roots = {key_id: _derive(key, b"jifen fingerprint") for key_id, key in keys.items()}
        self.current = current

    @classmethod
    def parse(cls, text: str) -> Keyring:
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key_id, _, encoded = line.partition(" ")
            keys[key_id] = base64.b64decode(encoded.strip(), validate=True)
            order.append(key_id)
        if not order:
            raise ValueError("the keyring is empty")
        return cls(keys, order[0])

    @classmethod
    def from_file(cls, path: Path) -> Keyring:
        return cls.parse(path.read_text(encoding="utf-8"))

    def seal(self, data: Mapping[str, Any], *, context: str) -> str:
        """``data`` (JSON-compatible) encrypted with the current key, bound to ``context``."""
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        sealed = self._keys[self.current].encrypt(nonce, plain, context.encode())
        return f"{VERSION}.{self.current}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"

    def fingerprint(self, value: str, *, purpose: str, key_id: str | None = None) -> str:
        """``<key id>.<hex HMAC-SHA256>`` of ``value`` for ``purpose`` (current key by default)."""
        key_id = key_id or self.current
        key = _derive(self._mac_roots[key_id], purpose.encode())
        return f"{key_id}.{hmac.new(key, value.encode(), hashlib.sha256).hexdigest()}"

    def fingerprints(self, value: str, *, purpose: str) -> list[str]:
        """``value``'s fingerprint under every key of the ring (to look records up after a rotation)."""
        return [self.fingerprint(value, purpose=purpose, key_id=key_id) for key_id in self._keys]

    def open(self, sealed: str, *, context: str) -> dict[str, Any]:
        """The data sealed in ``sealed`` under ``context``; ``SealError`` if it cannot be opened."""
        try:
            version, key_id, encoded = sealed.split(".", 2)
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (ValueError, TypeError) as exc:
            raise SealError("malformed sealed value") from exc
        aead = self._keys.get(key_id)
        if version != VERSION or aead is None or len(raw) <= NONCE_BYTES:
            raise SealError("unknown key or version")
        try:
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise SealError("the sealed value does not open in this context") from exc
        data = json.loads(plain)
        if not isinstance(data, dict):
            raise SealError("sealed data is not an object")
        return data


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(key)
