"""The platform parts every service gets from the kit, on the real PostgreSQL and Kafka.

* A retried POST with the same ``Idempotency-Key`` creates once and replays the first answer; the
  same key with another body is refused; no key, no memory.
* "All sessions end" in every service: a ``SessionsRevoked`` from accounts, consumed by another
  service's worker through the real broker, makes that service refuse tokens issued before it.
* A web process starting while its worker is in the middle of a read-model transaction starts at
  once: it does not queue DDL behind the worker (in tests they share one event loop, and waiting
  would wait for ever).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest
from litestar import Request, get, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from shared.contracts.accounts import SessionsRevoked
from shared.kernel.roles import Duty, Role
from shared.platform.auth import Principal
from shared.platform.guards import requires_roles
from shared.platform.settings import Settings
from shared.platform.web import create_service_app
from tests.faults.support import admin_execute
from tests.support.world import Bus, Running, token_issuer

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(120)]

CREATED: list[str] = []


@post("/api/applications/things", exclude_from_auth=True, status_code=201, sync_to_thread=False)
def create_thing(data: JSONBody[dict[str, str]]) -> dict[str, str]:
    CREATED.append(data["name"])
    return {"id": str(uuid.uuid4()), "name": data["name"]}


async def test_a_retried_post_with_the_same_idempotency_key_creates_once_and_replays_the_answer(
    infra: Any,
) -> None:
    CREATED.clear()
    settings = Settings.from_env("applications", infra.env)
    app = create_service_app(
        settings, route_handlers=[create_thing], csrf_secret="i" * 32, readiness_checks={}
    )
    key = f"retry-{uuid.uuid4().hex}"
    async with AsyncTestClient(app=app) as client:
        first = await client.post(
            "/api/applications/things", json={"name": "a"}, headers={"Idempotency-Key": key}
        )
        again = await client.post(
            "/api/applications/things", json={"name": "a"}, headers={"Idempotency-Key": key}
        )
        other_body = await client.post(
            "/api/applications/things", json={"name": "b"}, headers={"Idempotency-Key": key}
        )
        bad_key = await client.post(
            "/api/applications/things", json={"name": "c"}, headers={"Idempotency-Key": "x"}
        )
        without = [await client.post("/api/applications/things", json={"name": "d"}) for _ in range(2)]
    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert other_body.status_code == 422
    assert other_body.json()["type"] == "urn:jifen:problem:idempotency-key-reused"
    assert bad_key.status_code == 400
    assert [r.status_code for r in without] == [201, 201]
    assert CREATED == ["a", "d", "d"]


# --------------------------------------------------------------------------------------------------
# revoked sessions


@get("/api/review/whoami", opt=requires_roles(Role.CLERK), sync_to_thread=False)
def whoami(request: Request[Principal, str, Any]) -> dict[str, str]:
    return {"account": request.user.account_id}


async def test_a_session_revoked_in_accounts_is_refused_by_another_service(infra: Any) -> None:
    from services.review.app import SERVICE

    probe = dataclasses.replace(SERVICE, routers=[*SERVICE.routers, whoami])
    issuer = token_issuer(infra)
    clerk = f"clerk-{uuid.uuid4().hex[:8]}"
    before = issuer.issue(account_id=clerk, role=Role.CLERK, district="310115", duties=[Duty.ACCEPTANCE])
    other = issuer.issue(account_id=f"{clerk}-other", role=Role.CLERK, district="310115")
    async with Bus(infra) as bus, Running(infra, bus, "review", definition=probe) as review:
        async with review.client() as client:

            def ask(token: str) -> Any:
                return client.get("/api/review/whoami", headers={"Authorization": f"Bearer {token}"})

            assert (await ask(before.token)).status_code == 200
            await asyncio.sleep(1.1)  # token times are whole seconds: revoke strictly after ``before``
            await bus.publish(
                SessionsRevoked(account_id=clerk, role=Role.CLERK, not_before=datetime.now(UTC),
                                reason="password_changed"),
                subject=clerk,
            )
            deadline = asyncio.get_running_loop().time() + 30
            while (answer := await ask(before.token)).status_code != 401:
                review.assert_running()
                assert asyncio.get_running_loop().time() < deadline, "the revocation never arrived"
                await asyncio.sleep(0.2)
            assert answer.json()["type"] == "urn:jifen:problem:unauthenticated"
            assert (await ask(other.token)).status_code == 200  # another account is untouched
            await asyncio.sleep(1.1)
            after = issuer.issue(
                account_id=clerk, role=Role.CLERK, district="310115", duties=[Duty.ACCEPTANCE]
            )
            assert (await ask(after.token)).status_code == 200  # signing in again works
        rows = await anyio.to_thread.run_sync(
            admin_execute, infra.admin_dsn, f'SELECT account_id FROM "{review.schema}".session_revocations'
        )
    assert rows == [(clerk,)]


async def test_a_web_process_starts_while_its_worker_holds_a_read_model_transaction(infra: Any) -> None:
    from services.applications.app import SERVICE
    from shared.platform.db import connect
    from shared.platform.projections import missing_tables

    models = [model() for model in SERVICE.all_read_models]
    async with Bus(infra) as bus, Running(infra, bus, "applications") as service:
        conn = await connect(service.settings, purpose="test", schema=service.schema)
        try:
            deadline = asyncio.get_running_loop().time() + 30
            while await missing_tables(conn, models):  # the worker creates them at its start
                service.assert_running()
                assert asyncio.get_running_loop().time() < deadline, "the worker never made its tables"
                await asyncio.sleep(0.2)
            async with conn.transaction():  # what the worker holds while it applies an event
                await conn.execute("LOCK TABLE list_applications IN ROW EXCLUSIVE MODE")
                async with asyncio.timeout(15):
                    async with service.http() as client:
                        assert (await client.get("/healthz")).status_code == 200
        finally:
            await conn.close()
