"""The gateway's own rules, on the real nginx with the real template, in front of a stub upstream that
echoes what it receives: what is logged, what is rate limited, which request id travels, and how nginx's
own errors look. (The whole stack behind the gateway is exercised in ``tests/e2e/test_gateway.py``.)

accounts, applications and review point at the stub; documents at a closed port (so it answers 502).
Rate limits are set to 3 requests of burst; each test client sends from its own loopback address
(127.0.0.x), so that every case gets its own bucket.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from deploy.common import port_open, private_dir_for
from deploy.gateway.gateway import GatewayPaths, nginx_binary, render, template_values
from tests.integration.test_services_boot import free_port

ID_NUMBER = "11010519491231002X"
PASSWORD = "hunter2-secret"
JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"
BURST = 3
TOO_MANY = BURST + 4


class EchoHandler(BaseHTTPRequestHandler):
    """Answers every method with the request it received as JSON; ``/api/accounts/slow`` sleeps 3 s."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        if self.path.startswith("/api/accounts/slow"):
            time.sleep(3)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = json.dumps({"method": self.command, "path": self.path, "headers": headers}).encode()
        with contextlib.suppress(ConnectionError):  # the gateway gave up on /slow already
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Gateway:
    url: str
    logs: Path
    port: int

    def client(self, address: str) -> httpx.Client:
        """A client that connects from ``address`` (its own rate-limit bucket)."""
        return httpx.Client(
            base_url=self.url,
            transport=httpx.HTTPTransport(local_address=address),
            timeout=10,
            follow_redirects=False,
        )

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.iterdir()) if p.is_file())

    def access_lines(self) -> list[dict[str, object]]:
        time.sleep(0.2)  # nginx writes the access line after the response
        text = (self.logs / "access.log").read_text()
        return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (deploy/setup.sh installs it)")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    stub = f"127.0.0.1:{upstream.server_address[1]}"
    base = tmp_path_factory.mktemp("gateway")
    paths = GatewayPaths(base=base, conf=base / "nginx.conf", pid_file=base / "nginx.pid", logs=base / "logs")
    paths.logs.mkdir()
    port = free_port()
    temp = private_dir_for("nobody", base / "tmp", "nginx-test")  # in /var/tmp when nobody cannot reach base
    values = {
        **template_values(paths, temp),
        "JIFEN_GATEWAY_LISTEN": f"127.0.0.1:{port}",
        "JIFEN_ACCOUNTS_UPSTREAM": stub,
        "JIFEN_APPLICATIONS_UPSTREAM": stub,
        "JIFEN_REVIEW_UPSTREAM": stub,
        "JIFEN_DOCUMENTS_UPSTREAM": f"127.0.0.1:{free_port()}",
        "JIFEN_GATEWAY_UPSTREAM_TIMEOUT": "1s",
    }
    for zone in ("LOGIN", "CODE", "PUBLIC", "RESET"):
        values[f"JIFEN_GATEWAY_{zone}_RATE"] = "1r/m"
        values[f"JIFEN_GATEWAY_{zone}_BURST"] = str(BURST)
    paths.conf.write_text(render(values))
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(base), "-c", str(paths.conf), "-e", str(paths.logs / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while not port_open(port):
            assert process.poll() is None, (paths.logs / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not open its port"
            time.sleep(0.05)
        yield Gateway(f"http://127.0.0.1:{port}", paths.logs, port)
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
        upstream.shutdown()
        shutil.rmtree(temp, ignore_errors=True)


_addresses = iter(range(10, 250))


def address() -> str:
    """A loopback address no other case of this module uses."""
    return f"127.0.0.{next(_addresses)}"


def burst_statuses(client: httpx.Client, method: str, path: str) -> list[int]:
    return [client.request(method, path, content=b"password=x").status_code for _ in range(TOO_MANY)]


# --------------------------------------------------------------------------- logs


def test_the_gateway_logs_hold_no_query_string_referer_or_user_agent(gateway: Gateway) -> None:
    """Issue 8 (1): not in the access log, not in the error log (rate limits, unreachable services)."""
    query = f"?sfzh={ID_NUMBER}&password={PASSWORD}&token={JWT}"
    headers = {"Referer": f"http://x/?id={ID_NUMBER}", "User-Agent": f"probe {ID_NUMBER} {JWT}"}
    with gateway.client(address()) as client:
        assert client.get(f"/api/accounts/{query}", headers=headers).status_code == 200
        assert client.get(f"/api/documents/{query}", headers=headers).status_code == 502
        assert client.get(f"/documents/{query}", headers=headers).status_code == 502
        statuses = [client.post(f"/api/accounts/login{query}", headers=headers).status_code for _ in range(6)]
        assert 429 in statuses
    text = gateway.log_text()
    for secret in (ID_NUMBER, PASSWORD, JWT, "sfzh="):
        assert secret not in text
    paths = {line["path"] for line in gateway.access_lines()}
    assert {"/api/accounts/", "/api/documents/", "/api/accounts/login"} <= paths


# --------------------------------------------------------------------------- rate limits

LIMITED = [
    ("POST", "/api/accounts/login"),
    ("POST", "/api/accounts/login/"),
    ("POST", "/api/accounts/LOGIN"),
    ("POST", "/api//accounts/login"),
    ("POST", "/api/accounts/%6Cogin"),
    ("POST", "/api/accounts/./login/"),
    ("POST", "/api/accounts/token"),
    ("POST", "/api/accounts/token/"),
    ("POST", "/accounts/login"),
    ("POST", "/accounts/login/unit"),
    ("POST", "/accounts/login/applicant/"),
    ("PUT", "/accounts//login/clerk"),
    ("POST", "/api/accounts/activate"),
    ("GET", "/accounts/activate/abc?code=123456"),
    ("POST", "/accounts/activation/"),
    ("POST", "/api/accounts/reset/confirm"),
    ("POST", "/accounts/reset-password"),
    ("POST", "/api/accounts/password-reset"),
    ("POST", "/accounts/password-reset/"),
    ("POST", "/api/applications/simulator"),
    ("GET", "/api/applications/simulator/score?age=30"),
    ("POST", "/applications/simulator/"),
    ("GET", "/documents/verify/ABC123"),
    ("GET", "/api/documents/verify/ABC123/"),
    ("GET", "/documents/Verify/abc"),
]


@pytest.mark.parametrize(("method", "path"), LIMITED, ids=[f"{m} {p}" for m, p in LIMITED])
def test_every_path_taking_a_password_or_a_code_is_rate_limited_however_spelled(
    gateway: Gateway, method: str, path: str
) -> None:
    with gateway.client(address()) as client:
        statuses = burst_statuses(client, method, path)
    assert statuses[0] != 429, statuses
    assert statuses[-1] == 429, statuses


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/accounts/login/unit"), ("POST", "/api/applications/"), ("POST", "/api/accounts/profile")],
)
def test_other_requests_are_not_rate_limited(gateway: Gateway, method: str, path: str) -> None:
    with gateway.client(address()) as client:
        assert 429 not in burst_statuses(client, method, path)


# --------------------------------------------------------------------------- request ids


def test_the_request_id_is_the_gateways_and_a_clients_is_kept_apart(gateway: Gateway) -> None:
    """Issue 8 (4): a client cannot choose the id that correlates the logs."""
    with gateway.client(address()) as client:
        response = client.get(
            "/api/applications/",
            headers={"X-Request-Id": "client-chosen-0001", "X-Correlation-Id": "corr-chosen-0002"},
        )
    received = response.json()["headers"]
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert received["x-request-id"] == request_id
    assert "x-correlation-id" not in received
    assert received["x-client-request-id"] == "client-chosen-0001"
    line = next(line for line in gateway.access_lines() if line["request_id"] == request_id)
    assert line["client_request_id"] == "client-chosen-0001"


def test_a_client_correlation_id_alone_is_kept_apart_too(gateway: Gateway) -> None:
    with gateway.client(address()) as client:
        response = client.get("/api/applications/", headers={"X-Correlation-Id": "corr-chosen-0003"})
    received = response.json()["headers"]
    assert received["x-request-id"] == response.headers["x-request-id"] != "corr-chosen-0003"
    assert "x-correlation-id" not in received
    assert received["x-client-request-id"] == "corr-chosen-0003"


def test_a_client_id_that_is_not_token_like_is_dropped(gateway: Gateway) -> None:
    with gateway.client(address()) as client:
        response = client.get("/api/applications/", headers={"X-Request-Id": 'a b" <script>'})
    assert "x-client-request-id" not in response.json()["headers"]


# --------------------------------------------------------------------------- nginx's own errors


def api_error(client: httpx.Client, status: int) -> httpx.Response:
    if status == 400:
        return client.get("/api/accounts/%GG")
    if status == 404:
        return client.get("/api/no-such-service/x")
    if status == 405:
        return client.request("TRACE", "/api/accounts/")
    if status == 413:
        return client.post("/api/accounts/upload", content=b"x" * (3 * 1024 * 1024))
    if status == 429:
        return [client.post("/api/accounts/login") for _ in range(TOO_MANY)][-1]
    if status == 431:  # nginx answers "request header too large" with 400
        return client.get("/api/accounts/", headers={"X-Big": "y" * 40_000})
    if status == 502:
        return client.get("/api/documents/")
    assert status == 504
    return client.get("/api/accounts/slow")


@pytest.mark.parametrize("status", [400, 404, 405, 413, 429, 431, 502, 504])
def test_errors_nginx_answers_under_api_are_problem_documents(gateway: Gateway, status: int) -> None:
    """Issue 8 (7): RFC 9457 problem details, not nginx's HTML."""
    with gateway.client(address()) as client:
        response = api_error(client, status)
    expected = 400 if status == 431 else status
    assert response.status_code == expected, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["cache-control"] == "no-store"
    problem = response.json()
    assert problem["status"] == expected
    assert problem["type"].startswith("urn:jifen:problem:") and problem["type"] != "urn:jifen:problem:error"
    assert problem["title"] and problem["detail"]
    assert problem["request_id"] == response.headers["x-request-id"]


def test_problem_documents_speak_the_clients_language(gateway: Gateway) -> None:
    with gateway.client(address()) as client:
        english = client.get("/api/no-such-service/", headers={"Accept-Language": "en-GB,en"}).json()
        chinese = client.get("/api/no-such-service/").json()
    assert english["title"] == "Page not found"
    assert chinese["title"] == "页面未找到"


@pytest.mark.parametrize(("path", "status"), [("/no-such-page", 404), ("/documents/", 502)])
def test_errors_nginx_answers_for_pages_stay_html(gateway: Gateway, path: str, status: int) -> None:
    with gateway.client(address()) as client:
        response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
