"""积分指标 and 减分项与一票否决项: form-level checks on the stored claims (scoring is the calculator's)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.scoring import (
    DUPLICATE_CONTRIBUTION_MONTH,
    SHARE_OUT_OF_RANGE,
    VETO_FAMILY_PLANNING,
    VETO_SERIOUS_CRIME,
    validate_deductions,
    validate_scoring_claims,
    veto_problems,
)
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    PublicServiceClaim,
    RecordedIncident,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    StartupFounderClaim,
)
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


def test_counts_and_years_cannot_be_negative() -> None:
    claims = scoring_claims(
        social_insurance=SocialInsuranceClaim(contribution_months=-1),
        public_service=PublicServiceClaim("教育", -2),
        key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "LG01", -1),),
    )
    assert {error.field for error in validate_scoring_claims(claims, ON)} == {
        "social_insurance.contribution_months",
        "public_service.full_years",
        "key_areas[0].full_years",
    }


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
