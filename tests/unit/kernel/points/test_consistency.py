"""Months of social insurance paid vs. the contribution-base history: a contradiction is refused.

The years indicator counts full years of monthly contributions, without back-payments and without
months paid by someone other than the contract employer (domain.md §1a, 在本市工作及缴纳职工社会保险
年限, https://78911.com.cn/HuKouZhengCe/665056-2.html ; https://www.jzzjf.com/news/show/1050). The base
indicator reads the same months (domain.md §1b, http://hahafu.net.cn/html/shlhzx/jzz/67994.html). So
the months paid can never be fewer than the history's paid months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.points.claims import MonthlyContribution, SocialInsuranceClaim
from shared.kernel.points.consistency import (
    MONTHS_PAID_BELOW_HISTORY,
    MONTHS_PAID_FIELD,
    months_paid_in_history,
    social_insurance_problems,
)

from .builders import months_before

ON = date(2024, 6, 15)


def paid(n: int, multiple: str = "1", **flags: bool) -> tuple[MonthlyContribution, ...]:
    return tuple(MonthlyContribution(m, Decimal(multiple), **flags) for m in months_before(ON, n))


@dataclass(frozen=True)
class Row:
    id: str
    months_paid: int
    history: tuple[MonthlyContribution, ...]
    shown: int  # months the history shows as paid
    refused: bool


ROWS = (
    Row("24_months_at_3x_with_0_months_paid_is_refused", 0, paid(24, "3"), 24, True),
    Row("24_months_at_3x_with_24_months_paid_is_accepted", 24, paid(24, "3"), 24, False),
    Row("one_month_fewer_than_the_history_is_refused", 35, paid(36), 36, True),
    Row("more_months_paid_than_the_history_shows_is_accepted", 120, paid(36), 36, False),
    Row("no_history_accepts_any_months_paid", 0, (), 0, False),
    Row(
        "back_paid_months_are_not_paid_months",
        22,
        paid(2, back_payment=True)
        + tuple(MonthlyContribution(m, Decimal(1)) for m in months_before(ON, 24)[2:]),
        22,
        False,
    ),
    Row(
        "months_paid_by_another_payer_are_not_paid_months",
        0,
        paid(12, payer_is_contract_employer=False),
        0,
        False,
    ),
    Row(
        "a_base_that_does_not_match_declared_income_is_still_a_paid_month",
        11,
        paid(12, base_matches_declared_income=False),
        12,
        True,
    ),
    Row("the_same_month_twice_counts_once", 12, paid(12) + paid(12, "2"), 12, False),
    Row(
        "the_assessment_month_counts_but_a_later_month_does_not",
        1,
        (
            MonthlyContribution(date(2024, 6, 1), Decimal(1)),
            MonthlyContribution(date(2024, 7, 1), Decimal(1)),
        ),
        1,
        False,
    ),
)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_months_paid_must_cover_the_months_the_history_shows(row: Row) -> None:
    claim = SocialInsuranceClaim(row.months_paid, row.history)
    assert months_paid_in_history(claim, ON) == row.shown
    problems = social_insurance_problems(claim, ON, section="scoring_claims")
    assert bool(problems) is row.refused
    for problem in problems:
        assert (problem.section, problem.field, problem.code) == (
            "scoring_claims",
            MONTHS_PAID_FIELD,
            MONTHS_PAID_BELOW_HISTORY,
        )
        assert str(row.shown) in problem.message.zh and str(row.shown) in problem.message.en
