"""``python -m services.accounts create-admin``: the first administrator (a clerk with the
administrator duty), who then manages the other clerks on ``/accounts/clerks``.

The password is prompted for (twice, not echoed), or read from the environment variable named by
``--password-env`` (default ``JIFEN_ADMIN_PASSWORD``) for scripts. Running it again for an existing
username changes nothing (scripts may repeat it).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from services.accounts.demo import SEED_DEMO
from services.accounts.service import AccountsService
from shared.kernel.errors import ValidationFailed
from shared.kernel.roles import Duty
from shared.platform.db import eventsourcing_env
from shared.platform.kit import Command, ServiceDefinition, keyring_of
from shared.platform.settings import Settings

PASSWORD_ENV = "JIFEN_ADMIN_PASSWORD"


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--username", default="admin", help="sign-in name (default admin)")
    parser.add_argument("--name", default="系统管理员", help="the administrator's name")
    parser.add_argument("--district", default="310101", help="district code (default 310101 黄浦区)")
    parser.add_argument(
        "--password-env",
        default=PASSWORD_ENV,
        help=f"read the password from this variable instead of prompting (default {PASSWORD_ENV})",
    )


def _password(variable: str) -> str:
    if os.environ.get(variable):
        return os.environ[variable]
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise SystemExit("the two passwords differ")
    return first


def create_admin(definition: ServiceDefinition, settings: Settings, args: argparse.Namespace) -> int:
    service = definition.build(eventsourcing_env(settings), keyring_of(settings))
    assert isinstance(service, AccountsService)
    try:
        from services.accounts.domain.clerk import Clerk

        if Clerk.create_id(args.username) in service.repository:
            print(f"administrator {args.username!r} exists already; nothing changed")
            return 0
        saved = service.create_clerk(
            username=args.username,
            name=args.name,
            district=args.district,
            duties=[Duty.ADMINISTRATOR.value],
            password=_password(args.password_env),
            by="create-admin",
        )
    except ValidationFailed as exc:
        for error in exc.errors:
            print(f"{error.path}: {error.message.en} / {error.message.zh}", file=sys.stderr)
        return 1
    finally:
        service.close()
    print(f"created administrator {args.username!r} (clerk id {saved.id}); sign in at /accounts/login/clerk")
    return 0


COMMANDS = {
    "create-admin": Command("create the first administrator (a clerk account)", create_admin, _arguments),
    "seed-demo": SEED_DEMO,
}
