"""Helpers for tests of the accounts service on real servers: a mail sink of the test's own, the
accounts service running on a bus with it, review's decisions as review would publish them, and
reading codes out of the mails."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from shared.contracts.review import Decision, PasswordResetAuthorised, UnitRegistrationApproved
from shared.kernel.credit_code import compose_credit_code
from shared.kernel.id_number import compose_id_number
from shared.platform.mail import StoredMail, read_mailbox
from tests.support.world import Bus, Running

if TYPE_CHECKING:
    from deploy.testing import Infra

NOON = datetime(2025, 6, 3, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: the portal is open
CODE = re.compile(r"(?:激活码|重置码)：([A-Z0-9]{4}-[A-Z0-9]{4})")
PASSWORD = "Jifen-Test-2025!"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Sink:
    """An aiosmtpd server of the test's own, storing into ``folder``."""

    port: int
    folder: Path
    controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        from shared.platform.mail import MailboxHandler

        self.controller = Controller(MailboxHandler(self.folder), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def environ(self) -> dict[str, str]:
        return {"JIFEN_SMTP_PORT": str(self.port), "JIFEN_MAIL_SINK_DIR": str(self.folder)}

    def mails(self, to: str | None = None) -> list[StoredMail]:
        return [m for m in read_mailbox(self.folder) if to is None or m.to == to]

    async def wait_for(self, to: str, count: int = 1, timeout: float = 30.0) -> list[StoredMail]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found := self.mails(to)) < count:
            assert asyncio.get_running_loop().time() < deadline, f"no mail to {to} within {timeout}s"
            await asyncio.sleep(0.1)
        return found


@contextlib.contextmanager
def mail_sink(folder: Path) -> Any:
    sink = Sink(free_port(), folder)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def code_in(mail: StoredMail) -> str:
    found = CODE.search(mail.body)
    assert found, mail.body
    return found.group(1)


def new_credit_code(division: str = "310115") -> str:
    """A valid, unique unified social credit code registered in ``division``."""
    return compose_credit_code(division, f"{uuid.uuid4().int % 10**8:08d}")


def new_id_number(birth: str = "19900101") -> str:
    return compose_id_number("310101", datetime.strptime(birth, "%Y%m%d").date(), uuid.uuid4().int % 1000)


def unit_form(code: str, district: str = "310115", **changes: str) -> dict[str, str]:
    return {
        "credit_code": code,
        "unit_name": "上海测试科技有限公司",
        "district": district,
        "address": "上海市浦东新区世纪大道100号",
        "hr_name": "王敏",
        "mobile": "13800138000",
        "email": f"hr-{code[-6:].lower()}@example.com",
        "password": PASSWORD,
        **changes,
    }


def decision(district: str = "310115", clerk: str = "clerk-pd-01") -> Decision:
    return Decision(clerk_id=clerk, district=district, decided_at=datetime.now(UTC))


def approval(unit_id: str, code: str, district: str = "310115") -> UnitRegistrationApproved:
    return UnitRegistrationApproved(
        unit_id=unit_id, credit_code=code, decision=decision(district), materials_checked=["business_licence"]
    )


def unit_reset(code: str, district: str, request_id: str | None = None) -> PasswordResetAuthorised:
    return PasswordResetAuthorised(
        request_id=request_id or uuid.uuid4().hex,
        account_kind="unit",
        unit_credit_code=code,
        decision=decision(district),
        materials_checked=["business_licence", "reset_form_stamped", "hr_id"],
    )


async def eventually(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Poll an async ``check`` until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def nothing() -> AsyncIterator[None]:
    yield


WORKER: dict[str, Any] = {"follower_options": {"poll_interval": 0.2}}


@dataclass
class AccountsWorld:
    bus: Bus
    sink: Sink
    accounts: Running
    client: AsyncTestClient[Litestar]


@contextlib.asynccontextmanager
async def accounts_world(infra: Infra, folder: Path) -> AsyncIterator[AccountsWorld]:
    """Accounts (worker and web app, the clock at noon) on a bus, sending to a mail sink of its own."""
    with mail_sink(folder) as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
            accounts.client(clock=lambda: NOON) as client,
        ):
            yield AccountsWorld(bus, sink, accounts, client)
