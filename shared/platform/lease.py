"""A singleton by PostgreSQL advisory lock: one leader among the worker replicas of a service.

The outbox relay and every log follower (read models, side effects) must run once per service:
two relays would publish duplicates and break per-partition order, two projections would race on
their rows. Each takes an ``AdvisoryLease``: ``pg_try_advisory_lock`` held on a dedicated asyncpg
connection (which also LISTENs for the service's NOTIFY wake-ups). A standby waits for the lock and
takes over when the leader dies, because the server drops a dead session's locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger("jifen.lease")

Connect = Callable[[], Awaitable[asyncpg.Connection]]


class LeaseLost(Exception):
    """The connection holding the advisory lock went away: stop at once."""


def advisory_key(text: str) -> int:
    """A stable signed 64-bit advisory-lock key for a name."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


class AdvisoryLease:
    """``pg_try_advisory_lock`` held on a dedicated connection, which also LISTENs for wake-ups."""

    def __init__(
        self,
        connect: Connect,
        key: int,
        *,
        channel: str | None,
        retry_interval: float = 1.0,
        timeout: float = 5.0,
    ) -> None:
        self._connect = connect
        self.key = key
        self.channel = channel
        self.retry_interval = retry_interval
        self.timeout = timeout
        """Bound on every round trip of the lock's session: a half-open TCP connection never
        answers, and without a bound the leader (or a standby) would hang on it for ever."""
        self._conn: asyncpg.Connection | None = None
        self._wake: asyncio.Event | None = None

    def _on_notify(self, *_: object) -> None:
        if self._wake is not None:
            self._wake.set()

    async def acquire(self, wake: asyncio.Event) -> None:
        """Wait until this process holds the lock (a standby sits here)."""
        self._wake = wake
        announced = False
        while True:
            try:
                async with asyncio.timeout(self.timeout):
                    if self._conn is None or self._conn.is_closed():
                        self._conn = await self._connect()
                conn: asyncpg.Connection = self._conn
                async with asyncio.timeout(self.timeout):
                    locked = await conn.fetchval("SELECT pg_try_advisory_lock($1)", self.key)
                if locked:
                    break
                if not announced:
                    log.info("lock %s is held elsewhere; standing by", self.key)
                    announced = True
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("lock %s: cannot reach PostgreSQL (%r); retrying", self.key, exc)
                await self._drop()
            await asyncio.sleep(self.retry_interval)
        if self.channel:
            async with asyncio.timeout(self.timeout):
                await conn.add_listener(self.channel, self._on_notify)
        log.info("lock %s acquired", self.key)

    async def check(self) -> None:
        """Raise ``LeaseLost`` unless the lock's session is still alive."""
        conn = self._conn
        if conn is None or conn.is_closed():
            raise LeaseLost
        try:
            async with asyncio.timeout(self.timeout):
                await conn.fetchval("SELECT 1")
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self._drop()
            raise LeaseLost from exc

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await conn.close()
            if not conn.is_closed():
                conn.terminate()

    async def release(self) -> None:
        """Closing the session releases the lock (and the LISTEN)."""
        await self._drop()

