"""Signing in on accounts' pages, on real PostgreSQL and Kafka: a page opened without a session sends
the browser to the sign-in tab of its role with ``next``; signing in goes to ``next`` when it is a safe
local page of the portal, else to the user's home (where the portal home sends them, never
``/accounts/me``); ``next`` survives a refused sign-in, the tabs, activation and reset; empty fields
are named at the field, not taken for wrong credentials."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest

from services.accounts.service import AccountsService
from shared.kernel.roles import Duty
from shared.platform.web import CSRF_COOKIE
from tests.integration.test_accounts_units_and_applicants import registered_unit
from tests.support.accounts import PASSWORD, accounts_world

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
DEEP_LINK = "/applications/4f0c8a52-0000-4000-8000-000000000001/check"
UNSAFE = [
    "//evil.example",
    "https://evil.example/accounts/",
    "/\\evil.example",
    "/accounts/../x",
    "/api/accounts/me",
]


def hidden_next(html: str) -> str | None:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    return found.group(1) if found else None


async def post_sign_in(client: Any, role: str, login: str, password: str, **extra: str) -> Any:
    await client.get(f"/accounts/login/{role}")
    form = {"login": login, "password": password, "_csrf_token": client.cookies[CSRF_COOKIE], **extra}
    return await client.post(f"/accounts/login/{role}", data=form, headers=PAGE, follow_redirects=False)


async def a_clerk(world: Any) -> str:
    username = f"clerk-{uuid.uuid4().hex[:6]}"
    service: AccountsService
    async with world.accounts.application() as service:
        await anyio.to_thread.run_sync(
            lambda: service.create_clerk(
                username=username,
                name="陈静",
                district="310115",
                duties=[Duty.ACCEPTANCE.value],
                password=PASSWORD,
                by="test",
            )
        )
    return username


async def test_signing_in_with_a_safe_next_goes_there_and_without_one_goes_where_the_portal_home_sends(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        _, approved, _ = await registered_unit(client, world.bus)
        _, pending, _ = await registered_unit(client, world.bus, approve=False)
        clerk = await a_clerk(world)

        there = await post_sign_in(client, "unit", approved, PASSWORD, next=f"{DEEP_LINK}?from=mail")
        assert there.status_code == 303, there.text
        assert there.headers["location"] == f"{DEEP_LINK}?from=mail"
        client.cookies.clear()

        for role, login, home in (
            ("unit", approved, "/applications/unit"),
            ("unit", pending, "/accounts/unit"),
            ("clerk", clerk, "/review/"),
        ):
            answer = await post_sign_in(client, role, login, PASSWORD)
            assert answer.status_code == 303, answer.text
            assert answer.headers["location"] == home, login
            portal = await client.get("/accounts/", follow_redirects=False)
            assert portal.headers["location"] == home  # the same place as the portal home
            client.cookies.clear()


@pytest.mark.parametrize("unsafe", UNSAFE)
async def test_an_unsafe_next_is_ignored_and_signing_in_goes_home(
    infra: Any, tmp_path: Path, unsafe: str
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        _, code, _ = await registered_unit(client, world.bus)
        form = await client.get("/accounts/login/unit", params={"next": unsafe})
        assert hidden_next(form.text) is None
        assert 'href="/accounts/login/applicant"' in form.text  # the tabs do not carry it either
        answer = await post_sign_in(client, "unit", code, PASSWORD, next=unsafe)
        assert answer.headers["location"] == "/applications/unit"


async def test_next_survives_a_refused_sign_in_and_the_tabs_without_credentials_in_any_address(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        _, code, _ = await registered_unit(client, world.bus)
        form = await client.get("/accounts/login/unit", params={"next": DEEP_LINK})
        assert hidden_next(form.text) == DEEP_LINK
        for tab in ("unit", "applicant", "clerk"):
            assert f'href="/accounts/login/{tab}?next={DEEP_LINK}"' in form.text
        assert f'href="/accounts/reset?next={DEEP_LINK}"' in form.text
        choice = await client.get("/accounts/login", params={"next": DEEP_LINK})
        assert f'href="/accounts/login/applicant?next={DEEP_LINK}"' in choice.text
        assert f'href="/accounts/activate?next={DEEP_LINK}"' in choice.text

        refused = await post_sign_in(client, "unit", code, "Not-The-Password-1", next=DEEP_LINK)
        assert refused.status_code == 422
        assert hidden_next(refused.text) == DEEP_LINK
        assert "Not-The-Password-1" not in refused.text
        answer = await post_sign_in(client, "unit", code, PASSWORD, next=DEEP_LINK)
        assert answer.headers["location"] == DEEP_LINK
        assert PASSWORD not in answer.headers["location"] and code not in answer.headers["location"]


async def test_activation_and_reset_forms_carry_next_to_the_sign_in_they_end_on(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        for path in ("/accounts/activate", "/accounts/reset"):
            form = await client.get(path, params={"next": DEEP_LINK})
            assert hidden_next(form.text) == DEEP_LINK, path
            unsafe = await client.get(path, params={"next": "//evil.example"})
            assert hidden_next(unsafe.text) is None, path


@pytest.mark.parametrize(
    ("lang", "login_message", "password_message"),
    [
        ("zh-CN", "请输入统一社会信用代码。", "请输入密码。"),
        ("en", "Enter the unified social credit code.", "Enter the password."),
    ],
)
async def test_empty_sign_in_fields_are_named_at_the_field_and_in_the_summary_not_taken_for_wrong_ones(
    infra: Any, tmp_path: Path, lang: str, login_message: str, password_message: str
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        client.cookies.set("jifen_lang", lang)
        both = await post_sign_in(client, "unit", "  ", "", next=DEEP_LINK)
        assert both.status_code == 422
        html = both.text
        summary = html[html.index("jf-error-summary") : html.index("</form>")]
        assert (
            f'href="#login">{login_message}' in summary and f'href="#password">{password_message}' in summary
        )
        assert re.search(rf'id="login-error"[^>]*>.*?{re.escape(login_message)}', html, re.S)
        assert re.search(rf'id="password-error"[^>]*>.*?{re.escape(password_message)}', html, re.S)
        assert "登录信息不正确" not in html and "sign-in details are not right" not in html
        assert hidden_next(html) == DEEP_LINK
        only_password = await post_sign_in(client, "unit", "91310115MA1DEM007D", "")
        assert 'id="password-error"' in only_password.text and 'id="login-error"' not in only_password.text
        assert value_of_login(only_password.text) == "91310115MA1DEM007D"


def value_of_login(html: str) -> str | None:
    found = re.search(r'<input[^>]*\bname="login"[^>]*\bvalue="([^"]*)"', html)
    return found.group(1) if found else None


async def test_accounts_pages_opened_without_a_session_send_the_browser_to_sign_in_and_the_api_answers_401(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        for path, login in (
            ("/accounts/unit?page=2", "/accounts/login/unit"),
            ("/accounts/me", "/accounts/login/applicant"),
            ("/accounts/clerks", "/accounts/login/clerk"),
            ("/accounts/password", "/accounts/login"),  # every account has one: the user chooses
        ):
            answer = await client.get(path, headers=PAGE, follow_redirects=False)
            assert answer.status_code == 303, path
            assert (
                answer.headers["location"] == f"{login}?next={path.replace('?', '%3F').replace('=', '%3D')}"
            )
        api = await client.get("/api/accounts/me", headers=PAGE, follow_redirects=False)
        assert api.status_code == 401
        assert api.headers["content-type"].startswith("application/problem+json")
