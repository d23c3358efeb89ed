"""Liveness (``/healthz``) and readiness (``/readyz``) endpoints.

- ``/healthz`` answers 200 while the process can serve HTTP at all; it touches nothing else, so an
  orchestrator restarts the process only when it is really stuck.
- ``/readyz`` checks the service's dependencies with short timeouts: PostgreSQL through the web pool
  (the service's own role; the schema must be the first on its search path) and Kafka with a metadata
  request. Any failure gives a 503 problem listing each check, so the gateway or orchestrator
  stops routing to it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaClient
from litestar import Request, get
from litestar.datastructures import State

from shared.platform.problems import ProblemError
from shared.platform.settings import Settings

logger = logging.getLogger("jifen.health")

CHECK_TIMEOUT_SECONDS = 2.0

ReadinessCheck = Callable[[State, Settings], Awaitable[str]]
"""Returns a short ok-description, raises on failure."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    duration_ms: float


async def check_postgres(state: State, settings: Settings) -> str:
    pool = getattr(state, "db_pool", None)
    if pool is None:
        raise RuntimeError("no database pool")
    async with pool.acquire(timeout=CHECK_TIMEOUT_SECONDS) as conn:
        row = await conn.fetchrow(
            "SELECT current_user AS role, current_schema() AS schema", timeout=CHECK_TIMEOUT_SECONDS
        )
    if row["schema"] != settings.schema:
        raise RuntimeError(f"schema {settings.schema!r} is missing")
    return f"{row['role']}@{row['schema']}"


async def check_kafka(state: State, settings: Settings) -> str:
    client = AIOKafkaClient(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=f"{settings.service}-readyz",
        request_timeout_ms=int(CHECK_TIMEOUT_SECONDS * 1000),
    )
    try:
        await client.bootstrap()
        return f"{len(client.cluster.brokers())} broker(s)"
    finally:
        await client.close()


DEFAULT_CHECKS: dict[str, ReadinessCheck] = {"postgres": check_postgres, "kafka": check_kafka}


async def _run(name: str, check: ReadinessCheck, state: State, settings: Settings) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(check(state, settings), timeout=CHECK_TIMEOUT_SECONDS + 0.5)
        ok = True
    except Exception as exc:  # any failure means "not ready"; the reason is logged, not returned
        logger.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
        detail, ok = "unavailable", False
    return CheckResult(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def health_handlers(settings: Settings, checks: dict[str, ReadinessCheck] | None = None) -> list[Any]:
    """The two route handlers, bound to this service's settings and readiness checks."""
    active = DEFAULT_CHECKS if checks is None else checks

    @get("/healthz", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": settings.service}

    @get("/readyz", exclude_from_auth=True, include_in_schema=False)
    async def readyz(request: Request[Any, Any, Any]) -> dict[str, Any]:
        results = await asyncio.gather(
            *(_run(name, check, request.app.state, settings) for name, check in active.items())
        )
        body = {r.name: {"ok": r.ok, "detail": r.detail, "duration_ms": r.duration_ms} for r in results}
        if not all(r.ok for r in results):
            raise ProblemError(503, "not-ready", extensions={"checks": body}, headers={"Retry-After": "5"})
        return {"status": "ready", "service": settings.service, "checks": body}

    return [healthz, readyz]
