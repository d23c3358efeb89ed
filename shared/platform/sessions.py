""""All sessions end" in every service: a not-before table fed by accounts' ``SessionsRevoked``.

Tokens are verified locally (no call to accounts per request), so a revoked session would live until
its token expires. Instead every service keeps, per account, the instant before which its tokens
are refused:

* the inbox applies ``SessionsRevoked`` to a ``RevokedSessions`` aggregate (one per account, in the
  service's own event store, with the upstream tracking: exactly once);
* the ``SessionRevocations`` read model projects those events into ``session_revocations``;
* the authentication middleware asks ``RevocationList.revoked(principal)`` on every request (a
  primary-key lookup, cached for a second) and answers 401 for a token issued before the mark.

The kit adds the INBOUND row and the read model to every service definition; accounts, which
publishes the event, projects its own domain events into the same table with ``record_not_before``.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate, event

from shared.contracts.accounts import SessionsRevoked
from shared.platform.auth import Principal
from shared.platform.integration import Received
from shared.platform.projections import ReadModel, on

REVOCATIONS_NS = uuid.UUID("3d1f5e0a-6b7c-5d2e-8f90-1a2b3c4d5e6f")
CACHE_SECONDS = 1.0


class RevokedSessions(Aggregate):
    """The latest not-before mark of one account, as this service learned it."""

    TOPIC = "platform.RevokedSessions"

    class Event(Aggregate.Event):
        TOPIC = "platform.RevokedSessions.Event"

    class Created(Aggregate.Created):
        TOPIC = "platform.RevokedSessions.Created"

    class Started(Aggregate.Created):
        TOPIC = "platform.RevokedSessions.Started"
        account_id: str

    class Revoked(Aggregate.Event):
        TOPIC = "platform.RevokedSessions.Revoked"
        account_id: str
        not_before: datetime

    @staticmethod
    def create_id(account_id: str) -> UUID:
        return uuid.uuid5(REVOCATIONS_NS, account_id)

    @event(Started)
    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.not_before: datetime | None = None

    def revoke(self, not_before: datetime) -> None:
        """Raise the mark; an older (or equal) mark arriving late changes nothing."""
        if self.not_before is None or not_before > self.not_before:
            self._revoked(account_id=self.account_id, not_before=not_before)

    @event(Revoked)
    def _revoked(self, account_id: str, not_before: datetime) -> None:
        self.not_before = not_before


def on_sessions_revoked(
    service: Any, message: Received[SessionsRevoked], processing: ProcessingEvent[UUID]
) -> None:
    """INBOUND handler: record the account's new not-before mark."""
    account_id = message.payload.account_id
    try:
        sessions: RevokedSessions = service.repository.get(RevokedSessions.create_id(account_id))
    except AggregateNotFoundError:
        sessions = RevokedSessions(account_id)
    sessions.revoke(message.payload.not_before)
    processing.collect_events(sessions)


REVOCATIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS session_revocations ("
    " account_id text PRIMARY KEY, not_before timestamptz NOT NULL)"
)


async def record_not_before(conn: asyncpg.Connection, account_id: str, not_before: datetime) -> None:
    """Raise an account's mark in ``session_revocations`` (never lowers it)."""
    await conn.execute(
        "INSERT INTO session_revocations (account_id, not_before) VALUES ($1, $2)"
        " ON CONFLICT (account_id) DO UPDATE SET not_before = EXCLUDED.not_before"
        " WHERE session_revocations.not_before < EXCLUDED.not_before",
        account_id,
        not_before,
    )


class SessionRevocations(ReadModel):
    """``session_revocations``: account id -> tokens issued before ``not_before`` are refused."""

    name = "session_revocations"
    ddl = (REVOCATIONS_DDL,)
    tables = ("session_revocations",)

    @on(RevokedSessions.Revoked)
    async def revoked(self, conn: asyncpg.Connection, event: RevokedSessions.Revoked) -> None:
        await record_not_before(conn, event.account_id, event.not_before)


class RevocationList:
    """What the authentication middleware asks on every request (reads the web's pool)."""

    def __init__(self, pool: asyncpg.Pool, cache_seconds: float = CACHE_SECONDS) -> None:
        self.pool = pool
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, datetime | None]] = {}

    async def not_before(self, account_id: str) -> datetime | None:
        now = time.monotonic()
        cached = self._cache.get(account_id)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cached[1]
        async with self.pool.acquire() as conn:
            try:
                value = await conn.fetchval(
                    "SELECT not_before FROM session_revocations WHERE account_id = $1", account_id
                )
            except asyncpg.UndefinedTableError:  # nothing was ever revoked here
                value = None
        if len(self._cache) > 10_000:
            self._cache.clear()
        mark: datetime | None = value
        self._cache[account_id] = (now, mark)
        return mark

    async def revoked(self, principal: Principal) -> bool:
        """True when the token was issued before the account's mark.

        Token times are whole seconds (``iat``), so the mark is compared at that precision: a token
        issued earlier in the very second of the revocation survives it (at most a second's grace).
        """
        mark = await self.not_before(principal.account_id)
        if mark is None or principal.issued_at is None:
            return False
        return principal.issued_at < mark.replace(microsecond=0)
