"""The steps of the whole journey through the gateway, as the three kinds of user take them in Chromium.

Everything runs on the stack ``deploy/run.sh`` starts (``conftest.stack``): the services' real schemas and
topics, so every name a step creates (credit codes, ID numbers, clerks' usernames) is new in each run.
Clerks come from accounts' own command (``create-admin``) and the administrator's clerk page. Each step
saves a full-page screenshot named by its number and step under ``.run/artifacts/journey/<test>/``, and
each page a step reaches is checked with axe-core.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.testing import Infra
from tests.e2e.accessibility import assert_accessible
from tests.support.accounts import PASSWORD, new_credit_code
from tests.support.identities import id_number
from tests.support.pdf import compact, page_images, pages_text, qr_codes

REPO = Path(__file__).resolve().parents[2]
DISTRICT = "310115"  # 浦东新区: the unit's district and its clerks'
ADMIN_USERNAME = "journey-admin"
ARTIFACTS = "artifacts/journey"


def artifacts_dir(infra: Infra, test_name: str) -> Path:
    """Where a test's screenshots go: ``.run/artifacts/journey/<test>/`` (emptied first)."""
    folder = infra.run_dir / ARTIFACTS / test_name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def new_person_id_number(born: date) -> str:
    """A valid ID number nobody in the system has yet (registered in 310104 徐汇区)."""
    return id_number(born, uuid.uuid4().int % 1000)


def is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def unique_suffix() -> str:
    return uuid.uuid4().hex[:8]


def eventually(check: Callable[[], bool], what: str, page: Page | None = None, timeout: float = 60) -> None:
    """Poll ``check`` (reloading ``page`` between tries) until it holds: events cross Kafka and the
    read models."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)
        if page is not None:
            page.reload()


@dataclass
class Clerk:
    username: str
    name: str
    duties: tuple[str, ...]


@dataclass
class Unit:
    credit_code: str
    name: str
    email: str
    password: str = PASSWORD


@dataclass
class Person:
    name: str
    id_number: str
    email: str
    born: date
    password: str = PASSWORD


@dataclass
class Journey:
    """The browser, the portal and the screenshot folder shared by a test's steps."""

    browser: Browser
    portal: str
    infra: Infra
    artifacts: Path
    check_accessibility: bool = True
    _step: int = 0
    contexts: list[BrowserContext] = field(default_factory=list)
    without_javascript: list[BrowserContext] = field(default_factory=list)

    # ------------------------------------------------------------------ plumbing

    def context(self, lang: str = "zh-CN", *, javascript: bool = True) -> BrowserContext:
        context = self.browser.new_context(
            locale=lang, viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        if lang == "en":
            context.add_cookies([{"name": "jifen_lang", "value": "en", "url": self.portal}])
        self.contexts.append(context)
        if not javascript:
            self.without_javascript.append(context)
        return context

    def page(self, lang: str = "zh-CN", *, javascript: bool = True) -> Page:
        return self.context(lang, javascript=javascript).new_page()

    def shot(self, page: Page, step: str, *, accessible: bool = True) -> None:
        """Screenshot ``page`` as the next numbered step, then check it with axe-core."""
        self._step += 1
        page.screenshot(path=str(self.artifacts / f"{self._step:02d}-{step}.png"), full_page=True)
        if accessible and self.check_accessibility:
            self.accessible(page, step)

    def accessible(self, page: Page, what: str) -> None:
        """axe-core on ``page``; a page shown without JavaScript is checked in a scripted copy."""
        if page.context not in self.without_javascript:
            assert_accessible(page, what)
            return
        checker = self.page(javascript=True)
        checker.context.add_cookies([{**c, "expires": c.get("expires", -1)} for c in page.context.cookies()])  # type: ignore[typeddict-item]
        checker.goto(page.url.split("#", 1)[0])
        assert_accessible(checker, what)
        checker.context.close()
        self.contexts.remove(checker.context)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()

    def url(self, path: str) -> str:
        return f"{self.portal}{path}"

    @contextmanager
    def signed_in_clerk(self, clerk: Clerk) -> Iterator[Page]:
        """A page of ``clerk``'s own browser, signed in, closed afterwards."""
        page = self.page()
        self.sign_in(page, "clerk", clerk.username, PASSWORD)
        try:
            yield page
        finally:
            page.context.close()
            self.contexts.remove(page.context)

    def tick_every_material(self, page: Page, step: str) -> None:
        for box in page.locator("input[name=materials]").all():
            box.check()
        self.shot(page, step)

    # ------------------------------------------------------------------ accounts

    def sign_in(self, page: Page, role: str, login: str, password: str) -> None:
        page.goto(self.url(f"/accounts/login/{role}"))
        page.fill("[name='login']", login)
        page.fill("[name='password']", password)
        page.locator("main form button[type='submit']").click()
        expect(page.locator(".jf-error-summary")).to_have_count(0)

    def administrator(self) -> tuple[str, str]:
        """The district's administrator, made by ``python -m services.accounts create-admin`` (a rerun
        changes nothing, so every test of every run can call it)."""
        password = "Jifen-Admin-2026!"
        done = subprocess.run(
            [
                sys.executable, "-m", "services.accounts", "create-admin",
                "--username", ADMIN_USERNAME, "--name", "浦东管理员", "--district", DISTRICT,
            ],
            cwd=REPO,
            env={**os.environ, **self.infra.env, "JIFEN_ADMIN_PASSWORD": password},
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return ADMIN_USERNAME, password

    def create_clerks(self, *wanted: tuple[str, tuple[str, ...]]) -> list[Clerk]:
        """The administrator signs in and creates each clerk (name, duty values) on /accounts/clerks/new."""
        admin, password = self.administrator()
        page = self.page()
        self.sign_in(page, "clerk", admin, password)
        made: list[Clerk] = []
        for name, duties in wanted:
            clerk = Clerk(f"clerk-{unique_suffix()}", name, duties)
            page.goto(self.url("/accounts/clerks/new"))
            page.fill("[name='username']", clerk.username)
            page.fill("[name='name']", clerk.name)
            for duty in duties:
                page.check(f"[name='duties'][value='{duty}']")
            page.fill("[name='password']", PASSWORD)
            page.fill("[name='password_confirm']", PASSWORD)
            if not made:
                self.shot(page, "admin-creates-a-clerk")
            page.locator("main form button[type='submit']").first.click()
            expect(page).to_have_url(re.compile(r"/accounts/clerks\?done=created"))  # (a list of 20 a page)
            made.append(clerk)
        page.context.close()
        self.contexts.remove(page.context)
        return made

    def register_unit(self, page: Page, name: str) -> Unit:
        code = new_credit_code(DISTRICT)
        unit = Unit(code, name, f"hr-{code[-8:].lower()}@example.com")
        page.goto(self.url("/accounts/register"))
        self.shot(page, "unit-registration-form")
        for field_name, value in {
            "credit_code": code,
            "unit_name": name,
            "address": "上海市浦东新区世纪大道100号",
            "hr_name": "王敏",
            "mobile": "13800138000",
            "email": unit.email,
            "password": unit.password,
            "password_confirm": unit.password,
        }.items():
            page.fill(f"[name='{field_name}']", value)
        page.select_option("[name='district']", DISTRICT)
        page.locator("main form button[type='submit']").click()
        expect(page.get_by_test_id("unit-status")).to_have_text("待审核")
        self.shot(page, "unit-registered-pending")
        return unit

    def approve_unit(self, clerk: Clerk, unit: Unit) -> None:
        """A clerk of the unit's district ticks the materials on review's unit page and approves."""
        with self.signed_in_clerk(clerk) as page:
            page.goto(self.url("/review/units"))
            link = page.get_by_role("link", name=unit.name)
            eventually(lambda: link.count() > 0, "the registration in the clerk's queue", page)
            self.shot(page, "clerk-unit-queue")
            link.click()
            expect(page.get_by_role("heading", level=1)).to_have_text(unit.name)
            self.tick_every_material(page, "clerk-unit-materials-ticked")
            page.get_by_role("button", name="审核通过").click()
            expect(page.locator(".jf-notification-banner")).to_contain_text("已审核通过")

    def create_applicant(self, unit_page: Page, name: str, born: date) -> Person:
        number = new_person_id_number(born)
        person = Person(name, number, f"person-{number[-8:].lower()}@example.com", born)
        unit_page.goto(self.url("/accounts/unit"))
        unit_page.goto(self.url("/accounts/unit/applicants/new"))
        unit_page.fill("[name='name']", name)
        unit_page.fill("[name='id_number']", number)
        unit_page.fill("[name='mobile']", "13900139000")
        unit_page.fill("[name='email']", person.email)
        self.shot(unit_page, "unit-creates-an-applicant")
        unit_page.locator("main form button[type='submit']").click()
        expect(unit_page.get_by_test_id("applicants")).to_contain_text(name)
        self.shot(unit_page, "unit-home-with-the-applicant")
        return person

    def mail_to(self, page: Page, address: str, kind: str = "激活码") -> str:
        """The code (``激活码`` or ``重置码``) in the newest such mail to ``address`` on the development
        mailbox page (newest first)."""
        page.goto(self.url("/accounts/dev/mail"))
        mail = (
            page.get_by_test_id("mail")
            .filter(has=page.get_by_test_id("mail-to").get_by_text(address))
            .filter(has_text=kind)
        )
        eventually(lambda: mail.count() > 0, f"a mail to {address}", page)
        self.shot(page, "mailbox")
        body = mail.first.get_by_test_id("mail-body").inner_text()
        found = re.search(rf"{kind}：([A-Z0-9]{{4}}-[A-Z0-9]{{4}})", body)
        assert found, body
        return found.group(1)

    def activate(self, page: Page, person: Person) -> None:
        code = self.mail_to(page, person.email)
        page.goto(self.url("/accounts/activate"))
        page.fill("[name='id_number']", person.id_number)
        page.fill("[name='code']", code)
        page.fill("[name='password']", person.password)
        page.fill("[name='password_confirm']", person.password)
        self.shot(page, "applicant-activation")
        page.locator("main form button[type='submit']").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/applicant\?activated=1"))
        self.sign_in(page, "applicant", person.id_number, person.password)


@contextmanager
def journey_of(
    browser: Browser, portal: str, infra: Infra, name: str, *, accessibility: bool = True
) -> Iterator[Journey]:
    """A journey whose screenshots go to ``.run/artifacts/journey/<name>/``; ``accessibility=False``
    skips axe-core on the way (for a test that repeats pages the main journey checks)."""
    journey = Journey(browser, portal, infra, artifacts_dir(infra, name), check_accessibility=accessibility)
    try:
        yield journey
    finally:
        journey.close()


# ---------------------------------------------------------------------- the application form

RESUME = [
    ("SCHOOL", (2008, 9), (2012, 6), "南京大学", "计算机"),
    ("WORK", (2012, 7), (2013, 6), "甲公司", "程序员"),
    ("WORK", (2013, 7), (2014, 6), "乙公司", "程序员"),
    ("UNEMPLOYED", (2014, 7), (2014, 9), "", ""),
    ("WORK", (2014, 10), (2016, 12), "丙公司", "工程师"),
    ("WORK", (2017, 1), (2018, 12), "丁公司", "工程师"),
    ("WORK", (2019, 1), (2020, 3), "戊公司", "高级工程师"),
    ("WORK", (2020, 4), (2024, 3), "己公司", "高级工程师"),
    ("WORK", (2024, 4), None, "上海浦江旅程软件有限公司", "软件工程师"),
]
"""Nine periods: more than 8, so the oldest (school) goes on the signed A4 sheet and 8 are online."""

SPOUSE_ID_NUMBER = id_number(date(1991, 8, 2), 246)
CHILD_ID_NUMBER = id_number(date(2019, 1, 9), 135)


def months_from(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class Hands:
    """How a user works the form pages: here with the mouse (Playwright's fill, check, click)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def fill(self, name: str, value: str) -> None:
        self.page.fill(f"[name='{name}']", value)

    def choose(self, name: str, value: str) -> None:
        self.page.check(f"[name='{name}'][value='{value}']")

    def tick(self, name: str) -> None:
        self.page.check(f"[name='{name}']")

    def select(self, name: str, value: str) -> None:
        self.page.select_option(f"[name='{name}']", value)

    def press(self, selector: str) -> None:
        self.page.locator(selector).click()

    def month(self, name: str, when: date) -> None:
        self.fill(f"{name}-year", str(when.year))
        self.fill(f"{name}-month", str(when.month))

    def day(self, name: str, when: date) -> None:
        self.month(name, when)
        self.fill(f"{name}-day", str(when.day))

    def save(self) -> None:
        """保存并继续 (the visible one: a hidden copy first in the form catches Enter in a text field)."""
        self.press("button[name='action'][value='save']:not([tabindex='-1'])")


class Keyboard(Hands):
    """The same, by keyboard alone: Tab (Shift+Tab when the field is behind) to each control, type,
    Space to tick, arrow keys to choose a radio or an option, Enter to press a button or follow a link.
    Where focus is, is read from the page; nothing is clicked."""

    LIMIT = 400

    def _focused(self, selector: str) -> bool:
        return bool(
            self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)
        )

    def focus(self, selector: str) -> None:
        """Tab forwards to the first control matching ``selector``; back with Shift+Tab if it is behind."""
        self.page.locator(selector).first.wait_for(state="attached")
        for key in ("Tab", "Shift+Tab"):
            for _ in range(self.LIMIT):
                if self._focused(selector):
                    return
                self.page.keyboard.press(key)
        raise AssertionError(f"the keyboard never reached {selector} on {self.page.url}")

    def fill(self, name: str, value: str) -> None:
        self.focus(f"[name='{name}']")
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(value)

    def choose(self, name: str, value: str) -> None:
        self.focus(f"[name='{name}']")
        for _ in range(20):
            if self._focused(f"[name='{name}'][value='{value}']"):
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no radio {name}={value} reached with the arrow keys")

    def tick(self, name: str) -> None:
        self.focus(f"[name='{name}']")
        if not self.page.locator(f"[name='{name}']").is_checked():
            self.page.keyboard.press("Space")

    def select(self, name: str, value: str) -> None:
        self.focus(f"[name='{name}']")
        self.page.keyboard.press("Home")
        control = self.page.locator(f"[name='{name}']")
        for _ in range(100):
            if control.input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"option {value} of {name} not reached with the arrow keys")

    def press(self, selector: str) -> None:
        """Enter on a button or link (each of them here posts or goes to another page)."""
        self.focus(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def start_application(journey: Journey, page: Page, hands: type[Hands] = Hands) -> str:
    """The applicant starts a new application on 我的积分申请; the overview's address."""
    page.goto(journey.url("/applications/mine"))
    start = page.locator("#start")
    eventually(lambda: start.count() > 0, "the applicant in the applications directory", page)
    journey.shot(page, "applicant-starts-an-application")
    hands(page).press("#start button[type='submit']")
    expect(page).to_have_url(re.compile(r"/applications/[0-9a-f-]{36}/pledge"))
    return page.url.rsplit("/", 1)[0]


def accept_pledge(journey: Journey, page: Page, overview: str, who: str, hands: type[Hands] = Hands) -> None:
    page.goto(f"{overview}/pledge")
    work = hands(page)
    work.tick("accept")
    journey.shot(page, f"{who}-pledge")
    work.press("main form button[type='submit']")
    expect(page.locator(".jf-error-summary")).to_have_count(0)


def fill_application(
    journey: Journey, page: Page, overview: str, person: Person, today: date, hands: type[Hands] = Hands
) -> None:
    """Every section, from 个人基本信息 to 减分项, with what a real applicant would give, following
    保存并继续 from page to page."""
    work = hands(page)
    page.goto(f"{overview}/personal-info")
    expect(page.locator("[name='name']")).to_have_value(person.name)  # prefilled from the registration
    work.choose("sex", "MALE" if is_male(person.id_number) else "FEMALE")
    work.select("ethnicity", "汉族")
    work.choose("marital_status", "MARRIED")
    work.fill("hukou_address", "江苏省南京市玄武区中山路1号")
    work.fill("shanghai_address", "上海市浦东新区张杨路500号")
    work.day("residence_permit_valid_from", months_from(today, -6))
    work.day("residence_permit_valid_until", months_from(today, 6))
    work.select("highest_education", "BACHELOR")
    work.fill("employment.post", "软件工程师")
    work.day("employment.contract_start", date(2024, 4, 1))
    work.tick("employment.open_ended")
    journey.shot(page, "personal-information")
    work.save()

    expect(page.locator("[name='entries.0.kind']").first).to_be_visible()
    for index, (kind, start, end, organisation, post) in enumerate(RESUME[1:]):
        if index:
            work.press("button[value='add:entries']")
        prefix = f"entries.{index}"
        work.choose(f"{prefix}.kind", kind)
        work.month(f"{prefix}.start_month", date(*start, 1))
        if end is not None:
            work.month(f"{prefix}.end_month", date(*end, 1))
        if organisation:
            work.fill(f"{prefix}.organisation", organisation)
            work.fill(f"{prefix}.post", post)
    expect(page.locator("#resume-full")).to_be_visible()
    work.tick("full_history_sheet_confirmed")
    journey.shot(page, "resume-more-than-eight")
    work.save()

    work.fill("spouse.name", "李娜")
    work.fill("spouse.id_number", SPOUSE_ID_NUMBER)
    work.fill("spouse.hukou_address", "上海市黄浦区南京东路100号")
    work.choose("spouse.has_shanghai_hukou", "yes")
    work.day("spouse.married_on", date(2017, 10, 1))
    work.press("button[value='add:children']")
    work.fill("children.0.name", "张小明")
    work.fill("children.0.id_number", CHILD_ID_NUMBER)
    work.fill("children.0.hukou_address", "江苏省南京市玄武区中山路1号")
    work.choose("children.0.enjoys_points_benefits", "yes")
    journey.shot(page, "family-spouse-and-child")
    work.save()

    work.choose("has_investment", "no")
    journey.shot(page, "investment")
    work.save()

    work.select("education.level", "bachelor")
    work.choose("education.nationally_recognised", "yes")
    work.fill("education.institution", "南京大学")
    journey.shot(page, "scoring-education")
    work.save()

    work.fill("social_insurance.contribution_months", "70")
    work.press("button[value='add:periods']")
    work.month("periods.0.from_month", months_from(today, -48))
    work.month("periods.0.to_month", months_from(today, -1))
    work.fill("periods.0.base_multiple", "1.2")
    journey.shot(page, "scoring-social-insurance")
    work.save()
    journey.shot(page, "scoring-bonus")
    work.save()
    journey.shot(page, "scoring-direct-routes")
    work.save()

    work.choose("family_planning_violation", "no")
    work.choose("serious_criminal_record", "no")
    journey.shot(page, "deductions")
    work.save()
    expect(page).to_have_url(re.compile(r"/check$"))
    expect(page.locator("#problems")).to_have_count(0)


def complete(
    journey: Journey, page: Page, overview: str, hands: type[Hands] = Hands, completed: str = "已完成"
) -> str:
    """核对申请信息, then 完成; the application number. ``completed``: the status as the page says it."""
    page.goto(f"{overview}/check")
    journey.shot(page, "check-your-answers")
    hands(page).press(f"form[action='{urlsplit(overview).path}/complete'] button[type='submit']")
    expect(page.get_by_test_id("status")).to_have_text(completed)
    return page.locator(".jf-caption-l").first.inner_text().split()[0]


def unit_submits(journey: Journey, page: Page, person: Person) -> None:
    """The unit finds the completed application on its dashboard and gives 单位审核通过 (confirmed)."""
    page.goto(journey.url("/applications/unit?needs_action=yes"))
    row = page.locator("tr", has_text=person.name)
    expect(row).to_contain_text("待核查")
    journey.shot(page, "unit-dashboard-to-check")
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="核对申请信息").click()
    page.get_by_role("button", name="单位审核通过").click()
    expect(page.get_by_text("点击“确定”即正式向人才服务中心提交网上申请")).to_be_visible()
    journey.shot(page, "unit-approval-confirmation")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("status")).to_have_text("单位审核通过")


def download(journey: Journey, page: Page, overview: str, button: str, what: str) -> bytes:
    """Wait for the print button documents' PDF brings on the overview, follow it, return the PDF."""
    page.goto(overview)
    link = page.locator("#print a", has_text=button)
    eventually(lambda: link.count() > 0, f"the {what} print button", page)
    journey.shot(page, f"overview-with-{what}")
    response = page.request.get(journey.url(link.first.get_attribute("href") or ""))
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    pdf = response.body()
    assert pdf.startswith(b"%PDF-"), pdf[:16]
    (journey.artifacts / f"{what}.pdf").write_bytes(pdf)
    return pdf


def open_case(journey: Journey, page: Page, queue: str, number: str) -> None:
    page.goto(journey.url(f"/review/cases?queue={queue}"))
    link = page.get_by_role("link", name=number)
    eventually(lambda: link.count() > 0, f"{number} in the {queue} queue", page)
    journey.shot(page, f"clerk-{queue}-queue")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def accept(journey: Journey, clerk: Clerk, number: str) -> None:
    """The acceptance clerk ticks every material and gives 受理通过."""
    with journey.signed_in_clerk(clerk) as page:
        open_case(journey, page, "acceptance", number)
        journey.tick_every_material(page, "clerk-acceptance-materials-ticked")
        page.get_by_role("button", name="受理通过").click()
        expect(page.locator(".jf-notification-banner")).to_contain_text("已受理通过")


def approve(journey: Journey, clerk: Clerk, number: str, line: str, reason: str) -> int:
    """The approval clerk lowers one indicator by 10 points with the reason, and gives 审批通过; the
    verified total."""
    with journey.signed_in_clerk(clerk) as page:
        open_case(journey, page, "approval", number)
        points = page.locator(f"[id='lines.{line}.points']")
        points.fill(str(int(points.input_value()) - 10))
        page.locator(f"[id='lines.{line}.reason']").fill(reason)
        journey.shot(page, "clerk-approval-one-line-adjusted")
        page.get_by_role("button", name="审批通过").click()
        expect(page.locator(".jf-notification-banner")).to_contain_text("已审批通过")
        journey.shot(page, "clerk-approved")
        return int(page.get_by_test_id("verified-total").inner_text())


def timeline(page: Page, overview: str) -> list[str]:
    """The statuses of the applicant's timeline, oldest first."""
    page.goto(overview)
    titles = page.locator("#timeline .jf-timeline__title").all_inner_texts()
    return [title.strip() for title in reversed(titles)]


def audit_trail(infra: Infra, number: str) -> list[str]:
    """The statuses ``python -m tools.audit_trail <number>`` prints, in order."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.audit_trail", number],
        cwd=REPO,
        env={**os.environ, **infra.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [line.split(" → ", 1)[1].split("  ", 1)[0] for line in done.stdout.splitlines()]


def verify_notice(journey: Journey, notice: bytes, verified_total: int) -> None:
    """Anyone holding the notice scans its QR code and the public verify page confirms it."""
    [scanned] = qr_codes(page_images(notice)[0])
    code = scanned.rsplit("/documents/verify/", 1)[1]
    assert compact(code) in compact(pages_text(notice)[0])
    page = journey.page()  # nobody signed in
    page.goto(journey.url("/documents/verify"))
    page.fill("[name='code']", code)
    page.locator("main form button[type='submit']").click()
    expect(page.locator(".jf-panel--confirmation")).to_be_visible()
    expect(page.locator("main")).to_contain_text(str(verified_total))
    journey.shot(page, "public-verify-page")


ACCEPTANCE_DUTIES = ("acceptance", "unit_registration", "password_reset")
APPROVAL_DUTIES = ("approval",)


@dataclass
class Filed:
    """Where the journey stands once the unit has submitted its applicant's application."""

    acceptor: Clerk
    approver: Clerk
    unit: Unit
    unit_page: Page
    person: Person
    applicant_page: Page
    overview: str
    number: str


def approved_unit_with_applicant(journey: Journey, unit_name: str, person_name: str) -> Filed:
    """Clerks made, the unit registered and approved, its applicant created and signed in (no
    application yet: ``overview`` and ``number`` are empty)."""
    acceptor, approver = journey.create_clerks(("张受理", ACCEPTANCE_DUTIES), ("李审批", APPROVAL_DUTIES))
    unit_page = journey.page()
    unit = journey.register_unit(unit_page, unit_name)
    journey.approve_unit(acceptor, unit)
    unit_page.goto(journey.url("/accounts/unit"))
    expect(unit_page.get_by_test_id("unit-status")).to_have_text("审核通过")
    person = journey.create_applicant(unit_page, person_name, date(1990, 5, 17))
    applicant_page = journey.page()
    journey.activate(applicant_page, person)
    return Filed(acceptor, approver, unit, unit_page, person, applicant_page, "", "")


def filed(journey: Journey, unit_name: str, person_name: str) -> Filed:
    """``approved_unit_with_applicant``, then the application started, filled, 完成 and 单位审核通过."""
    state = approved_unit_with_applicant(journey, unit_name, person_name)
    state.overview = start_application(journey, state.applicant_page)
    accept_pledge(journey, state.unit_page, state.overview, "unit")
    accept_pledge(journey, state.applicant_page, state.overview, "applicant")
    fill_application(journey, state.applicant_page, state.overview, state.person, date.today())
    state.number = complete(journey, state.applicant_page, state.overview)
    unit_submits(journey, state.unit_page, state.person)
    return state


def record_withdrawal(journey: Journey, clerk: Clerk, number: str, requested_by: str, reason: str) -> None:
    """申请撤销 asked for at the window, recorded by an acceptance clerk on the case page."""
    with journey.signed_in_clerk(clerk) as page:
        open_case(journey, page, "withdrawal", number)
        page.locator("#withdrawal summary").click()
        Hands(page).choose("requested_by", requested_by)
        page.locator("#withdrawal-reason").fill(reason)
        journey.shot(page, "clerk-records-the-withdrawal")
        page.locator("#withdrawal button[type='submit']").click()
        expect(page.locator(".jf-notification-banner")).to_contain_text("已记录申请撤销")


def status_becomes(page: Page, overview: str, status: str) -> None:
    page.goto(overview)
    eventually(lambda: page.get_by_test_id("status").inner_text().strip() == status, status, page)


def change_employer(journey: Journey, page: Page, new_unit: Unit) -> None:
    """The applicant names the new employer's credit code on 变更工作单位 (accounts)."""
    page.goto(journey.url("/accounts/me/employer"))
    Hands(page).fill("credit_code", new_unit.credit_code)
    journey.shot(page, "applicant-changes-employer")
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/accounts/me\?moved=1"))
    expect(page.locator("main")).to_contain_text(new_unit.name)
    journey.shot(page, "applicant-home-with-the-new-employer")


def unit_password_reset_at_the_window(journey: Journey, clerk: Clerk, unit: Unit) -> None:
    """The clerk records the unit's request with every material ticked at review's password desk."""
    with journey.signed_in_clerk(clerk) as page:
        page.goto(journey.url("/review/password-resets"))
        journey.shot(page, "clerk-password-desk")
        page.locator("a[href='/review/password-resets/new?kind=unit']").click()
        Hands(page).fill("credit_code", unit.credit_code)
        journey.tick_every_material(page, "clerk-records-a-unit-reset")
        page.locator("main form[method='post'] button[type='submit']").last.click()
        expect(page.get_by_test_id("reset-state")).to_contain_text(re.compile("已核准|重置码已发送"))
        journey.shot(page, "clerk-reset-authorised")


def reset_with_the_mailed_code(journey: Journey, page: Page, role: str, login: str, email: str) -> str:
    """The account holder sets a new password with the code from the mail; the new password."""
    code = journey.mail_to(page, email, kind="重置码")
    new_password = "Jifen-Reset-2026!"
    page.goto(journey.url("/accounts/reset"))
    work = Hands(page)
    work.choose("role", role)
    work.fill("login", login)
    work.fill("code", code)
    work.fill("password", new_password)
    work.fill("password_confirm", new_password)
    journey.shot(page, "new-password-with-the-code")
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(re.compile(rf"/accounts/login/{role}\?reset=1"))
    return new_password
