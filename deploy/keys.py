"""The stack's keys: the Ed25519 pair accounts signs JWTs with (every service verifies with the public
key), and the keyring that seals personal data on internal topics (``shared.platform.sealing``).

``python -m deploy.keys [--dir DIR] [--public-dir DIR] [--personal-data-dir DIR]`` creates, unless they
exist, ``jwt-ed25519.pem`` (PKCS#8 private key, mode 0600) in ``.run/keys/`` (or ``--dir``),
``jwt-ed25519.pub.pem`` (SubjectPublicKeyInfo) next to it (or in ``--public-dir``: containers mount
the private key into accounts only) and ``personal-data.keyring`` (an AES-256-GCM key, mode 0600)
next to it (or in ``--personal-data-dir``), and ``account-codes.key`` (the secret accounts derives its
single-use codes from, mode 0600) next to the private key.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from deploy.common import file_lock, log, run_dir
from shared.platform.auth import generate_keypair
from shared.platform.sealing import new_key_line

PRIVATE_NAME = "jwt-ed25519.pem"
PUBLIC_NAME = "jwt-ed25519.pub.pem"
KEYRING_NAME = "personal-data.keyring"
CODE_SECRET_NAME = "account-codes.key"


@dataclass(frozen=True)
class KeyFiles:
    private_key_file: Path
    public_key_file: Path
    personal_data_keyring: Path
    code_secret_file: Path
    """accounts only: the secret its activation and reset codes are derived from (next to the
    private key, so a container mounts it into accounts alone)."""


def key_files(
    directory: Path | None = None,
    public_directory: Path | None = None,
    personal_data_directory: Path | None = None,
) -> KeyFiles:
    """Where the keys live (default ``.run/keys/``); does not create anything."""
    directory = directory or run_dir() / "keys"
    return KeyFiles(
        directory / PRIVATE_NAME,
        (public_directory or directory) / PUBLIC_NAME,
        (personal_data_directory or directory) / KEYRING_NAME,
        directory / CODE_SECRET_NAME,
    )


def ensure_keys(
    directory: Path | None = None,
    public_directory: Path | None = None,
    personal_data_directory: Path | None = None,
) -> KeyFiles:
    files = key_files(directory, public_directory, personal_data_directory)
    with file_lock("keys"):
        _ensure_jwt_pair(files)
        _ensure_keyring(files.personal_data_keyring)
        _ensure_code_secret(files.code_secret_file)
    return files


def _ensure_code_secret(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    log("keys", f"generated the account-code secret {path}")


def _ensure_keyring(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# AES-256-GCM keys sealing personal data on internal topics; current key first\n")
        handle.write(new_key_line() + "\n")
    log("keys", f"generated the personal-data keyring {path}")


def _ensure_jwt_pair(files: KeyFiles) -> None:
    directory = files.private_key_file.parent
    if files.private_key_file.exists() and files.public_key_file.exists():
        return
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    files.public_key_file.parent.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem = generate_keypair()
    fd = os.open(files.private_key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_pem)
    os.chmod(files.private_key_file, 0o600)
    files.public_key_file.write_bytes(public_pem)
    os.chmod(files.public_key_file, 0o644)
    log("keys", f"generated Ed25519 JWT key pair in {directory}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.keys", description=__doc__)
    parser.add_argument("--dir", type=Path, default=None, help="target folder (default .run/keys)")
    parser.add_argument("--public-dir", type=Path, default=None, help="public key folder (default: --dir)")
    parser.add_argument(
        "--personal-data-dir", type=Path, default=None, help="personal-data keyring folder (default: --dir)"
    )
    args = parser.parse_args(argv)
    files = ensure_keys(args.dir, args.public_dir, args.personal_data_dir)
    print(files.private_key_file)
    print(files.public_key_file)
    print(files.personal_data_keyring)
    print(files.code_secret_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
