"""Browser journey on the portal home through the nginx gateway, in the system Chromium.

The whole stack runs as ``deploy/run.sh`` starts it (see ``conftest.stack``). The journey: open the
portal in Chinese, use the skip link from the keyboard, switch to English and back, check HTMX and the
CSS load from the app itself, that no request leaves 127.0.0.1, that the gateway's Content-Security-
Policy raises no console errors, and that the page works without JavaScript.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import E2E_OPENING_HOURS_LABEL, Recorder

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal_url(stack: str) -> str:
    return f"{stack}/accounts/"


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
    expect(page.get_by_text(f"每日 {E2E_OPENING_HOURS_LABEL}", exact=True)).to_be_visible()
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
    assert_accessible(page, "portal home (zh-CN)")

    # Switch to English; the choice is remembered on the next page.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Apply online for Shanghai residence permit points"
    )
    expect(page.get_by_test_id("skip-link")).to_have_text("Skip to main content")
    assert any(c["name"] == "jifen_lang" and c["value"] == "en" for c in context.cookies())
    # The design system is for developers: linked from their page, not from the navigation.
    assert page.get_by_test_id("portal-nav").get_by_role("link", name="Design system").count() == 0
    page.get_by_role("contentinfo").get_by_role("link", name="For developers").click()
    page.locator("a[href='/accounts/design-system']").click()
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
