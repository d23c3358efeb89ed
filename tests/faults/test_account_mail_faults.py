"""A mail survives a SIGKILL of the accounts worker between the decision and the send, and is sent
exactly once after the restart; a normal restart sends nothing again (real PostgreSQL, Kafka and an
SMTP sink; the worker is its own OS process).

The decision (a new applicant's account, whose activation code goes by mail) is stored while the
mail server is down, so the worker's mail side effect fails and retries: the kill lands exactly
between decision and send.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest

from services.accounts.service import AccountsService
from tests.faults.accounts_worker_proc import CONFIG_VAR
from tests.faults.support import REPO_ROOT, admin_execute, create_schema, drop_schema, wait_for
from tests.support.accounts import (
    PASSWORD,
    Sink,
    code_in,
    free_port,
    new_credit_code,
    new_id_number,
    unit_form,
)
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(300)]


def start_worker(config: dict[str, Any], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, CONFIG_VAR: json.dumps(config), "PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.faults.accounts_worker_proc"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def test_an_activation_mail_survives_a_killed_worker_and_is_sent_exactly_once(
    infra: Any, tmp_path: Path
) -> None:
    sink = Sink(free_port(), tmp_path / "mail")
    async with Bus(infra) as bus:
        # Running's schema and application, but the worker is a process of its own
        world = Running(infra, bus, "accounts", environ=sink.environ)
        world.schema = await anyio.to_thread.run_sync(
            create_schema, infra.admin_dsn, world.settings.db_user, "tacf"
        )
        config = {
            "schema": world.schema,
            "topics": bus.copies,
            "group_id": f"test-{world.schema}",
            "environ": sink.environ,
        }
        worker = start_worker(config, tmp_path / "worker.log")
        try:
            service: AccountsService
            email = f"fault-{uuid.uuid4().hex[:6]}@example.com"
            async with world.application() as service:
                code = new_credit_code()
                form = unit_form(code)

                def decide() -> int:
                    unit = service.register_unit(**form)
                    registration = service.unit(unit.id)
                    registration.approve(clerk_id="clerk-pd-01", decided_at=service.now(), district="310115")
                    service.save(registration)
                    saved = service.create_applicant(
                        unit.id, name="赵六", id_number=new_id_number(), mobile="13700137003", email=email
                    )
                    assert saved.notification_id is not None
                    return saved.notification_id

                decision = await anyio.to_thread.run_sync(decide)

            def mail_position() -> int:
                rows = admin_execute(
                    infra.admin_dsn,
                    f"SELECT position FROM \"{world.schema}\".follower_positions WHERE name = 'account_mail'",
                )
                return int(rows[0][0]) if rows else -1

            # the worker is trying (the sink is down): its mail position stays before the decision
            await anyio.to_thread.run_sync(
                lambda: wait_for(
                    lambda: (tmp_path / "worker.log").read_text().count("account_mail failed") >= 2,
                    timeout=60,
                    what="the mail side effect retrying",
                )
            )
            assert 0 <= mail_position() < decision
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            assert sink.mails() == []

            sink.start()
            worker = start_worker(config, tmp_path / "worker.log")
            await anyio.to_thread.run_sync(
                lambda: wait_for(lambda: sink.mails(email), timeout=60, what="the mail after the restart")
            )
            await anyio.to_thread.run_sync(
                lambda: wait_for(lambda: mail_position() >= decision, timeout=30, what="the mail recorded")
            )
            time.sleep(2)
            assert len(sink.mails(email)) == 1
            assert code_in(sink.mails(email)[0])

            worker.send_signal(signal.SIGTERM)  # a normal restart sends nothing again
            worker.wait(timeout=30)
            worker = start_worker(config, tmp_path / "worker.log")
            await anyio.to_thread.run_sync(
                lambda: wait_for(
                    lambda: "account_mail" in (tmp_path / "worker.log").read_text(),
                    timeout=30,
                    what="the restarted worker",
                )
            )
            time.sleep(3)
            assert len(sink.mails(email)) == 1
            assert PASSWORD not in (tmp_path / "worker.log").read_text()
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
            sink.stop()
            await anyio.to_thread.run_sync(drop_schema, infra.admin_dsn, world.schema)
