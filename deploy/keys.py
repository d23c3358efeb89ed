"""The Ed25519 key pair accounts signs JWTs with (every service verifies with the public key).

``python -m deploy.keys [--dir DIR] [--public-dir DIR]`` creates ``jwt-ed25519.pem`` (PKCS#8 private
key, mode 0600) in ``.run/keys/`` (or ``--dir``) and ``jwt-ed25519.pub.pem`` (SubjectPublicKeyInfo) next
to it (or in ``--public-dir``: containers mount the private key into accounts only) unless they exist.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from deploy.common import file_lock, log, run_dir
from shared.platform.auth import generate_keypair

PRIVATE_NAME = "jwt-ed25519.pem"
PUBLIC_NAME = "jwt-ed25519.pub.pem"


@dataclass(frozen=True)
class JwtKeyFiles:
    private_key_file: Path
    public_key_file: Path


def jwt_key_files(directory: Path | None = None, public_directory: Path | None = None) -> JwtKeyFiles:
    """Where the key pair lives (default ``.run/keys/``); does not create anything."""
    directory = directory or run_dir() / "keys"
    return JwtKeyFiles(directory / PRIVATE_NAME, (public_directory or directory) / PUBLIC_NAME)


def ensure_jwt_keys(directory: Path | None = None, public_directory: Path | None = None) -> JwtKeyFiles:
    files = jwt_key_files(directory, public_directory)
    directory = files.private_key_file.parent
    with file_lock("keys"):
        if files.private_key_file.exists() and files.public_key_file.exists():
            return files
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
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.keys", description=__doc__)
    parser.add_argument("--dir", type=Path, default=None, help="target folder (default .run/keys)")
    parser.add_argument("--public-dir", type=Path, default=None, help="public key folder (default: --dir)")
    args = parser.parse_args(argv)
    files = ensure_jwt_keys(args.dir, args.public_dir)
    print(files.private_key_file)
    print(files.public_key_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
