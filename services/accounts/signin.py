"""Sign-in state that is not a domain fact: failure throttling and API refresh tokens, in PostgreSQL
(they survive restarts and hold for several web replicas).

* ``Throttle``: failed sign-ins (and wrong codes) counted per account and per client address in a
  window; past the limit the key is locked for a while, and the answer says until when. A success
  clears the account's count (not the address's). The gateway's rate limit stays the outer fence.
* ``RefreshTokens``: opaque random tokens; only their SHA-256 is stored. Each refresh rotates the
  token (the old one is spent); presenting a spent token again revokes its whole family (a stolen
  copy is then useless); sign-out revokes it; a token older than the account's not-before mark
  (password change, reset, deactivation, "sign out everywhere") is refused.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from shared.kernel.roles import Role

THROTTLE_DDL = (
    "CREATE TABLE IF NOT EXISTS sign_in_failures ("
    " key text PRIMARY KEY, failures int NOT NULL, window_started_at timestamptz NOT NULL,"
    " locked_until timestamptz)"
)
REFRESH_DDL = (
    "CREATE TABLE IF NOT EXISTS refresh_tokens ("
    " token_hash text PRIMARY KEY, family uuid NOT NULL, account_id text NOT NULL, role text NOT NULL,"
    " issued_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, spent_at timestamptz,"
    " revoked_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS refresh_tokens_by_family ON refresh_tokens (family)",
)


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta
    lock: timedelta


ACCOUNT_LIMIT = Limit(5, timedelta(minutes=15), timedelta(minutes=15))
ADDRESS_LIMIT = Limit(30, timedelta(minutes=15), timedelta(minutes=15))


class Throttle:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._ready = False

    async def _conn_ready(self, conn: asyncpg.Connection) -> None:
        if not self._ready:
            await conn.execute(THROTTLE_DDL)
            self._ready = True

    async def locked_until(self, keys: list[str], now: datetime) -> datetime | None:
        """The latest lock among ``keys`` still in force, if any."""
        async with self.pool.acquire() as conn:
            await self._conn_ready(conn)
            value: datetime | None = await conn.fetchval(
                "SELECT max(locked_until) FROM sign_in_failures WHERE key = ANY($1) AND locked_until > $2",
                keys,
                now,
            )
        return value

    async def failed(self, limits: dict[str, Limit], now: datetime) -> datetime | None:
        """Count a failure on each key; the lock it set (if a limit was reached)."""
        locked: datetime | None = None
        async with self.pool.acquire() as conn, conn.transaction():
            await self._conn_ready(conn)
            for key, limit in limits.items():
                row = await conn.fetchrow(
                    "INSERT INTO sign_in_failures (key, failures, window_started_at) VALUES ($1, 1, $2)"
                    " ON CONFLICT (key) DO UPDATE SET"
                    "  failures = CASE WHEN sign_in_failures.window_started_at < $2 - $3::interval"
                    "   THEN 1 ELSE sign_in_failures.failures + 1 END,"
                    "  window_started_at = CASE WHEN sign_in_failures.window_started_at < $2 - $3::interval"
                    "   THEN $2 ELSE sign_in_failures.window_started_at END"
                    " RETURNING failures",
                    key,
                    now,
                    limit.window,
                )
                if row is not None and row["failures"] >= limit.failures:
                    until = now + limit.lock
                    await conn.execute(
                        "UPDATE sign_in_failures SET locked_until = $2, failures = 0, window_started_at = $3"
                        " WHERE key = $1",
                        key,
                        until,
                        now,
                    )
                    locked = max(locked or until, until)
        return locked

    async def succeeded(self, key: str) -> None:
        async with self.pool.acquire() as conn:
            await self._conn_ready(conn)
            await conn.execute("DELETE FROM sign_in_failures WHERE key = $1", key)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class RefreshGrant:
    account_id: str
    role: Role
    family: uuid.UUID


class RefreshTokens:
    def __init__(self, pool: asyncpg.Pool, ttl: timedelta) -> None:
        self.pool = pool
        self.ttl = ttl
        self._ready = False

    async def _conn_ready(self, conn: asyncpg.Connection) -> None:
        if not self._ready:
            for statement in REFRESH_DDL:
                await conn.execute(statement)
            self._ready = True

    async def issue(self, account_id: str, role: Role, now: datetime, family: uuid.UUID | None = None) -> str:
        token = secrets.token_urlsafe(32)
        async with self.pool.acquire() as conn:
            await self._conn_ready(conn)
            await conn.execute(
                "INSERT INTO refresh_tokens (token_hash, family, account_id, role, issued_at, expires_at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                _digest(token),
                family or uuid.uuid4(),
                account_id,
                role.value,
                now,
                now + self.ttl,
            )
        return token

    async def spend(self, token: str, now: datetime) -> RefreshGrant | None:
        """Use ``token`` once: its grant, or None (unknown, expired, revoked, older than the
        account's not-before mark, or spent: then its family is revoked)."""
        async with self.pool.acquire() as conn, conn.transaction():
            await self._conn_ready(conn)
            row = await conn.fetchrow(
                "SELECT family, account_id, role, issued_at, expires_at, spent_at, revoked_at"
                " FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
                _digest(token),
            )
            if row is None:
                return None
            if row["spent_at"] is not None:
                await conn.execute(
                    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family = $1 AND revoked_at IS NULL",
                    row["family"],
                    now,
                )
                return None
            if row["revoked_at"] is not None or row["expires_at"] <= now:
                return None
            try:
                mark = await conn.fetchval(
                    "SELECT not_before FROM session_revocations WHERE account_id = $1", row["account_id"]
                )
            except asyncpg.UndefinedTableError:
                mark = None
            if mark is not None and row["issued_at"] < mark:
                return None
            await conn.execute(
                "UPDATE refresh_tokens SET spent_at = $2 WHERE token_hash = $1", _digest(token), now
            )
        return RefreshGrant(row["account_id"], Role(row["role"]), row["family"])

    async def revoke(self, token: str, account_id: str, now: datetime) -> bool:
        """Sign-out: the token's family ends (only the owner's own token)."""
        async with self.pool.acquire() as conn:
            await self._conn_ready(conn)
            done = await conn.execute(
                "UPDATE refresh_tokens SET revoked_at = $3 WHERE family = ("
                " SELECT family FROM refresh_tokens WHERE token_hash = $1 AND account_id = $2)"
                " AND revoked_at IS NULL",
                _digest(token),
                account_id,
                now,
            )
        return not str(done).endswith(" 0")
