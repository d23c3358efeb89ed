"""The simulator page in the system Chromium, through the gateway, in Chinese and English, with and
without JavaScript: fill the form, read the total, the lines, a "would raise" hint and the chart's
text alternative.

Runs against the whole stack as ``deploy/run.sh`` starts it (see ``conftest.stack``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Recorder

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def simulator_url(stack: str) -> str:
    return f"{stack}/applications/simulator"


def fill(page: Page) -> None:
    """A bachelor with an intermediate title, 60 months paid, 36 of them at 1–2x the average wage."""
    page.fill("#assessment_date-year", "2025")
    page.fill("#assessment_date-month", "6")
    page.fill("#assessment_date-day", "16")
    page.fill("#birth_date-year", "1990")
    page.fill("#birth_date-month", "5")
    page.fill("#birth_date-day", "17")
    page.check("input[name=education][value=bachelor]")
    page.check("input[name=title][value=intermediate_title]")
    page.fill("#months_paid", "60")
    page.check("input[name=base_band][value='1']")
    page.fill("#base_months", "36")
    page.keyboard.press("Tab")


@pytest.mark.parametrize(
    ("lang", "heading", "not_counted", "hint", "chart_total"),
    [
        (
            "zh-CN",
            "积分模拟打分器",
            "未计入",
            "取得硕士研究生学历及学位可加10分",
            "合计195分，标准分值120分，已达到",
        ),
        (
            "en",
            "Points simulator",
            "Not counted",
            "Master's degree: +10",
            "total 195, standard score 120, reached",
        ),
    ],
)
def test_the_answer_updates_as_the_form_changes(
    browser: Browser,
    simulator_url: str,
    tmp_path: Path,
    lang: str,
    heading: str,
    not_counted: str,
    hint: str,
    chart_total: str,
) -> None:
    context = browser.new_context(locale=lang, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(f"{simulator_url}?lang={lang}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    fill(page)  # no submit: HTMX re-renders the result panel on every change
    expect(page.get_by_test_id("total-points")).to_have_text("195")
    qualification = page.get_by_test_id("line-qualification")
    expect(qualification.get_by_test_id("points")).to_have_text("100")
    education = page.get_by_test_id("line-education")
    expect(education.get_by_test_id("points")).to_have_text("90")
    expect(education).to_contain_text(not_counted)
    expect(education.get_by_test_id("would-raise")).to_contain_text(hint)
    expect(page.locator("#chart-desc")).to_contain_text(chart_total)
    expect(page.get_by_test_id("chart-text")).to_contain_text(chart_total)
    svg = page.locator("svg.jf-chart")
    assert (
        svg.get_attribute("role") == "img"
        and svg.get_attribute("aria-labelledby") == "chart-title chart-desc"
    )

    page.fill("#months_paid", "72")  # one more year paid: +3
    page.keyboard.press("Tab")  # the answer follows each change (a field left), not each keystroke
    expect(page.get_by_test_id("total-points")).to_have_text("198")
    assert page.url.startswith(simulator_url), "the answer was updated in place"
    page.screenshot(path=str(tmp_path / f"simulator-{lang}.png"), full_page=True)
    assert recorder.hosts == {"127.0.0.1"}, recorder.hosts
    assert not recorder.failed, recorder.failed
    assert not recorder.console_errors, recorder.console_errors
    context.close()


def test_the_simulator_works_without_javascript(browser: Browser, simulator_url: str, tmp_path: Path) -> None:
    context = browser.new_context(
        locale="zh-CN", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(simulator_url)
    fill(page)
    page.fill("#months_paid", "24")  # fewer months paid than the 36 in the base band: refused
    page.get_by_test_id("simulate").click()
    summary = page.locator(".jf-error-summary")
    expect(summary).to_contain_text("累计缴费月数至少应为36个月")
    expect(page.locator("#months_paid-error")).to_contain_text("累计缴费月数至少应为36个月")
    expect(page.locator("#months_paid")).to_have_value("24")  # what was typed is kept
    expect(page.locator("#birth_date-year")).to_have_value("1990")
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#months_paid")

    page.fill("#months_paid", "60")
    page.get_by_test_id("simulate").click()
    expect(page.get_by_test_id("total-points")).to_have_text("195")
    expect(page.get_by_test_id("line-insurance_base").get_by_test_id("points")).to_have_text("50")
    expect(page.get_by_test_id("line-insurance_base").get_by_test_id("would-raise")).to_contain_text(
        "再缴纳36个月社平2倍以上的社保基数可加50分"
    )
    expect(page.get_by_test_id("chart-text")).to_contain_text("合计195分")
    page.screenshot(path=str(tmp_path / "simulator-no-js.png"), full_page=True)
    context.close()


def test_a_veto_answer_shows_no_score(browser: Browser, simulator_url: str) -> None:
    context = browser.new_context(locale="en", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{simulator_url}?lang=en")
    fill(page)
    page.locator("#section-deductions summary").click()
    page.check("input[name=serious_criminal_record][value=yes]")
    page.get_by_test_id("simulate").click()
    expect(page.get_by_test_id("veto")).to_contain_text("You cannot apply for residence-permit points")
    expect(page.get_by_test_id("veto")).to_contain_text("Serious criminal record")
    expect(page.get_by_test_id("total-points")).to_have_count(0)
    context.close()
