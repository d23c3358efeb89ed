"""Each service boots as a real process (``python -m services.<name> web``) against the real
PostgreSQL and Kafka, reports live and ready, renders a page, and stops cleanly on SIGTERM."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from deploy.testing import Infra
from shared.contracts.topics import SERVICES

REPO = Path(__file__).resolve().parents[2]
BOOT_TIMEOUT_SECONDS = 120.0
"""Four services importing and connecting at once on a loaded 2-core machine can take a minute."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningService:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start(name: str, infra: Infra, log_dir: Path) -> RunningService:
    port = free_port()
    env = {
        **os.environ,
        **infra.env,
        f"JIFEN_{name.upper()}_PORT": str(port),
        f"JIFEN_{name.upper()}_DB_USER": infra.db(name).user,
        f"JIFEN_{name.upper()}_DB_PASSWORD": infra.db(name).password,
        "JIFEN_JWT_PUBLIC_KEY_FILE": str(infra.jwt_public_key_file),
        "JIFEN_CSRF_SECRET_FILE": str(log_dir / f"csrf-{name}.key"),
    }
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}", "web"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return RunningService(name, process, f"http://127.0.0.1:{port}", log_path)


def wait_until_live(service: RunningService) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            pytest.fail(f"{service.name} exited with {service.process.returncode}:\n{service.log()}")
        try:
            if httpx.get(f"{service.base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{service.name} did not come up in {BOOT_TIMEOUT_SECONDS}s:\n{service.log()}")


@pytest.fixture(scope="module")
def services(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningService]]:
    log_dir = tmp_path_factory.mktemp("services")
    running = {name: start(name, infra, log_dir) for name in SERVICES}
    try:
        for service in running.values():
            wait_until_live(service)
        yield running
    finally:
        for service in running.values():
            if service.process.poll() is None:
                service.process.send_signal(signal.SIGTERM)
        for service in running.values():
            try:
                service.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait()


@pytest.mark.parametrize("name", SERVICES)
def test_the_service_is_live_and_ready(infra: Infra, services: dict[str, RunningService], name: str) -> None:
    service = services[name]
    assert httpx.get(f"{service.base_url}/healthz").json() == {"status": "ok", "service": name}
    ready = httpx.get(f"{service.base_url}/readyz", timeout=10.0)
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["kafka"]["ok"]
    # the service's own role, on its own schema
    assert checks["postgres"] == {**checks["postgres"], "ok": True, "detail": f"{infra.db(name).user}@{name}"}


@pytest.mark.parametrize("name", SERVICES)
def test_the_service_renders_a_page_and_its_api_info(services: dict[str, RunningService], name: str) -> None:
    service = services[name]
    page = httpx.get(
        f"{service.base_url}/{name}/", headers={"Accept-Language": "zh-CN", "X-Request-Id": "boot-1"}
    )
    assert page.status_code == 200
    assert "上海居住证积分申请系统" in page.text
    assert page.headers["x-request-id"] == "boot-1"
    assert httpx.get(f"{service.base_url}/api/{name}/").json()["service"] == name
    assert httpx.get(f"{service.base_url}/api/{name}/schema/openapi.json").status_code == 200


def test_the_services_log_json_lines_with_the_request_id(services: dict[str, RunningService]) -> None:
    service = services["accounts"]
    httpx.get(f"{service.base_url}/accounts/", headers={"X-Request-Id": "boot-log-check"})
    deadline = time.monotonic() + 5
    while "boot-log-check" not in service.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [json.loads(line) for line in service.log().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("request_id") == "boot-log-check"]
    assert access and access[0]["service"] == "accounts"
    assert all("password" not in line["message"].lower() for line in lines)


def test_a_null_byte_in_a_path_is_a_400_on_the_service_port(services: dict[str, RunningService]) -> None:
    """Issue 8 (8): it was an unhandled 500 ("embedded null byte") from the static files."""
    service = services["documents"]
    response = httpx.get(f"{service.base_url}/documents/static/css/%00jifen.css")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "null byte" not in service.log()


def test_the_service_port_refuses_oversized_headers(services: dict[str, RunningService]) -> None:
    """Issue 8 (8): 1.3 MB of headers were read and accepted."""
    service = services["applications"]
    normal = httpx.get(f"{service.base_url}/healthz", headers={"X-Fill": "a" * 16_000})
    assert normal.status_code == 200
    with socket.create_connection(("127.0.0.1", int(service.base_url.rsplit(":", 1)[1])), timeout=10) as sock:
        with contextlib.suppress(ConnectionError):  # it may stop reading once the limit is passed
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fill: " + b"a" * 1_300_000 + b"\r\n\r\n")
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 400 "), answer


def test_sigterm_stops_a_service_cleanly(infra: Infra, tmp_path: Path) -> None:
    service = start("documents", infra, tmp_path)
    try:
        wait_until_live(service)
        service.process.send_signal(signal.SIGTERM)
        assert service.process.wait(timeout=15) == 0, service.log()
    finally:
        if service.process.poll() is None:
            service.process.kill()
            service.process.wait()
    assert "service stopped" in service.log()
