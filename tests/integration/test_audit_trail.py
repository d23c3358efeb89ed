"""A downstream system rebuilds an application's whole status history from the public status topic alone
(``python -m tools.audit_trail``), on the real broker (a throw-away copy of the topic)."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.contracts.applications import Actor, ApplicationStatusChanged
from shared.contracts.topics import STATUS_TOPIC
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role
from tests.support.world import Bus
from tools import audit_trail

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(120)]

REPO = Path(__file__).resolve().parents[2]
AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
STEPS = [
    (ApplicationStatus.DRAFT, ApplicationStatus.COMPLETED, Role.APPLICANT, None),
    (ApplicationStatus.COMPLETED, ApplicationStatus.UNIT_APPROVED, Role.UNIT, None),
    (ApplicationStatus.UNIT_APPROVED, ApplicationStatus.AWAITING_ACCEPTANCE, Role.SYSTEM, "材料已递交"),
]


def change(number: str, step: int, application_id: str) -> ApplicationStatusChanged:
    previous, new, role, reason = STEPS[step]
    return ApplicationStatusChanged(
        application_id=application_id,
        application_number=number,
        kind=ApplicationKind.NEW,
        previous_status=previous,
        new_status=new,
        actor=Actor(role=role, id=f"{role.value}-1"),
        reason=reason,
        changed_at=AT + timedelta(minutes=step),
        applicant_id_masked="310101********123X",
        unit_id="unit-1",
        unit_credit_code="91310115MA1K4XXX1X",
        district="310115",
    )


def args(bus: Bus, number: str, **options: Any) -> argparse.Namespace:
    namespace = audit_trail.parser().parse_args([number, "--bootstrap", bus.infra.kafka_bootstrap])
    namespace.topic = bus.copies[STATUS_TOPIC]
    for key, value in options.items():
        setattr(namespace, key, value)
    return namespace


async def test_the_tool_prints_only_that_applications_history_in_order_from_the_beginning(infra: Any) -> None:
    mine, other = f"JF{uuid.uuid4().hex[:10]}", f"JF{uuid.uuid4().hex[:10]}"
    mine_id, other_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with Bus(infra) as bus:
        for step in range(3):
            await bus.publish(change(mine, step, mine_id), subject=mine_id, aggregate_version=step + 2)
            await bus.publish(change(other, step, other_id), subject=other_id, aggregate_version=step + 2)
        await bus._producer.send_and_wait(bus.copies[STATUS_TOPIC], b"not json", key=b"x")
        out, err = io.StringIO(), io.StringIO()
        assert await audit_trail.run(args(bus, mine), out, err) == 0
        lines = out.getvalue().splitlines()
        assert lines == [
            "2026-12-01 09:00:00  填写中 → 已完成  申请人 applicant-1",
            "2026-12-01 09:01:00  已完成 → 单位审核通过  用人单位 unit-1",
            "2026-12-01 09:02:00  单位审核通过 → 等待受理  系统 system-1  (材料已递交)",
        ]
        assert "skipped a message that is not an envelope" in err.getvalue()

        out = io.StringIO()
        assert await audit_trail.run(args(bus, mine, json=True), out, io.StringIO()) == 0
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [r["new_status"] for r in records] == ["COMPLETED", "UNIT_APPROVED", "AWAITING_ACCEPTANCE"]
        assert all(r["application_number"] == mine and r["causation_id"] for r in records)

        missing = io.StringIO()
        assert await audit_trail.run(args(bus, "JF-none"), io.StringIO(), missing) == 1
        assert "no transitions of JF-none" in missing.getvalue()
        with pytest.raises(SystemExit, match="does not exist"):
            await audit_trail.run(args(bus, mine, topic="jifen.no.such.topic"), io.StringIO(), io.StringIO())


async def test_follow_keeps_printing_new_transitions(infra: Any) -> None:
    number, application_id = f"JF{uuid.uuid4().hex[:10]}", str(uuid.uuid4())
    async with Bus(infra) as bus:
        await bus.publish(change(number, 0, application_id), subject=application_id)
        out = io.StringIO()
        follower = asyncio.create_task(
            audit_trail.run(args(bus, number, follow=True, lang="en"), out, io.StringIO())
        )
        try:
            await wait_for_lines(out, 1)
            await bus.publish(change(number, 1, application_id), subject=application_id)
            await wait_for_lines(out, 2)
        finally:
            follower.cancel()
            await asyncio.gather(follower, return_exceptions=True)
    assert (
        out.getvalue().splitlines()[1]
        == "2026-12-01 09:01:00  Completed → Approved by the unit  Employer unit unit-1"
    )


async def wait_for_lines(out: io.StringIO, count: int, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while len(out.getvalue().splitlines()) < count:
        assert asyncio.get_running_loop().time() < deadline, out.getvalue()
        await asyncio.sleep(0.1)


async def test_the_command_line_reads_the_topic_through_the_published_contract_only(infra: Any) -> None:
    number, application_id = f"JF{uuid.uuid4().hex[:10]}", str(uuid.uuid4())
    async with Bus(infra) as bus:
        await bus.publish(change(number, 0, application_id), subject=application_id)
        done = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-m",
                "tools.audit_trail",
                number,
                "--json",
                "--bootstrap",
                infra.kafka_bootstrap,
                "--topic",
                bus.copies[STATUS_TOPIC],
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},  # no JIFEN_* variables, no database: only the broker
        )
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.splitlines()]
    assert record["new_status"] == "COMPLETED" and record["applicant_id_masked"] == "310101********123X"
