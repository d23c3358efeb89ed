"""Command latency of the applications service: saving a section and 单位审核通过 (submit), p50 and p95,
at 1 and at 20 concurrent users, over HTTP against the running service.

    .venv/bin/python -m benchmarks.commands [--saves 200] [--submits 40] [--users 1 20] [--think 0]
                                           [--mode all|web]

The service runs as it is deployed (``python -m services.applications all`` in one process: the web
app behind uvicorn and the worker with its outbox relay, inbox and read models) in a child process,
on a throw-away schema and throw-away copies of the contract topics (needs PostgreSQL and Kafka:
``python -m deploy.stack up --infra-only``). Its clock stands on a weekday morning in Shanghai (open,
and the test data valid). The applications are prepared through the service's own commands in this
process, untimed: one unit, and per user one draft application to save into and as many completed
ones as it submits. Then each user, in its own task, saves its resume ``--saves`` times in a row
(``PUT …/resume``, based on the version the last answer gave) and submits its completed applications
(``POST …/submit``), after ``--think`` seconds of reading and typing on average each time (0: at
once, so that the users keep 20 requests in flight). Every request is timed from send to answer, and
the CPU time the service's process used is divided by the requests (what a request costs the
service, whatever else the machine is doing). Goal: p95 ≤ 50 ms at 20 users.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

import anyio
import httpx
from eventsourcing.persistence import Tracking

from deploy.testing import Infra, ensure_infra
from services.applications.app import SERVICE
from services.applications.domain.sections.names import SectionName
from services.applications.domain.status import Actor
from shared.contracts import wrap
from shared.kernel.application_status import ApplicationKind
from shared.kernel.records import to_record
from shared.kernel.roles import Role
from shared.platform.integration import Received, Sealing
from shared.platform.kit import keyring_of
from shared.platform.sealing import Keyring
from shared.platform.settings import Settings
from tests.faults.support import create_schema, drop_schema
from tests.support import applications as upstream
from tests.support.identities import id_number
from tests.support.world import Bus, token_issuer
from tests.unit.applications.builders import (
    APPLICANT_BIRTH_DATE,
    AT,
    PLEDGE_VERSION,
    UNIT_ID,
    deductions,
    family,
    no_investment,
    personal_info,
    resume,
    scoring_claims,
)

UNIT = Actor(Role.UNIT, str(UNIT_ID))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Prepared:
    """One benchmark user: an applicant, their draft and their completed applications."""

    def __init__(self, applicant: UUID, token: str) -> None:
        self.applicant = applicant
        self.token = token
        self.draft: UUID | None = None
        self.draft_version = 0
        self.completed: list[tuple[UUID, int]] = []


def prepare(
    app: Any, sealing: Sealing, users: int, submits: int, offset: int, infra: Infra
) -> list[Prepared]:
    """Directory, then per user a draft and ``submits`` completed applications, by the service's commands
    (each completed one of its own applicant: one open application per applicant)."""
    sequence = iter(range(offset, offset + 1_000_000))

    def deliver(payload: Any, subject: str) -> None:
        envelope = wrap(
            source="accounts",
            sequence=next(sequence),
            subject=subject,
            aggregate_version=1,
            occurred_at=AT,
            payload=payload,
        )
        app.process_event(Received(envelope, payload), Tracking("accounts:0", envelope.sequence))

    deliver(upstream.unit_approved(), str(UNIT_ID))
    issuer = token_issuer(infra)
    prepared: list[Prepared] = []
    for user in range(users):
        applicants = [uuid.uuid4() for _ in range(submits + 1)]
        for index, applicant in enumerate(applicants):
            number = id_number(APPLICANT_BIRTH_DATE, 100 + (user * (submits + 1) + index) % 900)
            deliver(
                upstream.applicant_registered(sealing, applicant_id=applicant, id_number=number),
                str(applicant),
            )
        token = issuer.issue(
            account_id="unit-hr", role=Role.UNIT, unit_id=str(UNIT_ID), ttl=timedelta(hours=2)
        ).token
        who = Prepared(applicants[0], token)
        for index, applicant in enumerate(applicants):
            application, version = filled(app, applicant)
            if index == 0:
                who.draft, who.draft_version = application, version
            else:
                saved = app.complete(application, by=UNIT, based_on_version=version, at=AT)
                who.completed.append((application, saved.version))
        prepared.append(who)
    return prepared


def filled(app: Any, applicant: UUID) -> tuple[UUID, int]:
    saved = app.start(by=UNIT, applicant_id=applicant, kind=ApplicationKind.NEW, at=AT)
    application = saved.application_id
    by_applicant = Actor(Role.APPLICANT, str(applicant))
    saved = app.accept_pledge(
        application, by=UNIT, based_on_version=saved.version, text_version=PLEDGE_VERSION, at=AT
    )
    saved = app.accept_pledge(
        application, by=by_applicant, based_on_version=saved.version, text_version=PLEDGE_VERSION, at=AT
    )
    registered = app.registered_personal_data(app.applicant(applicant))
    sections: dict[SectionName, Any] = {
        SectionName.PERSONAL_INFO: personal_info(id_number=registered.id_number),
        SectionName.RESUME: resume(),
        SectionName.FAMILY: family(),
        SectionName.INVESTMENT: no_investment(),
        SectionName.SCORING_CLAIMS: scoring_claims(),
        SectionName.DEDUCTIONS: deductions(),
    }
    for section, data in sections.items():
        saved = app.save_section(application, section, data, by=UNIT, based_on_version=saved.version, at=AT)
    return application, saved.version


async def user_saves(client: httpx.AsyncClient, who: Prepared, saves: int, think: float) -> list[float]:
    body = to_record(resume())
    version, times = who.draft_version, []
    for _ in range(saves):
        await pause(think)
        started = time.perf_counter()
        answer = await client.put(
            f"/api/applications/applications/{who.draft}/resume",
            json={"based_on_version": version, "resume": body},
            headers={"Authorization": f"Bearer {who.token}"},
        )
        times.append(time.perf_counter() - started)
        answer.raise_for_status()
        version = answer.json()["version"]
    return times


async def user_submits(client: httpx.AsyncClient, who: Prepared, think: float) -> list[float]:
    times = []
    for application, version in who.completed:
        await pause(think)
        started = time.perf_counter()
        answer = await client.post(
            f"/api/applications/applications/{application}/submit",
            json={"based_on_version": version},
            headers={"Authorization": f"Bearer {who.token}"},
        )
        times.append(time.perf_counter() - started)
        answer.raise_for_status()
    return times


def serve(schema: str, port: int, topics: dict[str, str], mode: str) -> None:
    """The child process: the service as deployed, web and worker (``all``) or the web app alone."""
    from shared.platform.kit import create_web_app, run_worker
    from shared.platform.runner import run_service

    settings = dataclasses.replace(Settings.from_env("applications"), http_port=port)
    persistence = {"POSTGRES_SCHEMA": schema}

    def web(s: Settings) -> Any:
        return create_web_app(
            SERVICE, s, persistence=persistence, state={"db_schema": schema}, clock=lambda: AT
        )

    async def worker(s: Settings) -> None:
        await run_worker(SERVICE, s, overrides=persistence, group_id=f"bench-{schema}", topics=topics)

    raise SystemExit(asyncio.run(run_service(settings, mode=mode, create_app=web, run_worker=worker)))


async def run(args: argparse.Namespace, infra: Infra) -> None:
    settings = Settings.from_env("applications", infra.env)
    schema = await anyio.to_thread.run_sync(create_schema, infra.admin_dsn, settings.db_user, "bench")
    port = args.port
    async with Bus(infra) as bus:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.commands",
                "--serve",
                schema,
                "--port",
                str(port),
                "--topics",
                json.dumps(bus.copies),
                "--mode",
                args.mode,
            ],
            env={**os.environ, **infra.env, "JIFEN_LOG_LEVEL": "WARNING"},
        )
        try:
            env = {**settings.eventsourcing_env(), "POSTGRES_SCHEMA": schema}
            app = await anyio.to_thread.run_sync(SERVICE.build, env, keyring_of(settings))
            sealing = Sealing(Keyring.from_file(infra.personal_data_key_file))
            results: dict[int, dict[str, list[float]]] = {}
            cpu_used: dict[int, dict[str, float]] = {}
            offset = 1
            for users in args.users:
                saves = max(1, args.saves // users)
                submits = max(1, args.submits // users)
                started = time.perf_counter()
                prepared = await anyio.to_thread.run_sync(
                    prepare, app, sealing, users, submits, offset, infra
                )
                offset += 1_000_000
                print(f"prepared {users} user(s) in {time.perf_counter() - started:.0f} s", flush=True)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                    await wait_until_up(client)
                    await user_saves(client, prepared[0], 3, 0)  # warm up (not counted)
                    prepared[0].draft_version += 3
                    cpu = cpu_seconds(child.pid)
                    save_times = await gather(user_saves(client, who, saves, args.think) for who in prepared)
                    save_cpu = cpu_seconds(child.pid) - cpu
                    submit_times = await gather(user_submits(client, who, args.think) for who in prepared)
                    submit_cpu = cpu_seconds(child.pid) - cpu - save_cpu
                results[users] = {"save a section": save_times, "submit": submit_times}
                cpu_used[users] = {"save a section": save_cpu, "submit": submit_cpu}
            app.close()
        finally:
            child.terminate()
            child.wait(30)
            await anyio.to_thread.run_sync(drop_schema, infra.admin_dsn, schema)
    print("\n| users | command | requests | p50 | p95 | max | service CPU / request |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for users, commands in results.items():
        for command, times in commands.items():
            ms = [t * 1000 for t in times]
            cpu_ms = cpu_used[users][command] * 1000 / len(ms)
            print(
                f"| {users} | {command} | {len(ms)} | {statistics.median(ms):.1f} ms | "
                f"{percentile(ms, 0.95):.1f} ms | {max(ms):.1f} ms | {cpu_ms:.1f} ms |"
            )


async def pause(think: float) -> None:
    """A user's time between two commands (reading, typing): ``think`` seconds on average."""
    if think:
        await asyncio.sleep(random.uniform(0.5, 1.5) * think)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the service's process has used (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def gather(tasks: Any) -> list[float]:
    found = await asyncio.gather(*tasks)
    return [t for times in found for t in times]


async def wait_until_up(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the service did not start")
        await asyncio.sleep(0.3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=200, help="section saves per run (split among users)")
    parser.add_argument("--submits", type=int, default=40, help="submissions per run (split among users)")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20])
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a user takes between two commands, on average (0: the next request at once)",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("JIFEN_APPLICATIONS_PORT", "8002")))
    parser.add_argument(
        "--mode",
        choices=["all", "web"],
        default="all",
        help="the service's process: web and worker (as deployed), or the web app alone",
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--topics", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, json.loads(args.topics), args.mode)
    else:
        asyncio.run(run(args, ensure_infra()))


if __name__ == "__main__":
    main()
