"""The nginx gateway in front of the four services: one origin, routes, headers, limits, problems.

Runs against the whole stack as ``deploy/run.sh`` starts it (see ``conftest.stack``).
"""

from __future__ import annotations

import httpx
import pytest

from shared.contracts.topics import SERVICES


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


def test_a_well_formed_incoming_request_id_is_kept_end_to_end(client: httpx.Client) -> None:
    request_id = "e2e-0123456789abcdef"
    response = client.get("/api/documents/", headers={"X-Request-Id": request_id})
    assert response.headers["x-request-id"] == request_id


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
    statuses = [client.post("/api/accounts/password-reset", json={}).status_code for _ in range(25)]
    assert 429 in statuses, statuses
    assert statuses[0] != 429, "the first request goes through"
