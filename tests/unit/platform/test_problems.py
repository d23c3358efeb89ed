"""Every error a service returns is an RFC 9457 problem (application/problem+json), in zh-CN or English."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest
from litestar import Litestar, get, post
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.params import JSONBody, QueryParameter
from litestar.testing import AsyncTestClient
from pydantic import BaseModel, Field

from shared.kernel.errors import FieldError, NotPermitted, NotVisible, StateConflict, ValidationFailed
from shared.kernel.text import Text
from shared.platform.auth import TokenVerifier
from shared.platform.problems import DEFAULT_ERROR_MAP, PROBLEM_MEDIA_TYPE, ProblemKind
from shared.platform.settings import Settings
from shared.platform.web import create_service_app

pytestmark = pytest.mark.anyio


class Claim(BaseModel):
    name: str = Field(min_length=2)
    years: int = Field(ge=0, le=60)


@post("/api/accounts/claims", exclude_from_auth=True)
async def create_claim(data: JSONBody[Claim]) -> dict[str, str]:
    return {"name": data.name}


@dataclass(frozen=True)
class Period:
    months: int


@dataclass(frozen=True)
class Submission:
    """A dataclass body (decoded by msgspec, not pydantic)."""

    based_on_version: int
    periods: list[Period] | None = None


@post("/api/accounts/submissions", exclude_from_auth=True)
async def submit(data: Submission) -> dict[str, int]:
    return {"version": data.based_on_version}


@get("/api/accounts/pages", exclude_from_auth=True)
async def pages(page: Annotated[int, QueryParameter(ge=1)] = 1) -> dict[str, int]:
    return {"page": page}


@get("/api/accounts/rule", exclude_from_auth=True)
async def rule() -> None:
    raise ValidationFailed(
        [FieldError("level", "education.choice", Text("请选择学历", "Choose a level"), section="education")],
        Text("学历填写有误", "The education section has a problem"),
    )


@get("/api/accounts/conflict", exclude_from_auth=True)
async def conflict() -> None:
    raise StateConflict(Text("申请已提交，不能修改", "The application was submitted"), code="editing_locked")


class StaleCopy(StateConflict):
    def details(self) -> dict[str, Any]:
        return {"current_version": 7, "code": "not this one"}


@get("/api/accounts/stale", exclude_from_auth=True)
async def stale() -> None:
    raise StaleCopy(Text("已被他人修改", "Changed by someone else"), code="copy.stale")


@get("/api/accounts/someone-elses", exclude_from_auth=True)
async def someone_elses() -> None:
    raise NotVisible(Text("未找到该申请", "No such application"))


@get("/api/accounts/not-my-duty", exclude_from_auth=True)
async def not_my_duty() -> None:
    raise NotPermitted(Text("您没有审批职责", "You may not approve"))


class UnitNotApproved(StateConflict):
    """A service's own error class, answered as its service definition says."""


@get("/api/accounts/pending-unit", exclude_from_auth=True)
async def pending_unit() -> None:
    raise UnitNotApproved(Text("单位尚未审核通过", "The unit is not approved yet"), code="unit.not_approved")


@get("/api/accounts/throttled", exclude_from_auth=True)
async def throttled() -> None:
    raise TooManyRequestsException(headers={"Retry-After": "30"})


@get("/api/accounts/forbidden", exclude_from_auth=True)
async def forbidden() -> None:
    raise PermissionDeniedException("internal reason that must not leak")


@get("/api/accounts/boom", exclude_from_auth=True)
async def boom() -> None:
    raise RuntimeError("secret connection string postgresql://jifen:hunter2@db/jifen")


@get("/api/accounts/needs-login")
async def needs_login() -> None:
    raise NotAuthorizedException()


@get("/accounts/page", exclude_from_auth=True)
async def page_handler() -> None:
    raise PermissionDeniedException()


def build_app(tmp_path: Path) -> Litestar:
    return create_service_app(
        Settings(service="accounts", run_dir=tmp_path),
        route_handlers=[
            create_claim,
            rule,
            conflict,
            stale,
            someone_elses,
            not_my_duty,
            pending_unit,
            throttled,
            forbidden,
            boom,
            needs_login,
            page_handler,
            submit,
            pages,
        ],
        error_map={**DEFAULT_ERROR_MAP, UnitNotApproved: ProblemKind(403, "forbidden")},
        token_verifier=TokenVerifier(None),
        csrf_secret="test-secret-" + "x" * 20,
        open_db_pool=False,
        readiness_checks={},
        max_body_size=1024,
    )


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=build_app(tmp_path)) as client:
        yield client


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:jifen:problem:{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_validation_errors_list_each_field_with_a_code_and_a_chinese_message(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.post("/api/accounts/claims", json={"name": "a", "years": "many"})
    body = assert_problem(response, 400, "validation-error")
    assert body["title"] == "提交的数据有误"
    assert {(e["field"], e["code"]) for e in body["errors"]} == {("name", "too_short"), ("years", "integer")}
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {"name": "至少需要 2 个字符", "years": "请输入整数"}


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ("{}", "based_on_version", "required"),
        ('{"based_on_version": "seven"}', "based_on_version", "integer"),
        ('{"based_on_version": 7, "periods": [{}]}', "periods.0.months", "required"),
        ('{"based_on_version": 7, "periods": [{"months": "x"}]}', "periods.0.months", "integer"),
        ("null", "body", "malformed"),
        ("", "body", "required"),
    ],
)
async def test_a_dataclass_body_s_errors_name_the_field_the_client_sent_never_the_handler_s_parameter(
    client: AsyncTestClient[Litestar], body: str, field: str, code: str
) -> None:
    response = await client.post(
        "/api/accounts/submissions", content=body, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 400, "validation-error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]


async def test_a_query_parameter_out_of_its_range_says_the_range_not_the_type(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/api/accounts/pages?page=0", headers={"Accept-Language": "en"})
    problem = assert_problem(response, 400, "validation-error")
    assert problem["errors"] == [
        {"field": "page", "code": "too_small", "message": "Enter a number of at least 1"}
    ]


async def test_validation_messages_follow_accept_language(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/accounts/claims", json={"years": 99}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    body = assert_problem(response, 400, "validation-error")
    assert body["title"] == "Invalid data"
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {"name": "This field is required", "years": "Enter a number no greater than 60"}
    assert response.headers["content-language"] == "en"


async def test_the_lang_cookie_wins_over_accept_language(client: AsyncTestClient[Litestar]) -> None:
    client.cookies.set("jifen_lang", "en")
    response = await client.post("/api/accounts/claims", json={}, headers={"Accept-Language": "zh-CN"})
    assert assert_problem(response, 400, "validation-error")["title"] == "Invalid data"


async def test_a_malformed_json_body_is_a_400_problem_not_a_500(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/accounts/claims", content=b'{"name": "ab",', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 400, "malformed-body")
    assert body["detail"] == "请求正文不是有效的 JSON。"


async def test_missing_credentials_are_a_401_problem_with_a_bearer_challenge(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/api/accounts/needs-login")
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_forbidden_is_a_403_problem_without_the_internal_reason(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/api/accounts/forbidden")
    body = assert_problem(response, 403, "forbidden")
    assert "internal reason" not in response.text
    assert body["detail"] == "您的账户无权执行此操作。"


async def test_unknown_paths_are_a_404_problem(client: AsyncTestClient[Litestar]) -> None:
    assert_problem(await client.get("/api/accounts/nothing-here"), 404, "not-found")


async def test_a_wrong_method_is_a_405_problem(client: AsyncTestClient[Litestar]) -> None:
    assert_problem(await client.delete("/api/accounts/claims"), 405, "method-not-allowed")


async def test_a_state_conflict_is_a_409_problem_with_the_reason_and_its_code(
    client: AsyncTestClient[Litestar],
) -> None:
    body = assert_problem(await client.get("/api/accounts/conflict"), 409, "conflict")
    assert body["detail"] == "申请已提交，不能修改"
    assert body["code"] == "editing_locked"
    english = await client.get("/api/accounts/conflict", headers={"Accept-Language": "en"})
    assert english.json()["detail"] == "The application was submitted"


async def test_a_refusal_s_details_travel_as_problem_members_beside_its_code(
    client: AsyncTestClient[Litestar],
) -> None:
    body = assert_problem(await client.get("/api/accounts/stale"), 409, "conflict")
    assert (body["code"], body["current_version"]) == ("copy.stale", 7)  # details never replace the code


async def test_what_the_caller_may_not_see_is_a_404_and_a_missing_duty_a_403(
    client: AsyncTestClient[Litestar],
) -> None:
    hidden = assert_problem(await client.get("/api/accounts/someone-elses"), 404, "not-found")
    assert hidden["code"] == "not_found"
    refused = assert_problem(await client.get("/api/accounts/not-my-duty"), 403, "forbidden")
    assert refused["detail"] == "您没有审批职责"


async def test_a_service_error_map_row_wins_over_the_kind_it_belongs_to(
    client: AsyncTestClient[Litestar],
) -> None:
    body = assert_problem(await client.get("/api/accounts/pending-unit"), 403, "forbidden")
    assert body["code"] == "unit.not_approved"


async def test_an_oversized_body_is_a_413_problem(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/accounts/claims",
        content=b'{"name": "' + b"x" * 4096 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload-too-large")


async def test_rule_violations_are_422_problems_with_every_field_error(
    client: AsyncTestClient[Litestar],
) -> None:
    body = assert_problem(await client.get("/api/accounts/rule"), 422, "validation-error")
    assert body["detail"] == "学历填写有误"
    assert body["errors"] == [
        {"field": "education.level", "code": "education.choice", "message": "请选择学历"}
    ]


async def test_throttling_is_a_429_problem_that_keeps_retry_after(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/accounts/throttled")
    assert_problem(response, 429, "too-many-requests")
    assert response.headers["retry-after"] == "30"


async def test_an_unhandled_exception_is_a_generic_500_problem_logged_with_the_request_id(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="jifen.problems"):
        response = await client.get("/api/accounts/boom", headers={"X-Request-Id": "req-500-test"})
    body = assert_problem(response, 500, "internal-error")
    assert body["request_id"] == "req-500-test"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert set(body) == {"type", "title", "status", "detail", "instance", "request_id"}
    [record] = [r for r in caplog.records if r.name == "jifen.problems"]
    assert record.request_id == "req-500-test"  # type: ignore[attr-defined]
    assert record.exc_info is not None


async def test_browsers_asking_for_a_page_get_an_html_error_page_with_the_same_status(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get(
        "/accounts/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "没有权限" in response.text
    assert response.headers["x-request-id"] in response.text


async def test_api_paths_answer_problem_json_even_to_browsers(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/accounts/nothing-here", headers={"Accept": "text/html"})
    assert_problem(response, 404, "not-found")
