"""Review's lists: the district queues, the dashboard's figures, units, reset requests and clerks.

One read model (``review_desk``) follows the service's own events into these tables; pages and the
JSON API read them with asyncpg, always filtered by the clerk's district, paginated. No table holds
an ID number in clear: applicants appear masked, with the keyed fingerprint a search by ID number
looks up (``ReviewService.id_fingerprints``).

Dates that working days are counted from are kept as Shanghai dates (``submitted_on``,
``accepted_on``); working days are counted when a page is shown, on the calendar of that day, so a
holiday notice added later changes every clock at once. Filters that depend on working days turn
into date cut-offs (``ScoringClock.latest_overdue_start``, ``latest_start_waiting``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal

import asyncpg

from services.review.calendar import CALENDAR, SCORING_CLOCK
from services.review.domain.case import ReviewCase
from services.review.domain.directory import ClerkRecord
from services.review.domain.resets import PasswordResetRequest, ResetState
from services.review.domain.units import UnitRegistration, UnitState
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.moments import SHANGHAI, shanghai_date
from shared.platform.paging import Page, like_literal, limit_offset
from shared.platform.projections import ReadModel, on


class ReviewDesk(ReadModel):
    name = "review_desk"
    tables: ClassVar[Sequence[str]] = (
        "review_cases",
        "review_decisions",
        "review_units",
        "review_resets",
        "review_clerks",
    )
    ddl: ClassVar[Sequence[str]] = (
        "CREATE TABLE IF NOT EXISTS review_cases ("
        " application_id text PRIMARY KEY, application_number text NOT NULL, kind text NOT NULL,"
        " district text NOT NULL, unit_id text NOT NULL, unit_credit_code text NOT NULL,"
        " unit_name text NOT NULL, applicant_masked text NOT NULL, id_fingerprint text NOT NULL,"
        " submission int NOT NULL, stage text NOT NULL, submitted_at timestamptz NOT NULL,"
        " submitted_on date NOT NULL, accepted_at timestamptz, accepted_on date, accepted_by text,"
        " decided_at timestamptz, decided_by text, declared_total int NOT NULL, pass_mark int NOT NULL,"
        " verified_total int)",
        "CREATE INDEX IF NOT EXISTS review_cases_queue ON review_cases (district, stage, submitted_at)",
        "CREATE INDEX IF NOT EXISTS review_cases_number ON review_cases (application_number)",
        "CREATE INDEX IF NOT EXISTS review_cases_unit ON review_cases (unit_credit_code)",
        "CREATE INDEX IF NOT EXISTS review_cases_fingerprint ON review_cases (id_fingerprint)",
        "CREATE TABLE IF NOT EXISTS review_decisions ("
        " subject text NOT NULL, version int NOT NULL, district text NOT NULL, what text NOT NULL,"
        " clerk_id text NOT NULL, decided_at timestamptz NOT NULL, PRIMARY KEY (subject, version))",
        "CREATE INDEX IF NOT EXISTS review_decisions_district ON review_decisions (district, decided_at)",
        "CREATE TABLE IF NOT EXISTS review_units ("
        " id uuid PRIMARY KEY, credit_code text NOT NULL UNIQUE, unit_id text NOT NULL,"
        " unit_name text NOT NULL,"
        " district text NOT NULL, state text NOT NULL, submitted_at timestamptz NOT NULL,"
        " submitted_on date NOT NULL, decided_by text, decided_at timestamptz)",
        "CREATE INDEX IF NOT EXISTS review_units_queue ON review_units (district, state, submitted_at)",
        "CREATE TABLE IF NOT EXISTS review_resets ("
        " request_id text PRIMARY KEY, district text NOT NULL, account_kind text NOT NULL,"
        " unit_credit_code text, unit_name text, applicant_masked text, id_fingerprint text,"
        " acting_for text, state text NOT NULL, recorded_at timestamptz NOT NULL,"
        " recorded_by text NOT NULL, authorised_at timestamptz, authorised_by text)",
        "CREATE INDEX IF NOT EXISTS review_resets_queue ON review_resets (district, state, recorded_at)",
        "CREATE TABLE IF NOT EXISTS review_clerks ("
        " id uuid PRIMARY KEY, clerk_id text NOT NULL UNIQUE, username text NOT NULL,"
        " name text NOT NULL, district text NOT NULL,"
        " duties text[] NOT NULL, active boolean NOT NULL)",
    )

    # ------------------------------------------------------------------------------- cases

    @on(ReviewCase.Opened, ReviewCase.Resubmitted)
    async def case_round(self, conn: asyncpg.Connection, event: ReviewCase.Opened) -> None:
        """A case opens, or a new round of it (a later submission): awaiting acceptance again, the
        previous round's decision columns cleared."""
        s = event.submission
        submitted_at = datetime.fromisoformat(s["submitted_at"])
        await conn.execute(
            "INSERT INTO review_cases (application_id, application_number, kind, district, unit_id,"
            " unit_credit_code, unit_name, applicant_masked, id_fingerprint, submission, stage,"
            " submitted_at, submitted_on, declared_total, pass_mark)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
            " ON CONFLICT (application_id) DO UPDATE SET kind = EXCLUDED.kind, district = EXCLUDED.district,"
            " unit_id = EXCLUDED.unit_id, unit_credit_code = EXCLUDED.unit_credit_code,"
            " unit_name = EXCLUDED.unit_name, applicant_masked = EXCLUDED.applicant_masked,"
            " id_fingerprint = EXCLUDED.id_fingerprint, submission = EXCLUDED.submission,"
            " stage = EXCLUDED.stage, submitted_at = EXCLUDED.submitted_at,"
            " submitted_on = EXCLUDED.submitted_on, declared_total = EXCLUDED.declared_total,"
            " pass_mark = EXCLUDED.pass_mark, accepted_at = NULL, accepted_on = NULL, accepted_by = NULL,"
            " decided_at = NULL, decided_by = NULL, verified_total = NULL",
            event.application_id,
            event.application_number,
            s["kind"],
            s["district"],
            s["unit_id"],
            s["unit_credit_code"],
            s["unit_name"],
            s["applicant_id_masked"],
            s["id_fingerprint"],
            s["number"],
            ApplicationStatus.AWAITING_ACCEPTANCE.value,
            submitted_at,
            shanghai_date(submitted_at),
            s["declared_total"],
            s["pass_mark"],
        )

    async def _decided(self, conn: asyncpg.Connection, event: Any, what: str, subject: str) -> None:
        await conn.execute(
            "INSERT INTO review_decisions (subject, version, district, what, clerk_id, decided_at)"
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            subject,
            event.originator_version,
            event.district,
            what,
            event.clerk_id,
            event.decided_at,
        )

    @on(
        ReviewCase.Accepted,
        ReviewCase.NotAccepted,
        ReviewCase.ReturnedForCorrection,
        ReviewCase.ScoreApproved,
        ReviewCase.ScoreRejected,
        ReviewCase.WithdrawalRecorded,
    )
    async def case_decided(self, conn: asyncpg.Connection, event: ReviewCase.Decided) -> None:
        accepted = isinstance(event, ReviewCase.Accepted)
        await conn.execute(
            "UPDATE review_cases SET stage = $2, decided_at = $3, decided_by = $4,"
            " accepted_at = CASE WHEN $5 THEN $3 ELSE accepted_at END,"
            " accepted_on = CASE WHEN $5 THEN $6 ELSE accepted_on END,"
            " accepted_by = CASE WHEN $5 THEN $4 ELSE accepted_by END,"
            " verified_total = $7 WHERE application_id = $1",
            event.application_id,
            event.STAGE.value,
            event.decided_at,
            event.clerk_id,
            accepted,
            shanghai_date(event.decided_at),
            event.verified_total if isinstance(event, ReviewCase.ScoreApproved) else None,
        )
        await self._decided(conn, event, type(event).__name__, event.application_id)

    # ------------------------------------------------------------------------------- units

    @on(UnitRegistration.Registered)
    async def unit_registered(self, conn: asyncpg.Connection, event: UnitRegistration.Registered) -> None:
        await conn.execute(
            "INSERT INTO review_units (id, credit_code, unit_id, unit_name, district, state, submitted_at,"
            " submitted_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            event.originator_id,
            event.credit_code,
            event.unit_id,
            event.unit_name,
            event.district,
            UnitState.PENDING.value,
            event.registered_at,
            shanghai_date(event.registered_at),
        )

    @on(UnitRegistration.Resubmitted)
    async def unit_resubmitted(self, conn: asyncpg.Connection, event: UnitRegistration.Resubmitted) -> None:
        await conn.execute(
            "UPDATE review_units SET unit_name = $2, state = $3, submitted_at = $4, submitted_on = $5,"
            " decided_by = NULL, decided_at = NULL WHERE id = $1",
            event.originator_id,
            event.unit_name,
            UnitState.PENDING.value,
            event.submitted_at,
            shanghai_date(event.submitted_at),
        )

    @on(UnitRegistration.ApprovedByClerk, UnitRegistration.RejectedByClerk)
    async def unit_decided(self, conn: asyncpg.Connection, event: UnitRegistration.Reviewed) -> None:
        await conn.execute(
            "UPDATE review_units SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
            event.originator_id,
            UnitState.DECIDED.value,
            event.clerk_id,
            event.decided_at,
        )
        await self._decided(conn, event, type(event).__name__, event.unit_id)

    @on(UnitRegistration.Settled)
    async def unit_settled(self, conn: asyncpg.Connection, event: UnitRegistration.Settled) -> None:
        state = UnitState.APPROVED if event.approved else UnitState.REJECTED
        await conn.execute(
            "UPDATE review_units SET state = $2 WHERE id = $1", event.originator_id, state.value
        )

    # ------------------------------------------------------------------------------- resets

    @on(PasswordResetRequest.Recorded)
    async def reset_recorded(self, conn: asyncpg.Connection, event: PasswordResetRequest.Recorded) -> None:
        await conn.execute(
            "INSERT INTO review_resets (request_id, district, account_kind, unit_credit_code, unit_name,"
            " applicant_masked, id_fingerprint, acting_for, state, recorded_at, recorded_by)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (request_id) DO NOTHING",
            str(event.originator_id),
            event.district,
            event.account_kind,
            event.unit_credit_code,
            event.unit_name,
            event.applicant_masked,
            event.id_fingerprint,
            event.acting_for,
            ResetState.AWAITING_MATERIALS.value,
            event.recorded_at,
            event.clerk_id,
        )

    @on(PasswordResetRequest.Authorised)
    async def reset_authorised(
        self, conn: asyncpg.Connection, event: PasswordResetRequest.Authorised
    ) -> None:
        await conn.execute(
            "UPDATE review_resets SET state = $2, authorised_at = $3, authorised_by = $4"
            " WHERE request_id = $1",
            str(event.originator_id),
            ResetState.AUTHORISED.value,
            event.decided_at,
            event.clerk_id,
        )
        await self._decided(conn, event, "PasswordResetAuthorised", str(event.originator_id))

    @on(PasswordResetRequest.Issued, PasswordResetRequest.Completed)
    async def reset_progress(self, conn: asyncpg.Connection, event: Any) -> None:
        state = ResetState.ISSUED if isinstance(event, PasswordResetRequest.Issued) else ResetState.COMPLETED
        await conn.execute(
            "UPDATE review_resets SET state = $2 WHERE request_id = $1", str(event.originator_id), state.value
        )

    # ------------------------------------------------------------------------------- clerks

    @on(ClerkRecord.Listed)
    async def clerk_listed(self, conn: asyncpg.Connection, event: ClerkRecord.Listed) -> None:
        await conn.execute(
            "INSERT INTO review_clerks (id, clerk_id, username, name, district, duties, active)"
            " VALUES ($1, $2, $3, $4, $5, $6, true) ON CONFLICT (id) DO NOTHING",
            event.originator_id,
            event.clerk_id,
            event.username,
            event.name,
            event.district,
            list(event.duties),
        )

    @on(ClerkRecord.Changed)
    async def clerk_changed(self, conn: asyncpg.Connection, event: ClerkRecord.Changed) -> None:
        await conn.execute(
            "UPDATE review_clerks SET username = $2, name = $3, district = $4, duties = $5 WHERE id = $1",
            event.originator_id,
            event.username,
            event.name,
            event.district,
            list(event.duties),
        )

    @on(ClerkRecord.Deactivated)
    async def clerk_deactivated(self, conn: asyncpg.Connection, event: ClerkRecord.Deactivated) -> None:
        await conn.execute("UPDATE review_clerks SET active = false WHERE id = $1", event.originator_id)


# ==================================================================================================
# Queries


class _Reader:
    """Read-model queries that answer "nothing yet" while the worker has not created its tables (the
    first seconds of a new installation) instead of failing the page."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        try:
            return list(await self.conn.fetch(sql, *args))
        except asyncpg.UndefinedTableError:
            return []

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        try:
            return await self.conn.fetchrow(sql, *args)
        except asyncpg.UndefinedTableError:
            return None

    async def fetchval(self, sql: str, *args: Any) -> Any:
        try:
            return await self.conn.fetchval(sql, *args)
        except asyncpg.UndefinedTableError:
            return None


@asynccontextmanager
async def _reading(pool: asyncpg.Pool) -> AsyncIterator[_Reader]:
    async with pool.acquire() as conn:
        yield _Reader(conn)


QueueName = Literal["acceptance", "approval", "withdrawal", "decided"]
S = ApplicationStatus
QUEUES: dict[str, tuple[ApplicationStatus, ...]] = {
    "acceptance": (S.AWAITING_ACCEPTANCE,),
    "approval": (S.AWAITING_APPROVAL,),
    "withdrawal": (S.AWAITING_ACCEPTANCE, S.AWAITING_APPROVAL),
    "decided": (S.NOT_ACCEPTED, S.RETURNED_FOR_CORRECTION, S.APPROVED, S.REJECTED, S.WITHDRAWN),
}
"""The queues: what each duty works on (withdrawals can be recorded on any open case)."""
SORTS = {
    "waiting": "submitted_at ASC, application_number",
    "newest": "submitted_at DESC, application_number",
    "number": "application_number",
    "unit": "unit_name, submitted_at",
}


@dataclass(frozen=True)
class CaseFilters:
    queue: str = "acceptance"
    kind: ApplicationKind | None = None
    unit: str = ""
    """A unit's credit code, or part of its name."""
    min_waiting: int | None = None
    """Only cases waiting at least this many working days since submission."""
    overdue: bool = False
    """Only cases past the scoring limit (awaiting approval)."""
    number_or_code: str = ""
    """An application number or a unit's credit code, exactly."""
    fingerprints: tuple[str, ...] = ()
    """An ID number's fingerprints (a search by ID number)."""
    sort: str = "waiting"
    page: int = 1


@dataclass(frozen=True)
class CaseRow:
    application_id: str
    application_number: str
    kind: ApplicationKind
    stage: ApplicationStatus
    unit_name: str
    unit_credit_code: str
    applicant_masked: str
    submission: int
    submitted_at: datetime
    accepted_at: datetime | None
    declared_total: int
    verified_total: int | None
    waiting: int
    """Working days since submission."""
    since_acceptance: int | None
    deadline: date | None
    """The scoring limit (accepted cases awaiting approval)."""
    remaining: int | None
    overdue: bool
    provisional: bool


def latest_start_waiting(today: date, working_days: int) -> date:
    """The last date from which ``working_days`` or more have passed by ``today``."""
    day, counted = today, 0
    while counted < working_days:
        if CALENDAR.is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return day


def case_row(record: asyncpg.Record, today: date) -> CaseRow:
    submitted_on: date = record["submitted_on"]
    accepted_on: date | None = record["accepted_on"]
    stage = ApplicationStatus(record["stage"])
    provisional = CALENDAR.provisional_between(submitted_on, today)
    deadline = remaining = since = None
    overdue = False
    if accepted_on is not None:
        since = CALENDAR.working_days_between(accepted_on, today)
        if stage is S.AWAITING_APPROVAL:
            reading = SCORING_CLOCK.read(accepted_on, today)
            deadline, remaining, overdue = reading.deadline, reading.remaining, reading.overdue
            provisional = provisional or reading.provisional
    return CaseRow(
        application_id=record["application_id"],
        application_number=record["application_number"],
        kind=ApplicationKind(record["kind"]),
        stage=stage,
        unit_name=record["unit_name"],
        unit_credit_code=record["unit_credit_code"],
        applicant_masked=record["applicant_masked"],
        submission=record["submission"],
        submitted_at=record["submitted_at"],
        accepted_at=record["accepted_at"],
        declared_total=record["declared_total"],
        verified_total=record["verified_total"],
        waiting=CALENDAR.working_days_between(submitted_on, today),
        since_acceptance=since,
        deadline=deadline,
        remaining=remaining,
        overdue=overdue,
        provisional=provisional,
    )


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def add(self, clause: str, *values: Any) -> None:
        """``clause`` with ``{}`` for each value's placeholder."""
        placeholders = []
        for value in values:
            self.args.append(value)
            placeholders.append(f"${len(self.args)}")
        self.clauses.append(clause.format(*placeholders))

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "true"


async def cases(pool: asyncpg.Pool, district: str, filters: CaseFilters, today: date) -> Page[CaseRow]:
    where = _Where()
    where.add("district = {}", district)
    stages = QUEUES.get(filters.queue, QUEUES["acceptance"])
    where.add("stage = ANY({})", [s.value for s in stages])
    if filters.kind is not None:
        where.add("kind = {}", filters.kind.value)
    if unit := filters.unit.strip():
        where.add("(unit_credit_code = {} OR unit_name ILIKE {})", unit.upper(), f"%{like_literal(unit)}%")
    if filters.min_waiting:
        where.add("submitted_on <= {}", latest_start_waiting(today, filters.min_waiting))
    if filters.overdue:
        where.add(
            "stage = {} AND accepted_on <= {}",
            S.AWAITING_APPROVAL.value,
            SCORING_CLOCK.latest_overdue_start(today),
        )
    if filters.fingerprints:
        where.add("id_fingerprint = ANY({})", list(filters.fingerprints))
    elif found := filters.number_or_code.strip():
        where.add("(application_number = {} OR unit_credit_code = {})", found, found.upper())
    order = SORTS.get(filters.sort, SORTS["waiting"])
    page = max(1, filters.page)
    async with _reading(pool) as conn:
        total = int(
            await conn.fetchval(f"SELECT count(*) FROM review_cases WHERE {where.sql}", *where.args) or 0
        )
        records = await conn.fetch(
            f"SELECT * FROM review_cases WHERE {where.sql} ORDER BY {order}" + limit_offset(page),
            *where.args,
        )
    return Page([case_row(r, today) for r in records], total, page)


async def case_summary(pool: asyncpg.Pool, application_id: str, today: date) -> CaseRow | None:
    async with _reading(pool) as conn:
        record = await conn.fetchrow("SELECT * FROM review_cases WHERE application_id = $1", application_id)
    return None if record is None else case_row(record, today)


# ------------------------------------------------------------------------------------ dashboard

AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 5), (6, 10), (11, 20), (21, None))
"""Working days since submission, as the dashboard groups open cases."""


@dataclass(frozen=True)
class Dashboard:
    by_stage: dict[ApplicationStatus, list[int]]
    """Open stage -> count per ``AGE_BUCKETS`` bucket."""
    overdue: int
    provisional: bool
    decisions_this_week: dict[str, int]
    week_starts: date
    units_pending: int
    resets_waiting: int

    def total(self, stage: ApplicationStatus) -> int:
        return sum(self.by_stage[stage])


def _bucket(waiting: int) -> int:
    for index, (low, high) in enumerate(AGE_BUCKETS):
        if waiting >= low and (high is None or waiting <= high):
            return index
    return len(AGE_BUCKETS) - 1


async def dashboard(pool: asyncpg.Pool, district: str, today: date) -> Dashboard:
    week_starts = today - timedelta(days=today.weekday())
    async with _reading(pool) as conn:
        open_cases = await conn.fetch(
            "SELECT * FROM review_cases WHERE district = $1 AND stage = ANY($2)",
            district,
            [s.value for s in QUEUES["withdrawal"]],
        )
        decisions = await conn.fetch(
            "SELECT what, count(*) AS n FROM review_decisions WHERE district = $1 AND decided_at >= $2"
            " GROUP BY what",
            district,
            datetime.combine(week_starts, datetime.min.time(), SHANGHAI),
        )
        units_pending = await conn.fetchval(
            "SELECT count(*) FROM review_units WHERE district = $1 AND state = $2",
            district,
            UnitState.PENDING.value,
        )
        resets_waiting = await conn.fetchval(
            "SELECT count(*) FROM review_resets WHERE district = $1 AND state = $2",
            district,
            ResetState.AWAITING_MATERIALS.value,
        )
    by_stage = {stage: [0] * len(AGE_BUCKETS) for stage in QUEUES["withdrawal"]}
    overdue = 0
    provisional = False
    for record in open_cases:
        row = case_row(record, today)
        by_stage[row.stage][_bucket(row.waiting)] += 1
        overdue += row.overdue
        provisional = provisional or row.provisional
    return Dashboard(
        by_stage=by_stage,
        overdue=overdue,
        provisional=provisional,
        decisions_this_week={r["what"]: int(r["n"]) for r in decisions},
        week_starts=week_starts,
        units_pending=int(units_pending or 0),
        resets_waiting=int(resets_waiting or 0),
    )


# ------------------------------------------------------------------------------------ units, resets


@dataclass(frozen=True)
class UnitRow:
    credit_code: str
    unit_id: str
    unit_name: str
    state: UnitState
    submitted_at: datetime
    waiting: int
    provisional: bool
    decided_by: str | None
    decided_at: datetime | None


async def units(pool: asyncpg.Pool, district: str, state: UnitState, page: int, today: date) -> Page[UnitRow]:
    page = max(1, page)
    async with _reading(pool) as conn:
        total = int(
            await conn.fetchval(
                "SELECT count(*) FROM review_units WHERE district = $1 AND state = $2", district, state.value
            )
            or 0
        )
        records = await conn.fetch(
            "SELECT * FROM review_units WHERE district = $1 AND state = $2 ORDER BY submitted_at, credit_code"
            + limit_offset(page),
            district,
            state.value,
        )
    rows = [
        UnitRow(
            credit_code=r["credit_code"],
            unit_id=r["unit_id"],
            unit_name=r["unit_name"],
            state=UnitState(r["state"]),
            submitted_at=r["submitted_at"],
            waiting=CALENDAR.working_days_between(r["submitted_on"], today),
            provisional=CALENDAR.provisional_between(r["submitted_on"], today),
            decided_by=r["decided_by"],
            decided_at=r["decided_at"],
        )
        for r in records
    ]
    return Page(rows, total, page)


@dataclass(frozen=True)
class ResetRow:
    request_id: str
    account_kind: str
    unit_credit_code: str | None
    unit_name: str | None
    applicant_masked: str | None
    acting_for: str | None
    state: ResetState
    recorded_at: datetime
    recorded_by: str


async def resets(
    pool: asyncpg.Pool,
    district: str,
    states: Sequence[ResetState],
    page: int,
    fingerprints: Sequence[str] = (),
) -> Page[ResetRow]:
    page = max(1, page)
    where = _Where()
    where.add("district = {}", district)
    where.add("state = ANY({})", [s.value for s in states])
    if fingerprints:
        where.add("id_fingerprint = ANY({})", list(fingerprints))
    async with _reading(pool) as conn:
        total = int(
            await conn.fetchval(f"SELECT count(*) FROM review_resets WHERE {where.sql}", *where.args) or 0
        )
        records = await conn.fetch(
            f"SELECT * FROM review_resets WHERE {where.sql} ORDER BY recorded_at DESC, request_id"
            + limit_offset(page),
            *where.args,
        )
    rows = [
        ResetRow(
            request_id=r["request_id"],
            account_kind=r["account_kind"],
            unit_credit_code=r["unit_credit_code"],
            unit_name=r["unit_name"],
            applicant_masked=r["applicant_masked"],
            acting_for=r["acting_for"],
            state=ResetState(r["state"]),
            recorded_at=r["recorded_at"],
            recorded_by=r["recorded_by"],
        )
        for r in records
    ]
    return Page(rows, total, page)


# ------------------------------------------------------------------------------------ clerks


@dataclass(frozen=True)
class ClerkRow:
    clerk_id: str
    username: str
    name: str
    duties: tuple[str, ...]
    active: bool


async def clerks(pool: asyncpg.Pool, district: str) -> list[ClerkRow]:
    async with _reading(pool) as conn:
        records = await conn.fetch(
            "SELECT * FROM review_clerks WHERE district = $1 ORDER BY active DESC, username", district
        )
    return [
        ClerkRow(r["clerk_id"], r["username"], r["name"], tuple(r["duties"]), r["active"]) for r in records
    ]


async def clerk_names(pool: asyncpg.Pool, clerk_ids: Sequence[str]) -> dict[str, str]:
    """``clerk id -> "name (username)"`` for the ids the directory knows."""
    wanted = sorted({c for c in clerk_ids if c})
    if not wanted:
        return {}
    async with _reading(pool) as conn:
        records = await conn.fetch(
            "SELECT clerk_id, name, username FROM review_clerks WHERE clerk_id = ANY($1)", wanted
        )
    return {r["clerk_id"]: f"{r['name']}（{r['username']}）" for r in records}
