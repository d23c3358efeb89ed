"""The service app factory: request ids, JSON logs, CSRF, health, OpenAPI, static files, pages."""

from __future__ import annotations

import importlib
import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import pytest
from litestar import Litestar, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.testing import AsyncTestClient

from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.moments import SHANGHAI
from shared.kernel.roles import Role
from shared.platform.auth import TokenVerifier
from shared.platform.kit import MEMORY
from shared.platform.logging import build_handler, mask_sensitive
from shared.platform.opening_hours import OpeningHours, within_opening_hours
from shared.platform.settings import Settings
from shared.platform.web import CSRF_COOKIE, SHARED_STATIC, create_service_app

pytestmark = pytest.mark.anyio

ID_NUMBER = "31010119900307123X"
AT_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
AT_NIGHT = datetime(2026, 3, 2, 22, 0, tzinfo=SHANGHAI)

app_logger = logging.getLogger("jifen.test.handler")


@post("/accounts/form", exclude_from_auth=True, guards=[within_opening_hours])
async def form_post(
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> dict[str, str]:
    return {"name": data.get("name", "")}


@get("/accounts/form", exclude_from_auth=True)
async def form_page() -> dict[str, str]:
    """Stands in for a page: a GET under /accounts/ hands out the CSRF cookie."""
    return {"form": "here"}


@get("/api/accounts/log-something", exclude_from_auth=True)
async def log_something() -> dict[str, str]:
    app_logger.info(
        "applicant %s signed in with Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
        ID_NUMBER,
        extra={"note": f"id {ID_NUMBER}"},
    )
    return {"ok": "yes"}


@post("/api/accounts/things", exclude_from_auth=True)
async def api_post() -> dict[str, str]:
    return {"created": "yes"}


def build(tmp_path: Path, *, clock: Any = lambda: AT_NOON, checks: Any = None) -> Litestar:
    return create_service_app(
        Settings(service="accounts", run_dir=tmp_path),
        route_handlers=[form_page, form_post, log_something, api_post],
        token_verifier=TokenVerifier(None),
        csrf_secret="c" * 32,
        clock=clock,
        open_db_pool=False,
        readiness_checks={} if checks is None else checks,
    )


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=build(tmp_path)) as client:
        yield client


# --------------------------------------------------------------------------- request ids


async def test_a_request_id_is_generated_when_none_is_given(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_the_gateway_request_id_is_echoed(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "0f5e2c1d9a8b4c3e"})
    assert response.headers["x-request-id"] == "0f5e2c1d9a8b4c3e"


async def test_a_malformed_request_id_is_replaced(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "x" * 200})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_router_and_middleware_errors_carry_the_request_id_too(
    client: AsyncTestClient[Litestar],
) -> None:
    not_found = await client.get("/accounts/none", headers={"X-Request-Id": "rid-404"})
    assert not_found.headers["x-request-id"] == "rid-404"
    assert not_found.json()["request_id"] == "rid-404"
    unauthenticated = await client.get("/api/accounts/schema-not", headers={"X-Request-Id": "rid-401"})
    assert unauthenticated.headers["x-request-id"] == "rid-401"


async def test_the_language_cookie_survives_other_odd_cookies(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get(
        "/api/accounts/none", headers={"Cookie": 'tracker="a,b"; x=[1]; jifen_lang=en'}
    )
    assert response.json()["title"] == "Page not found"


# --------------------------------------------------------------------------- logging


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = build_handler("accounts", stream)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def log_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_logs_are_one_json_object_per_line_with_the_request_context(
    client: AsyncTestClient[Litestar], log_stream: io.StringIO
) -> None:
    await client.get(
        "/api/accounts/log-something", headers={"X-Request-Id": "rid-log-1", "X-Correlation-Id": "corr-9"}
    )
    lines = log_lines(log_stream)
    handler_line = next(line for line in lines if line["logger"] == "jifen.test.handler")
    for key in ("time", "level", "service", "request_id", "correlation_id", "message"):
        assert key in handler_line
    assert handler_line["level"] == "INFO"
    assert handler_line["service"] == "accounts"
    assert handler_line["request_id"] == "rid-log-1"
    assert handler_line["correlation_id"] == "rid-log-1"
    datetime.fromisoformat(handler_line["time"])
    access = next(line for line in lines if line["logger"] == "jifen.access")
    assert access["request_id"] == "rid-log-1"
    assert access["status"] == 200
    assert access["path"] == "/api/accounts/log-something"


async def test_a_client_chosen_id_is_logged_apart_and_never_correlates(
    client: AsyncTestClient[Litestar], log_stream: io.StringIO
) -> None:
    """Issue 8 (4): X-Correlation-Id comes from clients only (the gateway drops it); the id a client
    sent is the gateway's X-Client-Request-Id, kept as ``client_request_id`` in the access line."""
    await client.get(
        "/api/accounts/log-something",
        headers={
            "X-Request-Id": "rid-gateway-1",
            "X-Correlation-Id": "corr-chosen-by-client",
            "X-Client-Request-Id": "client-chosen-1",
        },
    )
    lines = log_lines(log_stream)
    assert "corr-chosen-by-client" not in log_stream.getvalue()
    handler_line = next(line for line in lines if line["logger"] == "jifen.test.handler")
    assert handler_line["correlation_id"] == "rid-gateway-1"
    access = next(line for line in lines if line["logger"] == "jifen.access")
    assert access["client_request_id"] == "client-chosen-1"


async def test_id_numbers_and_tokens_never_reach_the_log(
    client: AsyncTestClient[Litestar], log_stream: io.StringIO
) -> None:
    await client.get("/api/accounts/log-something")
    text = log_stream.getvalue()
    assert ID_NUMBER not in text
    assert "eyJhbGciOiJFZERTQSJ9" not in text
    line = next(line for line in log_lines(log_stream) if line["logger"] == "jifen.test.handler")
    assert "310***********123X" in line["message"]
    assert "[redacted" in line["message"]
    assert line["note"] == "id 310***********123X"


def test_masking_keeps_other_numbers_intact() -> None:
    assert mask_sensitive(f"id={ID_NUMBER};") == "id=310***********123X;"
    assert mask_sensitive("310101199003071234") == "310***********1234"
    assert mask_sensitive("order 1234567890123456789012") == "order 1234567890123456789012"
    assert mask_sensitive("phone 13800138000") == "phone 13800138000"
    assert mask_sensitive("Authorization: Bearer abc.def.ghi") == "Authorization: Bearer [redacted]"


def test_tracebacks_are_masked_too(log_stream: io.StringIO) -> None:
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        logging.getLogger("jifen.test").exception("failed")
    [line] = log_lines(log_stream)
    assert ID_NUMBER not in line["exc"]
    assert "ValueError" in line["exc"]


def test_structured_extras_are_masked_too(log_stream: io.StringIO) -> None:
    """``extra`` values that are not strings (dicts, lists, exceptions, numbers) are rendered into
    the JSON line as well, so they must be masked like the message."""
    jwt_like = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    logging.getLogger("jifen.test").warning(
        "lookup",
        extra={
            "form": {"id_number": ID_NUMBER, "headers": [("authorization", f"Bearer {jwt_like}")]},
            "numbers": [310101199003071234],
            "error": ValueError(f"no person {ID_NUMBER}"),
            "raw": ID_NUMBER.encode(),
        },
    )
    text = log_stream.getvalue()
    assert ID_NUMBER not in text and "310101199003071234" not in text and jwt_like not in text
    [line] = log_lines(log_stream)
    assert line["form"]["id_number"] == "310***********123X"
    assert line["error"] == "no person 310***********123X"


def test_id_numbers_glued_to_letters_are_masked() -> None:
    assert mask_sensitive(f"sfzh{ID_NUMBER}") == "sfzh310***********123X"
    assert mask_sensitive(f"ID{ID_NUMBER}x") == "ID310***********123Xx"


# --------------------------------------------------------------------------- CSRF


async def test_a_form_post_without_the_csrf_token_is_refused(client: AsyncTestClient[Litestar]) -> None:
    await client.get("/accounts/form")  # any page GET hands out the CSRF cookie
    response = await client.post("/accounts/form", data={"name": "张三"})
    assert response.status_code == 403
    assert response.json()["type"] == "urn:jifen:problem:csrf-failed"


async def test_a_form_post_with_the_csrf_token_from_the_cookie_is_accepted(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await client.get("/accounts/form")
    cookie_header = first.headers["set-cookie"]
    assert "Path=/accounts/" in cookie_header
    token = client.cookies[CSRF_COOKIE]
    response = await client.post("/accounts/form", data={"name": "张三", "_csrf_token": token})
    assert response.status_code == 201, response.text
    assert response.json() == {"name": "张三"}
    htmx_style = await client.post("/accounts/form", data={"name": "李四"}, headers={"x-csrftoken": token})
    assert htmx_style.status_code == 201


async def test_a_forged_csrf_token_is_refused(client: AsyncTestClient[Litestar]) -> None:
    await client.get("/accounts/form")
    response = await client.post("/accounts/form", data={"name": "x", "_csrf_token": "f" * 128})
    assert response.status_code == 403


async def test_the_bearer_only_json_api_needs_no_csrf_token(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.post("/api/accounts/things")).status_code == 201


# --------------------------------------------------------------------------- opening hours


async def test_portal_writes_are_refused_outside_opening_hours(tmp_path: Path) -> None:
    async with AsyncTestClient(app=build(tmp_path, clock=lambda: AT_NIGHT)) as night:
        await night.get("/accounts/form")
        token = night.cookies[CSRF_COOKIE]
        response = await night.post(
            "/accounts/form", data={"_csrf_token": token}, headers={"Accept-Language": "en"}
        )
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == "urn:jifen:problem:outside-opening-hours"
    assert "8:00–22:00" in body["detail"]


def test_opening_hours_close_at_22_00_shanghai_time() -> None:
    hours = OpeningHours.parse("08:00-22:00")
    assert hours.is_open(datetime(2026, 3, 2, 21, 59, tzinfo=SHANGHAI))
    assert not hours.is_open(datetime(2026, 3, 2, 22, 0, tzinfo=SHANGHAI))
    assert not hours.is_open(datetime(2026, 3, 2, 7, 59, tzinfo=SHANGHAI))
    assert hours.is_open(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # 08:00 in Shanghai
    assert hours.label() == "8:00–22:00"


# --------------------------------------------------------------------------- health


async def test_liveness_touches_nothing(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "accounts"}


async def test_readiness_is_a_503_problem_naming_the_failed_check(tmp_path: Path) -> None:
    async def ok(state: State, settings: Settings) -> str:
        return "fine"

    async def broken(state: State, settings: Settings) -> str:
        raise ConnectionRefusedError("password=hunter2")

    async with AsyncTestClient(app=build(tmp_path, checks={"postgres": ok, "kafka": broken})) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "urn:jifen:problem:not-ready"
    assert body["checks"]["postgres"]["ok"] is True
    assert body["checks"]["kafka"]["ok"] is False
    assert "hunter2" not in response.text


async def test_readiness_without_a_database_pool_is_not_ready(tmp_path: Path) -> None:
    from shared.platform.health import check_postgres

    async with AsyncTestClient(app=build(tmp_path, checks={"postgres": check_postgres})) as client:
        assert (await client.get("/readyz")).status_code == 503


# --------------------------------------------------------------------------- OpenAPI and static files


async def test_openapi_is_served_per_service_without_pages_or_probes(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/api/accounts/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Jifen accounts API"
    assert "/api/accounts" in schema["paths"]
    assert not any(path.startswith(("/healthz", "/readyz", "/accounts/static")) for path in schema["paths"])
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert "cdn" not in response.text.lower()


async def test_the_info_endpoint_reports_name_and_version(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/accounts/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.json()["service"] == "accounts"
    assert response.json()["version"]
    assert response.json()["name"] == "Shanghai Residence Permit Points Application System"


async def test_shared_static_files_are_served_under_the_service_prefix(
    client: AsyncTestClient[Litestar],
) -> None:
    css = await client.get("/accounts/static/css/jifen.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    htmx = await client.get("/accounts/static/vendor/htmx.min.js")
    assert htmx.status_code == 200
    assert htmx.content == (SHARED_STATIC / "vendor" / "htmx.min.js").read_bytes()


def test_the_vendored_htmx_matches_the_recorded_npm_version() -> None:
    package = json.loads((Path(__file__).resolve().parents[3] / "package.json").read_text())
    version = package["devDependencies"]["htmx.org"]
    assert f'version:"{version}"' in (SHARED_STATIC / "vendor" / "htmx.min.js").read_text()


# --------------------------------------------------------------------------- the services' pages


@pytest.mark.parametrize("service", ["accounts", "applications", "review", "documents"])
async def test_each_service_renders_its_page_and_info_endpoint(service: str, tmp_path: Path) -> None:
    create_app = importlib.import_module(f"services.{service}.app").create_app
    app = create_app(
        Settings(service=service, run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="p" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        page = await client.get(f"/{service}/")
        info = await client.get(f"/api/{service}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "上海居住证积分申请系统" in page.text
    assert 'href="#main-content"' in page.text
    assert "content-security-policy" in page.headers
    assert f'src="/{service}/static/vendor/htmx.min.js"' in page.text
    assert not re.search(r"""(src|href)="(https?:)?//""", page.text), "no off-site assets"
    assert info.json()["service"] == service


def portal_app(tmp_path: Path) -> Litestar:
    """The accounts service's pages (portal, sign-in entry points, design system) at noon."""
    from services.accounts.app import create_app

    return create_app(
        Settings(service="accounts", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="p" * 32,
        open_db_pool=False,
        readiness_checks={},
        clock=lambda: AT_NOON,
    )


async def test_the_portal_home_shows_sign_in_entry_points_and_opening_hours(tmp_path: Path) -> None:
    async with AsyncTestClient(app=portal_app(tmp_path)) as client:
        zh = await client.get("/accounts/")
        en = await client.get("/accounts/?lang=en")
        remembered = await client.get("/accounts/")
        design = await client.get("/accounts/design-system")
    for href in (
        "/accounts/login/unit",
        "/accounts/login/applicant",
        "/accounts/login/clerk",
        "/applications/simulator",
    ):
        assert f'href="{href}"' in zh.text
    assert "8:00–22:00" in zh.text
    assert "系统现在开放" in zh.text
    assert '<html lang="zh-CN">' in zh.text
    assert '<html lang="en">' in en.text
    assert "Sign in" in en.text
    assert "jifen_lang=en" in en.headers["set-cookie"]
    assert '<html lang="en">' in remembered.text
    assert design.status_code == 200
    for component in ("jf-error-summary", "jf-task-list", "jf-summary-list", "jf-timeline", "jf-date-input"):
        assert component in design.text


async def test_a_form_post_from_another_origin_is_refused_even_with_a_valid_token(
    client: AsyncTestClient[Litestar],
) -> None:
    """Issue 8 (5): the double-submit token alone is not enough."""
    await client.get("/accounts/form")
    token = client.cookies[CSRF_COOKIE]
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver.local"},
        {"Referer": "https://evil.example/page"},
    ):
        response = await client.post("/accounts/form", data={"_csrf_token": token}, headers=headers)
        assert response.status_code == 403, headers
        assert response.json()["type"] == "urn:jifen:problem:csrf-failed", headers


async def test_a_form_post_from_the_portal_itself_is_accepted(client: AsyncTestClient[Litestar]) -> None:
    await client.get("/accounts/form")
    token = client.cookies[CSRF_COOKIE]
    for headers in (
        {"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"},  # settings.gateway_url
        {"Origin": "http://testserver.local"},  # the origin the request was sent to
        {"Referer": "http://127.0.0.1:8080/accounts/form"},
        {},  # not a browser: no Origin, no Referer (the token still decides)
    ):
        response = await client.post("/accounts/form", data={"_csrf_token": token}, headers=headers)
        assert response.status_code == 201, (headers, response.text)


async def test_the_json_api_stays_bearer_only_without_origin_checks(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.post("/api/accounts/things", headers={"Origin": "https://evil.example"})
    assert response.status_code == 201


async def test_secure_cookies_carry_the_host_prefix(tmp_path: Path) -> None:
    app = create_service_app(
        Settings(service="accounts", run_dir=tmp_path, cookie_secure=True),
        route_handlers=[form_page, form_post],
        token_verifier=TokenVerifier(None),
        csrf_secret="c" * 32,
        clock=lambda: AT_NOON,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as secure:
        first = await secure.get("/accounts/form")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("__Host-"), cookie
        assert "Secure" in cookie and "Path=/;" in cookie + ";" and "Domain" not in cookie
        name = cookie.split("=", 1)[0]
        response = await secure.post("/accounts/form", data={"_csrf_token": secure.cookies[name]})
    assert response.status_code == 201, response.text


# --------------------------------------------------------------------------- caching and odd requests


async def test_api_json_is_never_cached(client: AsyncTestClient[Litestar]) -> None:
    """Issue 8 (6): not only HTML pages."""
    for response in (await client.get("/api/accounts/"), await client.post("/api/accounts/things")):
        assert response.headers["cache-control"] == "no-store"


async def test_a_null_byte_in_a_path_is_a_400_problem(client: AsyncTestClient[Litestar]) -> None:
    """Issue 8 (8): not an unhandled 500 ("embedded null byte")."""
    for path in ("/accounts/static/css/%00jifen.css", "/accounts/static/%01", "/accounts/form?name=%00"):
        response = await client.get(path)
        assert response.status_code == 400, path
        assert response.json()["type"] == "urn:jifen:problem:bad-request"
    assert (await client.get("/accounts/form%00")).status_code == 404  # no such route: the router's 404


async def test_statuses_kinds_and_roles_show_the_kernel_labels_in_the_request_language(
    tmp_path: Path,
) -> None:
    async with AsyncTestClient(app=portal_app(tmp_path)) as client:
        zh = (await client.get("/accounts/design-system?lang=zh-CN")).text
        en = (await client.get("/accounts/design-system?lang=en")).text
    for label in [*(status.label for status in ApplicationStatus), ApplicationKind.NEW.label]:
        assert f">{label.zh}<" in zh and f">{label.en}<" not in zh
        assert f">{label.en}<" in en
    for role in (Role.APPLICANT, Role.UNIT, Role.SYSTEM):  # the timeline's bylines
        assert f"· {role.label.zh}" in zh and f"· {role.label.en}" in en


@pytest.mark.parametrize(
    ("role", "status"), [("unit", 200), ("applicant", 200), ("clerk", 200), ("person", 404), ("system", 404)]
)
async def test_each_account_role_has_a_sign_in_page(tmp_path: Path, role: str, status: int) -> None:
    async with AsyncTestClient(app=portal_app(tmp_path)) as client:
        assert (await client.get(f"/accounts/login/{role}")).status_code == status
