"""积分指标 and 减分项与一票否决项: form-level checks on the stored claims (scoring is the calculator's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.applications.domain.sections.common import OUT_OF_RANGE, TOO_MANY
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.scoring import (
    BORN_TOO_EARLY,
    DUPLICATE_CONTRIBUTION_MONTH,
    SHARE_OUT_OF_RANGE,
    TOO_MANY_MONTHS,
    VETO_FAMILY_PLANNING,
    VETO_SERIOUS_CRIME,
    validate_deductions,
    validate_scoring_claims,
    veto_problems,
)
from shared.kernel.id_number import EARLIEST_BIRTH_DATE
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    InnovationIntermediaryClaim,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    PublicServiceClaim,
    RecordedIncident,
    ScoringClaims,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    StartupFounderClaim,
)
from shared.kernel.points.consistency import MONTHS_PAID_BELOW_HISTORY
from shared.kernel.points.limits import (
    MAX_BASE_MULTIPLE,
    MAX_HIRES,
    MAX_MONTHS,
    MAX_RECORDS,
    MAX_TAX_YUAN,
    MAX_YEARS,
)
from shared.kernel.points.simulation import QUESTIONS
from tests.unit.applications.builders import ON, deductions, scoring_claims

LATER = ON + timedelta(days=1)


def test_plain_claims_are_valid() -> None:
    assert validate_scoring_claims(scoring_claims(), ON) == []


def test_claimed_dates_cannot_be_after_the_application_date() -> None:
    claims = scoring_claims(
        birth_date=LATER,
        awards=(AwardClaim(AwardLevel.MUNICIPAL_COMPREHENSIVE, "优秀员工", LATER, True),),
    )
    fields = {error.field: error.code for error in validate_scoring_claims(claims, ON)}
    assert fields == {"birth_date": "date_in_future", "awards[0].received_on": "date_in_future"}


def test_a_contribution_month_cannot_be_claimed_twice() -> None:
    history = (
        MonthlyContribution(date(2025, 1, 1), Decimal("1.0")),
        MonthlyContribution(date(2025, 1, 15), Decimal("1.2")),
    )
    claims = scoring_claims(social_insurance=SocialInsuranceClaim(contribution_months=2, history=history))
    errors = validate_scoring_claims(claims, ON)
    assert [(error.field, error.code) for error in errors] == [
        ("social_insurance.history[1].month", DUPLICATE_CONTRIBUTION_MONTH)
    ]


def _months(n: int, base: Decimal = Decimal(1)) -> tuple[MonthlyContribution, ...]:
    """``n`` distinct months before the application month."""
    index = ON.year * 12 + ON.month - 2
    return tuple(
        MonthlyContribution(date((index - k) // 12, (index - k) % 12 + 1, 1), base) for k in range(n)
    )


RANGES: list[tuple[str, Callable[[Any], ScoringClaims], Any, Any]] = [
    # field, claims with the value there, lowest and highest value accepted
    (
        "social_insurance.contribution_months",
        lambda n: scoring_claims(social_insurance=SocialInsuranceClaim(contribution_months=n)),
        0,
        MAX_MONTHS,
    ),
    (
        "social_insurance.history[0].base_multiple",
        lambda m: scoring_claims(social_insurance=SocialInsuranceClaim(1, _months(1, m))),
        Decimal(0),
        MAX_BASE_MULTIPLE,
    ),
    (
        "public_service.full_years",
        lambda n: scoring_claims(public_service=PublicServiceClaim("教育", n)),
        0,
        MAX_YEARS,
    ),
    (
        "key_areas[0].full_years",
        lambda n: scoring_claims(key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "LG01", n),)),
        0,
        MAX_YEARS,
    ),
    (
        "investment.annual_tax_paid_yuan[1]",
        lambda n: scoring_claims(investment=InvestmentClaim("某公司", Decimal(40), (1, n, 1), (0, 0, 0))),
        0,
        MAX_TAX_YUAN,
    ),
    (
        "investment.annual_shanghai_hukou_hires[2]",
        lambda n: scoring_claims(investment=InvestmentClaim("某公司", Decimal(40), (1, 1, 1), (0, 0, n))),
        0,
        MAX_HIRES,
    ),
    (
        "startup_founder.consecutive_months_in_incubator",
        lambda n: scoring_claims(startup_founder=StartupFounderClaim("某公司", Decimal(30), n, True, True)),
        0,
        MAX_MONTHS,
    ),
    (
        "innovation_intermediary.consecutive_months_in_technology_transfer",
        lambda n: scoring_claims(innovation_intermediary=InnovationIntermediaryClaim("某机构", n)),
        0,
        MAX_MONTHS,
    ),
]
STEP = {int: 1, Decimal: Decimal("0.01")}


@pytest.mark.parametrize(("field", "make", "lowest", "highest"), RANGES, ids=[row[0] for row in RANGES])
def test_a_number_outside_its_range_is_refused_at_its_field_with_one_message_naming_the_range(
    field: str, make: Callable[[Any], ScoringClaims], lowest: Any, highest: Any
) -> None:
    step = STEP[type(lowest)]
    for value in (lowest - step, highest + step, 10**22):
        errors = validate_scoring_claims(make(value), ON)
        assert [(error.field, error.code) for error in errors] == [(field, OUT_OF_RANGE)], value
        assert f"{lowest}到{highest}" in errors[0].message.zh
        assert f"from {lowest} to {highest}" in errors[0].message.en


@pytest.mark.parametrize(("field", "make", "lowest", "highest"), RANGES, ids=[row[0] for row in RANGES])
def test_both_ends_of_a_range_are_accepted(
    field: str, make: Callable[[Any], ScoringClaims], lowest: Any, highest: Any
) -> None:
    for value in (lowest, highest):
        assert validate_scoring_claims(make(value), ON) == [], value


def test_the_form_and_the_simulator_ask_the_same_question_with_the_same_range() -> None:
    limits = {question.name: question.maximum for question in QUESTIONS}
    assert limits["months_paid"] == limits["founder_months"] == limits["intermediary_months"] == MAX_MONTHS
    assert limits["key_area_years"] == limits["public_service_years"] == MAX_YEARS
    assert (limits["investment_tax_yuan"], limits["investment_hires"]) == (MAX_TAX_YUAN, MAX_HIRES)
    assert limits["false_materials"] == limits["detentions"] == limits["criminal_records"] == MAX_RECORDS


def test_negative_months_paid_get_the_range_message_only_not_a_contradiction_with_the_history() -> None:
    claims = scoring_claims(
        social_insurance=SocialInsuranceClaim(contribution_months=-1, history=_months(12))
    )
    assert [error.code for error in validate_scoring_claims(claims, ON)] == [OUT_OF_RANGE]


def test_months_paid_in_range_are_still_checked_against_the_history() -> None:
    claims = scoring_claims(social_insurance=SocialInsuranceClaim(contribution_months=6, history=_months(12)))
    assert [error.code for error in validate_scoring_claims(claims, ON)] == [MONTHS_PAID_BELOW_HISTORY]


def test_a_contribution_record_longer_than_a_working_life_is_refused_once() -> None:
    too_long = SocialInsuranceClaim(MAX_MONTHS, _months(MAX_MONTHS + 1))
    errors = validate_scoring_claims(scoring_claims(social_insurance=too_long), ON)
    history_errors = [(e.field, e.code) for e in errors if e.field.startswith("social_insurance.history")]
    assert history_errors == [("social_insurance.history", TOO_MANY_MONTHS)]  # not one per month
    full = SocialInsuranceClaim(MAX_MONTHS, _months(MAX_MONTHS))
    assert validate_scoring_claims(scoring_claims(social_insurance=full), ON) == []


def test_a_birth_date_before_1900_is_refused() -> None:
    claims = scoring_claims(birth_date=EARLIEST_BIRTH_DATE - timedelta(days=1))
    assert [error.code for error in validate_scoring_claims(claims, ON)] == [BORN_TOO_EARLY]
    assert validate_scoring_claims(scoring_claims(birth_date=EARLIEST_BIRTH_DATE), ON) == []


def _award(index: int) -> AwardClaim:
    return AwardClaim(AwardLevel.MUNICIPAL_COMPREHENSIVE, f"优秀员工{index}", ON, True)


def _area(index: int) -> KeyAreaClaim:
    return KeyAreaClaim(KeyAreaKind.OTHER, f"A{index}", 1)


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("awards", lambda n: {"awards": tuple(_award(i) for i in range(n))}),
        ("key_areas", lambda n: {"key_areas": tuple(_area(i) for i in range(n))}),
    ],
)
def test_at_most_twenty_records_of_one_kind_can_be_claimed(
    field: str, make: Callable[[int], dict[str, Any]]
) -> None:
    assert validate_scoring_claims(scoring_claims(**make(MAX_RECORDS)), ON) == []
    errors = validate_scoring_claims(scoring_claims(**make(MAX_RECORDS + 1)), ON)
    assert [(error.field, error.code) for error in errors] == [(field, TOO_MANY)]


@pytest.mark.parametrize("kind", ["false_materials", "administrative_detentions", "general_criminal_records"])
def test_at_most_twenty_deduction_records_of_one_kind_like_the_simulator(kind: str) -> None:
    records = tuple(RecordedIncident(ON) for _ in range(MAX_RECORDS + 1))
    assert validate_deductions(deductions(**{kind: records[:MAX_RECORDS]}), ON) == []
    errors = validate_deductions(deductions(**{kind: records}), ON)
    assert [(error.field, error.code) for error in errors] == [(kind, TOO_MANY)]


def test_shares_must_be_above_zero_and_at_most_one_hundred_percent() -> None:
    claims = scoring_claims(
        investment=InvestmentClaim("某公司", Decimal("120"), (1, 1, 1), (0, 0, 0)),
        startup_founder=StartupFounderClaim("某公司", Decimal("0"), 12, True, True),
    )
    errors = validate_scoring_claims(claims, ON)
    assert {(error.field, error.code) for error in errors} == {
        ("investment.share_percent", SHARE_OUT_OF_RANGE),
        ("startup_founder.share_percent", SHARE_OUT_OF_RANGE),
    }


def test_shortage_major_needs_code_and_name() -> None:
    claims = scoring_claims(shortage_major=ShortageMajorClaim("", "", True))
    assert {error.field for error in validate_scoring_claims(claims, ON)} == {
        "shortage_major.major_code",
        "shortage_major.major_name",
    }


def test_deduction_records_cannot_be_dated_after_the_application_date() -> None:
    value = deductions(
        false_materials=(RecordedIncident(ON),),
        administrative_detentions=(RecordedIncident(LATER),),
    )
    errors = validate_deductions(value, ON)
    assert [(error.section, error.field) for error in errors] == [
        (SectionName.DEDUCTIONS, "administrative_detentions[0].on")
    ]


def test_veto_items_are_valid_answers_that_are_reported_as_veto() -> None:
    value = deductions(family_planning_violation=True, serious_criminal_record=True)
    assert validate_deductions(value, ON) == []
    problems = veto_problems(value)
    assert {problem.code for problem in problems} == {VETO_FAMILY_PLANNING, VETO_SERIOUS_CRIME}
    for problem in problems:
        assert "一票否决" in problem.message.zh
        assert "veto" in problem.message.en


def test_no_veto_item_no_veto_problem() -> None:
    assert veto_problems(deductions()) == []
