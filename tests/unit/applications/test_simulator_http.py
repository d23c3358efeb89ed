"""The simulator's page and JSON API, in process (the end-to-end tests repeat the essentials through the
gateway on the running stack)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.applications.app import create_app
from services.applications.http.simulator import SECTIONS, result_view
from shared.kernel.points.simulation import QUESTIONS, read_answers, simulate
from shared.platform.auth import TokenVerifier
from shared.platform.catalogues import load_catalogues
from shared.platform.i18n import catalogue
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings
from shared.platform.web import CSRF_COOKIE
from tests.unit.kernel.points.simulator_cases import CASES

pytestmark = pytest.mark.anyio

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 16, 22, 0, tzinfo=SHANGHAI)  # two hours before midnight in Shanghai
API = "/api/applications/simulator"
PAGE = "/applications/simulator"
ANSWERS = {
    "assessment_date": "2025-06-16",
    "birth_date": "1990-05-17",
    "education": "bachelor",
    "title": "intermediate_title",
    "months_paid": 60,
    "base_band": "1",
    "base_months": 36,
}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(
        Settings(service="applications", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="s" * 32,
        open_db_pool=False,
        readiness_checks={},
        clock=lambda: NOW,
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def expected_view(answers: dict[str, Any]) -> Any:
    result = simulate(read_answers(answers, NOW.date()), load_catalogues())
    return msgspec.to_builtins(result_view(result))


async def test_the_api_answers_with_the_calculators_lines_and_total(
    client: AsyncTestClient[Litestar],
) -> None:
    for case in CASES[:12]:
        response = await client.post(API, json=case.answers)
        assert response.status_code == 200, response.text
        assert response.json() == expected_view(dict(case.answers)), case.id


async def test_the_same_answers_give_the_same_body_and_etag_and_may_be_cached_privately(
    client: AsyncTestClient[Litestar],
) -> None:
    first, second = await client.post(API, json=ANSWERS), await client.post(API, json=ANSWERS)
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"] and first.headers["etag"].startswith('"')
    assert first.headers["cache-control"] == "private, max-age=86400"
    other = await client.post(API, json={**ANSWERS, "months_paid": 72})
    assert other.headers["etag"] != first.headers["etag"]
    today = await client.post(API, json={k: v for k, v in ANSWERS.items() if k != "assessment_date"})
    assert today.json()["assessed_on"] == "2025-06-16"
    assert today.headers["cache-control"] == "private, max-age=7200"  # until midnight in Shanghai


async def test_a_veto_answer_says_the_person_cannot_apply_and_gives_no_score(
    client: AsyncTestClient[Litestar],
) -> None:
    body = (await client.post(API, json={**ANSWERS, "serious_criminal_record": True})).json()
    assert (body["outcome"], body["total"], body["lines"], body["meets_pass_mark"]) == (
        "ineligible",
        None,
        [],
        None,
    )
    (reason,) = body["ineligibility_reasons"]
    assert reason["text"]["en"].startswith("Serious criminal record: this is a veto item")
    assert reason["sources"][0].startswith("http")


async def test_bad_answers_get_problem_details_with_an_error_per_field_in_the_callers_language(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.post(
        API,
        json={"birth_date": "1990-02-30", "months_paid": "many", "base_band": "1", "base_months": 36},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:jifen:problem:validation-error"
    assert {e["field"]: e["message"] for e in problem["errors"]} == {
        "birth_date": "Enter a real date (year, month and day)",
        "months_paid": "Enter a whole number from 0 to 600",
    }
    contradiction = await client.post(API, json={**ANSWERS, "months_paid": 24})
    assert [(e["field"], e["code"]) for e in contradiction.json()["errors"]] == [
        ("months_paid", "points.months_paid_below_history")
    ]


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"{not json", 400), (b"[1, 2]", 400), (b'"text"', 400), (b"{}", 422), (b'{"birth_date": null}', 422)],
)
async def test_malformed_bodies_are_problems_never_a_500(
    client: AsyncTestClient[Litestar], content: bytes, status: int
) -> None:
    response = await client.post(API, content=content, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["status"] == status


async def test_the_questions_are_listed_with_the_majors_in_force_and_can_be_revalidated(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get(f"{API}/questions", params={"on": "2016-06-15"})
    assert response.status_code == 200
    body = response.json()
    assert [q["name"] for q in body["questions"]] == [q.name for q in QUESTIONS]
    majors = next(q for q in body["questions"] if q["name"] == "shortage_major")["choices"]
    assert [m["value"] for m in majors] == ["S-0001", "S-0002", "S-0003"]  # S-0004 only from 2018
    assert response.headers["cache-control"] == "public, max-age=86400"
    again = await client.get(
        f"{API}/questions", params={"on": "2016-06-15"}, headers={"If-None-Match": response.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    too_early = await client.get(f"{API}/questions", params={"on": "2013-06-30"})
    assert too_early.status_code == 422


async def test_the_openapi_documents_both_operations_with_the_question_table_and_examples(
    client: AsyncTestClient[Litestar],
) -> None:
    schema = (await client.get("/api/applications/schema/openapi.json")).json()
    simulate_op = schema["paths"][API]["post"]
    assert simulate_op["operationId"] == "SimulatePoints"
    body = simulate_op["requestBody"]["content"]["application/json"]
    assert list(body["schema"]["properties"]) == [q.name for q in QUESTIONS]
    assert body["schema"]["required"] == ["birth_date"]
    assert body["schema"]["properties"]["base_band"]["enum"] == ["0.8", "1", "2", "3"]
    assert (
        "Months of Shanghai employee social insurance"
        in body["schema"]["properties"]["months_paid"]["description"]
    )
    assert set(body["examples"]) == {"bachelor-with-title", "veto"}
    assert simulate_op["responses"]["200"]["content"]["application/json"]["examples"]
    assert "422" in simulate_op["responses"]
    assert schema["paths"][f"{API}/questions"]["get"]["operationId"] == "ListSimulatorQuestions"


def test_every_question_has_a_label_in_both_languages_and_sits_in_one_section() -> None:
    in_sections = [name for _, names, _ in SECTIONS for name in names]
    assert sorted(in_sections) == sorted(q.name for q in QUESTIONS)
    for lang in ("zh-CN", "en"):
        messages = catalogue(lang)
        for q in QUESTIONS:
            assert f"simulator.q.{q.name}" in messages, (lang, q.name)
            if q.kind in ("choice", "code"):
                assert f"simulator.q.{q.name}.none" in messages, (lang, q.name)
        for key, _, _ in SECTIONS:
            assert f"simulator.section.{key}" in messages


async def csrf(client: AsyncTestClient[Litestar], lang: str = "zh-CN") -> str:
    page = await client.get(PAGE, params={"lang": lang})
    assert page.status_code == 200
    return str(client.cookies[CSRF_COOKIE])


def form(answers: dict[str, Any], token: str) -> dict[str, str]:
    """The answers as the page's form posts them (dates in three fields)."""
    data = {"_csrf_token": token}
    for key, value in answers.items():
        if key in ("assessment_date", "birth_date", "married_on"):
            year, month, day = str(value).split("-")
            data.update({f"{key}-year": year, f"{key}-month": str(int(month)), f"{key}-day": str(int(day))})
        else:
            data[key] = str(value)
    return data


async def test_the_page_works_as_a_plain_form_post_and_keeps_what_was_typed(
    client: AsyncTestClient[Litestar],
) -> None:
    token = await csrf(client)
    response = await client.post(PAGE, data=form(ANSWERS, token))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert re.search(r'data-testid="total-points">195<', html)
    assert 'name="months_paid" type="text" value="60"' in html
    assert re.search(r'name="education" type="radio" value="bachelor"\s+checked', html)
    assert "取得硕士研究生学历及学位可加10分" in html  # a "would raise" hint
    assert '<desc id="chart-desc">' in html and "合计195分，标准分值120分，已达到" in html


async def test_a_form_with_problems_shows_them_at_the_field_and_in_the_summary(
    client: AsyncTestClient[Litestar],
) -> None:
    token = await csrf(client, "en")
    response = await client.post(
        PAGE, data=form({**ANSWERS, "months_paid": "24"}, token), headers={"Accept-Language": "en"}
    )
    html = response.text
    assert 'class="jf-error-summary"' in html and 'href="#months_paid"' in html
    assert 'id="months_paid-error"' in html and 'aria-invalid="true"' in html
    assert 'name="months_paid" type="text" value="24"' in html  # what was typed is kept
    assert "You said your base reached that level for 36 months, so you paid at least 36 months" in html
    assert 'data-testid="total-points"' not in html
    bad_date = await client.post(PAGE, data={**form(ANSWERS, token), "birth_date-month": "13"})
    assert 'href="#birth_date-year"' in bad_date.text and 'value="13"' in bad_date.text


async def test_an_htmx_request_gets_only_the_result_panel(client: AsyncTestClient[Litestar]) -> None:
    token = await csrf(client)
    response = await client.post(PAGE, data=form(ANSWERS, token), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="jf-simulator__result" id="simulator-result"')
    assert "<html" not in response.text
    problems = await client.post(
        PAGE, data=form({**ANSWERS, "months_paid": "24"}, token), headers={"HX-Request": "true"}
    )
    assert 'class="jf-error-summary"' in problems.text
    assert "data-module" not in problems.text  # no focus moved away from the field being typed in


async def test_a_page_post_without_the_csrf_token_is_refused(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(PAGE, data={"birth_date-year": "1990"})
    assert response.status_code == 403


async def test_the_page_shows_a_veto_without_a_score(client: AsyncTestClient[Litestar]) -> None:
    token = await csrf(client)
    html = (await client.post(PAGE, data=form({**ANSWERS, "family_planning_violation": "yes"}, token))).text
    assert 'data-testid="veto"' in html and "您不能申请居住证积分" in html
    assert 'data-testid="total-points"' not in html and "<svg" not in html


def test_the_chart_describes_every_bar_and_marks_what_does_not_count() -> None:
    from services.applications.http.simulator_chart import chart

    view = result_view(simulate(read_answers(ANSWERS, date(2025, 6, 16)), load_catalogues()))
    drawn = chart(view, "en")
    assert drawn is not None
    assert [b.style for b in drawn.bars] == [
        "counted",
        "set-aside",
        "counted",
        "counted",
        "counted",
        "total",
        "pass-mark",
    ]
    assert drawn.description == (
        "Age: 30; Education: 90 (not counted); Professional title and skill level: 100; "
        "Years of work and employee social insurance in Shanghai: 15; "
        "Social-insurance contribution base: 50; total 195, standard score 120, reached."
    )
    assert max(b.width for b in drawn.bars) <= drawn.width
