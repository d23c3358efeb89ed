"""The demo data and the portal around it, on the whole stack through the gateway.

``python -m deploy.demo`` (what ``deploy/run.sh`` runs once the services are healthy) is run twice on
the running stack: the first run leaves every demo state in place (its cross-service events have
flowed: unit approval review → accounts, submission → review, approval → documents), the second
finds everything and stores not one event more. Then, in Chromium with the demo's sign-ins: the
portal home for a visitor in Chinese and English, each kind of user sent from ``/`` to their own
home with the navigation their role (and a clerk's duties) gives and the current section marked,
the design system kept out of the navigation, and one sign-out, without JavaScript, that ends the
session on every service's pages.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.testing import Infra
from shared.demo import (
    APPLICANTS,
    CLERKS,
    DEMO_PASSWORD,
    DEMO_UNIT,
    PENDING_UNIT,
    DemoApplicant,
    Stage,
)
from shared.kernel.application_status import ApplicationStatus
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import REPO

pytestmark = pytest.mark.browser

SERVICES = ("accounts", "applications", "review", "documents")
SEED_TIMEOUT_S = 600
EXPECTED_STATUS = {
    Stage.DRAFT: ApplicationStatus.DRAFT,
    Stage.COMPLETED: ApplicationStatus.COMPLETED,
    Stage.SUBMITTED: ApplicationStatus.AWAITING_ACCEPTANCE,
    Stage.ACCEPTED: ApplicationStatus.AWAITING_APPROVAL,
    Stage.APPROVED: ApplicationStatus.APPROVED,
}


def run_demo(infra: Infra) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "deploy.demo", "--timeout", "300"],
        cwd=REPO,
        env={**os.environ, **infra.env},
        capture_output=True,
        text=True,
        timeout=SEED_TIMEOUT_S,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def fetch(infra: Infra, sql: str, *args: object) -> list[asyncpg.Record]:
    async def go() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(infra.admin_dsn)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(go())


def stored_events(infra: Infra) -> dict[str, int]:
    return {
        service: fetch(infra, f"SELECT count(*) AS n FROM {service}.{service}_events")[0]["n"]
        for service in SERVICES
    }


def application_of(infra: Infra, person: DemoApplicant) -> asyncpg.Record:
    rows = fetch(
        infra,
        "SELECT a.status, a.documents FROM applications.list_applications a"
        " JOIN applications.list_applicants p USING (applicant_id) WHERE p.id_number_masked = $1",
        person.id_number_masked,
    )
    assert len(rows) == 1, f"{person.name} has {len(rows)} applications"
    return rows[0]


@pytest.fixture(scope="module")
def demo(stack: str, infra: Infra) -> str:
    """The demo seeded once (by this module or an earlier run on the same servers)."""
    return run_demo(infra)


def test_seeding_the_demo_leaves_every_state_and_a_second_run_stores_no_event(
    demo: str, infra: Infra
) -> None:
    for person in APPLICANTS:
        row = application_of(infra, person)
        assert row["status"] == EXPECTED_STATUS[person.stage].value, person.name
        assert ("points_notice" in row["documents"]) == (person.stage is Stage.APPROVED), person.name
        at_the_centre = person.stage not in (Stage.DRAFT, Stage.COMPLETED)
        assert ("application_form" in row["documents"]) == at_the_centre, person.name
    units = {
        r["credit_code"]: r["state"]
        for r in fetch(infra, "SELECT credit_code, state FROM review.review_units")
    }
    assert units[DEMO_UNIT.credit_code] == "approved"
    assert units[PENDING_UNIT.credit_code] == "pending"
    clerks = fetch(infra, "SELECT username, district, duties FROM review.review_clerks")
    known = {r["username"]: (r["district"], set(r["duties"])) for r in clerks}
    for clerk in CLERKS:
        assert known[clerk.username] == (clerk.district, {d.value for d in clerk.duties})

    before = stored_events(infra)
    again = run_demo(infra)
    assert stored_events(infra) == before
    for service in ("accounts", "review", "applications"):
        assert f"[seed-demo {service}] everything was there already; nothing created" in again
    assert DEMO_PASSWORD in again and DEMO_UNIT.credit_code in again and "Mail sink:" in again
    assert "JIFEN_OPENING_HOURS" in again


# ------------------------------------------------------------------------------------------ browser


def nav_texts(page: Page) -> list[str]:
    return [text.strip() for text in page.get_by_test_id("portal-nav").get_by_role("link").all_inner_texts()]


def current_section(page: Page) -> str:
    return page.get_by_test_id("portal-nav").locator("[aria-current=page]").inner_text().strip()


def sign_in(context: BrowserContext, stack: str, role: str, login: str) -> Page:
    page = context.new_page()
    page.goto(f"{stack}/accounts/login/{role}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_the_portal_home_tells_a_visitor_what_it_is_in_chinese_and_english(
    browser: Browser, stack: str, tmp_path: Path
) -> None:
    for locale, nav, hours, verify in (
        ("zh-CN", ["门户首页", "积分模拟打分器", "核验通知书", "登录"], "系统开放时间", "核验通知书"),
        (
            "en",
            ["Portal home", "Points simulator", "Verify a notice", "Sign in"],
            "Opening hours",
            "Verify a notice",
        ),
    ):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{stack}/")
        assert page.url == f"{stack}/accounts/", "the gateway sends / to the portal home"
        expect(page.locator("html")).to_have_attribute("lang", locale)
        assert nav_texts(page) == nav
        assert current_section(page) == nav[0]
        expect(page.locator("#opening-hours")).to_have_text(hours)
        expect(page.get_by_role("main").get_by_role("link", name=verify)).to_have_attribute(
            "href", "/documents/verify"
        )
        expect(page.get_by_role("main").locator("a[href='/applications/simulator']")).to_be_visible()
        for role in ("unit", "applicant", "clerk"):
            expect(page.get_by_role("main").locator(f"a[href='/accounts/login/{role}']")).to_be_visible()
        assert page.get_by_test_id("portal-nav").locator("a[href='/accounts/design-system']").count() == 0
        page.screenshot(path=str(tmp_path / f"portal-home-{locale}.png"), full_page=True)
        assert_accessible(page, f"portal home ({locale})")
        context.close()


@pytest.mark.parametrize(
    ("role", "login", "home", "nav", "current"),
    [
        (
            "unit",
            DEMO_UNIT.credit_code,
            "/applications/unit",
            ["积分申请", "单位账户", "积分模拟打分器", "核验通知书"],
            "积分申请",
        ),
        (
            "unit",
            PENDING_UNIT.credit_code,
            "/accounts/unit",
            ["积分申请", "单位账户", "积分模拟打分器", "核验通知书"],
            "单位账户",
        ),
        (
            "applicant",
            APPLICANTS[-1].id_number,
            "/applications/mine",
            ["我的申请", "我的账户", "积分模拟打分器"],
            "我的申请",
        ),
        (
            "clerk",
            "pd-accept",
            "/review/",
            ["工作台", "等待受理", "申请撤销", "单位注册审核", "密码重置", "工作人员", "我的账户"],
            "工作台",
        ),
        ("clerk", "pd-approve", "/review/", ["工作台", "等待审批", "工作人员", "我的账户"], "工作台"),
        ("clerk", "xh-admin", "/review/", ["工作台", "账号管理", "工作人员", "我的账户"], "工作台"),
    ],
    ids=["approved-unit", "pending-unit", "applicant", "acceptance-clerk", "approval-clerk", "administrator"],
)
def test_each_signed_in_user_is_sent_home_with_the_navigation_of_their_role(
    browser: Browser,
    stack: str,
    demo: str,
    tmp_path: Path,
    role: str,
    login: str,
    home: str,
    nav: list[str],
    current: str,
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = sign_in(context, stack, role, login)
    expect(page).to_have_url(f"{stack}{home}")  # signing in goes where the portal home sends the user
    page.goto(f"{stack}/")
    assert page.url == f"{stack}{home}"
    assert nav_texts(page) == nav
    assert current_section(page) == current
    assert "设计系统" not in nav_texts(page)
    page.screenshot(path=str(tmp_path / f"home-{role}-{login[:9]}.png"))
    assert_accessible(page, f"{role} home")
    # An application opened from the home is in the home's section of the navigation.
    opened = page.get_by_role("main").locator("a[href^='/applications/'][href*='-']")
    if home.startswith("/applications/"):  # the demo unit and applicant have applications
        opened.first.click()
        expect(page).to_have_url(re.compile(r"/applications/[0-9a-f-]{36}$"))
        assert current_section(page) == current
    # Every section of the navigation opens, and is then the one marked current.
    for text in nav:
        page.get_by_test_id("portal-nav").get_by_role("link", name=text, exact=True).click()
        expect(page.get_by_test_id("portal-nav").locator("[aria-current=page]")).to_have_text(text)
    context.close()


def test_one_sign_out_without_javascript_ends_the_session_on_every_service(
    browser: Browser, stack: str, demo: str, tmp_path: Path
) -> None:
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = sign_in(context, stack, "clerk", "pd-accept")
    for address in ("/review/", "/accounts/clerk", "/applications/simulator", "/documents/verify"):
        page.goto(f"{stack}{address}")
        expect(page.get_by_test_id("sign-out")).to_be_visible()
    page.goto(f"{stack}/review/cases?queue=acceptance")
    assert current_section(page) == "等待受理"
    page.get_by_test_id("sign-out").click()
    assert page.url == f"{stack}/accounts/?signed_out=1"
    expect(page.get_by_test_id("flash")).to_contain_text("您已退出登录。")
    page.screenshot(path=str(tmp_path / "signed-out.png"), full_page=True)
    assert not any(c["name"] == "jifen_session" for c in context.cookies())
    for address in ("/review/", "/applications/simulator", "/documents/verify", "/accounts/"):
        page.goto(f"{stack}{address}")
        expect(page.get_by_test_id("sign-out")).to_have_count(0)
        assert "登录" in nav_texts(page), address
    page.goto(f"{stack}/review/cases?queue=acceptance")
    expect(page.get_by_role("heading", name="等待受理")).to_have_count(0)
    context.close()


def test_a_page_the_router_does_not_know_shows_the_signed_in_users_navigation_and_sign_out(
    browser: Browser, stack: str, demo: str
) -> None:
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = sign_in(context, stack, "applicant", APPLICANTS[-1].id_number)
    answer = page.goto(f"{stack}/applications/not-a-uuid")
    assert answer is not None and answer.status == 404
    assert nav_texts(page) == ["我的申请", "我的账户", "积分模拟打分器"]
    page.get_by_test_id("sign-out").click()  # its form carries a CSRF token that works
    expect(page).to_have_url(f"{stack}/accounts/?signed_out=1")
    context.close()


def test_an_applicant_page_opened_without_a_session_signs_in_on_the_applicant_tab_and_comes_back(
    browser: Browser, stack: str, demo: str
) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{stack}/applications/mine?from=mail")
    assert page.url == f"{stack}/accounts/login/applicant?next=/applications/mine%3Ffrom%3Dmail"
    page.fill("input[name=login]", APPLICANTS[-1].id_number)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{stack}/applications/mine?from=mail")
    context.close()
