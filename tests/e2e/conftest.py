"""End-to-end fixtures: the whole stack started by the README's own run command, and the system Chromium.

``stack`` runs ``python -m deploy.stack up --strict`` (what ``deploy/run.sh`` runs after setup) as a
child process: nginx and the four services on top of the PostgreSQL and Kafka the ``infra`` fixture
provides. It yields the portal URL the command prints, and after the last test of ``tests/e2e`` (package
scope: the services must not keep running -- and holding their relays' advisory locks -- while the
integration and fault tests run) sends Ctrl-C (SIGINT) and checks the command stopped what it started
and exited 0. Servers already running are reused, not stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

from deploy.testing import Infra

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STACK_START_TIMEOUT_S = 150
E2E_OPENING_HOURS = "00:00-23:59:59"
"""Browser journeys write at any hour of a CI run; the portal's 08:00-22:00 rule itself is tested with
an injected clock (the variable is how a deployment, and the demo, changes the hours)."""
E2E_OPENING_HOURS_LABEL = "0:00–23:59"
PORTAL_LINE = "Jifen portal: "


class RunningStack:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.output: list[str] = []
        self.portal = threading.Event()
        self.url = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if line.startswith(PORTAL_LINE):
                self.url = line.removeprefix(PORTAL_LINE).strip()
                self.portal.set()
        self.portal.set()

    def log(self) -> str:
        return "".join(self.output[-60:])


E2E_CODE_RATE = "120r/m"
E2E_CODE_BURST = 20


def start_stack(infra: Infra) -> RunningStack:
    """``python -m deploy.stack up --strict`` as a child process, open at any hour (also the journey
    benchmark's stack)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.stack", "up", "--strict"],
        cwd=REPO,
        env={
            **os.environ,
            **infra.env,
            "JIFEN_LOG_LEVEL": "WARNING",
            "JIFEN_OPENING_HOURS": E2E_OPENING_HOURS,
            # The browser tests make their own data; test_demo_seed seeds the demo (twice) itself.
            "JIFEN_DEMO": "0",
            # Every test reaches the gateway from 127.0.0.1, so they share one bucket per limit: at the
            # production rate of the code routes (10/min) a test that proves the limit (test_gateway)
            # leaves the next test's activation refused for a minute. Here the bucket refills in
            # seconds; the limit itself is the same mechanism (test_gateway, test_gateway_rules).
            "JIFEN_GATEWAY_CODE_RATE": E2E_CODE_RATE,
            "JIFEN_GATEWAY_CODE_BURST": str(E2E_CODE_BURST),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return RunningStack(process)


@pytest.fixture(scope="package")
def stack(infra: Infra) -> Iterator[str]:
    running = start_stack(infra)
    process = running.process
    try:
        running.portal.wait(STACK_START_TIMEOUT_S)
        if not running.url:
            pytest.fail(f"the stack did not print the portal URL:\n{running.log()}", pytrace=False)
        yield running.url.rstrip("/")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"the stack did not stop on Ctrl-C:\n{running.log()}", pytrace=False)
    assert process.returncode == 0, running.log()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread while open,
    which would break later tests that call ``asyncio.run``."""
    if not CHROMIUM.exists():
        pytest.skip("needs the system Chromium at /usr/bin/chromium (deploy/setup.sh installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """Every host the page requests, every failed response and every console error it logs."""

    def __init__(self, page: Page) -> None:
        self.hosts: set[str] = set()
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _on_request(self, request: Request) -> None:
        self.hosts.add(urlsplit(request.url).hostname or request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)
