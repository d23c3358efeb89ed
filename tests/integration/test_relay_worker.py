"""Each service's worker (built by the service kit from its definition) starts its application, relay,
subscribers and followers, and stops cleanly when cancelled."""

from __future__ import annotations

import asyncio
import importlib
import threading
from typing import Any

import anyio
import pytest

from shared.contracts.topics import SERVICES
from shared.platform.kit import ServiceDefinition, run_worker
from shared.platform.settings import Settings
from tests.faults.support import admin_execute, create_schema, drop_schema

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(120)]

RELAY_LOCKS = """
SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = %s
"""


@pytest.mark.parametrize("service", SERVICES)
async def test_worker_runs_the_relay_and_stops_without_leaving_threads(infra: Any, service: str) -> None:
    definition: ServiceDefinition = importlib.import_module(f"services.{service}.app").SERVICE
    creds = infra.db(service)
    settings = Settings.from_env(service, infra.env)
    schema = create_schema(infra.admin_dsn, creds.user, f"tw{service[:3]}")
    before = {t.ident for t in threading.enumerate()}

    def relay_locks() -> int:
        return int(admin_execute(infra.admin_dsn, RELAY_LOCKS, (f"{service}-relay",))[0][0])

    try:
        worker = asyncio.create_task(
            run_worker(definition, settings, overrides={"POSTGRES_SCHEMA": schema}))
        with anyio.fail_after(30):
            while await anyio.to_thread.run_sync(relay_locks) < 1:
                assert not worker.done(), worker
                await asyncio.sleep(0.1)
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        with anyio.fail_after(10):  # the session ends, and with it the lock
            while await anyio.to_thread.run_sync(relay_locks):
                await asyncio.sleep(0.1)

        def leftovers() -> list[str]:
            """New non-daemon threads, apart from AnyIO's idle pool (it ends with the event loop)."""
            return [t.name for t in threading.enumerate()
                    if t.ident not in before and not t.daemon and t.name != "AnyIO worker thread"]

        with anyio.fail_after(10):
            while leftovers():
                await asyncio.sleep(0.1)
    finally:
        drop_schema(infra.admin_dsn, schema)
