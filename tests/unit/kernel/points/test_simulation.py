"""The simulator: answers as a person knows them, read with every problem at once, checked against the
rules in force, mapped to claims and scored by the approval calculator."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.points.claims import KeyAreaKind
from shared.kernel.points.consistency import MONTHS_PAID_BELOW_HISTORY
from shared.kernel.points.model import Indicator
from shared.kernel.points.simulation import (
    QUESTIONS,
    AnswerKind,
    SimulatorAnswers,
    SimulatorAnswersError,
    read_answers,
    simulate,
    to_claims,
)

from .builders import CATALOGUES, rules
from .simulator_cases import CASES, SimulatorCase

TODAY = date(2025, 6, 16)


def problems(raw: dict[str, object]) -> dict[str, str]:
    """field -> code of every problem with ``raw``."""
    with pytest.raises(SimulatorAnswersError) as refused:
        simulate(read_answers(raw, TODAY), CATALOGUES)
    return {e.field: e.code for e in refused.value.errors}


def test_there_are_at_least_30_cases_each_citing_domain_md_and_its_source() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.brief.startswith("domain.md §1") and c.source.startswith("http") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_scoring_case_from_the_domain_brief_scores_as_the_brief_says(case: SimulatorCase) -> None:
    result = simulate(read_answers(case.answers, TODAY), CATALOGUES)
    assert result.eligible is not case.ineligible, case.source
    for indicator, points in case.lines.items():
        assert result.line(Indicator(indicator)).points == points, (case.brief, case.source)
    if case.total is not None:
        assert result.total == case.total, (case.brief, case.source)


def test_every_answer_is_a_question_and_only_the_birth_date_is_required() -> None:
    assert [q.name for q in QUESTIONS] == [f.name for f in fields(SimulatorAnswers)]
    assert [q.name for q in QUESTIONS if q.required] == ["birth_date"]


def test_form_strings_and_json_values_read_alike() -> None:
    typed = {"birth_date": "1990-05-17", "months_paid": 60, "fresh_graduate": True, "investment_share": 40}
    written = {
        "birth_date": " 1990-05-17 ",
        "months_paid": "60",
        "fresh_graduate": "yes",
        "investment_share": "40%",
    }
    assert read_answers(typed, TODAY) == read_answers(written, TODAY)
    answers = read_answers(written, TODAY)
    assert (answers.months_paid, answers.fresh_graduate, answers.investment_share) == (60, True, Decimal(40))


def test_blank_answers_take_their_defaults_and_the_assessment_date_is_today() -> None:
    answers = read_answers({"birth_date": "1990-05-17", "assessment_date": "", "education": ""}, TODAY)
    assert answers.assessment_date == TODAY
    assert answers.education is None and answers.education_recognised and answers.months_paid == 0


def test_every_problem_with_the_answers_is_reported_at_once() -> None:
    with pytest.raises(SimulatorAnswersError) as refused:
        read_answers(
            {
                "birth_date": "1990-02-30",
                "months_paid": "-1",
                "education": "phd",
                "fresh_graduate": "maybe",
                "investment_share": "0",
                "base_months": "49",
                "nickname": "x",
            },
            TODAY,
        )
    assert {e.field: e.code for e in refused.value.errors} == {
        "nickname": "unknown_field",
        "birth_date": "date",
        "months_paid": "count",
        "education": "choice",
        "fresh_graduate": "yes_no",
        "investment_share": "percent",
        "base_months": "count",
    }
    assert all(e.message.zh and e.message.en for e in refused.value.errors)


def test_a_missing_birth_date_is_required() -> None:
    with pytest.raises(SimulatorAnswersError) as refused:
        read_answers({"education": "master"}, TODAY)
    assert [(e.field, e.code) for e in refused.value.errors] == [("birth_date", "required")]


def test_more_months_in_the_base_band_than_months_paid_is_refused_at_months_paid() -> None:
    found = problems({"birth_date": "1990-05-17", "months_paid": 0, "base_band": "3", "base_months": 24})
    assert found == {"months_paid": MONTHS_PAID_BELOW_HISTORY}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"birth_date": "2026-01-01"}, {"birth_date": "simulator.after_assessment_date"}),
        (
            {"birth_date": "1990-01-01", "assessment_date": "2013-06-30"},
            {"assessment_date": "simulator.no_rules_on_date"},
        ),
        (
            {"birth_date": "1990-01-01", "spouse_shanghai_hukou": True},
            {"married_on": "simulator.marriage_date_missing"},
        ),
        ({"birth_date": "1990-01-01", "married_on": "1989-01-01"}, {"married_on": "simulator.before_birth"}),
        (
            {"birth_date": "1990-01-01", "months_paid": 48, "base_months": 12},
            {"base_band": "simulator.base_band_missing"},
        ),
        (
            {"birth_date": "1990-01-01", "months_paid": 48, "base_band": "3", "base_months": 40},
            {"base_months": "simulator.base_months_above_window"},
        ),
        ({"birth_date": "1990-01-01", "key_area_years": 5}, {"key_area": "simulator.key_area_missing"}),
        (
            {"birth_date": "1990-01-01", "investment_tax_yuan": 100000},
            {"investment_share": "simulator.share_missing"},
        ),
        ({"birth_date": "1990-01-01", "founder_months": 6}, {"founder_share": "simulator.share_missing"}),
        (
            {"birth_date": "1990-01-01", "shortage_major": "S-9999"},
            {"shortage_major": "simulator.major_not_on_catalogue"},
        ),
        (
            {"birth_date": "1990-01-01", "assessment_date": "2016-06-15", "shortage_major": "S-0004"},
            {"shortage_major": "simulator.major_not_on_catalogue"},  # on the catalogue only from 2018
        ),
        (
            {"birth_date": "1990-01-01", "false_materials": 1, "false_materials_oldest_on": "2022-06-16"},
            {"false_materials_oldest_on": "simulator.record_outside_window"},
        ),
    ],
)
def test_answers_that_break_a_rule_are_refused_at_the_field(
    raw: dict[str, object], expected: dict[str, str]
) -> None:
    assert problems(raw) == expected


def test_the_base_band_is_the_most_recent_months_and_also_meets_the_title_gate() -> None:
    answers = read_answers(
        {"birth_date": "1990-05-17", "months_paid": 30, "base_band": "1", "base_months": 30}, TODAY
    )
    claims, _ = to_claims(answers, rules(TODAY))
    months = sorted(c.month for c in claims.social_insurance.history)
    assert (months[0], months[-1], len(months)) == (date(2022, 12, 1), date(2025, 5, 1), 30)
    assert {c.base_multiple for c in claims.social_insurance.history} == {Decimal(1)}


def test_a_key_area_kind_maps_to_an_area_of_that_kind_on_the_catalogue_in_force() -> None:
    for on, expected in ((date(2024, 6, 15), "KA13-LG"), (date(2026, 3, 2), "KA26-LG")):
        answers = read_answers(
            {
                "birth_date": "1990-05-17",
                "assessment_date": on.isoformat(),
                "key_area": "lingang",
                "key_area_years": 3,
            },
            TODAY,
        )
        claims, _ = to_claims(answers, rules(on))
        assert [(a.kind, a.area_code) for a in claims.key_areas] == [(KeyAreaKind.LINGANG, expected)]


def test_deduction_records_put_the_oldest_on_its_date_and_say_when_it_stops_counting() -> None:
    answers = read_answers(
        {"birth_date": "1990-05-17", "detentions": 2, "detentions_oldest_on": "2021-03-01"}, TODAY
    )
    result = simulate(answers, CATALOGUES)
    line = result.line(Indicator.ADMINISTRATIVE_DETENTION)
    assert line.points == -100
    assert line.next_steps[0].note.params["on"] == date(2026, 3, 1)


def test_the_same_answers_always_give_the_same_result() -> None:
    answers = read_answers(CASES[-1].answers, TODAY)
    assert simulate(answers, CATALOGUES) == simulate(answers, CATALOGUES)


def test_every_question_kind_is_read() -> None:
    assert {q.kind for q in QUESTIONS} == set(AnswerKind)
