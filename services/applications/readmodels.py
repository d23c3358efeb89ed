"""Read models of the applications service and their queries (asyncpg).

``ApplicationLists`` follows the service's own events (the directory's and the applications') into
three tables, from which two pages read:

* the unit's dashboard (``unit_dashboard``): the unit's applicants, each with their latest
  application's status and 新办/续办, what needs the unit's action first, filtered, searched and
  paginated (a large employer files hundreds); plus the applications the unit filed for people who
  have since moved to another unit (they stay with it), and, for an applicant who joined the unit with
  an application submitted elsewhere, why the unit cannot open it;
* the applicant's page (``applicant_applications``): their applications, newest first, with the print
  buttons' documents.

Rebuild with ``python -m services.applications rebuild application_lists``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import asyncpg

from services.applications.domain.application import PointsApplication
from services.applications.domain.directory import Applicant, Unit
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role
from shared.platform.paging import PAGE_SIZE, like_literal, page_count
from shared.platform.projections import ReadModel, on

DDL = (
    "CREATE TABLE IF NOT EXISTS list_units ("
    " unit_id uuid PRIMARY KEY, directory_id uuid UNIQUE NOT NULL, name text NOT NULL,"
    " credit_code text NOT NULL, district text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS list_applicants ("
    " applicant_id uuid PRIMARY KEY, directory_id uuid UNIQUE NOT NULL, unit_id uuid NOT NULL,"
    " name text NOT NULL,"
    " id_number_masked text NOT NULL, registered_at timestamptz NOT NULL,"
    " activated boolean NOT NULL DEFAULT false, previous_unit_id uuid, moved_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS list_applicants_unit ON list_applicants (unit_id)",
    "CREATE TABLE IF NOT EXISTS list_applications ("
    " application_id uuid PRIMARY KEY, application_number text NOT NULL, applicant_id uuid NOT NULL,"
    " unit_id uuid NOT NULL, kind text NOT NULL, status text NOT NULL,"
    " started_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
    " unit_pledged boolean NOT NULL DEFAULT false, submissions int NOT NULL DEFAULT 0,"
    " declared_total int, verified_total int, status_reason text NOT NULL DEFAULT '',"
    " moved_to_unit_id uuid, documents jsonb NOT NULL DEFAULT '{}'::jsonb)",
    "CREATE INDEX IF NOT EXISTS list_applications_applicant ON list_applications (applicant_id, started_at)",
    "CREATE INDEX IF NOT EXISTS list_applications_unit ON list_applications (unit_id)",
)

_A = PointsApplication


class ApplicationLists(ReadModel):
    """The tables behind the unit's dashboard and the applicant's page."""

    name = "application_lists"
    ddl = DDL
    tables = ("list_units", "list_applicants", "list_applications")

    # directory -----------------------------------------------------------------------------------

    @on(Unit.Listed)
    async def unit_listed(self, conn: asyncpg.Connection, event: Unit.Listed) -> None:
        await conn.execute(
            "INSERT INTO list_units (unit_id, directory_id, name, credit_code, district)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO NOTHING",
            event.unit_id,
            event.originator_id,
            event.name,
            event.credit_code,
            event.district,
        )

    @on(Unit.DetailsChanged)
    async def unit_renamed(self, conn: asyncpg.Connection, event: Unit.DetailsChanged) -> None:
        await conn.execute(
            "UPDATE list_units SET name = $2 WHERE directory_id = $1", event.originator_id, event.name
        )

    @on(Applicant.Registered)
    async def applicant_registered(self, conn: asyncpg.Connection, event: Applicant.Registered) -> None:
        await conn.execute(
            "INSERT INTO list_applicants (applicant_id, directory_id, unit_id, name, id_number_masked,"
            " registered_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (applicant_id) DO NOTHING",
            event.applicant_id,
            event.originator_id,
            event.unit_id,
            event.name,
            event.id_number_masked,
            event.at,
        )

    @on(Applicant.Activated)
    async def applicant_activated(self, conn: asyncpg.Connection, event: Applicant.Activated) -> None:
        await conn.execute(
            "UPDATE list_applicants SET activated = true WHERE directory_id = $1", event.originator_id
        )

    @on(Applicant.MovedToUnit)
    async def applicant_moved(self, conn: asyncpg.Connection, event: Applicant.MovedToUnit) -> None:
        await conn.execute(
            "UPDATE list_applicants SET unit_id = $2, previous_unit_id = $3, moved_at = $4"
            " WHERE directory_id = $1",
            event.originator_id,
            event.unit_id,
            event.previous_unit_id,
            event.at,
        )

    # applications --------------------------------------------------------------------------------

    @on(_A.Started)
    async def started(self, conn: asyncpg.Connection, event: PointsApplication.Started) -> None:
        await conn.execute(
            "INSERT INTO list_applications (application_id, application_number, applicant_id, unit_id,"
            " kind, status, started_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
            " ON CONFLICT (application_id) DO NOTHING",
            event.originator_id,
            event.application_number,
            event.applicant_id,
            event.unit_id,
            event.kind,
            ApplicationStatus.DRAFT.value,
            event.at,
        )

    @on(_A.PledgeAccepted)
    async def pledge_accepted(
        self, conn: asyncpg.Connection, event: PointsApplication.PledgeAccepted
    ) -> None:
        await conn.execute(
            "UPDATE list_applications SET updated_at = $2, unit_pledged = unit_pledged OR $3"
            " WHERE application_id = $1",
            event.originator_id,
            event.at,
            event.party == Role.UNIT.value,
        )

    @on(
        _A.PersonalInfoSaved,
        _A.ResumeSaved,
        _A.FamilySaved,
        _A.InvestmentSaved,
        _A.ScoringClaimsSaved,
        _A.DeductionsSaved,
    )
    async def section_saved(self, conn: asyncpg.Connection, event: Any) -> None:
        await _touch(conn, event.originator_id, event.at)

    @on(_A.UnitChanged)
    async def unit_changed(self, conn: asyncpg.Connection, event: PointsApplication.UnitChanged) -> None:
        await conn.execute(
            "UPDATE list_applications SET unit_id = $2, unit_pledged = false, moved_to_unit_id = NULL,"
            " updated_at = $3 WHERE application_id = $1",
            event.originator_id,
            event.unit_id,
            event.at,
        )

    @on(_A.ApplicantMovedAway)
    async def moved_away(self, conn: asyncpg.Connection, event: PointsApplication.ApplicantMovedAway) -> None:
        await conn.execute(
            "UPDATE list_applications SET moved_to_unit_id = $2 WHERE application_id = $1",
            event.originator_id,
            event.new_unit_id,
        )

    @on(_A.StatusChanged)
    async def status_changed(self, conn: asyncpg.Connection, event: PointsApplication.StatusChanged) -> None:
        await conn.execute(
            "UPDATE list_applications SET status = $2, updated_at = $3, status_reason = $4,"
            " verified_total = COALESCE($5, verified_total) WHERE application_id = $1",
            event.originator_id,
            event.to_status,
            event.at,
            event.reason,
            event.verified_score,
        )

    @on(_A.Submitted)
    async def submitted(self, conn: asyncpg.Connection, event: PointsApplication.Submitted) -> None:
        await conn.execute(
            "UPDATE list_applications SET submissions = $2, declared_total = $3 WHERE application_id = $1",
            event.originator_id,
            event.submission,
            event.declared_total,
        )

    @on(_A.DocumentAvailable)
    async def document(self, conn: asyncpg.Connection, event: PointsApplication.DocumentAvailable) -> None:
        await conn.execute(
            "UPDATE list_applications SET documents = documents || jsonb_build_object($2::text, $3::text)"
            " WHERE application_id = $1",
            event.originator_id,
            event.kind,
            event.document_id,
        )


async def _touch(conn: asyncpg.Connection, application_id: UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE list_applications SET updated_at = $2 WHERE application_id = $1", application_id, at
    )


# --------------------------------------------------------------------------------------------------
# Queries


class UnitAction(StrEnum):
    """What an application waits for from its unit, most urgent first (the dashboard's order)."""

    CHECK = "check"
    """已完成: check it, then 单位审核通过 or 单位退回."""
    CORRECT = "correct"
    """退回补正: correct what the talent centre named and submit again."""
    HAND_IN = "hand_in"
    """单位审核通过: print the form and bring the materials to the window."""
    PLEDGE = "pledge"
    """Being filled in, but the unit has not accepted 承诺与授权 yet (nothing else opens before)."""


class RowNote(StrEnum):
    MOVED_AWAY = "moved_away"
    """The applicant moved to another unit after this unit submitted the application: it stays here."""
    FILED_ELSEWHERE = "filed_elsewhere"
    """The applicant joined this unit with an application submitted by their previous unit: it stays
    there and cannot be opened here."""


@dataclass(frozen=True, slots=True)
class DashboardRow:
    applicant_id: UUID
    name: str
    id_number_masked: str
    activated: bool
    application_id: UUID | None
    application_number: str | None
    kind: ApplicationKind | None
    status: ApplicationStatus | None
    updated_at: datetime
    action: UnitAction | None
    note: RowNote | None
    other_unit_name: str | None

    @property
    def can_open(self) -> bool:
        return self.application_id is not None and self.note is not RowNote.FILED_ELSEWHERE


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    """``status``: a status code, or ``"NONE"`` for applicants without an application."""

    status: str | None = None
    kind: ApplicationKind | None = None
    needs_action: bool = False
    q: str = ""
    page: int = 1

    NO_APPLICATION = "NONE"


@dataclass(frozen=True, slots=True)
class DashboardPage:
    items: tuple[DashboardRow, ...]
    total: int
    page: int
    pages: int
    action_counts: dict[UnitAction, int]


_ROWS = """
WITH rows AS (
  SELECT p.applicant_id, p.name, p.id_number_masked, p.activated,
         a.application_id, a.application_number, a.kind, a.status, a.unit_pledged,
         COALESCE(a.updated_at, p.registered_at) AS updated_at,
         CASE WHEN a.unit_id <> p.unit_id THEN 'filed_elsewhere' END AS note,
         CASE WHEN a.unit_id <> p.unit_id THEN a.unit_id END AS other_unit_id
  FROM list_applicants p
  LEFT JOIN LATERAL (SELECT * FROM list_applications x WHERE x.applicant_id = p.applicant_id
                     ORDER BY x.started_at DESC LIMIT 1) a ON true
  WHERE p.unit_id = $1
  UNION ALL
  SELECT p.applicant_id, p.name, p.id_number_masked, p.activated,
         a.application_id, a.application_number, a.kind, a.status, a.unit_pledged, a.updated_at,
         'moved_away', p.unit_id
  FROM list_applications a JOIN list_applicants p USING (applicant_id)
  WHERE a.unit_id = $1 AND a.moved_to_unit_id IS NOT NULL AND p.unit_id <> $1
), ranked AS (
  SELECT rows.*, CASE
    WHEN note = 'filed_elsewhere' THEN NULL
    WHEN status = 'COMPLETED' THEN 'check'
    WHEN status = 'RETURNED_FOR_CORRECTION' THEN 'correct'
    WHEN status = 'UNIT_APPROVED' THEN 'hand_in'
    WHEN status IN ('DRAFT', 'RETURNED_BY_UNIT', 'WITHDRAWN') AND NOT unit_pledged THEN 'pledge'
  END AS action
  FROM rows
)
"""

_FILTERED = """
SELECT ranked.*, u.name AS other_unit_name
FROM ranked LEFT JOIN list_units u ON u.unit_id = ranked.other_unit_id
WHERE ($2::text IS NULL OR ranked.status = $2 OR ($2 = 'NONE' AND ranked.application_id IS NULL))
  AND ($3::text IS NULL OR ranked.kind = $3)
  AND (NOT $4::boolean OR ranked.action IS NOT NULL)
  AND ($5::text = '' OR ranked.name ILIKE '%' || $5 || '%' OR ranked.application_number ILIKE '%' || $5 || '%'
       OR ranked.id_number_masked ILIKE '%' || $5)
"""

_ORDER = (
    " ORDER BY (action IS NULL), array_position(ARRAY['check', 'correct', 'hand_in', 'pledge'], action),"
    " updated_at DESC, applicant_id, application_id"
)


async def unit_dashboard(pool: asyncpg.Pool, unit_id: UUID, where: DashboardFilter) -> DashboardPage:
    """The unit's dashboard, one page of it (``PAGE_SIZE`` rows), most urgent first."""
    q = like_literal(where.q.strip())
    params = (unit_id, where.status, where.kind.value if where.kind else None, where.needs_action, q)
    try:
        async with pool.acquire() as conn:
            total = int(await conn.fetchval(f"{_ROWS} SELECT count(*) FROM ({_FILTERED}) f", *params))
            pages = page_count(total)
            page = min(max(1, where.page), pages)
            rows = await conn.fetch(
                f"{_ROWS} SELECT * FROM ({_FILTERED}) f {_ORDER} LIMIT $6 OFFSET $7",
                *params,
                PAGE_SIZE,
                (page - 1) * PAGE_SIZE,
            )
            counts = await conn.fetch(
                f"{_ROWS} SELECT action, count(*) AS n FROM ranked WHERE action IS NOT NULL GROUP BY action",
                unit_id,
            )
    except asyncpg.UndefinedTableError:  # the worker has not created the read model yet
        return DashboardPage((), 0, 1, 1, {})
    return DashboardPage(
        items=tuple(_dashboard_row(row) for row in rows),
        total=total,
        page=page,
        pages=pages,
        action_counts={UnitAction(row["action"]): int(row["n"]) for row in counts},
    )


def _dashboard_row(row: asyncpg.Record) -> DashboardRow:
    return DashboardRow(
        applicant_id=row["applicant_id"],
        name=row["name"],
        id_number_masked=row["id_number_masked"],
        activated=row["activated"],
        application_id=row["application_id"],
        application_number=row["application_number"],
        kind=ApplicationKind(row["kind"]) if row["kind"] else None,
        status=ApplicationStatus(row["status"]) if row["status"] else None,
        updated_at=row["updated_at"],
        action=UnitAction(row["action"]) if row["action"] else None,
        note=RowNote(row["note"]) if row["note"] else None,
        other_unit_name=row["other_unit_name"],
    )


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """One of the applicant's applications, as their page lists it."""

    application_id: UUID
    application_number: str
    kind: ApplicationKind
    status: ApplicationStatus
    unit_name: str
    started_at: datetime
    updated_at: datetime
    declared_total: int | None
    verified_total: int | None
    status_reason: str
    documents: dict[str, str]


async def applicant_applications(pool: asyncpg.Pool, applicant_id: UUID) -> list[ApplicationRow]:
    """The applicant's applications, newest first."""
    try:
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT a.*, COALESCE(u.name, '') AS unit_name FROM list_applications a"
                " LEFT JOIN list_units u USING (unit_id) WHERE a.applicant_id = $1"
                " ORDER BY a.started_at DESC, a.application_number DESC",
                applicant_id,
            )
    except asyncpg.UndefinedTableError:
        return []
    return [
        ApplicationRow(
            application_id=row["application_id"],
            application_number=row["application_number"],
            kind=ApplicationKind(row["kind"]),
            status=ApplicationStatus(row["status"]),
            unit_name=row["unit_name"],
            started_at=row["started_at"],
            updated_at=row["updated_at"],
            declared_total=row["declared_total"],
            verified_total=row["verified_total"],
            status_reason=row["status_reason"],
            documents=dict(row["documents"] or {}),
        )
        for row in rows
    ]
