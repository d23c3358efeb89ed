"""Personal data sealed for internal topics (AES-256-GCM): only a keyholder opens it, in its place."""

from __future__ import annotations

import pytest

from shared.platform.sealing import Keyring, SealError, new_key_line

PERSON = {"name": "张三", "id_number": "11010519491231002X"}


def a_keyring(*lines: str) -> Keyring:
    return Keyring.parse("\n".join(lines or (new_key_line("k1"),)))


def test_a_sealed_field_opens_with_the_key_in_its_context_and_shows_nothing_in_clear() -> None:
    keyring = a_keyring()
    sealed = keyring.seal(PERSON, context="ApplicationSubmitted:app-1")
    assert "11010519491231002X" not in sealed and "张三" not in sealed
    assert sealed.startswith("v1.k1.")
    assert keyring.open(sealed, context="ApplicationSubmitted:app-1") == PERSON


def test_each_seal_of_the_same_data_differs_because_each_gets_a_fresh_nonce() -> None:
    keyring = a_keyring()
    assert keyring.seal(PERSON, context="c") != keyring.seal(PERSON, context="c")


def test_a_sealed_value_copied_into_another_message_does_not_open() -> None:
    keyring = a_keyring()
    sealed = keyring.seal(PERSON, context="ApplicationSubmitted:app-1")
    with pytest.raises(SealError):
        keyring.open(sealed, context="ApplicationSubmitted:app-2")


def test_a_service_without_the_key_cannot_open_it_and_tampering_is_detected() -> None:
    sealed = a_keyring().seal(PERSON, context="c")
    with pytest.raises(SealError):
        a_keyring(new_key_line("k1")).open(sealed, context="c")  # another key under the same id
    keyring = a_keyring()
    good = keyring.seal(PERSON, context="c")
    tampered = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
    for broken in (tampered, "v1.k1.", "v2.k1.AAAA", "not sealed at all"):
        with pytest.raises(SealError):
            keyring.open(broken, context="c")


def test_keys_rotate_seal_with_the_current_key_and_open_with_any_known_one() -> None:
    old = new_key_line("k1")
    sealed_before = a_keyring(old).seal(PERSON, context="c")
    rotated = a_keyring(new_key_line("k2"), old)
    assert rotated.current == "k2"
    assert rotated.open(sealed_before, context="c") == PERSON
    assert rotated.seal(PERSON, context="c").startswith("v1.k2.")


def test_a_keyring_refuses_short_keys_and_an_empty_file() -> None:
    with pytest.raises(ValueError):
        Keyring.parse("k1 " + "QUJD")
    with pytest.raises(ValueError):
        Keyring.parse("# nothing\n")
