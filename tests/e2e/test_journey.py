"""The whole journey in Chromium through the gateway, all four services on real PostgreSQL and Kafka.

A unit registers, a clerk of its district approves it, the unit creates an applicant, who activates the
account from the mail and fills every section; 完成, 单位审核通过, the form printed; a clerk accepts,
another approves with one indicator adjusted; the applicant prints the notice, the public verify page
confirms it, and the audit-trail tool (the public status topic only) prints the history the
applicant's timeline shows. Then the other ways a journey goes: a withdrawal at the window and the
resubmission, a change of employer, a unit's password reset at the window.

Screenshots of every step (and the PDFs): ``.run/artifacts/journey/<test>/``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from deploy.testing import Infra
from tests.e2e.journey_steps import (
    ACCEPTANCE_DUTIES,
    Hands,
    Keyboard,
    accept,
    accept_pledge,
    approve,
    approved_unit_with_applicant,
    audit_trail,
    change_employer,
    complete,
    download,
    eventually,
    filed,
    fill_application,
    journey_of,
    record_withdrawal,
    reset_with_the_mailed_code,
    start_application,
    status_becomes,
    timeline,
    unit_password_reset_at_the_window,
    unit_submits,
    verify_notice,
)
from tests.support.pdf import compact, pages_text

pytestmark = [pytest.mark.browser, pytest.mark.infra, pytest.mark.timeout(900)]


def test_a_unit_registers_files_an_application_and_the_notice_is_verified(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name) as journey:
        state = filed(journey, "上海浦江旅程软件有限公司", "张伟")
        form = download(journey, state.unit_page, state.overview, "打印申请表", "application-form")
        assert state.person.name in compact(pages_text(form)[0])

        accept(journey, state.acceptor, state.number)
        verified = approve(journey, state.approver, state.number, "education", "学位证书未在认可目录中")
        notice = download(journey, state.applicant_page, state.overview, "打印积分通知书", "points-notice")
        verify_notice(journey, notice, verified)

        shown = timeline(state.applicant_page, state.overview)
        journey.shot(state.applicant_page, "applicant-timeline")
        assert shown == ["填写中", "已完成", "单位审核通过", "等待受理", "受理通过", "等待审批", "审批通过"]
        assert audit_trail(infra, state.number) == shown


def test_a_withdrawal_recorded_at_the_window_reopens_the_form_and_the_unit_submits_it_again(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name, accessibility=False) as journey:
        state = filed(journey, "上海撤销测试有限公司", "王芳")
        journey.check_accessibility = True
        record_withdrawal(journey, state.acceptor, state.number, "unit", "单位申请撤销，材料需重新准备")
        page = state.applicant_page
        status_becomes(page, state.overview, "已撤销")
        journey.shot(page, "applicant-sees-the-withdrawal")
        expect(page.locator("#timeline")).to_contain_text("单位申请撤销，材料需重新准备")

        # The form is open again: the applicant corrects a section and finishes, the unit submits again.
        page.goto(f"{state.overview}/personal-info")
        work = Hands(page)
        work.fill("employment.post", "高级软件工程师")
        work.save()
        complete(journey, page, state.overview)
        unit_submits(journey, state.unit_page, state.person)
        accept(journey, state.acceptor, state.number)
        shown = timeline(page, state.overview)
        journey.shot(page, "timeline-after-the-resubmission")
        assert shown[shown.index("已撤销") :] == [
            "已撤销", "已完成", "单位审核通过", "等待受理", "受理通过", "等待审批",
        ]  # fmt: skip
        assert audit_trail(infra, state.number) == shown


def test_an_applicant_who_changes_employer_takes_the_unsubmitted_application_to_the_new_unit(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name, accessibility=False) as journey:
        state = approved_unit_with_applicant(journey, "上海旧单位测试有限公司", "赵磊")
        new_unit_page = journey.page()
        new_unit = journey.register_unit(new_unit_page, "上海新单位测试有限公司")
        journey.approve_unit(state.acceptor, new_unit)
        overview = start_application(journey, state.applicant_page)
        journey.check_accessibility = True

        change_employer(journey, state.applicant_page, new_unit)
        new_unit_page.goto(journey.url("/applications/unit"))
        row = new_unit_page.locator("tr", has_text=state.person.name)
        eventually(lambda: row.count() > 0, "the applicant on the new unit's dashboard", new_unit_page)
        journey.shot(new_unit_page, "new-unit-dashboard-with-the-applicant")
        state.unit_page.goto(journey.url("/applications/unit"))
        expect(state.unit_page.locator("tr", has_text=state.person.name)).to_have_count(0)
        journey.shot(state.unit_page, "old-unit-dashboard-without-the-applicant")
        status_becomes(state.applicant_page, overview, "填写中")
        expect(state.applicant_page.locator("main")).to_contain_text(new_unit.name)
        journey.shot(state.applicant_page, "the-application-now-names-the-new-unit")


def test_a_unit_password_reset_recorded_at_the_window_lets_the_unit_sign_in_with_a_new_password(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name, accessibility=False) as journey:
        [clerk] = journey.create_clerks(("孙窗口", ACCEPTANCE_DUTIES))
        page = journey.page()
        unit = journey.register_unit(page, "上海重置密码测试有限公司")
        journey.approve_unit(clerk, unit)
        journey.check_accessibility = True

        unit_password_reset_at_the_window(journey, clerk, unit)
        visitor = journey.page()
        new_password = reset_with_the_mailed_code(journey, visitor, "unit", unit.credit_code, unit.email)
        journey.sign_in(visitor, "unit", unit.credit_code, new_password)
        expect(visitor).to_have_url(journey.url("/applications/unit"))  # an approved unit's home
        visitor.goto(journey.url("/accounts/unit"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text(unit.name)
        journey.shot(visitor, "unit-signed-in-with-the-new-password")


def test_the_whole_application_form_can_be_filled_and_finished_by_keyboard_alone(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name, accessibility=False) as journey:
        state = approved_unit_with_applicant(journey, "上海键盘测试有限公司", "陈静")
        overview = start_application(journey, state.applicant_page, Keyboard)
        accept_pledge(journey, state.unit_page, overview, "unit", Keyboard)
        accept_pledge(journey, state.applicant_page, overview, "applicant", Keyboard)
        fill_application(journey, state.applicant_page, overview, state.person, date.today(), Keyboard)
        complete(journey, state.applicant_page, overview, Keyboard)


def test_the_form_pages_work_in_english_without_javascript(
    browser: Browser, stack: str, infra: Infra, request: Any
) -> None:
    with journey_of(browser, stack, infra, request.node.name, accessibility=False) as journey:
        state = approved_unit_with_applicant(journey, "上海英文测试有限公司", "刘洋")
        journey.check_accessibility = True
        page = journey.page("en", javascript=False)
        journey.sign_in(page, "applicant", state.person.id_number, state.person.password)
        overview = start_application(journey, page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Pledge and authorisation")
        accept_pledge(journey, state.unit_page, overview, "unit")
        accept_pledge(journey, page, overview, "applicant")
        fill_application(journey, page, overview, state.person, date.today())
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        complete(journey, page, overview, completed="Completed")
        expect(page.locator("#timeline")).to_contain_text("Being filled in")
        journey.shot(page, "overview-in-english-without-javascript")
