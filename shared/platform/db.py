"""Database plumbing shared by every service: asyncpg pools and eventsourcing applications.

Two drivers, two jobs (see the stack note): eventsourcing (psycopg 3, synchronous) owns the write
side and runs in worker threads; asyncpg serves read-model queries, LISTEN and advisory locks on
the event loop.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any, TypeVar

import anyio
import asyncpg
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, ProgrammingError

from shared.platform.settings import Settings

TApplication = TypeVar("TApplication", bound=Application[Any])

_CONSTRUCT_LOCK = threading.Lock()
"""Serialises application construction inside one process: each construction runs
``CREATE TABLE IF NOT EXISTS`` statements, and concurrent ones can collide on PostgreSQL's catalog."""


async def _set_codecs(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


def server_settings(schema: str, application_name: str) -> dict[str, str]:
    return {"search_path": f"{schema},public", "application_name": application_name[:63]}


async def create_pool(
    settings: Settings,
    *,
    purpose: str = "web",
    min_size: int = 1,
    max_size: int = 5,
    schema: str | None = None,
) -> asyncpg.Pool:
    """A pool on the service's schema (``search_path``), named ``<service>-<purpose>`` in
    ``pg_stat_activity``, with json/jsonb decoded to Python objects."""
    pool = await asyncpg.create_pool(
        settings.asyncpg_dsn(),
        password=settings.db_password or None,
        min_size=min_size,
        max_size=max_size,
        server_settings=server_settings(schema or settings.schema, f"{settings.service}-{purpose}"),
        init=_set_codecs,
    )
    assert pool is not None
    return pool


async def connect(settings: Settings, *, purpose: str, schema: str | None = None) -> asyncpg.Connection:
    """One dedicated connection (advisory locks and LISTEN need a session of their own)."""
    conn: asyncpg.Connection = await asyncpg.connect(
        settings.asyncpg_dsn(),
        password=settings.db_password or None,
        server_settings=server_settings(schema or settings.schema, f"{settings.service}-{purpose}"),
    )
    await _set_codecs(conn)
    return conn


def eventsourcing_env(settings: Settings, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The eventsourcing environment for the service's schema, with optional overrides
    (tests point ``POSTGRES_SCHEMA`` at a throw-away schema)."""
    return {**settings.eventsourcing_env(), **(overrides or {})}


def build_application(
    cls: type[TApplication],
    env: Mapping[str, str],
    *,
    attempts: int = 3,
    **options: Any,
) -> TApplication:
    """Construct an eventsourcing application (blocking: opens a pool and runs DDL); ``options``
    go to its constructor (a service application's INBOUND table).

    Call it from a worker thread. Construction is serialised within the process, and retried a
    few times when another process races the same ``CREATE TABLE IF NOT EXISTS``.
    """
    for attempt in range(1, attempts + 1):
        try:
            with _CONSTRUCT_LOCK:
                return cls(env=dict(env), **options)
        except (IntegrityError, ProgrammingError):
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


async def open_application(
    cls: type[TApplication],
    settings: Settings,
    overrides: Mapping[str, str] | None = None,
) -> TApplication:
    """Build the service's application in a worker thread, off the event loop."""
    env = eventsourcing_env(settings, overrides)
    return await anyio.to_thread.run_sync(lambda: build_application(cls, env))


async def close_application(app: Application[Any]) -> None:
    await anyio.to_thread.run_sync(app.close)
