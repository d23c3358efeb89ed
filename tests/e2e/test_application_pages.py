"""Browser journeys through the application pages in the system Chromium, in Chinese and English.

The unit starts an application on its dashboard and accepts the pledge; the applicant accepts hers and
fills every section (a resume with more than 8 periods: the 8 most recent online and the A4 sheet);
the error summary, the seed's hints and the task list's states are checked on the way; check your
answers, 完成; the unit finds it on its dashboard, 单位审核通过 with its confirmation; review's decisions
arrive and the timeline shows every step. The Chinese journey runs without JavaScript (everything is a
plain form post), the English one with it (the declared score is re-scored as the user types). Every
page is checked with axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.applications_site import APPLICANTS, ApplicationsSite, application_id_of
from tests.support import applications as upstream
from tests.unit.applications.builders import (
    APPLICANT_ID,
    AT,
    CHILD_ID_NUMBER,
    OTHER_PERSON_ID,
    SPOUSE_ID_NUMBER,
)

pytestmark = [pytest.mark.browser, pytest.mark.infra, pytest.mark.timeout(300)]

RESUME = [
    ("SCHOOL", (2005, 9), (2008, 6), "南京大学", "计算机"),
    ("WORK", (2008, 7), (2010, 6), "甲公司", "程序员"),
    ("WORK", (2010, 7), (2012, 6), "乙公司", "程序员"),
    ("UNEMPLOYED", (2012, 7), (2012, 9), "", ""),
    ("WORK", (2012, 10), (2014, 12), "丙公司", "工程师"),
    ("WORK", (2015, 1), (2017, 12), "丁公司", "工程师"),
    ("WORK", (2018, 1), (2020, 3), "戊公司", "高级工程师"),
    ("WORK", (2020, 4), (2024, 3), "己公司", "高级工程师"),
    ("WORK", (2024, 4), None, "上海浦江软件有限公司", "软件工程师"),
]
"""Nine periods: the first (school) goes on the signed A4 sheet, the 8 most recent online."""


@pytest.fixture(scope="module")
def site(infra: Any) -> Iterator[ApplicationsSite]:
    running = ApplicationsSite(infra).start()
    try:
        yield running
    finally:
        running.stop()


def page_for(browser: Browser, site: ApplicationsSite, token: str, lang: str, javascript: bool) -> Page:
    context = browser.new_context(
        locale=lang, viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    context.add_cookies([{"name": "jifen_session", "value": token, "url": site.url}])
    if lang == "en":
        context.add_cookies([{"name": "jifen_lang", "value": "en", "url": site.url}])
    return context.new_page()


def check_accessibility(
    browser: Browser,
    site: ApplicationsSite,
    page: Page,
    token: str,
    what: str,
    *,
    lang: str,
    javascript: bool,
) -> None:
    """axe-core on ``page``; a page shown without JavaScript is checked again in a scripted browser at
    the same address (axe itself needs scripts)."""
    if javascript:
        assert_accessible(page, what)
        return
    checker = page_for(browser, site, token, lang, javascript=True)
    checker.goto(page.url.split("#", 1)[0])
    assert_accessible(checker, what)
    checker.context.close()


def fill(page: Page, name: str, value: str) -> None:
    page.fill(f"[name='{name}']", value)


def month(page: Page, name: str, year: int, number: int) -> None:
    fill(page, f"{name}-year", str(year))
    fill(page, f"{name}-month", str(number))


def day(page: Page, name: str, year: int, number: int, day_of_month: int) -> None:
    month(page, name, year, number)
    fill(page, f"{name}-day", str(day_of_month))


def choose(page: Page, name: str, value: str) -> None:
    page.check(f"[name='{name}'][value='{value}']")


def task_state(page: Page, section: str) -> str:
    item = page.locator(".jf-task-list__item", has_text=section)
    return item.locator(".jf-task-list__status").inner_text().strip()


def shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def journey(
    browser: Browser, site: ApplicationsSite, who: UUID, lang: str, javascript: bool, tmp_path: Path
) -> None:
    text: dict[str, Any] = TEXT[lang]
    name = APPLICANTS[who][0]
    unit = page_for(browser, site, site.unit_token, lang, javascript)
    applicant = page_for(browser, site, site.applicant_tokens[who], lang, javascript)

    # The unit starts an application for its applicant and accepts the pledge.
    unit.goto(f"{site.url}/applications/unit")
    expect(unit.get_by_role("heading", level=1)).to_have_text(text["dashboard"])
    check_accessibility(
        browser, site, unit, site.unit_token, f"{lang} dashboard", lang=lang, javascript=javascript
    )
    unit.locator("tr", has_text=name).get_by_role("button", name=text["start"]).click()
    expect(unit.get_by_role("heading", level=1)).to_have_text(text["pledge"])
    unit.get_by_label(text["accept_unit"]).check()
    unit.get_by_role("button", name=text["accept"]).click()
    application = application_id_of(unit.url)
    overview = f"{site.url}/applications/{application}"

    # Nothing opens before both pledges; the applicant accepts hers.
    applicant.goto(overview)
    assert task_state(applicant, text["pledge"]) == text["in_progress"]
    assert task_state(applicant, text["resume"]) == text["cannot_start"]
    check_accessibility(
        browser,
        site,
        applicant,
        site.applicant_tokens[who],
        "task list before the pledges",
        lang=lang,
        javascript=javascript,
    )
    applicant.get_by_role("link", name=text["pledge"]).click()
    applicant.get_by_role("button", name=text["accept"]).click()  # without ticking the box
    expect(applicant.locator(".jf-error-summary")).to_be_visible()
    applicant.get_by_label(text["accept_applicant"]).check()
    applicant.get_by_role("button", name=text["accept"]).click()

    # 个人基本信息: the error summary names each field, the seed's notes are beside the fields.
    page = applicant
    expect(page.get_by_role("heading", level=1)).to_have_text(text["personal"])
    expect(page.get_by_text(text["hukou_note"])).to_be_visible()
    expect(page.get_by_text(text["education_note"])).to_be_visible()
    expect(page.locator("[name='name']")).to_have_value(name)  # prefilled from the registration
    page.get_by_role("button", name=text["save"]).last.click()
    summary = page.locator(".jf-error-summary")
    expect(summary).to_contain_text(text["marital_error"])
    summary.get_by_role("link", name=text["marital_error"]).click()
    assert page.url.endswith("#marital_status")
    check_accessibility(
        browser,
        site,
        page,
        site.applicant_tokens[who],
        "personal information with errors",
        lang=lang,
        javascript=javascript,
    )
    shot(page, tmp_path, f"{lang}-personal-errors")
    choose(page, "sex", "MALE")
    page.select_option("[name='ethnicity']", "汉族")
    choose(page, "marital_status", "MARRIED")
    fill(page, "hukou_address", "江苏省南京市玄武区中山路1号")
    fill(page, "shanghai_address", "上海市徐汇区漕溪北路88号")
    day(page, "residence_permit_valid_from", 2025, 6, 1)
    day(page, "residence_permit_valid_until", 2026, 5, 31)
    page.select_option("[name='highest_education']", "BACHELOR")
    fill(page, "employment.post", "软件工程师")
    day(page, "employment.contract_start", 2024, 4, 1)
    page.get_by_label(text["open_ended"]).check()
    page.get_by_role("button", name=text["save"]).last.click()

    # 个人简历: more than 8 periods; at 8 the form stops adding and asks for the signed A4 sheet.
    expect(page.get_by_role("heading", level=1)).to_have_text(text["resume"])
    for note in text["resume_notes"]:
        expect(page.get_by_text(note)).to_be_visible()
    for index, (kind, start, end, organisation, post) in enumerate(RESUME[1:]):
        if index:
            page.get_by_role("button", name=text["add_period"]).click()
        prefix = f"entries.{index}"
        choose(page, f"{prefix}.kind", kind)
        month(page, f"{prefix}.start_month", *start)
        if end is not None:
            month(page, f"{prefix}.end_month", *end)
        fill(page, f"{prefix}.organisation", organisation)
        fill(page, f"{prefix}.post", post)
    expect(page.get_by_role("button", name=text["add_period"])).to_have_count(0)
    expect(page.locator("#resume-full")).to_be_visible()
    page.get_by_role("button", name=text["save"]).last.click()
    expect(page.locator(".jf-error-summary")).to_contain_text(text["start_at_school"])
    page.get_by_label(re.compile(text["sheet"])).check()
    shot(page, tmp_path, f"{lang}-resume-eight")
    check_accessibility(
        browser, site, page, site.applicant_tokens[who], "resume", lang=lang, javascript=javascript
    )
    page.get_by_role("button", name=text["save"]).last.click()

    # 家庭情况: every child must enjoy the points benefits (是).
    expect(page.get_by_role("heading", level=1)).to_have_text(text["family"])
    expect(page.get_by_text(text["child_note"])).to_have_count(0)
    fill(page, "spouse.name", "李娜")
    fill(page, "spouse.id_number", SPOUSE_ID_NUMBER)
    fill(page, "spouse.hukou_address", "上海市黄浦区南京东路100号")
    choose(page, "spouse.has_shanghai_hukou", "yes")
    day(page, "spouse.married_on", 2017, 10, 1)
    page.get_by_role("button", name=text["add_child"]).click()
    expect(page.get_by_text(text["child_note"])).to_be_visible()
    fill(page, "children.0.name", "张小明")
    fill(page, "children.0.id_number", CHILD_ID_NUMBER)
    fill(page, "children.0.hukou_address", "江苏省南京市玄武区中山路1号")
    choose(page, "children.0.enjoys_points_benefits", "no")
    page.get_by_role("button", name=text["save"]).last.click()
    expect(page.locator(".jf-error-summary")).to_contain_text(text["child_error"])
    expect(page.locator("[name='children.0.name']")).to_have_value("张小明")  # what was typed is kept
    choose(page, "children.0.enjoys_points_benefits", "yes")
    page.get_by_role("button", name=text["save"]).last.click()

    # 投资与创业
    expect(page.get_by_role("heading", level=1)).to_have_text(text["investment"])
    choose(page, "has_investment", "no")
    page.get_by_role("button", name=text["save"]).last.click()

    # 积分指标, four pages; the declared score beside the form (re-scored as typed with JavaScript).
    expect(page.get_by_role("heading", level=1)).to_have_text(text["education_page"])
    page.select_option("[name='education.level']", "bachelor")
    choose(page, "education.nationally_recognised", "yes")
    fill(page, "education.institution", "南京大学")
    if javascript:
        expect(page.get_by_test_id("declared-total")).to_be_visible()
    page.get_by_role("button", name=text["save"]).last.click()
    applicant.goto(overview)
    assert task_state(applicant, text["scoring"]) == text["in_progress"]
    applicant.goto(f"{overview}/scoring/social-insurance")
    # 24 months at 3x the average wage with 0 months paid: a contradiction, refused at the field.
    fill(page, "social_insurance.contribution_months", "0")
    page.get_by_role("button", name=text["add_insurance_period"]).click()
    month(page, "periods.0.from_month", 2024, 3)
    month(page, "periods.0.to_month", 2026, 2)
    fill(page, "periods.0.base_multiple", "3")
    page.get_by_role("button", name=text["save"]).last.click()
    contradiction = page.locator(".jf-error-summary a[href='#social_insurance.contribution_months']")
    expect(contradiction).to_contain_text("24")
    fill(page, "social_insurance.contribution_months", "70")
    month(page, "periods.0.from_month", 2022, 3)
    fill(page, "periods.0.base_multiple", "1.2")
    page.get_by_role("button", name=text["save"]).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["bonus_page"])
    page.get_by_role("button", name=text["save"]).last.click()
    page.get_by_role("button", name=text["save"]).last.click()

    # 减分项与一票否决项: the last page; then check your answers.
    expect(page.get_by_role("heading", level=1)).to_have_text(text["deductions"])
    choose(page, "family_planning_violation", "no")
    choose(page, "serious_criminal_record", "no")
    page.get_by_role("button", name=text["save"]).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["check"])
    expect(page.locator("#check-resume")).to_contain_text("上海浦江软件有限公司")
    expect(page.locator("#problems")).to_have_count(0)
    total = page.get_by_test_id("declared-total").inner_text()
    assert int(total) >= 120
    check_accessibility(
        browser,
        site,
        page,
        site.applicant_tokens[who],
        "check your answers",
        lang=lang,
        javascript=javascript,
    )
    shot(page, tmp_path, f"{lang}-check")
    page.get_by_role("button", name=text["complete"]).click()
    expect(page.get_by_test_id("status")).to_have_text(text["completed"])

    # The unit: its dashboard says what waits for it; 单位审核通过 with its confirmation.
    unit.goto(f"{site.url}/applications/unit?needs_action=yes")
    row = unit.locator("tr", has_text=name)
    expect(row).to_contain_text(text["to_check"])
    row.get_by_role("link").first.click()
    unit.get_by_role("button", name=text["check_link"]).click()
    unit.get_by_role("button", name=text["unit_approve"]).click()
    expect(unit.get_by_text(text["locked_warning"])).to_be_visible()
    check_accessibility(
        browser, site, unit, site.unit_token, "submit confirmation", lang=lang, javascript=javascript
    )
    shot(unit, tmp_path, f"{lang}-submit-confirmation")
    unit.get_by_role("button", name=text["confirm"]).click()
    expect(unit.get_by_test_id("status")).to_have_text(text["unit_approved"])

    # Review decides; the timeline shows every step, newest first, with the current one marked.
    number = unit.locator(".jf-caption-l").first.inner_text().split()[0]
    site.publish(upstream.case_opened(application, number, AT), subject=f"case-{application}")
    site.publish(upstream.accepted(application, number, AT), subject=f"case-{application}")
    for _ in range(150):
        applicant.goto(overview)
        if applicant.get_by_test_id("status").inner_text().strip() == text["awaiting_approval"]:
            break
        applicant.wait_for_timeout(200)
    timeline = applicant.locator("#timeline .jf-timeline__title")
    expect(timeline).to_have_text(text["timeline"])
    expect(applicant.locator(".jf-timeline__item--current")).to_contain_text(text["awaiting_approval"])
    check_accessibility(
        browser,
        site,
        applicant,
        site.applicant_tokens[who],
        "overview with the timeline",
        lang=lang,
        javascript=javascript,
    )
    shot(applicant, tmp_path, f"{lang}-timeline")


TEXT: dict[str, Any] = {
    "zh-CN": {
        "dashboard": "申请人信息审核",
        "start": "开始申请",
        "pledge": "承诺与授权",
        "accept_unit": "本单位已阅读并接受单位承诺与授权",
        "accept_applicant": "我已阅读并接受申请人承诺与授权",
        "accept": "接受并继续",
        "in_progress": "进行中",
        "cannot_start": "暂不能开始",
        "resume": "个人简历",
        "personal": "个人基本信息",
        "save": "保存并继续",
        "hukou_note": "户籍地址与身份证地址不一致的，需按照户口本上的地址填写",
        "education_note": "文化程度填写最高学历",
        "marital_error": "请选择婚姻状况",
        "open_ended": "无固定期限劳动合同",
        "resume_notes": [
            "从最后一个全日制毕业学校开始写",
            "简历的时间要有连续性",
            "如有段时间没有工作，也需要填进去，并写“待业”",
        ],
        "add_period": "再添加一段",
        "start_at_school": "简历应从最后一个全日制毕业学校开始填写",
        "sheet": "我的经历超过8段",
        "family": "家庭情况",
        "add_child": "添加子女",
        "child_note": "孩子一定要选择享受积分相关待遇：是",
        "child_error": "子女须选择享受积分相关待遇",
        "investment": "投资与创业",
        "education_page": "教育背景与职称技能",
        "scoring": "积分指标",
        "add_insurance_period": "添加时间段",
        "bonus_page": "加分项",
        "deductions": "减分项与一票否决项",
        "check": "核对申请信息",
        "complete": "完成",
        "completed": "已完成",
        "to_check": "待核查",
        "check_link": "核对申请信息",
        "unit_approve": "单位审核通过",
        "locked_warning": "点击“确定”即正式向人才服务中心提交网上申请",
        "confirm": "确定",
        "unit_approved": "单位审核通过",
        "awaiting_approval": "等待审批",
        "timeline": ["等待审批", "受理通过", "等待受理", "单位审核通过", "已完成", "填写中"],
    },
    "en": {
        "dashboard": "Applicants and their applications",
        "start": "Start the application",
        "pledge": "Pledge and authorisation",
        "accept_unit": "The unit has read and accepts the unit's pledge and authorisation",
        "accept_applicant": "I have read and accept the applicant's pledge and authorisation",
        "accept": "Accept and continue",
        "in_progress": "In progress",
        "cannot_start": "Cannot start yet",
        "resume": "Resume",
        "personal": "Personal information",
        "save": "Save and continue",
        "hukou_note": "If your hukou address differs from the address on your ID card",
        "education_note": "Enter your highest education",
        "marital_error": "Select an answer for “Marital status”",
        "open_ended": "The contract has no fixed term",
        "resume_notes": [
            "Start with the last full-time school you graduated from",
            "The periods must follow on from each other without gaps",
            "Enter any period without work too",
        ],
        "add_period": "Add another period",
        "start_at_school": "The resume must start with the last full-time school you graduated from",
        "sheet": "My history has more than 8 periods",
        "family": "Family",
        "add_child": "Add a child",
        "child_note": "For every child, choose yes for enjoying the points-related benefits",
        "child_error": "Every child must be marked as enjoying the points-related benefits",
        "investment": "Investment and enterprise",
        "education_page": "Education, titles and skills",
        "scoring": "Scoring items",
        "add_insurance_period": "Add a period",
        "bonus_page": "Bonus items",
        "deductions": "Deductions and veto items",
        "check": "Check your answers",
        "complete": "Finish",
        "completed": "Completed",
        "to_check": "To check",
        "check_link": "Check your answers",
        "unit_approve": "Approve and submit as the unit",
        "locked_warning": "Selecting Confirm submits the application",
        "confirm": "Confirm",
        "unit_approved": "Approved by the unit",
        "awaiting_approval": "Awaiting approval",
        "timeline": [
            "Awaiting approval",
            "Accepted",
            "Awaiting acceptance",
            "Approved by the unit",
            "Completed",
            "Being filled in",
        ],
    },
}


def test_an_application_is_filled_checked_and_submitted_in_chinese_without_javascript(
    browser: Browser, site: ApplicationsSite, tmp_path: Path
) -> None:
    journey(browser, site, APPLICANT_ID, "zh-CN", javascript=False, tmp_path=tmp_path)


def test_an_application_is_filled_checked_and_submitted_in_english_with_javascript(
    browser: Browser, site: ApplicationsSite, tmp_path: Path
) -> None:
    journey(browser, site, OTHER_PERSON_ID, "en", javascript=True, tmp_path=tmp_path)
