"""Log followers: read models and side effects driven by a service's own events, tracked.

A service's worker runs one follower per read model and per side effect, each following the
service's own notification log (the events its aggregates stored, including those the inbox
applied from other services):

* a ``ReadModel`` writes tables for pages and list APIs. Its rows and its position commit in one
  transaction, so each event is applied exactly once; ``rebuild`` empties its tables and resets
  its position, and the follower replays the log into them;
* a ``SideEffect`` does something outside the database (sends a mail, renders a file). Its position
  is recorded after each effect: a process killed between the effect and the record repeats that
  one effect once on restart; a normal restart repeats nothing. Effects that must never repeat make
  themselves idempotent (e.g. by a deterministic id).

Handlers are declared per event class with ``@on(...)`` (the class's TOPIC filters the log in SQL).
Positions live in ``<schema>.follower_positions``; a position *n* means "every event up to
notification *n* is done". Each follower is a singleton per service (``shared.platform.lease``)
and wakes on the service's NOTIFY, polling as well because NOTIFY is only a hint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import anyio
import asyncpg
from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from shared.platform.lease import AdvisoryLease, Connect, LeaseLost, advisory_key

log = logging.getLogger("jifen.projections")

POSITIONS_TABLE = "follower_positions"
POSITIONS_DDL = (
    f"CREATE TABLE IF NOT EXISTS {POSITIONS_TABLE} ("
    " name text PRIMARY KEY, position bigint NOT NULL DEFAULT 0,"
    " updated_at timestamptz NOT NULL DEFAULT now())"
)

F = TypeVar("F", bound=Callable[..., Awaitable[None]])


def on(*event_classes: type[Any]) -> Callable[[F], F]:
    """Declare a follower method as the handler of these (exact) domain event classes."""

    def mark(method: F) -> F:
        method.__dict__.setdefault("_jifen_handles", []).extend(event_classes)
        return method

    return mark


class LogFollower:
    """Base of read models and side effects: a name and the handlers declared with ``@on``."""

    name: ClassVar[str]
    """Position name and lock name; never rename (a new name replays the whole log)."""
    handlers: ClassVar[dict[type[Any], str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type[Any], str] = {}
        for klass in reversed(cls.__mro__):
            for attribute, value in vars(klass).items():
                for event_class in getattr(value, "_jifen_handles", ()):
                    handlers[event_class] = attribute
        cls.handlers = handlers

    @classmethod
    def topics(cls) -> tuple[str, ...]:
        return tuple(sorted(get_topic(event_class) for event_class in cls.handlers))

    def handler(self, event: Any) -> Callable[..., Awaitable[None]] | None:
        attribute = self.handlers.get(type(event))
        return None if attribute is None else getattr(self, attribute)


class ReadModel(LogFollower):
    """Tables for pages and lists. Handlers: ``async def (self, conn, event) -> None``.

    ``ddl`` creates the tables (``CREATE TABLE IF NOT EXISTS``, in the service's schema: the
    connection's search path); ``tables`` names them for ``rebuild``.
    """

    ddl: ClassVar[Sequence[str]] = ()
    tables: ClassVar[Sequence[str]] = ()


class SideEffect(LogFollower):
    """An effect outside the database. Handlers: ``async def (self, event) -> None``."""


async def ensure_tables(
    conn: asyncpg.Connection, followers: Sequence[LogFollower], *, lock_timeout_ms: int | None = None
) -> None:
    """The positions table and every read model's tables (idempotent). Followers starting together
    take turns: two concurrent ``CREATE TABLE IF NOT EXISTS`` of one table collide in PostgreSQL's
    catalogue. ``lock_timeout_ms`` bounds the wait for the turn and the tables' locks (an index's
    ``IF NOT EXISTS`` still waits for the writers of its table): the statement then fails with
    ``LockNotAvailableError``."""
    async with conn.transaction():
        if lock_timeout_ms is not None:
            await conn.execute(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('jifen-follower-ddl'))")
        await conn.execute(POSITIONS_DDL)
        for follower in followers:
            if isinstance(follower, ReadModel):
                for statement in follower.ddl:
                    await conn.execute(statement)


async def missing_tables(conn: asyncpg.Connection, followers: Sequence[LogFollower]) -> list[str]:
    """The positions table and read-model tables not yet in the connection's schema (a catalogue
    lookup: takes no lock on the tables)."""
    names = [POSITIONS_TABLE, *(t for f in followers if isinstance(f, ReadModel) for t in f.tables)]
    rows = await conn.fetch(
        "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL", names
    )
    return [row["name"] for row in rows]


async def position_of(conn: asyncpg.Connection, name: str, *, for_update: bool = False) -> int:
    """The follower's position (0 before its first event); ``for_update`` locks its row."""
    await conn.execute(
        "INSERT INTO follower_positions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", name
    )
    lock = " FOR UPDATE" if for_update else ""
    value = await conn.fetchval(f"SELECT position FROM follower_positions WHERE name = $1{lock}", name)
    return int(value)


async def _record(conn: asyncpg.Connection, name: str, position: int) -> None:
    await conn.execute(
        "UPDATE follower_positions SET position = $2, updated_at = now() WHERE name = $1", name, position
    )


async def rebuild(conn: asyncpg.Connection, model: ReadModel) -> None:
    """Empty the read model's tables and replay the log into them (the running follower picks the
    reset position up at its next batch, in the same transaction it writes in)."""
    async with conn.transaction():
        await position_of(conn, model.name, for_update=True)
        for table in model.tables:
            await conn.execute(f'TRUNCATE TABLE "{table}"')
        await _record(conn, model.name, 0)
    log.info("read model %s emptied; replaying from the start", model.name)


async def wait_for(
    pool: asyncpg.Pool, name: str, notification_id: int, *, timeout: float = 2.0, interval: float = 0.02
) -> bool:
    """Wait until follower ``name`` has passed ``notification_id`` (read your own writes on a page
    after a command). False when it has not within ``timeout``: callers show what they have."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with pool.acquire() as conn:
            try:
                value = await conn.fetchval("SELECT position FROM follower_positions WHERE name = $1", name)
            except asyncpg.UndefinedTableError:  # no follower has run yet
                value = None
        if value is not None and int(value) >= notification_id:
            return True
        if asyncio.get_running_loop().time() >= deadline:
            return False
        await asyncio.sleep(interval)


@dataclass
class FollowerStats:
    position: int = 0
    applied: int = 0
    errors: int = 0
    last_error: str = ""
    leader: bool = False


class FollowerRunner:
    """Runs one follower over ``app``'s notification log until cancelled."""

    def __init__(
        self,
        app: Application[Any],
        follower: LogFollower,
        *,
        connect: Connect,
        lease: AdvisoryLease | None,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        max_backoff: float = 10.0,
    ) -> None:
        self.app = app
        self.follower = follower
        self.connect = connect
        self.lease = lease
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.topics = follower.topics()
        self.stats = FollowerStats()
        self.wake = asyncio.Event()

    async def run(self) -> None:
        """Follow until cancelled; failures are logged and retried with backoff (nothing skipped)."""
        failures = 0
        while True:
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except LeaseLost:
                log.warning("follower %s lost its lock; re-acquiring", self.follower.name)
                failures = 0
            except Exception as exc:
                failures += 1
                self.stats.errors += 1
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("follower %s failed; restarting (attempt %d)", self.follower.name, failures)
                await asyncio.sleep(min(0.5 * 2**failures, self.max_backoff))
            finally:
                self.stats.leader = False
                if self.lease is not None:
                    with anyio.CancelScope(shield=True):
                        await self.lease.release()

    async def _lead(self) -> None:
        if self.lease is not None:
            await self.lease.acquire(self.wake)
        self.stats.leader = True
        conn = await self.connect()
        try:
            await ensure_tables(conn, [self.follower])
            while True:
                self.wake.clear()
                if self.lease is not None:
                    await self.lease.check()
                full = await self._step(conn)
                if not full:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.poll_interval):
                            await self.wake.wait()
        finally:
            with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await conn.close()

    async def _step(self, conn: asyncpg.Connection) -> bool:
        """Handle the next batch; True when there may be more right away."""
        name = self.follower.name
        if isinstance(self.follower, ReadModel):
            async with conn.transaction():
                position = await position_of(conn, name, for_update=True)
                batch = await self._read(position)
                for _, event in batch.events:
                    if (handler := self.follower.handler(event)) is not None:
                        await handler(conn, event)
                if batch.position != position:
                    await _record(conn, name, batch.position)
        else:
            position = await position_of(conn, name)
            batch = await self._read(position)
            for notification_id, event in batch.events:
                if (handler := self.follower.handler(event)) is not None:
                    await handler(event)
                await _record(conn, name, notification_id)
            if batch.position != position:
                await _record(conn, name, batch.position)
        self.stats.applied += len(batch.events)
        self.stats.position = batch.position
        return batch.full

    async def _read(self, position: int) -> _Batch:
        """The follower's events after ``position`` (in a worker thread: eventsourcing is
        synchronous)."""
        return await anyio.to_thread.run_sync(self._read_sync, position)

    def _read_sync(self, position: int) -> _Batch:
        recorder = self.app.recorder
        head = recorder.max_notification_id() or 0
        if head <= position:
            return _Batch([], position, False)
        notes = recorder.select_notifications(
            start=position, limit=self.batch_size, stop=head, topics=self.topics, inclusive_of_start=False
        )
        full = len(notes) == self.batch_size
        events = [(note.id, self.app.mapper.to_domain_event(note)) for note in notes]
        # A full batch may stop before the head; otherwise everything up to the head is done.
        return _Batch(events, notes[-1].id if full else head, full)


@dataclass(frozen=True)
class _Batch:
    events: list[tuple[int, Any]]
    """(notification id, domain event), in log order."""
    position: int
    """The position once the batch is handled."""
    full: bool


def follower_runner(
    app: Application[Any], follower: LogFollower, *, schema: str, connect: Connect, **options: Any
) -> FollowerRunner:
    lease = AdvisoryLease(
        connect,
        advisory_key(f"jifen-follower:{schema}.{follower.name}"),
        channel=getattr(app.recorder, "channel_name", None),
    )
    return FollowerRunner(app, follower, connect=connect, lease=lease, **options)
