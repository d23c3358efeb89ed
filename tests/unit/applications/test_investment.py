"""投资与创业: tax and Shanghai-hukou staff for 3 consecutive completed years, the applicant's share."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from services.applications.domain.sections.common import OUT_OF_RANGE
from services.applications.domain.sections.investment import (
    DETAILS_WITHOUT_INVESTMENT,
    SHARE_OUT_OF_RANGE,
    SHARE_REQUIRED,
    THREE_YEARS_REQUIRED,
    YEAR_NOT_COMPLETED,
    YEARS_NOT_CONSECUTIVE,
    Investment,
    InvestmentYear,
    validate_investment,
)
from shared.kernel.points.limits import MAX_HIRES, MAX_TAX_YUAN
from tests.unit.applications.builders import ON, investment, no_investment


def fields(value: Investment) -> dict[str, str]:
    return {error.field: error.code for error in validate_investment(value, ON)}


def year(number: int, tax: int = 100_000, staff: int = 2) -> InvestmentYear:
    return InvestmentYear(number, tax, staff)


def test_applicant_without_an_enterprise_saves_the_section_with_nothing_else() -> None:
    assert fields(no_investment()) == {}


def test_enterprise_details_without_a_declared_investment_are_refused() -> None:
    assert fields(Investment(has_investment=False, enterprise_name="某公司")) == {
        "has_investment": DETAILS_WITHOUT_INVESTMENT
    }


def test_declared_investment_with_three_consecutive_completed_years_is_valid() -> None:
    assert fields(investment()) == {}


def test_years_may_be_given_in_any_order() -> None:
    assert fields(investment(years=(year(2025), year(2023), year(2024)))) == {}


@pytest.mark.parametrize("years", [(), (2024, 2025), (2022, 2023, 2024, 2025)])
def test_investment_needs_exactly_three_years(years: tuple[int, ...]) -> None:
    assert fields(investment(years=tuple(year(number) for number in years))) == {
        "years": THREE_YEARS_REQUIRED
    }


@pytest.mark.parametrize("years", [(2022, 2023, 2025), (2024, 2024, 2025)])
def test_the_three_years_must_be_consecutive(years: tuple[int, int, int]) -> None:
    assert fields(investment(years=tuple(year(number) for number in years))) == {
        "years": YEARS_NOT_CONSECUTIVE
    }


def test_only_completed_years_count() -> None:
    value = investment(years=(year(2024), year(2025), year(ON.year)))
    assert fields(value) == {"years[2].year": YEAR_NOT_COMPLETED}


@pytest.mark.parametrize("share", ["0", "-5", "100.01"])
def test_share_must_be_above_zero_and_at_most_one_hundred_percent(share: str) -> None:
    assert fields(investment(share_percent=Decimal(share))) == {"share_percent": SHARE_OUT_OF_RANGE}


@pytest.mark.parametrize("share", ["0.5", "100"])
def test_shares_in_range_are_accepted(share: str) -> None:
    assert fields(investment(share_percent=Decimal(share))) == {}


def test_share_is_required_with_an_investment() -> None:
    assert fields(investment(share_percent=None)) == {"share_percent": SHARE_REQUIRED}


@pytest.mark.parametrize(
    ("field", "make", "highest"),
    [
        ("years[1].tax_paid_yuan", lambda n: year(2024, tax=n), MAX_TAX_YUAN),
        ("years[1].shanghai_hukou_staff", lambda n: year(2024, staff=n), MAX_HIRES),
    ],
)
def test_tax_and_staff_are_refused_outside_the_simulators_range_with_one_message_naming_it(
    field: str, make: Callable[[int], InvestmentYear], highest: int
) -> None:
    for value, refused in ((-1, True), (0, False), (highest, False), (highest + 1, True)):
        errors = validate_investment(investment(years=(year(2023), make(value), year(2025))), ON)
        assert [(e.field, e.code) for e in errors] == ([(field, OUT_OF_RANGE)] if refused else []), value
        if refused:
            assert f"0到{highest}" in errors[0].message.zh
            assert f"from 0 to {highest}" in errors[0].message.en


def test_a_share_that_is_not_a_number_is_out_of_range_not_a_crash() -> None:
    assert fields(investment(share_percent=Decimal("NaN"))) == {"share_percent": SHARE_OUT_OF_RANGE}


def test_enterprise_name_is_required() -> None:
    assert fields(investment(enterprise_name="")) == {"enterprise_name": "required"}


def test_section_gives_the_calculator_its_claim_in_year_order() -> None:
    claim = investment(years=(year(2025, 3, 5), year(2023, 1, 3), year(2024, 2, 4))).as_claim()
    assert claim is not None
    assert claim.annual_tax_paid_yuan == (1, 2, 3)
    assert claim.annual_shanghai_hukou_hires == (3, 4, 5)
    assert claim.share_percent == Decimal("40")
    assert no_investment().as_claim() is None
