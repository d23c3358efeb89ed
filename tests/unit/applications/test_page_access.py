"""Who reaches the application pages. They resolve their caller themselves (``http/access.py``), so
this checks every one of them: nobody signed in goes to the sign-in page of the page's role (of the
roles of a page both use, the one last seen, else the page that lets the user choose) and comes back
to the page; a clerk (or anyone but the unit and the applicant) is refused with 403; the
unit's own pages refuse the applicant; the JSON API answers 401 and 403 the platform's way."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.applications.app import create_app
from services.applications.http.form_pages import router as form_pages
from services.applications.http.pages import router as pages
from shared.kernel.roles import Role
from shared.platform.auth import (
    TokenIssuer,
    TokenVerifier,
    generate_keypair,
    load_private_key,
    load_public_key,
)
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings
from tests.unit.applications.builders import AT, UNIT_ID

pytestmark = pytest.mark.anyio

PRIVATE, PUBLIC = generate_keypair()
ISSUER = TokenIssuer(load_private_key(PRIVATE), clock=lambda: AT)
APPLICATION = uuid.uuid4()


def token(role: Role) -> str:
    if role is Role.CLERK:
        return ISSUER.issue(account_id="clerk-1", role=role, district="310115").token
    return ISSUER.issue(account_id=str(uuid.uuid4()), role=role, unit_id=str(UNIT_ID)).token


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(
        Settings(service="applications", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(load_public_key(PUBLIC), clock=lambda: AT),
        csrf_secret="s" * 32,
        open_db_pool=False,
        readiness_checks={},
        clock=lambda: AT,
        state={"db_pool": None},  # no PostgreSQL here: every page decides who may see it first
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def page_paths(method: str) -> list[str]:
    """Every path of the application pages answering ``method`` (ids filled in)."""
    found = []
    for router in (pages, form_pages):
        for route in router.routes:
            if method in getattr(route, "methods", ()) and route.path.rstrip("/") != "/applications":
                path = route.path.replace("{application_id:uuid}", str(APPLICATION))
                found.append(path.replace("{applicant_id:uuid}", str(uuid.uuid4())))
    return sorted(set(found))


def only_for(path: str) -> str | None:
    """The one role a page serves (the unit's pages, the applicant's own), None for the pages both use."""
    if path.startswith("/applications/unit") or path.endswith(("/submit", "/return")):
        return "unit"
    if path.startswith("/applications/mine"):
        return "applicant"
    return None


@pytest.mark.parametrize("path", page_paths("GET"))
async def test_nobody_signed_in_is_sent_to_the_sign_in_page_of_the_pages_role_and_back(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    answer = await client.get(f"{path}?page=2", follow_redirects=False)
    assert answer.status_code == 303
    role = only_for(path)
    login = f"/accounts/login/{role}" if role else "/accounts/login"  # both use it: the user chooses
    assert answer.headers["location"] == f"{login}?next={path}%3Fpage%3D2"


@pytest.mark.parametrize("path", page_paths("GET"))
@pytest.mark.parametrize("last_used", ["unit", "applicant"])
async def test_the_role_this_browser_last_used_chooses_the_tab_only_among_the_pages_roles(
    client: AsyncTestClient[Litestar], path: str, last_used: str
) -> None:
    client.cookies.set("jifen_signed_in_role", last_used)
    answer = await client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/accounts/login/{only_for(path) or last_used}?next={path}"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_clerk_is_refused_on_every_application_page(
    client: AsyncTestClient[Litestar], method: str
) -> None:
    client.cookies.set("jifen_session", token(Role.CLERK))
    for path in page_paths(method):
        answer = await client.request(
            method, path, headers={"x-csrftoken": await csrf(client)}, follow_redirects=False
        )
        assert answer.status_code == 403, path


async def test_the_units_own_pages_refuse_the_applicant(client: AsyncTestClient[Litestar]) -> None:
    client.cookies.set("jifen_session", token(Role.APPLICANT))
    for path in (
        "/applications/unit",
        f"/applications/{APPLICATION}/submit",
        f"/applications/{APPLICATION}/return",
    ):
        assert (await client.get(path)).status_code == 403, path
    assert (await client.get("/applications/", follow_redirects=False)).headers[
        "location"
    ] == "/applications/mine"


async def test_the_api_declares_its_roles_the_platforms_way(client: AsyncTestClient[Litestar]) -> None:
    url = f"/api/applications/applications/{APPLICATION}"
    assert (await client.get(url)).status_code == 401
    clerk = {"Authorization": f"Bearer {token(Role.CLERK)}"}
    assert (await client.get(url, headers=clerk)).status_code == 403
    unit = {"Authorization": f"Bearer {token(Role.UNIT)}"}
    missing: Any = (await client.get(url, headers=unit)).json()
    assert missing["type"] == "urn:jifen:problem:not-found"  # nobody's application: a 404 that says nothing


async def csrf(client: AsyncTestClient[Litestar]) -> str:
    await client.get("/applications/simulator")
    return str(client.cookies.get("jifen_csrf", ""))
