"""Accounts' form pages list their problems in the error summary in the order of the page's fields,
whatever order the rules found them in."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.accounts.http.pages import REGISTRATION_FIELDS
from shared.platform.csrf import CSRF_COOKIE

pytestmark = pytest.mark.anyio


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
