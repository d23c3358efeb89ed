"""Accounts in Chromium through the gateway, the whole stack running as ``deploy/run.sh`` starts it.

In Chinese, with JavaScript: a unit registers (every field, refused first for one field: what was typed
stays, the error is at the field and in the summary), a clerk of its district approves it on review's
page and the unit is mailed; the unit signs in by credit code and creates an applicant (refused first
for a bad ID number), who activates the account with the code from the mail sink (/accounts/dev/mail),
signs in by ID number and moves to another approved unit; the unit changes its password.

In English, without JavaScript: each account type signs in (a wrong password first), the administrator
creates a clerk with duties, changes the duties and deactivates the account (which then cannot sign
in), and a personal password reset recorded at review's desk is completed with the code from the mail
(a wrong code first). In Chinese, the unit's reset at the desk of its district, completed the same way.

Every page is checked with axe-core. The first administrator is made as the README says
(``python -m services.accounts create-admin``); the clerk who reviews is created by that
administrator on the JSON API. Everything is new for each run (credit codes, ID numbers, usernames),
as the stack's schemas and topics outlive a run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect

from deploy.testing import Infra
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import REPO
from tests.support.accounts import CODE, PASSWORD, new_credit_code, new_id_number

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PUDONG = "310115"
ADMIN_PASSWORD = "Admin-Pudong-2025!"
CLERK_PASSWORD = "Clerk-Pudong-2025!"
NEW_PASSWORD = "Jifen-Changed-2026!"
RESET_PASSWORD = "Jifen-Reset-2027!"
UNIT_MATERIALS = [
    "introduction_letter",
    "business_licence",
    "credit_code_certificate",
    "social_insurance_registration",
]
SHOTS = Path("/tmp/accounts-e2e")


@dataclass
class World:
    """The portal, its first administrator and the reviewing clerk; what the Chinese journey made (the
    English one signs the same accounts in)."""

    portal: str
    run: str
    admin: str
    reviewer: str
    made: dict[str, str] = field(default_factory=dict)

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.portal, timeout=30)


def api_token(client: httpx.Client, role: str, login: str, password: str) -> str:
    answer = client.post("/api/accounts/login", json={"role": role, "login": login, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
def world(stack: str, infra: Infra) -> Iterator[World]:
    run = uuid.uuid4().hex[:6]
    admin, reviewer = f"admin-{run}", f"pd-review-{run}"
    made = subprocess.run(
        [sys.executable, "-m", "services.accounts", "create-admin", "--username", admin,
         "--name", "浦东管理员", "--district", PUDONG, "--password-env", "JIFEN_E2E_ADMIN_PASSWORD"],
        cwd=REPO,
        env={**os.environ, **infra.env, "JIFEN_E2E_ADMIN_PASSWORD": ADMIN_PASSWORD},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    found = World(stack, run, admin, reviewer)
    with found.api() as client:
        token = api_token(client, "clerk", admin, ADMIN_PASSWORD)
        created = client.post(
            "/api/accounts/clerks",
            json={"username": reviewer, "name": "陈静", "password": CLERK_PASSWORD,
                  "duties": ["unit_registration", "password_reset"]},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert created.status_code == 201, created.text
    SHOTS.mkdir(exist_ok=True)
    yield found


AUDITORS: dict[BrowserContext, Page] = {}
"""For a context without JavaScript, a page with it: axe-core cannot run where scripts are off, so it
checks the same markup written into a page of the same origin (the gateway's stylesheets apply)."""


def new_page(browser: Browser, locale: str, *, javascript: bool = True) -> tuple[BrowserContext, Page]:
    size: ViewportSize = {"width": 1280, "height": 900}
    context = browser.new_context(locale=locale, viewport=size, java_script_enabled=javascript)
    if not javascript:
        AUDITORS[context] = browser.new_context(locale=locale, viewport=size).new_page()
    return context, context.new_page()


def checked(page: Page, what: str, shot: str | None = None) -> None:
    """axe-core finds nothing serious on ``page``; a screenshot when named."""
    auditor = AUDITORS.get(page.context)
    if auditor is None:
        assert_accessible(page, what)
    else:
        at = urlsplit(page.url)
        if urlsplit(auditor.url).netloc != at.netloc:
            auditor.goto(f"{at.scheme}://{at.netloc}/accounts/")
        auditor.set_content(page.content())
        assert_accessible(auditor, what)
    if shot:
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def sign_in(page: Page, world: World, role: str, login: str, password: str) -> None:
    page.goto(f"{world.portal}/accounts/login/{role}")
    page.locator("#login").fill(login)
    page.locator("#password").fill(password)
    page.locator(f"form[action='/accounts/login/{role}'] button").click()


def mail_to(page: Page, world: World, to: str, subject: str) -> str:
    """The body of the newest mail to ``to`` whose subject holds ``subject``, read on the sink's page."""
    page.goto(f"{world.portal}/accounts/dev/mail")
    mails = page.get_by_test_id("mail").filter(has=page.get_by_test_id("mail-to").get_by_text(to, exact=True))
    wanted = mails.filter(has_text=subject)
    for _ in range(150):
        if wanted.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(wanted.first).to_be_visible()
    return wanted.first.get_by_test_id("mail-body").inner_text()


def a_birth_date() -> str:
    """A birth date of its own for each run: ID numbers stay unique in the stack's schemas, which
    outlive a run (and hold the demo's seeded people)."""
    n = uuid.uuid4().int
    return f"19{70 + n % 30:02d}{1 + n // 30 % 12:02d}{1 + n // 360 % 28:02d}"


def clerk_row(page: Page, username: str) -> Locator:
    """The clerk's row in the administrator's list, following the list's pages (20 a page; the
    stack's schemas keep every run's clerks)."""
    while True:
        row = page.get_by_test_id("clerks").locator("tr", has_text=username)
        if row.count():
            return row
        following = page.get_by_role("link", name="Next", exact=True)
        assert following.count(), f"{username} is on no page of the list"
        following.click()


def code_of(body: str) -> str:
    found = CODE.search(body)
    assert found, body
    return found.group(1)


def approve_on_review_page(page: Page, world: World, unit_name: str, approve: str, done: str) -> None:
    """The reviewing clerk (signed in on ``page``) opens the unit from review's queue and approves it."""
    page.goto(f"{world.portal}/review/units")
    link = page.get_by_role("link", name=unit_name)
    for _ in range(150):  # the registration reaches review through Kafka
        if link.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    checked(page, "review's unit queue")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(unit_name)
    for box in page.locator("input[name=materials]").all():
        box.check()
    page.get_by_role("button", name=approve, exact=True).click()
    expect(page.locator(".jf-notification-banner")).to_contain_text(done)
    checked(page, "review's unit page after the approval")


def authorised_at_desk(
    context: BrowserContext, world: World, labels: tuple[str, str, str, str], value: str
) -> None:
    """The reviewing clerk records a complete reset request at review's password desk (every material
    ticked), so it is authorised at once. ``labels``: the kind's button, the field, the record button
    and the states that may show (authorised, or already sent when accounts was quick)."""
    kind, field, record, state = labels
    desk = context.new_page()
    sign_in(desk, world, "clerk", world.reviewer, CLERK_PASSWORD)
    desk.goto(f"{world.portal}/review/password-resets")
    desk.get_by_role("button", name=kind).click()
    desk.get_by_label(field, exact=True).fill(value)
    for box in desk.locator("input[name=materials]").all():
        box.check()
    desk.get_by_role("button", name=record).click()
    expect(desk.locator("[data-testid=reset-state]")).to_contain_text(re.compile(state))
    desk.close()


def fill_reset(page: Page, login: str, code: str, password: str, submit: str) -> None:
    page.locator("#login").fill(login)
    page.locator("#code").fill(code)
    page.locator("#password").fill(password)
    page.locator("#password_confirm").fill(password)
    page.get_by_role("button", name=submit).click()


def test_a_unit_registers_is_approved_by_its_district_creates_an_applicant_who_activates_and_moves(
    browser: Browser, world: World
) -> None:
    code, unit_name = new_credit_code(PUDONG), f"上海浏览器科技有限公司{world.run}"
    email = f"hr-{world.run}@example.com"
    context, page = new_page(browser, "zh-CN")

    # 单位注册 from the unit sign-in page, every field; the mobile number is one digit short.
    page.goto(f"{world.portal}/accounts/login/unit")
    checked(page, "unit sign-in")
    page.locator("main").get_by_role("link", name="单位注册", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位注册")
    expect(page.locator("#password-policy")).to_contain_text("密码要求")
    checked(page, "unit registration")
    typed = {
        "#credit_code": code,
        "#unit_name": unit_name,
        "#address": "上海市浦东新区张江路1号",
        "#hr_name": "王敏",
        "#mobile": "1380013800",
        "#email": email,
        "#password": PASSWORD,
        "#password_confirm": PASSWORD,
    }
    for selector, value in typed.items():
        page.locator(selector).fill(value)
    page.locator("#district").select_option(PUDONG)
    page.get_by_role("button", name="提交注册").click()
    summary = page.locator(".jf-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    message = summary.get_by_role("link").inner_text()
    assert "手机" in message, message
    expect(page.locator("#mobile-error")).to_contain_text(message)
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value("" if "password" in selector else value)
    expect(page.locator("#district")).to_have_value(PUDONG)
    checked(page, "unit registration with an error", "register-error-zh")
    summary.get_by_role("link").click()
    expect(page.locator("#mobile")).to_be_focused()
    page.locator("#mobile").fill("13800138000")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()

    # 待审核, with what to bring to the centre of the registered district.
    expect(page).to_have_url(re.compile(r"/accounts/unit\?registered=1$"))
    expect(page.get_by_test_id("unit-status")).to_have_text("待审核")
    expect(page.locator(".jf-inset-text")).to_contain_text("浦东新区人才服务中心")
    expect(page.locator(".jf-inset-text")).to_contain_text("营业执照")
    checked(page, "the unit's page while pending", "unit-pending-zh")

    # A clerk of Pudong signs in (by username) and approves it on review's page.
    clerk_context, clerk = new_page(browser, "zh-CN")
    sign_in(clerk, world, "clerk", world.reviewer, CLERK_PASSWORD)
    expect(clerk).to_have_url(re.compile(r"/review/$"))  # where the portal home sends a clerk
    clerk.goto(f"{world.portal}/accounts/clerk")
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("陈静")
    checked(clerk, "the clerk's page")
    approve_on_review_page(clerk, world, unit_name, "审核通过", "已审核通过")

    body = mail_to(page, world, email, "单位注册审核通过")
    assert body.startswith("王敏，您好") and unit_name in body and code in body
    assert body.index("审核通过") < body.index("approved")
    checked(page, "the development mailbox", "mail-approved-zh")
    context.close()

    # The unit signs in by its credit code (typed in lower case) and sees 审核通过.
    context, page = new_page(browser, "zh-CN")
    sign_in(page, world, "unit", code.lower(), PASSWORD)
    expect(page).to_have_url(re.compile(r"/applications/unit$"))  # an approved unit's home
    page.goto(f"{world.portal}/accounts/unit")
    expect(page.get_by_test_id("unit-status")).to_have_text("审核通过")

    # 帮助申请人注册个人账号: a wrong check digit first.
    page.get_by_role("button", name="为申请人注册个人账号").click()
    checked(page, "applicant creation")
    id_number = new_id_number(a_birth_date())
    bad = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
    person = {
        "#name": "张伟",
        "#id_number": bad,
        "#mobile": "13700137000",
        "#email": f"zw-{world.run}@example.com",
    }
    for selector, value in person.items():
        page.locator(selector).fill(value)
    page.get_by_role("button", name="注册并发送激活码").click()
    expect(page.locator("#id_number-error")).to_be_visible()
    expect(page.locator(".jf-error-summary")).to_contain_text("身份证")
    for selector, value in person.items():
        expect(page.locator(selector)).to_have_value(value)
    checked(page, "applicant creation with an error", "applicant-error-zh")
    page.locator("#id_number").fill(id_number)
    page.get_by_role("button", name="注册并发送激活码").click()
    expect(page.get_by_test_id("flash")).to_contain_text("个人账号已创建")
    expect(page.get_by_test_id("applicants")).to_contain_text("张伟")
    expect(page.get_by_test_id("applicants")).to_contain_text("待激活")
    expect(page.get_by_test_id("applicants")).to_contain_text(id_number[:6] + "********" + id_number[-4:])
    checked(page, "the unit's page with its applicant", "unit-applicants-zh")

    # The applicant reads the code on the mail sink's page and activates the account.
    person_context, person_page = new_page(browser, "zh-CN")
    activation = code_of(mail_to(person_page, world, f"zw-{world.run}@example.com", "账号激活码"))
    person_page.goto(f"{world.portal}/accounts/activate")
    checked(person_page, "activation")
    person_page.locator("#id_number").fill(id_number)
    person_page.locator("#code").fill(activation.lower())
    person_page.locator("#password").fill(PASSWORD)
    person_page.locator("#password_confirm").fill(PASSWORD)
    person_page.get_by_role("button", name="激活并设置密码").click()
    expect(person_page).to_have_url(re.compile(r"/accounts/login/applicant\?activated=1$"))
    expect(person_page.get_by_test_id("flash")).to_contain_text("账号已激活")
    checked(person_page, "applicant sign-in after activation")
    sign_in(person_page, world, "applicant", id_number, PASSWORD)
    expect(person_page).to_have_url(re.compile(r"/applications/mine$"))
    person_page.goto(f"{world.portal}/accounts/me")
    expect(person_page.get_by_role("heading", level=1)).to_have_text("张伟")
    expect(person_page.locator("main")).to_contain_text(unit_name)
    checked(person_page, "the applicant's page")

    # 修改单位组织机构代码: an unknown unit first, then another approved unit of the district.
    other_code, other_name = new_credit_code(PUDONG), f"上海第二测试有限公司{world.run}"
    with world.api() as client:
        registered = client.post(
            "/api/accounts/units",
            json={"credit_code": other_code, "unit_name": other_name, "district": PUDONG,
                  "address": "上海市浦东新区陆家嘴环路1000号", "hr_name": "李娜", "mobile": "13900139000",
                  "email": f"hr2-{world.run}@example.com", "password": PASSWORD},
        )  # fmt: skip
        assert registered.status_code == 201, registered.text
    approve_on_review_page(clerk, world, other_name, "审核通过", "已审核通过")
    clerk_context.close()
    person_page.get_by_role("link", name="更换单位").click()
    expect(person_page.get_by_role("heading", level=1)).to_have_text("修改单位组织机构代码")
    expect(person_page.locator("main")).to_contain_text("尚未提交")
    expect(person_page.locator("main")).to_contain_text("已经提交的申请仍由原单位办理")
    checked(person_page, "the employer change")
    unknown = new_credit_code(PUDONG)
    person_page.locator("#credit_code").fill(unknown)
    person_page.get_by_role("button", name="确认修改").click()
    expect(person_page.locator("#credit_code-error")).to_be_visible()
    expect(person_page.locator("#credit_code")).to_have_value(unknown)
    checked(person_page, "the employer change refused", "employer-error-zh")
    person_page.locator("#credit_code").fill(other_code)
    person_page.get_by_role("button", name="确认修改").click()
    expect(person_page).to_have_url(re.compile(r"/accounts/me\?moved=1$"))
    expect(person_page.get_by_test_id("flash")).to_contain_text(other_name)
    expect(person_page.locator("main")).to_contain_text(other_code)
    checked(person_page, "the applicant's page after the move", "employer-moved-zh")
    person_context.close()

    # The first unit no longer lists the applicant; it changes its password and signs in with it.
    page.goto(f"{world.portal}/accounts/unit")
    expect(page.get_by_test_id("applicants")).to_have_count(0)
    page.get_by_role("link", name="修改密码").click()
    checked(page, "the password change")
    page.locator("#current_password").fill(PASSWORD)
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#new_password_confirm").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/unit\?changed=1$"))
    expect(page.get_by_test_id("flash")).to_contain_text("密码已修改")
    sign_in(page, world, "unit", code, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/applications/unit$"))
    context.close()
    world.made.update(unit=code, unit_name=unit_name, unit_email=email, applicant=id_number,
                      other_unit=other_name, applicant_email=f"zw-{world.run}@example.com")  # fmt: skip


def test_each_account_type_signs_in_in_english_without_javascript_and_an_administrator_manages_clerks(
    browser: Browser, world: World
) -> None:
    assert world.made, "the Chinese journey made the unit and the applicant"
    context, page = new_page(browser, "en", javascript=False)

    # Unit, by credit code: a wrong password first; the code typed stays, the password does not.
    sign_in(page, world, "unit", world.made["unit"], "Not-The-Password-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit sign in")
    expect(page.locator(".jf-error-summary")).to_be_visible()
    expect(page.locator("#login-error")).to_be_visible()
    expect(page.locator("#login")).to_have_value(world.made["unit"])
    expect(page.locator("#password")).to_have_value("")
    checked(page, "unit sign-in refused (en)", "sign-in-refused-en")
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("form[action='/accounts/login/unit'] button").click()
    expect(page).to_have_url(re.compile(r"/applications/unit$"))
    page.goto(f"{world.portal}/accounts/unit")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.made["unit_name"])
    expect(page.get_by_test_id("unit-status")).to_have_text("Approved")
    checked(page, "the unit's page (en)", "unit-en")
    context.close()

    # Applicant, by ID number.
    context, page = new_page(browser, "en", javascript=False)
    sign_in(page, world, "applicant", world.made["applicant"], PASSWORD)
    expect(page).to_have_url(re.compile(r"/applications/mine$"))
    page.goto(f"{world.portal}/accounts/me")
    expect(page.locator("main")).to_contain_text(world.made["other_unit"])
    checked(page, "the applicant's page (en)", "applicant-en")
    context.close()

    # The administrator: create a clerk with duties, change them, deactivate the account.
    context, page = new_page(browser, "en", javascript=False)
    sign_in(page, world, "clerk", world.admin, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.goto(f"{world.portal}/accounts/clerk")
    checked(page, "the administrator's page (en)")
    page.goto(f"{world.portal}/accounts/clerks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk accounts")
    expect(clerk_row(page, world.reviewer)).to_contain_text("review unit registrations")
    checked(page, "the clerk list (en)")
    page.get_by_role("button", name="Create a clerk account").click()
    checked(page, "the clerk form (en)")
    username = f"pd-accept-{world.run}"
    page.locator("#username").fill(username)
    page.locator("#name").fill("Zhou Min")
    page.get_by_label("accept applications").check()
    page.locator("#password").fill(CLERK_PASSWORD)
    page.locator("#password_confirm").fill("Something-Else-2025")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#password_confirm-error")).to_be_visible()
    expect(page.locator("#username")).to_have_value(username)
    expect(page.get_by_label("accept applications")).to_be_checked()
    checked(page, "the clerk form with an error (en)", "clerk-error-en")
    page.locator("#password").fill(CLERK_PASSWORD)
    page.locator("#password_confirm").fill(CLERK_PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("flash")).to_contain_text("The clerk account is created.")
    row = clerk_row(page, username)
    expect(row).to_contain_text("accept applications")
    expect(row).to_contain_text("Active")
    row.get_by_role("link").click()
    expect(page.get_by_label("accept applications")).to_be_checked()
    page.get_by_label("accept applications").uncheck()
    page.get_by_label("approve scores").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("flash")).to_contain_text("The clerk account is changed.")
    row = clerk_row(page, username)
    expect(row).to_contain_text("approve scores")
    expect(row).not_to_contain_text("accept applications")
    checked(page, "the clerk list after the change (en)", "clerks-changed-en")
    row.get_by_role("link").click()
    page.get_by_role("button", name="Deactivate this account").click()
    expect(page.get_by_test_id("flash")).to_contain_text("The clerk account is deactivated.")
    row = clerk_row(page, username)  # deactivated accounts are listed last
    expect(row).to_contain_text("Deactivated")
    expect(row.get_by_role("link")).to_have_count(0)
    context.close()

    # The deactivated clerk cannot sign in (told no more than a wrong password would be).
    context, page = new_page(browser, "en", javascript=False)
    sign_in(page, world, "clerk", username, CLERK_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent-centre clerk sign in")
    expect(page.locator("#login-error")).to_be_visible()
    refused = page.locator("#login-error").inner_text()
    sign_in(page, world, "clerk", f"nobody-{world.run}", CLERK_PASSWORD)
    assert page.locator("#login-error").inner_text() == refused
    context.close()


def test_a_personal_password_reset_recorded_at_the_desk_is_completed_with_the_mailed_code(
    browser: Browser, world: World
) -> None:
    assert world.made, "the Chinese journey made the applicant"
    id_number = world.made["applicant"]
    context, page = new_page(browser, "en", javascript=False)
    desk = (
        "Reset a personal account",
        "The applicant's ID number",
        "Record the request",
        "Authorised|Reset code sent",
    )
    authorised_at_desk(context, world, desk, id_number)
    page.context.clear_cookies()  # the clerk signed out; the applicant on the same browser
    body = mail_to(page, world, world.made["applicant_email"], "Password reset code")
    assert body.index("密码重置") < body.index("password reset")
    reset = code_of(body)
    page.goto(f"{world.portal}/accounts/login/applicant")
    page.get_by_role("link", name="Reset at a window? Set a new password").click()
    checked(page, "the reset page (en)")
    page.get_by_label("Applicant", exact=True).check()
    fill_reset(page, id_number, "AAAA-AAAA", NEW_PASSWORD, "Set the new password")
    expect(page.locator("#code-error")).to_be_visible()
    expect(page.locator("#login")).to_have_value(id_number)
    expect(page.get_by_label("Applicant", exact=True)).to_be_checked()
    checked(page, "the reset page with a wrong code (en)", "reset-wrong-en")
    fill_reset(page, id_number, reset, NEW_PASSWORD, "Set the new password")
    expect(page).to_have_url(re.compile(r"/accounts/login/applicant\?reset=1$"))
    expect(page.get_by_test_id("flash")).to_contain_text("Your new password is set")
    sign_in(page, world, "applicant", id_number, PASSWORD)
    expect(page.locator("#login-error")).to_be_visible()  # the old password is gone
    sign_in(page, world, "applicant", id_number, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/applications/mine$"))
    context.close()


def test_a_unit_reset_at_the_desk_of_its_district_is_completed_with_the_mailed_code(
    browser: Browser, world: World
) -> None:
    assert world.made, "the Chinese journey made the unit"
    code = world.made["unit"]
    context, page = new_page(browser, "zh-CN")
    desk = ("单位账号重置", "统一社会信用代码", "记录申请", "已核准|重置码已发送")
    authorised_at_desk(context, world, desk, code)
    page.context.clear_cookies()
    body = mail_to(page, world, world.made["unit_email"], "密码重置码")
    assert "单位账号" in body and "unit account" in body
    page.goto(f"{world.portal}/accounts/reset")
    expect(page.get_by_label("单位", exact=True)).to_be_checked()  # the unit's account is the default
    fill_reset(page, code, code_of(body), RESET_PASSWORD, "设置新密码")
    expect(page).to_have_url(re.compile(r"/accounts/login/unit\?reset=1$"))
    expect(page.get_by_test_id("flash")).to_contain_text("新密码已设置")
    checked(page, "unit sign-in after the reset", "unit-reset-done-zh")
    sign_in(page, world, "unit", code, RESET_PASSWORD)
    expect(page).to_have_url(re.compile(r"/applications/unit$"))
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_deep_link_opened_without_a_session_signs_in_on_its_tab_and_lands_on_the_page(
    browser: Browser, world: World, javascript: bool
) -> None:
    context, page = new_page(browser, "zh-CN", javascript=javascript)
    page.goto(f"{world.portal}/review/units?q=x")
    expect(page).to_have_url(re.compile(r"/accounts/login/clerk\?next=/review/units%3Fq%3Dx$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("区人才服务中心工作人员登录")

    # Nothing typed: a message at each field and in the summary, not "wrong credentials".
    page.locator("form[action='/accounts/login/clerk'] button").click()
    expect(page.locator("#login-error")).to_contain_text("请输入工号")
    expect(page.locator("#password-error")).to_contain_text("请输入密码")
    expect(page.locator(".jf-error-summary")).to_contain_text("请输入工号")
    expect(page.locator(".jf-error-summary")).not_to_contain_text("登录信息不正确")
    checked(page, "clerk sign-in with empty fields")

    # A wrong password keeps where to go; the right one goes there.
    page.locator("#login").fill(world.reviewer)
    page.locator("#password").fill("Not-The-Password-1")
    page.locator("form[action='/accounts/login/clerk'] button").click()
    expect(page.locator("#login-error")).to_contain_text("登录信息不正确")
    page.locator("#password").fill(CLERK_PASSWORD)
    page.locator("form[action='/accounts/login/clerk'] button").click()
    expect(page).to_have_url(re.compile(r"/review/units\?q=x$"))
    checked(page, "review's unit queue after signing in from a deep link")
    context.close()


def test_an_unsafe_next_is_ignored_and_signing_in_goes_home(browser: Browser, world: World) -> None:
    context, page = new_page(browser, "en", javascript=False)
    page.goto(f"{world.portal}/accounts/login/clerk?next=//evil.example/review/")
    expect(page.locator("input[name=next]")).to_have_count(0)
    page.locator("#login").fill(world.reviewer)
    page.locator("#password").fill(CLERK_PASSWORD)
    page.locator("form[action='/accounts/login/clerk'] button").click()
    expect(page).to_have_url(f"{world.portal}/review/")
    context.close()
