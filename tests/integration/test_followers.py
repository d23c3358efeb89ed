"""Read models and side effects follow a service's own log on the real PostgreSQL (throw-away schema).

* a read model applies each event once, with its position in the same transaction; ``rebuild``
  empties it and the follower replays the log into the same rows;
* ``wait_for`` gives a page read-your-writes after a command;
* a side effect records its position after each effect: one that fails is retried, the ones
  before it are not repeated, and a restarted follower resumes after the last recorded effect;
* a second follower of the same name stands by while the first holds the lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import UUID

import anyio
import asyncpg
import pytest

from shared.platform.db import build_application, close_application, connect, create_pool
from shared.platform.projections import (
    FollowerRunner,
    ReadModel,
    SideEffect,
    follower_runner,
    on,
    rebuild,
    wait_for,
)
from shared.platform.settings import Settings
from tests.faults.support import Counter, FaultSource, create_schema, drop_schema, in_schema, until

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(120)]


class CounterTable(ReadModel):
    name = "counter_table"
    ddl = ("CREATE TABLE IF NOT EXISTS counter_table (id uuid PRIMARY KEY, label text, n int)",)
    tables = ("counter_table",)

    @on(Counter.Started)
    async def started(self, conn: asyncpg.Connection, event: Counter.Started) -> None:
        await conn.execute(
            "INSERT INTO counter_table VALUES ($1, $2, 0)", event.originator_id, event.label
        )

    @on(Counter.Ticked)
    async def ticked(self, conn: asyncpg.Connection, event: Counter.Ticked) -> None:
        await conn.execute("UPDATE counter_table SET n = $2 WHERE id = $1", event.originator_id, event.n)


class Mailer(SideEffect):
    """Sends a 'mail' per tick; the third one fails once (a mail server hiccup)."""

    name = "mailer"

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.fail_once_on: int | None = 3

    @on(Counter.Ticked)
    async def ticked(self, event: Counter.Ticked) -> None:
        if event.n == self.fail_once_on:
            self.fail_once_on = None
            raise ConnectionError("smtp down")
        self.sent.append(event.n)


class World:
    def __init__(self, settings: Settings, schema: str) -> None:
        self.settings = settings
        self.schema = schema
        self.app: FaultSource = build_application(
            FaultSource, {**settings.eventsourcing_env(), **in_schema(schema)}
        )

    def runner(self, follower: Any, **options: Any) -> FollowerRunner:
        return follower_runner(
            self.app, follower, schema=self.schema,
            connect=lambda: connect(self.settings, purpose="followers", schema=self.schema),
            poll_interval=0.2, **options,
        )

    async def rows(self) -> list[tuple[str, int]]:
        conn = await connect(self.settings, purpose="test", schema=self.schema)
        try:
            records = await conn.fetch("SELECT label, n FROM counter_table ORDER BY label")
        finally:
            await conn.close()
        return [(r["label"], r["n"]) for r in records]


@pytest.fixture
def schema(infra: Any) -> Iterator[tuple[Settings, str]]:
    settings = Settings.from_env("applications", infra.env)
    name = create_schema(infra.admin_dsn, settings.db_user, "tfol")
    try:
        yield settings, name
    finally:
        drop_schema(infra.admin_dsn, name)


@pytest.fixture
async def world(schema: tuple[Settings, str]) -> AsyncIterator[World]:
    world = await anyio.to_thread.run_sync(World, *schema)
    try:
        yield world
    finally:
        await close_application(world.app)


async def running(runner: FollowerRunner) -> asyncio.Task[None]:
    return asyncio.create_task(runner.run())


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_read_model_applies_each_event_once_and_a_rebuild_replays_the_same_rows(world: World) -> None:
    ids: list[UUID] = await anyio.to_thread.run_sync(world.app.start_counters, ["a", "b"])
    for _ in range(3):
        await anyio.to_thread.run_sync(world.app.tick, ids[0])
    runner = world.runner(CounterTable())
    task = await running(runner)
    try:
        head = world.app.recorder.max_notification_id()
        await until(lambda: runner.stats.position == head, "the read model to reach the head")
        assert await world.rows() == [("a", 3), ("b", 0)]

        conn = await connect(world.settings, purpose="test", schema=world.schema)
        try:
            await rebuild(conn, CounterTable())
            assert await conn.fetchval("SELECT count(*) FROM counter_table") == 0
        finally:
            await conn.close()
        runner.wake.set()
        await until(lambda: runner.stats.applied >= 10, "the replay")  # the 5 events, then the same 5 again
        await until(lambda: runner.stats.position == head, "the replay to reach the head")
        assert await world.rows() == [("a", 3), ("b", 0)]
    finally:
        await stop(task)


async def test_a_page_can_wait_until_the_read_model_has_its_own_write(world: World) -> None:
    task = await running(world.runner(CounterTable()))
    pool = await create_pool(world.settings, schema=world.schema)
    try:
        [counter_id] = await anyio.to_thread.run_sync(world.app.start_counters, ["c"])
        await anyio.to_thread.run_sync(world.app.tick, counter_id)
        position = world.app.recorder.max_notification_id()
        assert position is not None
        assert await wait_for(pool, "counter_table", position, timeout=10)
        assert await world.rows() == [("c", 1)]
        assert not await wait_for(pool, "counter_table", position + 100, timeout=0.3)
    finally:
        await pool.close()
        await stop(task)


async def test_a_side_effect_is_retried_where_it_failed_and_never_repeated_before_it(world: World) -> None:
    [counter_id] = await anyio.to_thread.run_sync(world.app.start_counters, ["m"])
    for _ in range(5):
        await anyio.to_thread.run_sync(world.app.tick, counter_id)
    mailer = Mailer()
    runner = world.runner(mailer, max_backoff=0.2)
    task = await running(runner)
    try:
        await until(lambda: mailer.sent == [1, 2, 3, 4, 5], "five mails", timeout=15)
        assert runner.stats.errors == 1 and "smtp down" in runner.stats.last_error
    finally:
        await stop(task)

    # a restart (a new process) resumes after the last recorded effect: nothing is sent again
    await anyio.to_thread.run_sync(world.app.tick, counter_id)
    again = Mailer()
    runner = world.runner(again)
    task = await running(runner)
    try:
        await until(lambda: again.sent == [6], "the sixth mail", timeout=15)
        await asyncio.sleep(0.3)
        assert again.sent == [6]
    finally:
        await stop(task)


async def test_a_second_follower_of_the_same_read_model_stands_by_until_the_first_stops(world: World) -> None:
    first, second = world.runner(CounterTable()), world.runner(CounterTable())
    first_task = await running(first)
    await until(lambda: first.stats.leader, "the first follower to lead")
    second_task = await running(second)
    try:
        await asyncio.sleep(0.5)
        assert first.stats.leader and not second.stats.leader
        await stop(first_task)
        await until(lambda: second.stats.leader, "the standby to take over", timeout=15)
        await anyio.to_thread.run_sync(world.app.start_counters, ["s"])
        head = world.app.recorder.max_notification_id()
        await until(lambda: second.stats.position == head, "the standby to catch up")
        assert ("s", 0) in await world.rows()
    finally:
        await stop(second_task)
