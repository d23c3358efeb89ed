"""Accounts' form pages list their problems in the error summary in the order of the page's fields,
whatever order the rules found them in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.accounts.http.pages import REGISTRATION_FIELDS
from shared.platform.auth import TokenVerifier
from shared.platform.csrf import CSRF_COOKIE
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings

pytestmark = pytest.mark.anyio

NOON = datetime(2026, 3, 16, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: within opening hours


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    from services.accounts.app import create_app

    app = create_app(
        Settings(service="accounts", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="f" * 32,
        open_db_pool=False,
        readiness_checks={},
        clock=lambda: NOON,
    )
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_the_registration_error_summary_follows_the_order_of_the_page(
    client: AsyncTestClient[Litestar],
) -> None:
    await client.get("/accounts/register")
    form = {name: "" for name in REGISTRATION_FIELDS}
    form.update(mobile="123", email="not-mail", password="short", password_confirm="other")
    answer = await client.post(
        "/accounts/register",
        data={**form, "_csrf_token": client.cookies[CSRF_COOKIE]},
        headers={"Accept": "text/html"},
    )
    assert answer.status_code == 422, answer.text
    summary = answer.text.split("jf-error-summary", 1)[1].split("</ul>", 1)[0]
    linked = [field for field in re.findall(r'href="#([\w.-]+)"', summary)]
    on_page = [name for name in REGISTRATION_FIELDS if name in linked]
    assert len(linked) >= 6
    assert linked == sorted(linked, key=on_page.index)
    assert linked[-1] in ("password", "password_confirm")
