"""The sign-in round trip every service's pages share (``shared.platform.signin``): a page visit
without a valid session is sent to the sign-in tab of the route's role and comes back; the JSON API,
HTMX fragments and posts keep their 401; ``next`` is only ever a local page of the portal; the error
pages show the navigation of who is signed in, even for a route the router refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar, get, post
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.platform.auth import (
    SESSION_COOKIE,
    TokenIssuer,
    TokenVerifier,
    generate_keypair,
    load_private_key,
    load_public_key,
)
from shared.platform.guards import requires_roles
from shared.platform.settings import Settings
from shared.platform.signin import (
    MAX_NEXT_LENGTH,
    SignInRequired,
    safe_next,
    sign_in_role,
    sign_in_url,
    with_next,
)
from shared.platform.web import create_service_app

pytestmark = pytest.mark.anyio

PRIVATE_PEM, PUBLIC_PEM = generate_keypair()
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ISSUER = TokenIssuer(load_private_key(PRIVATE_PEM), clock=lambda: NOW)
PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


# --------------------------------------------------------------------------- next


@pytest.mark.parametrize(
    "value",
    [
        "/applications/4f0c/check",
        "/review/cases/abc?queue=approval&page=2",
        "/accounts/unit",
        "/documents/applications/4f0c/notice",
        "/applications/simulator?q=http://example.org",  # a URL in the query is only data
    ],
)
def test_a_local_page_of_the_portal_is_a_safe_next(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "//evil.example",
        "//evil.example/accounts/",
        "https://evil.example/accounts/",
        "javascript:alert(1)",
        "/\\evil.example",
        "/%5Cevil.example",
        "\\\\evil.example",
        "/accounts/../x",
        "/accounts/%2e%2e/x",
        "/accounts/./unit",
        "/accounts//unit",
        "/accounts/unit\r\nSet-Cookie: x=1",
        "/accounts/unit%0d%0a",
        "/api/accounts/me",
        "/elsewhere",
        "/accounts",
        "accounts/unit",
        "/accounts/" + "a" * MAX_NEXT_LENGTH,
    ],
)
def test_anything_but_a_local_page_of_the_portal_is_not_a_next(value: str | None) -> None:
    assert safe_next(value) is None


def test_an_unsafe_next_is_left_off_the_sign_in_address() -> None:
    assert sign_in_url(Role.CLERK, "//evil.example") == "/accounts/login/clerk"
    assert sign_in_url(None, "/review/cases?queue=a") == "/accounts/login?next=/review/cases%3Fqueue%3Da"
    assert with_next("/accounts/login/applicant?activated=1", "/applications/mine") == (
        "/accounts/login/applicant?activated=1&next=/applications/mine"
    )


def test_a_page_of_one_role_signs_in_on_that_roles_tab_and_a_shared_page_lets_the_user_choose() -> None:
    assert sign_in_role({Role.CLERK}) is Role.CLERK
    assert sign_in_role(set(ACCOUNT_ROLES)) is None
    assert sign_in_role({Role.UNIT, Role.APPLICANT}, hint="applicant") is Role.APPLICANT
    assert sign_in_role({Role.UNIT, Role.APPLICANT}, hint="clerk") is None  # a hint outside the roles
    assert sign_in_role({Role.UNIT}, hint="applicant") is Role.UNIT


# --------------------------------------------------------------------------- a service's pages


@get("/review/cases/{case_id:str}", opt=requires_roles(Role.CLERK), sync_to_thread=False)
def case_page(case_id: FromPath[str]) -> str:
    return case_id


@get("/review/numbered/{number:int}", opt=requires_roles(Role.CLERK), sync_to_thread=False)
def numbered(number: FromPath[int]) -> int:
    return number


@get("/review/unit-page", opt=requires_roles(Role.UNIT), sync_to_thread=False)
def unit_page() -> str:
    return "unit"


@get("/review/anyone", opt=requires_roles(*ACCOUNT_ROLES), sync_to_thread=False)
def anyone_page() -> str:
    return "anyone"


@post("/review/cases/{case_id:str}", opt=requires_roles(Role.CLERK), sync_to_thread=False)
def case_decision(case_id: FromPath[str]) -> str:
    return case_id


@get("/review/cases/{case_id:str}/preview", exclude_from_auth=True, sync_to_thread=False)
def case_preview(case_id: FromPath[str]) -> str:
    """A fragment that finds its caller itself (as applications' pages do), naming its own address."""
    raise SignInRequired({Role.CLERK}, next_path=f"/review/cases/{case_id}/preview")


@get("/api/review/cases/{case_id:str}", opt=requires_roles(Role.CLERK), sync_to_thread=False)
def case_api(case_id: FromPath[str]) -> str:
    return case_id


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_service_app(
        Settings(service="review", run_dir=tmp_path),
        route_handlers=[case_page, numbered, unit_page, anyone_page, case_decision, case_preview, case_api],
        token_verifier=TokenVerifier(load_public_key(PUBLIC_PEM), clock=lambda: NOW),
        csrf_secret="test-secret-" + "x" * 20,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def clerk_token(ttl: timedelta | None = None) -> str:
    return ISSUER.issue(
        account_id="clerk-1", role=Role.CLERK, district="310115", duties=[Duty.ACCEPTANCE], ttl=ttl
    ).token


async def test_an_anonymous_page_visit_is_sent_to_the_sign_in_tab_of_the_routes_role_with_the_page(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.get("/review/cases/c-1?tab=materials", headers=PAGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/accounts/login/clerk?next=/review/cases/c-1%3Ftab%3Dmaterials"
    unit = await client.get("/review/unit-page", headers=PAGE, follow_redirects=False)
    assert unit.headers["location"] == "/accounts/login/unit?next=/review/unit-page"


async def test_a_page_every_role_may_open_sends_the_visitor_to_the_page_that_lets_them_choose(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.get("/review/anyone", headers=PAGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/accounts/login?next=/review/anyone"


async def test_a_browser_navigation_is_a_page_visit_whatever_it_accepts(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.get(
        "/review/cases/c-1", headers={"Accept": "*/*", "Sec-Fetch-Mode": "navigate"}, follow_redirects=False
    )
    assert answer.status_code == 303


async def test_an_expired_session_on_a_page_visit_is_sent_to_sign_in_too(
    client: AsyncTestClient[Litestar],
) -> None:
    client.cookies.set(SESSION_COOKIE, clerk_token(ttl=timedelta(seconds=-60)))
    answer = await client.get("/review/cases/c-1", headers=PAGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/accounts/login/clerk?next=")


async def test_the_api_keeps_answering_401(client: AsyncTestClient[Litestar]) -> None:
    api = await client.get("/api/review/cases/c-1", headers=PAGE, follow_redirects=False)
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/problem+json")
    assert "hx-redirect" not in api.headers
    machine = await client.get("/review/cases/c-1", headers={"Accept": "application/json"})
    assert machine.status_code == 401
    assert "hx-redirect" not in machine.headers


async def test_an_htmx_request_without_a_session_sends_the_whole_page_to_sign_in_and_back_to_it(
    client: AsyncTestClient[Litestar],
) -> None:
    shown = "http://testserver.local/review/cases/c-1?tab=materials"
    for answer in (
        await client.get(
            "/review/cases/c-1", headers={**PAGE, "HX-Request": "true", "HX-Current-URL": shown},
            follow_redirects=False,
        ),
        await client.post(
            "/review/cases/c-1", headers={**PAGE, "HX-Request": "true", "HX-Current-URL": shown},
            follow_redirects=False,
        ),
    ):
        assert answer.status_code == 401, answer.text  # not a 303 that HTMX would swap into the page
        back = "/accounts/login/clerk?next=/review/cases/c-1%3Ftab%3Dmaterials"
        assert answer.headers["hx-redirect"] == back
    preview = await client.get(
        "/review/cases/c-1/preview", headers={"HX-Request": "true", "HX-Current-URL": shown},
        follow_redirects=False,
    )
    assert preview.headers["hx-redirect"] == back  # the page shown, not the fragment's own address
    client.cookies.set(SESSION_COOKIE, clerk_token(ttl=timedelta(seconds=-60)))
    expired = await client.get(
        "/review/cases/c-1",
        headers={"HX-Request": "true", "HX-Current-URL": "http://evil.example/review/cases/c-1"},
        follow_redirects=False,
    )
    assert expired.headers["hx-redirect"] == "/accounts/login/clerk"  # another site is no way back


async def test_a_post_without_a_session_gets_a_401_page_whose_link_returns_to_the_form(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.post(
        "/review/cases/c-1",
        headers={**PAGE, "Referer": "http://testserver.local/review/cases/c-1?tab=decision"},
        follow_redirects=False,
    )
    assert answer.status_code == 401, answer.text
    assert 'href="/accounts/login/clerk?next=/review/cases/c-1%3Ftab%3Ddecision"' in answer.text
    assert "#sign-in" not in answer.text
    elsewhere = await client.post(
        "/review/cases/c-1",
        headers={
            **PAGE,
            "Origin": "http://testserver.local",
            "Referer": "http://evil.example/review/cases/c-1",
        },
    )
    assert elsewhere.status_code == 401, elsewhere.text
    assert 'href="/accounts/login/clerk"' in elsewhere.text  # another site's page is no return address


async def test_a_signed_in_user_of_another_role_is_refused_not_sent_to_sign_in(
    client: AsyncTestClient[Litestar],
) -> None:
    client.cookies.set(SESSION_COOKIE, ISSUER.issue(account_id="u-1", role=Role.UNIT, unit_id="u-1").token)
    answer = await client.get("/review/cases/c-1", headers=PAGE, follow_redirects=False)
    assert answer.status_code == 403


async def test_a_route_the_router_refuses_shows_the_navigation_of_who_is_signed_in(
    client: AsyncTestClient[Litestar],
) -> None:
    anonymous = await client.get("/review/numbered/not-a-number", headers=PAGE)
    assert anonymous.status_code == 404
    assert 'href="/accounts/login"' in anonymous.text and 'data-testid="sign-out"' not in anonymous.text
    client.cookies.set(SESSION_COOKIE, clerk_token())
    signed_in = await client.get("/review/numbered/not-a-number", headers=PAGE)
    assert signed_in.status_code == 404
    assert 'href="/review/cases?queue=acceptance"' in signed_in.text
    assert 'href="/accounts/login"' not in signed_in.text
    assert 'data-testid="sign-out"' in signed_in.text


async def test_the_sign_out_form_on_an_error_page_carries_a_csrf_token_that_works(
    client: AsyncTestClient[Litestar],
) -> None:
    client.cookies.set(SESSION_COOKIE, clerk_token())
    missing = await client.get("/review/numbered/not-a-number", headers=PAGE)
    token = missing.text.split('name="_csrf_token" value="')[1].split('"')[0]
    assert token
    out = await client.post("/review/sign-out", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303, out.text
