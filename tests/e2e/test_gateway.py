"""The nginx gateway in front of the four services: one origin, routes, headers, limits, problems.

Runs against the whole stack as ``deploy/run.sh`` starts it (see ``conftest.stack``).
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import httpx
import pytest

from deploy.common import run_dir
from deploy.stack import service_running
from shared.contracts.topics import SERVICES
from tests.e2e.conftest import E2E_CODE_BURST


@pytest.fixture(scope="module")
def client(stack: str) -> httpx.Client:
    return httpx.Client(base_url=stack, timeout=10, follow_redirects=False)


def test_the_root_redirects_to_the_portal_home(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["location"].endswith("/accounts/")


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_serves_pages_and_json_through_the_one_origin(
    client: httpx.Client, service: str
) -> None:
    page = client.get(f"/{service}/", follow_redirects=True)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    info = client.get(f"/api/{service}/")
    assert info.status_code == 200
    assert info.json()["service"] == service
    schema = client.get(f"/api/{service}/schema/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")


def test_every_response_carries_the_security_headers_and_a_request_id(client: httpx.Client) -> None:
    for path in ("/accounts/", "/api/applications/", "/api/review/no-such-thing"):
        response = client.get(path)
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert len(headers["x-request-id"]) >= 16, path


def test_a_client_chosen_request_id_is_replaced_and_logged_apart(client: httpx.Client) -> None:
    """Issue 8 (4): the gateway's id correlates the logs; the client's is only ``client_request_id``."""
    chosen = f"e2e-client-{uuid.uuid4().hex[:12]}"
    response = client.get("/api/documents/", headers={"X-Request-Id": chosen, "X-Correlation-Id": chosen})
    request_id = response.headers["x-request-id"]
    assert request_id != chosen
    lines = wait_for_log_lines(run_dir() / "nginx" / "logs" / "access.log", request_id)
    assert [line["client_request_id"] for line in lines] == [chosen]


def wait_for_log_lines(log: Path, request_id: str) -> list[dict[str, object]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        found = [line for line in lines if line.get("request_id") == request_id]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no line with request id {request_id} in {log}")


def test_no_log_of_the_stack_holds_the_query_string_referer_or_user_agent(client: httpx.Client) -> None:
    """Issue 8 (1): the probe's request, and every log file of the stack scanned afterwards."""
    id_number, password = "11010519491231002X", "pr0be-passw0rd"
    jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJwcm9iZSJ9.cHJvYmUtc2lnbmF0dXJl"
    query = f"?sfzh={id_number}&password={password}&token={jwt}"
    headers = {"Referer": f"http://x/?id={id_number}", "User-Agent": f"probe/{id_number}"}
    before = {log: log.stat().st_size for log in stack_logs()}
    for url in ("/api/accounts/", "/accounts/", "/api/no-such-service/", "/api/accounts/login"):
        client.get(url + query, headers=headers)
    client.post("/api/accounts/login" + query, headers=headers)
    time.sleep(0.5)
    logs = stack_logs()
    assert any(log.name == "access.log" for log in logs)
    for log in logs:
        with log.open("rb") as handle:
            handle.seek(before.get(log, 0))
            text = handle.read().decode(errors="replace")
        for secret in (id_number, password, jwt):
            assert secret not in text, log


def stack_logs() -> list[Path]:
    """Every log file of the stack (nginx, services, PostgreSQL, Kafka) under the run folder."""
    return [log for log in run_dir().rglob("*") if log.is_file() and log.suffix in (".log", ".out")]


def test_each_service_process_holds_only_its_own_secrets() -> None:
    """Issue 8 (3): read from /proc/<pid>/environ of every service the stack started."""
    environments = {}
    for service in SERVICES:
        pid = service_running(service)
        assert pid is not None, service
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        environments[service] = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
    password_variables = {service: f"JIFEN_{service.upper()}_DB_PASSWORD" for service in SERVICES}
    passwords = {service: env.get(password_variables[service]) for service, env in environments.items()}
    for service, env in environments.items():
        assert not {v for s, v in password_variables.items() if s != service} & set(env), service
        assert not {"JIFEN_ADMIN_DATABASE_URL", "DATABASE_URL", "JIFEN_PG_ADMIN_PASSWORD"} & set(env), service
        assert ("JIFEN_JWT_PRIVATE_KEY_FILE" in env) == (service == "accounts"), service
        assert passwords[service], service
        others = [p for s, p in passwords.items() if s != service and p]
        assert not any(other in env.values() for other in others), service


def test_an_unknown_api_path_is_a_problem_document_not_a_stack_trace(client: httpx.Client) -> None:
    response = client.get("/api/applications/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 404 and problem["title"]
    assert "Traceback" not in response.text


def test_an_oversized_body_is_refused_at_the_gateway(client: httpx.Client) -> None:
    response = client.post("/api/applications/", content=b"x" * (3 * 1024 * 1024))
    assert response.status_code == 413


def test_password_reset_requests_are_rate_limited_per_address(client: httpx.Client) -> None:
    tries = 3 * E2E_CODE_BURST  # far more than the burst, faster than the rate refills it
    statuses = [client.post("/api/accounts/password-reset", json={}).status_code for _ in range(tries)]
    assert 429 in statuses, statuses
    assert statuses[0] != 429, "the first request goes through"
