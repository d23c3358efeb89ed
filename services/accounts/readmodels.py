"""Read models of the accounts service (tracked projections of its own events, rebuildable with
``python -m services.accounts rebuild``) and the asyncpg queries pages and list APIs use.

* ``unit_applicants``: each unit's applicants (the unit sees only its own);
* ``clerks``: the clerk directory an administrator manages (per district);
* ``session_revocations``: the platform's not-before table (``shared.platform.sessions``), which
  accounts keeps from its own events, so that accounts too refuses tokens issued before a password
  change, a reset, a clerk's deactivation or "sign out everywhere".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from services.accounts.domain.applicant import Applicant, ApplicantStatus
from services.accounts.domain.clerk import Clerk
from services.accounts.domain.credentials import Credentials
from shared.kernel.id_number import mask_id_number
from shared.platform.paging import PAGE_SIZE, Page, limit_offset
from shared.platform.projections import ReadModel, on
from shared.platform.sessions import REVOCATIONS_DDL, record_not_before


class UnitApplicants(ReadModel):
    name = "unit_applicants"
    ddl = (
        "CREATE TABLE IF NOT EXISTS unit_applicants ("
        " applicant_id text PRIMARY KEY, unit_id text NOT NULL, name text NOT NULL,"
        " id_number_masked text NOT NULL, mobile text NOT NULL, email text NOT NULL,"
        " status text NOT NULL, registered_at timestamptz NOT NULL, activated_at timestamptz)",
        "CREATE INDEX IF NOT EXISTS unit_applicants_by_unit ON unit_applicants (unit_id, registered_at DESC)",
    )
    tables = ("unit_applicants",)

    @on(Applicant.Registered)
    async def registered(self, conn: asyncpg.Connection, event: Applicant.Registered) -> None:
        await conn.execute(
            "INSERT INTO unit_applicants (applicant_id, unit_id, name, id_number_masked, mobile, email,"
            " status, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " ON CONFLICT (applicant_id) DO NOTHING",
            str(event.originator_id),
            event.unit_id,
            event.name,
            mask_id_number(event.id_number),
            event.mobile,
            event.email,
            ApplicantStatus.AWAITING_ACTIVATION.value,
            event.registered_at,
        )

    @on(Applicant.Activated)
    async def activated(self, conn: asyncpg.Connection, event: Applicant.Activated) -> None:
        await conn.execute(
            "UPDATE unit_applicants SET status = $2, activated_at = $3 WHERE applicant_id = $1",
            str(event.originator_id),
            ApplicantStatus.ACTIVE.value,
            event.activated_at,
        )

    @on(Applicant.ChangedUnit)
    async def changed_unit(self, conn: asyncpg.Connection, event: Applicant.ChangedUnit) -> None:
        await conn.execute(
            "UPDATE unit_applicants SET unit_id = $2 WHERE applicant_id = $1",
            str(event.originator_id),
            event.unit_id,
        )


class ClerkDirectory(ReadModel):
    name = "clerks"
    ddl = (
        "CREATE TABLE IF NOT EXISTS clerks ("
        " clerk_id text PRIMARY KEY, username text NOT NULL, name text NOT NULL, district text NOT NULL,"
        " duties text[] NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL,"
        " changed_at timestamptz NOT NULL)",
        "CREATE INDEX IF NOT EXISTS clerks_by_district ON clerks (district, username)",
    )
    tables = ("clerks",)

    @on(Clerk.Opened)
    async def opened(self, conn: asyncpg.Connection, event: Clerk.Opened) -> None:
        await conn.execute(
            "INSERT INTO clerks (clerk_id, username, name, district, duties, active, created_at, changed_at)"
            " VALUES ($1, $2, $3, $4, $5, true, $6, $6) ON CONFLICT (clerk_id) DO NOTHING",
            str(event.originator_id),
            event.username,
            event.name,
            event.district,
            list(event.duties),
            event.created_at,
        )

    @on(Clerk.Changed)
    async def changed(self, conn: asyncpg.Connection, event: Clerk.Changed) -> None:
        await conn.execute(
            "UPDATE clerks SET name = $2, duties = $3, changed_at = $4 WHERE clerk_id = $1",
            str(event.originator_id),
            event.name,
            list(event.duties),
            event.changed_at,
        )

    @on(Clerk.Deactivated)
    async def deactivated(self, conn: asyncpg.Connection, event: Clerk.Deactivated) -> None:
        await conn.execute(
            "UPDATE clerks SET active = false, changed_at = $2 WHERE clerk_id = $1",
            str(event.originator_id),
            event.deactivated_at,
        )


class AccountSessions(ReadModel):
    """``session_revocations`` from accounts' own events (every other service keeps it from
    ``SessionsRevoked``)."""

    name = "session_revocations"
    ddl = (REVOCATIONS_DDL,)
    tables = ("session_revocations",)

    @on(Credentials.SessionsEnded)
    async def sessions_ended(self, conn: asyncpg.Connection, event: Credentials.SessionsEnded) -> None:
        await record_not_before(conn, event.account_id, event.not_before)


READ_MODELS = (UnitApplicants, ClerkDirectory, AccountSessions)


# ------------------------------------------------------------------------------ queries


async def _page(
    pool: asyncpg.Pool, table_sql: str, args: list[Any], order: str, page: int, size: int
) -> Page[dict[str, Any]]:
    page = max(1, page)
    async with pool.acquire() as conn:
        try:
            total = await conn.fetchval(f"SELECT count(*) FROM {table_sql}", *args)
            rows = await conn.fetch(
                f"SELECT * FROM {table_sql} ORDER BY {order}" + limit_offset(page, size), *args
            )
        except asyncpg.UndefinedTableError:  # the worker has not created it yet: nothing to list
            return Page([], 0, page, size)
    return Page([dict(row) for row in rows], int(total), page, size)


async def unit_applicants(
    pool: asyncpg.Pool, unit_id: str, *, page: int = 1, size: int = PAGE_SIZE
) -> Page[dict[str, Any]]:
    """The applicants whose accounts belong to ``unit_id`` now, newest first."""
    return await _page(
        pool, "unit_applicants WHERE unit_id = $1", [unit_id], "registered_at DESC, applicant_id", page, size
    )


async def district_clerks(
    pool: asyncpg.Pool, district: str, *, page: int = 1, size: int = PAGE_SIZE
) -> Page[dict[str, Any]]:
    return await _page(pool, "clerks WHERE district = $1", [district], "active DESC, username", page, size)


async def not_before(pool: asyncpg.Pool, account_id: str) -> datetime | None:
    async with pool.acquire() as conn:
        try:
            value: datetime | None = await conn.fetchval(
                "SELECT not_before FROM session_revocations WHERE account_id = $1", account_id
            )
        except asyncpg.UndefinedTableError:
            return None
    return value
