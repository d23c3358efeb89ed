"""The clerks' day in Chromium, in Chinese and English: acceptance with the materials ticked, approval
by another clerk with one indicator adjusted, a unit registration approved, and a password reset
recorded at the desk.

The applications and accounts services are being built next to review, so this journey runs review
alone (its worker and web app, served over HTTP on a free port) on throw-away copies of the contract
topics: their events (a submission, a registered unit, the application's status steps) are
published with the test ``Bus`` as their relays would, and clerks sign in with tokens signed as
accounts does. Nothing reaches the real topics or schemas.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pydantic import BaseModel

from deploy.testing import Infra
from shared.contracts.applications import Actor, ApplicationStatusChanged
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Duty, Role
from shared.platform.auth import SESSION_COOKIE
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import Recorder
from tests.support.identities import credit_code
from tests.support.review import PUDONG, clerk_cookie, submitted, unit_registered
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ACCEPTOR = ("clerk-zhang", (Duty.ACCEPTANCE, Duty.UNIT_REGISTRATION, Duty.PASSWORD_RESET))
APPROVER = ("clerk-li", (Duty.APPROVAL,))


class ReviewWorld:
    """Review's worker and web app in a thread of their own (an event loop the test does not block),
    with the bus to publish the peers' events."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._ready: Future[None] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.bus: Bus | None = None

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            async with Bus(self.infra) as bus, Running(self.infra, bus, "review") as review:
                self.bus = bus
                server = uvicorn.Server(
                    uvicorn.Config(review.web_app(), host="127.0.0.1", port=self.port, log_level="warning")
                )
                serving = asyncio.create_task(server.serve())
                while not server.started:
                    await asyncio.sleep(0.05)
                self._ready.set_result(None)
                await self._stop.wait()
                server.should_exit = True
                await serving
        except BaseException as exc:
            if not self._ready.done():
                self._ready.set_exception(exc)
            raise

    def __enter__(self) -> ReviewWorld:
        self._thread.start()
        self._ready.result(timeout=120)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=60)

    def publish(self, payload: BaseModel, subject: str) -> None:
        assert self.bus is not None
        asyncio.run_coroutine_threadsafe(self.bus.publish(payload, subject=subject), self._loop).result(30)

    def signed_in(
        self, browser: Browser, clerk: tuple[str, tuple[Duty, ...]], locale: str, **kw: Any
    ) -> BrowserContext:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, **kw)
        token = clerk_cookie(self.infra, clerk[0], PUDONG, *clerk[1])
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": self.url}])
        return context


@pytest.fixture(scope="module")
def world(infra: Infra) -> Iterator[ReviewWorld]:
    with ReviewWorld(infra) as world:
        yield world


def open_case(world: ReviewWorld, page: Page) -> tuple[str, str]:
    payload = submitted(world.infra)
    world.publish(payload, payload.application_id)
    page.goto(f"{world.url}/review/cases?queue=acceptance")
    link = page.get_by_role("link", name=payload.application_number)
    for _ in range(100):  # the submission reaches the queue through Kafka and the read model
        if link.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    return payload.application_id, payload.application_number


def status_step(application_id: str, number: str, previous: ApplicationStatus, new: ApplicationStatus) -> Any:
    """A status step as the applications service publishes it after applying review's decision."""
    return ApplicationStatusChanged(
        application_id=application_id,
        application_number=number,
        kind=ApplicationKind.NEW,
        previous_status=previous,
        new_status=new,
        actor=Actor(role=Role.CLERK, id=ACCEPTOR[0]),
        reason=None,
        changed_at=datetime.now(UTC),
        applicant_id_masked="310104********1234",
        unit_id="unit",
        unit_credit_code=credit_code(1),
        district=PUDONG,
    )


def test_a_clerk_accepts_with_the_materials_ticked_and_another_approves_with_one_line_adjusted(
    browser: Browser, world: ReviewWorld
) -> None:
    context = world.signed_in(browser, ACCEPTOR, "zh-CN")
    page = context.new_page()
    recorder = Recorder(page)
    application_id, number = open_case(world, page)
    assert_accessible(page, "the acceptance queue")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number}")
    expect(page.get_by_test_id("points-table")).to_contain_text("139")
    assert_accessible(page, "the case page")

    # One item missing: one notice lists it, the ticks are kept.
    for name in ("盖章的申请表", "申请人身份证", "劳动合同"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="受理通过").click()
    summary = page.locator(".jf-error-summary")
    expect(summary).to_contain_text("材料不齐，缺少 1 项")
    expect(summary).to_contain_text("缺少材料：学位证书")
    expect(page.get_by_label("劳动合同")).to_be_checked()
    assert_accessible(page, "the case page with the missing material")
    page.screenshot(path="/tmp/review-acceptance-missing-zh.png", full_page=True)

    page.get_by_label("学位证书").check()
    page.get_by_role("button", name="受理通过").click()
    expect(page.locator(".jf-notification-banner")).to_contain_text("已受理通过")
    expect(page.get_by_test_id("status-pending")).to_be_visible()  # the applications service has not said yet

    # The applications service records it: the panel updates by itself (HTMX), no reload.
    world.publish(
        status_step(
            application_id, number, ApplicationStatus.AWAITING_ACCEPTANCE, ApplicationStatus.ACCEPTED
        ),
        application_id,
    )
    world.publish(
        status_step(application_id, number, ApplicationStatus.ACCEPTED, ApplicationStatus.AWAITING_APPROVAL),
        application_id,
    )
    expect(page.get_by_test_id("status-recorded")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("application-status")).to_contain_text("等待审批")
    # The refused form came back as a 422 page (as it should); anything else in the console is a fault.
    assert [e for e in recorder.console_errors if "status of 422" not in e] == []
    context.close()

    # Another clerk approves in English, adjusting one line.
    context = world.signed_in(browser, APPROVER, "en")
    page = context.new_page()
    page.goto(f"{world.url}/review/cases/{application_id}?lang=en")
    expect(page.get_by_role("heading", name="Approval", exact=True)).to_be_visible()
    page.locator("#lines\\.education\\.points").fill("90")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".jf-error-summary")).to_contain_text(
        "Education: the verified points differ from the declared; give the reason."
    )
    expect(page.locator("#lines\\.education\\.points")).to_have_value("90")
    assert_accessible(page, "the approval form with an error")
    page.locator("#lines\\.education\\.reason").fill("Degree certificate not on the catalogue")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".jf-notification-banner")).to_contain_text("Approved.")
    expect(page.get_by_test_id("verified-total")).to_have_text("129")
    page.screenshot(path="/tmp/review-approved-en.png", full_page=True)
    context.close()


def test_the_approver_who_accepted_is_told_another_clerk_must_approve(
    browser: Browser, world: ReviewWorld
) -> None:
    both = ("clerk-both", (Duty.ACCEPTANCE, Duty.APPROVAL))
    context = world.signed_in(browser, both, "zh-CN")
    page = context.new_page()
    _, number = open_case(world, page)
    page.get_by_role("link", name=number).click()
    for box in page.locator("input[name=materials]").all():
        box.check()
    page.get_by_role("button", name="受理通过").click()
    expect(page.locator("main")).to_contain_text("需由另一名工作人员审批")
    page.get_by_role("button", name="审批通过").click()
    expect(page.locator(".jf-error-summary")).to_contain_text("受理人不能审批同一申请")
    context.close()


def test_a_unit_registration_is_approved_after_ticking_the_materials(
    browser: Browser, world: ReviewWorld
) -> None:
    code = credit_code(31415926)
    payload = unit_registered(world.infra, code=code, name="上海浏览器测试有限公司")
    world.publish(payload, payload.unit_id)
    context = world.signed_in(browser, ACCEPTOR, "zh-CN")
    page = context.new_page()
    page.goto(f"{world.url}/review/units")
    link = page.get_by_role("link", name="上海浏览器测试有限公司")
    for _ in range(100):
        if link.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("上海浏览器测试有限公司")
    assert_accessible(page, "the unit registration page")
    expect(page.locator("main")).to_contain_text("李人事")  # the sealed HR contact, opened for the clerk
    for box in page.locator("input[name=materials]").all()[:4]:
        box.check()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".jf-notification-banner")).to_contain_text("已审核通过")
    page.goto(f"{world.url}/review/")
    expect(page.get_by_test_id("dashboard-table")).to_be_visible()
    expect(page.locator("main .jf-caption-l").first).to_have_text("区人才服务中心 · 浦东新区")
    expect(page.locator("svg.jf-chart > title")).to_have_count(1)
    assert_accessible(page, "the dashboard")
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    context.close()


def test_a_personal_password_reset_is_recorded_and_authorised_in_english_without_javascript(
    browser: Browser, world: ReviewWorld
) -> None:
    context = world.signed_in(browser, ACCEPTOR, "en", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{world.url}/review/password-resets?lang=en")
    page.get_by_role("button", name="Reset a personal account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal account password reset")
    page.get_by_label("The applicant's ID number").fill("11010519491231002X")
    page.get_by_label("The applicant's ID, original and copy").check()
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator("[data-testid=reset-state]")).to_have_text("Materials incomplete")
    page.get_by_label("Password-reset request form").check()
    page.get_by_role("button", name="Save the materials").click()
    expect(page.locator("[data-testid=reset-state]")).to_contain_text("Authorised")
    expect(page.locator("main")).to_contain_text("110105********002X")
    assert "11010519491231002X" not in page.content()
    page.screenshot(path="/tmp/review-reset-en.png", full_page=True)
    context.close()
