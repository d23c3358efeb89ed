"""Browser journey on the portal home, in the system Chromium (never a downloaded one).

A real ``python -m services.accounts web`` process serves the pages (no PostgreSQL or Kafka needed:
the read pool connects lazily). The journey: open the portal in Chinese, use the skip link from the
keyboard, switch to English and back, check HTMX and the CSS load from the app itself, that no
request leaves 127.0.0.1, that the CSP raises no console errors, and that the page works without
JavaScript.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    run_dir = tmp_path_factory.mktemp("e2e-run")
    port = free_port()
    env = {
        **os.environ,
        "JIFEN_ACCOUNTS_PORT": str(port),
        "JIFEN_RUN_DIR": str(run_dir),
        "JIFEN_LOG_LEVEL": "WARNING",
    }
    log_path = run_dir / "accounts.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.accounts", "web"], cwd=REPO, env=env, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"accounts did not start:\n{log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield f"{base}/accounts/"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """Every request the page makes and every console error it logs."""

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


def test_portal_home_skip_link_and_language_switch(browser: Browser, portal_url: str, tmp_path: Path) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorder = Recorder(page)

    page.goto(portal_url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title("上海居住证积分申请系统")
    expect(page.get_by_role("heading", level=1)).to_have_text("上海市居住证积分网上申请")
    expect(page.get_by_role("button", name="单位登录")).to_be_visible()
    expect(page.get_by_role("button", name="个人登录")).to_be_visible()
    expect(page.get_by_role("button", name="工作人员登录")).to_be_visible()
    expect(page.locator("#opening-hours")).to_be_visible()
    expect(page.get_by_text("每日 8:00–22:00", exact=True)).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object", "htmx is served by the app and loaded"

    # The skip link is the first thing the keyboard reaches, shows on focus and moves focus to main.
    skip = page.get_by_test_id("skip-link")
    assert not skip.is_visible() or (skip.bounding_box() or {"x": -1})["x"] < 0
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳至主要内容")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.screenshot(path=str(tmp_path / "portal-zh.png"), full_page=True)

    # Switch to English; the choice is remembered on the next page.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Apply online for Shanghai residence permit points"
    )
    expect(page.get_by_test_id("skip-link")).to_have_text("Skip to main content")
    assert any(c["name"] == "jifen_lang" and c["value"] == "en" for c in context.cookies())
    page.get_by_role("link", name="Design system").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Design system")
    page.screenshot(path=str(tmp_path / "design-system-en.png"), full_page=True)

    # And back to Chinese.
    page.get_by_test_id("lang-zh-CN").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("设计系统")
    page.goto(portal_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("上海市居住证积分网上申请")

    assert recorder.hosts == {"127.0.0.1"}, f"requests left 127.0.0.1: {recorder.hosts}"
    assert not recorder.failed, recorder.failed
    assert not recorder.console_errors, recorder.console_errors
    context.close()


def test_the_portal_works_without_javascript(browser: Browser, portal_url: str) -> None:
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url)
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Unit sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit sign in")
    context.close()
