"""The whole journey's latency: N units filing and submitting applications through the gateway, and how
long 单位审核通过 takes to reach a downstream subscriber and the clerk's queue, leg by leg.

    .venv/bin/python -m benchmarks.journey [--units 20] [--applications 3] [--think 1] [--portal URL]

Needs PostgreSQL and Kafka (started if not running, as the tests do) and starts the whole stack
(``python -m deploy.stack up --strict``: nginx, the four services) unless ``--portal`` names one that
runs. The data go through the services' own APIs, so they are the same events people produce:

* untimed set-up, on the services' own ports (the gateway's rate limits are for people): a clerk of
  浦东新区 with the unit-registration and acceptance duties (``python -m services.accounts create-admin``
  and ``CreateClerk``), then per unit ``RegisterUnit``, the clerk's ``DecideUnitRegistration``, and per
  application an applicant (``CreateApplicant``, the activation code from the mail sink,
  ``ActivateAccount``, ``SignIn``);
* timed, through the gateway: each unit (one task each, all at once) files its applications one after
  the other: ``StartApplication``, both pledges (the applicant's with their own token), the six
  sections, ``CompleteApplication`` and ``SubmitApplication`` (单位审核通过), ``--think`` seconds apart
  on average (a person reading and typing; 0 sends the next command at once).

What it prints: applications submitted per minute, every command's latency (p50/p95, send to answer),
and for every submission, from the moment it was recorded (the stored event's timestamp, which the
envelope carries as ``time``):

(a) to a downstream subscriber: a plain aiokafka consumer of ``jifen.applications.status.v1`` with a
    group of its own (as ``tools.audit_trail`` reads it) receiving the ``UNIT_APPROVED`` transition.
    Legs: recorded → published (the Kafka record's timestamp, stamped by the relay's producer when it
    appends the record) → received;
(b) to the case in the clerk's queue: the row of review's ``review_cases`` read model (what
    ``ListCases`` reads), looked for every 5 ms. Legs: recorded → published (the record timestamp of
    ``ApplicationSubmitted`` on ``jifen.applications.events.v1``) → review's inbox applied it (the
    timestamp of the ``ReviewCase.Opened`` event it stored) → visible in the queue. At the end every
    case is also looked up through ``ListCases`` as the clerk.

All timestamps come from one machine's clock; Kafka's are in whole milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from benchmarks.commands import percentile
from deploy.testing import Infra, ensure_infra
from shared.contracts.applications import ApplicationStatusChanged, ApplicationSubmitted
from shared.contracts.envelope import Envelope
from shared.contracts.registry import type_of
from shared.contracts.topics import STATUS_TOPIC, events_topic
from shared.kernel.records import to_record
from shared.platform.mail import read_mailbox
from tests.e2e.conftest import start_stack
from tests.support.accounts import bearer, code_in, new_credit_code, unit_form
from tests.support.identities import id_number
from tests.unit.applications.builders import (
    deductions,
    family,
    no_investment,
    personal_info,
    resume,
    scoring_claims,
)

DISTRICT = "310115"
PASSWORD = "Jifen-Bench-2026!"
UNIT_MATERIALS = [
    "introduction_letter",
    "business_licence",
    "credit_code_certificate",
    "social_insurance_registration",
]
EVENTS_TOPIC = events_topic("applications")
STATUS_TYPE = type_of(ApplicationStatusChanged)
SUBMITTED_TYPE = type_of(ApplicationSubmitted)
REPO = Path(__file__).resolve().parents[1]


async def checked(answer: Awaitable[httpx.Response], what: str) -> Any:
    response = await answer
    if response.status_code >= 300:
        raise SystemExit(f"{what}: {response.status_code} {response.text[:500]}")
    return response.json()


async def eventually(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)
    return found


# ---------------------------------------------------------------------------------------------- set-up


@dataclass
class Applicant:
    applicant_id: str
    id_number: str
    born: date
    token: str


@dataclass
class Unit:
    unit_id: str
    credit_code: str
    token: str
    applicants: list[Applicant] = field(default_factory=list)


@dataclass
class Services:
    """Clients on each service's own port (set-up) and on the gateway (the timed journey)."""

    accounts: httpx.AsyncClient
    review: httpx.AsyncClient
    applications: httpx.AsyncClient
    gateway: httpx.AsyncClient
    mail: Path

    async def sign_in(self, role: str, login: str, password: str = PASSWORD) -> str:
        answer = await checked(
            self.accounts.post(
                "/api/accounts/login", json={"role": role, "login": login, "password": password}
            ),
            f"sign in as {role}",
        )
        return str(answer["access_token"])


def create_admin(infra: Infra, username: str) -> None:
    """The first administrator, by the accounts service's own command."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "services.accounts",
            "create-admin",
            "--username",
            username,
            "--name",
            "基准管理员",
            "--district",
            DISTRICT,
            "--password-env",
            "JIFEN_BENCH_PASSWORD",
        ],
        cwd=REPO,
        env={**os.environ, **infra.env, "JIFEN_BENCH_PASSWORD": PASSWORD, "JIFEN_LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


async def clerk_token(infra: Infra, services: Services) -> str:
    run = uuid.uuid4().hex[:8]
    await asyncio.to_thread(create_admin, infra, f"bench-admin-{run}")
    admin = await services.sign_in("clerk", f"bench-admin-{run}")
    clerk: dict[str, Any] = {
        "username": f"bench-clerk-{run}",
        "name": "基准工作人员",
        "duties": ["unit_registration", "acceptance"],
        "password": PASSWORD,
    }
    await checked(
        services.accounts.post("/api/accounts/clerks", json=clerk, headers=bearer(admin)), "CreateClerk"
    )
    return await services.sign_in("clerk", f"bench-clerk-{run}")


async def approved_unit(services: Services, clerk: str) -> Unit:
    code = new_credit_code(DISTRICT)
    form = unit_form(code, DISTRICT, password=PASSWORD, email=f"bench-{code[-8:].lower()}@example.com")
    created = await checked(services.accounts.post("/api/accounts/units", json=form), "RegisterUnit")

    async def listed() -> bool:
        answer = await services.review.get("/api/review/units", headers=bearer(clerk))
        return any(item["credit_code"] == code for item in answer.json()["items"])

    await eventually(listed, "the unit registration in review")
    decision = {"decision": "approve", "materials": UNIT_MATERIALS}
    await checked(
        services.review.post(f"/api/review/units/{code}/decision", json=decision, headers=bearer(clerk)),
        "DecideUnitRegistration",
    )
    token = await services.sign_in("unit", code)

    async def approved() -> bool:
        answer = await services.accounts.get("/api/accounts/units/me", headers=bearer(token))
        return bool(answer.json()["status"] == "APPROVED")

    await eventually(approved, "the unit's approval in accounts")
    return Unit(created["id"], code, token)


async def activated_applicant(services: Services, unit: Unit) -> Applicant:
    born = date(1985, 1, 1) + timedelta(days=random.randrange(3650))
    number = id_number(born, random.randrange(1000), random.choice(("310101", "310104", "310115")))
    email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
    person = {"name": "张伟", "id_number": number, "mobile": "13812345678", "email": email}
    created = await checked(
        services.accounts.post("/api/accounts/applicants", json=person, headers=bearer(unit.token)),
        "CreateApplicant",
    )

    async def mailed() -> list[Any]:
        return [mail for mail in read_mailbox(services.mail) if mail.to == email]

    mail = (await eventually(mailed, "the activation mail"))[0]
    activation = {"id_number": number, "code": code_in(mail), "password": PASSWORD}
    await checked(services.accounts.post("/api/accounts/activate", json=activation), "ActivateAccount")
    return Applicant(created["id"], number, born, await services.sign_in("applicant", number))


async def prepared_unit(services: Services, clerk: str, applications: int) -> Unit:
    unit = await approved_unit(services, clerk)
    for _ in range(applications):
        unit.applicants.append(await activated_applicant(services, unit))

    async def known() -> bool:  # the applications service has heard of every applicant
        answer = await services.applications.get(
            "/api/applications/unit/applications", headers=bearer(unit.token)
        )
        return bool(answer.status_code == 200 and answer.json()["total"] >= applications)

    await eventually(known, "the applicants in the applications service")
    return unit


# ---------------------------------------------------------------------------------------------- journey


def sections(applicant: Applicant, today: date) -> list[tuple[str, str, Any]]:
    """(path slug, body key, record) of the six sections, valid on ``today``."""
    permit_from = date(today.year, today.month, 1)
    permit = {
        "residence_permit_valid_from": permit_from,
        "residence_permit_valid_until": date(permit_from.year + 1, permit_from.month, 1),
    }
    return [
        ("personal-info", "personal_info", personal_info(id_number=applicant.id_number, **permit)),
        ("resume", "resume", resume()),
        ("family", "family", family()),
        ("investment", "investment", no_investment()),
        ("scoring-claims", "scoring_claims", scoring_claims(birth_date=applicant.born)),
        ("deductions", "deductions", deductions()),
    ]


@dataclass
class Submission:
    application_id: str
    number: str
    sent: float
    answered: float


@dataclass
class Journey:
    gateway: httpx.AsyncClient
    think: float
    commands: dict[str, list[float]] = field(default_factory=dict)
    submissions: list[Submission] = field(default_factory=list)

    async def command(
        self, name: str, method: str, path: str, token: str, body: Any
    ) -> tuple[Any, float, float]:
        if self.think:
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)
        sent = time.time()
        started = time.perf_counter()
        response = await self.gateway.request(method, path, json=body, headers=bearer(token))
        elapsed = time.perf_counter() - started
        if response.status_code >= 300:
            raise SystemExit(f"{name}: {response.status_code} {response.text[:500]}")
        self.commands.setdefault(name, []).append(elapsed * 1000)
        return response.json(), sent, time.time()

    async def file(self, unit: Unit, applicant: Applicant) -> None:
        base = "/api/applications/applications"
        answer, _, _ = await self.command(
            "StartApplication",
            "POST",
            base,
            unit.token,
            {"applicant_id": applicant.applicant_id, "kind": "NEW"},
        )
        application = f"{base}/{answer['application_id']}"
        for who in (unit.token, applicant.token):
            answer, _, _ = await self.command(
                "AcceptPledge", "POST", f"{application}/pledge", who, {"based_on_version": answer["version"]}
            )
        for slug, key, record in sections(applicant, date.today()):
            body = {"based_on_version": answer["version"], key: to_record(record)}
            answer, _, _ = await self.command(
                f"Save ({slug})", "PUT", f"{application}/{slug}", unit.token, body
            )
        version = {"based_on_version": answer["version"]}
        answer, _, _ = await self.command(
            "CompleteApplication", "POST", f"{application}/complete", unit.token, version
        )
        version = {"based_on_version": answer["version"]}
        answer, sent, answered = await self.command(
            "SubmitApplication", "POST", f"{application}/submit", unit.token, version
        )
        self.submissions.append(
            Submission(answer["application_id"], answer["application_number"], sent, answered)
        )

    async def unit_files(self, unit: Unit) -> None:
        for applicant in unit.applicants:
            await self.file(unit, applicant)


# ---------------------------------------------------------------------------------------------- observers


@dataclass
class Seen:
    recorded: float
    """The stored event's timestamp (the envelope's ``time``)."""
    published: float
    """The Kafka record's timestamp."""
    received: float


class Downstream:
    """A plain consumer with a group of its own, from the topics' ends as they were when it started."""

    def __init__(self, bootstrap: str) -> None:
        from aiokafka import AIOKafkaConsumer

        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=f"bench-journey.{uuid.uuid4().hex}",
            auto_offset_reset="latest",
            enable_auto_commit=False,
            client_id="jifen-bench-journey",
        )
        self.status: dict[str, Seen] = {}
        """application id -> its UNIT_APPROVED transition on the status topic."""
        self.submitted: dict[str, Seen] = {}
        """application id -> its ApplicationSubmitted on the events topic (the received time unused)."""
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.consumer.subscribe([STATUS_TOPIC, EVENTS_TOPIC])
        await self.consumer.start()
        while not self.consumer.assignment():
            await self.consumer.getmany(timeout_ms=200)
        for partition in self.consumer.assignment():
            await self.consumer.position(partition)  # resolve "latest" now, before anything is submitted
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            batch = await self.consumer.getmany(timeout_ms=1000)
            received = time.time()
            for records in batch.values():
                for record in records:
                    envelope = Envelope.model_validate_json(record.value or b"")
                    seen = Seen(envelope.time.timestamp(), record.timestamp / 1000, received)
                    if envelope.type == STATUS_TYPE and envelope.data.get("new_status") == "UNIT_APPROVED":
                        self.status[envelope.data["application_id"]] = seen
                    elif envelope.type == SUBMITTED_TYPE:
                        self.submitted[envelope.subject] = seen

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.consumer.stop()


class ClerkQueue:
    """Review's queue read model, looked at every ``interval`` for the cases not yet seen."""

    def __init__(self, pool: asyncpg.Pool, interval: float = 0.005) -> None:
        self.pool = pool
        self.interval = interval
        self.expected: set[str] = set()
        self.listed: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            waiting = list(self.expected - self.listed.keys())
            if waiting:
                rows = await self.pool.fetch(
                    "SELECT application_id FROM review.review_cases WHERE application_id = ANY($1::text[])",
                    waiting,
                )
                now = time.time()
                for row in rows:
                    self.listed[row["application_id"]] = now
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


async def cases_opened(pool: asyncpg.Pool, application_ids: list[str]) -> dict[str, float]:
    """application id -> the timestamp of the ``ReviewCase.Opened`` event review's inbox stored for it."""
    tables = await pool.fetch(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'review' AND table_name LIKE '%events'"
    )
    wanted = set(application_ids)
    found: dict[str, float] = {}
    for table in tables:
        rows = await pool.fetch(
            f'SELECT state FROM review."{table["table_name"]}" WHERE topic LIKE $1', "%ReviewCase.Opened"
        )
        for row in rows:
            state = json.loads(bytes(row["state"]))
            application_id = str(state.get("application_id"))
            if application_id in wanted:
                found[application_id] = decoded_time(state["timestamp"])
    return found


def decoded_time(value: Any) -> float:
    """An eventsourcing-transcoded datetime (``{"_type_": "datetime_iso", "_data_": "..."}``)."""
    text = value["_data_"] if isinstance(value, dict) else value
    return datetime.fromisoformat(text).timestamp()


# ---------------------------------------------------------------------------------------------- the stack


class Stack:
    """The whole stack as the browser tests start it (open at any hour), stopped with Ctrl-C."""

    def __init__(self, infra: Infra) -> None:
        self.running = start_stack(infra)

    def wait(self, timeout: float = 180) -> str:
        self.running.portal.wait(timeout)
        if not self.running.url:
            raise SystemExit("the stack did not start:\n" + self.running.log())
        return self.running.url.rstrip("/")

    def stop(self) -> None:
        process = self.running.process
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# ---------------------------------------------------------------------------------------------- run


def service_url(infra: Infra, service: str) -> str:
    return f"http://127.0.0.1:{infra.env.get(f'JIFEN_{service.upper()}_PORT', '')}"


async def run(args: argparse.Namespace, infra: Infra, portal: str) -> None:
    mail = Path(
        infra.env.get("JIFEN_MAIL_SINK_DIR") or Path(infra.env.get("JIFEN_RUN_DIR", REPO / ".run")) / "mail"
    )
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, so that a request never
    # goes out on a connection the server is closing.
    limits = httpx.Limits(
        max_connections=args.units * 2, max_keepalive_connections=args.units * 2, keepalive_expiry=2
    )
    async with (
        httpx.AsyncClient(base_url=service_url(infra, "accounts"), timeout=30, limits=limits) as accounts,
        httpx.AsyncClient(base_url=service_url(infra, "review"), timeout=30, limits=limits) as review,
        httpx.AsyncClient(
            base_url=service_url(infra, "applications"), timeout=30, limits=limits
        ) as applications,
        httpx.AsyncClient(base_url=portal, timeout=30, limits=limits) as gateway,
    ):
        services = Services(accounts, review, applications, gateway, mail)
        started = time.perf_counter()
        clerk = await clerk_token(infra, services)
        units: list[Unit] = []
        for first in range(0, args.units, 10):  # ten units at a time: set-up is not what is measured
            units += await asyncio.gather(
                *(
                    prepared_unit(services, clerk, args.applications)
                    for _ in range(first, min(first + 10, args.units))
                )
            )
        print(
            f"set up {len(units)} units and {len(units) * args.applications} applicants "
            f"in {time.perf_counter() - started:.0f} s",
            flush=True,
        )

        pool = await asyncpg.create_pool(infra.admin_dsn, min_size=1, max_size=2)
        assert pool is not None
        downstream = Downstream(infra.env["JIFEN_KAFKA_BOOTSTRAP"])
        await downstream.start()
        queue = ClerkQueue(pool)
        queue.start()
        journey = Journey(gateway, args.think)
        load_before = os.getloadavg()
        began = time.perf_counter()
        tasks = [asyncio.create_task(journey.unit_files(unit)) for unit in units]

        async def expect_cases() -> None:  # the watcher looks only for what was submitted
            while not all(task.done() for task in tasks):
                queue.expected.update(s.application_id for s in journey.submissions)
                await asyncio.sleep(0.001)
            queue.expected.update(s.application_id for s in journey.submissions)

        await asyncio.gather(*tasks, expect_cases())
        duration = time.perf_counter() - began
        ids = [s.application_id for s in journey.submissions]

        async def all_seen() -> bool:
            return all(
                i in downstream.status and i in downstream.submitted and i in queue.listed for i in ids
            )

        await eventually(all_seen, "every submission downstream and in the clerk's queue", timeout=120)
        load_after = os.getloadavg()
        await queue.stop()
        await downstream.stop()
        opened = await cases_opened(pool, ids)
        await pool.close()
        for submission in journey.submissions:  # what the clerk sees, through the queue API
            listed = await checked(
                gateway.get(
                    "/api/review/cases",
                    params={"queue": "acceptance", "q": submission.number},
                    headers=bearer(clerk),
                ),
                "ListCases",
            )
            if not any(item["application_id"] == submission.application_id for item in listed["items"]):
                raise SystemExit(f"{submission.number} is not in the clerk's acceptance queue")

    report(args, journey, duration, downstream, queue, opened, load_before, load_after)


def report(
    args: argparse.Namespace,
    journey: Journey,
    duration: float,
    downstream: Downstream,
    queue: ClerkQueue,
    opened: dict[str, float],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> None:
    submitted = journey.submissions
    print(
        f"\n{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load average {load_before[0]:.1f} "
        f"before, {load_after[0]:.1f} after; {args.units} units × {args.applications} applications, "
        f"think {args.think:g} s"
    )
    print(
        f"{len(submitted)} applications filed and submitted in {duration:.1f} s: "
        f"{len(submitted) / duration * 60:.0f} applications per minute"
    )
    every = [ms for times in journey.commands.values() for ms in times]
    print("\n| command | requests | p50 | p95 | max |\n| --- | --- | --- | --- | --- |")
    for name, times in [*journey.commands.items(), ("every command", every)]:
        print(
            f"| {name} | {len(times)} | {statistics.median(times):.1f} ms | "
            f"{percentile(times, 0.95):.1f} ms | {max(times):.1f} ms |"
        )

    def row(name: str, values: list[float]) -> str:
        ms = [v * 1000 for v in values]
        return (
            f"| {name} | {statistics.median(ms):.1f} ms | {percentile(ms, 0.95):.1f} ms | {max(ms):.1f} ms |"
        )

    status = [downstream.status[s.application_id] for s in submitted]
    events = [downstream.submitted[s.application_id] for s in submitted]
    listed = [queue.listed[s.application_id] for s in submitted]
    applied = [opened[s.application_id] for s in submitted]
    print("\n| from 单位审核通过 recorded | p50 | p95 | max |\n| --- | --- | --- | --- |")
    print(row("(a) status event at the downstream subscriber", [s.received - s.recorded for s in status]))
    print(row("  recorded → published (status topic)", [s.published - s.recorded for s in status]))
    print(row("  published → subscriber", [s.received - s.published for s in status]))
    print(row("(b) case in the clerk's queue", [q - e.recorded for q, e in zip(listed, events, strict=True)]))
    print(row("  recorded → published (events topic)", [e.published - e.recorded for e in events]))
    print(
        row(
            "  published → review's inbox applied",
            [a - e.published for a, e in zip(applied, events, strict=True)],
        )
    )
    print(row("  inbox → in the queue (projection)", [q - a for q, a in zip(listed, applied, strict=True)]))
    print(
        row(
            "submit answered → (a) subscriber",
            [st.received - s.answered for st, s in zip(status, submitted, strict=True)],
        )
    )
    print(
        row(
            "submit answered → (b) clerk's queue",
            [q - s.answered for q, s in zip(listed, submitted, strict=True)],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=20, help="concurrent units (users), one task each")
    parser.add_argument("--applications", type=int, default=3, help="applications each unit files, in turn")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds between two commands of a unit, on average (0: at once)",
    )
    parser.add_argument("--portal", help="the gateway of a stack that runs already (default: start one)")
    args = parser.parse_args()
    infra = ensure_infra()
    stack = None if args.portal else Stack(infra)
    try:
        portal = stack.wait() if stack is not None else args.portal
        asyncio.run(run(args, infra, portal))
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
