"""How line points add up (积分汇总), rule by rule: either/or pairs, direct-120 routes, deductions,
the floor at zero."""

from __future__ import annotations

import pytest

from shared.kernel.points.aggregation import ChoiceKind, aggregate
from shared.kernel.points.model import Indicator as I

ROUTE = I.STARTUP_FOUNDER


@pytest.mark.parametrize(
    ("points", "total", "uncounted"),
    [
        ({I.AGE: 30, I.EDUCATION: 100, I.QUALIFICATION: 60}, 130, {I.QUALIFICATION}),
        ({I.AGE: 30, I.EDUCATION: 60, I.QUALIFICATION: 100}, 130, {I.EDUCATION}),
        ({I.AGE: 30, I.EDUCATION: 100, I.QUALIFICATION: 100}, 130, {I.QUALIFICATION}),  # tie: the first
        ({I.INVESTMENT_TAX: 20, I.INVESTMENT_HIRING: 40}, 40, {I.INVESTMENT_TAX}),
    ],
)
def test_of_an_either_or_pair_only_the_higher_counts_and_the_first_on_a_tie(
    points: dict[I, int], total: int, uncounted: set[I]
) -> None:
    result = aggregate(points)
    assert result.total == total
    assert uncounted <= result.uncounted
    assert all(result.counts(i) for i in points if i not in uncounted)


def test_a_direct_route_replaces_the_regular_indicators_only_when_it_is_higher() -> None:
    higher = aggregate({I.AGE: 30, I.EDUCATION: 60, ROUTE: 120})
    assert higher.total == 120
    assert not higher.counts(I.AGE) and higher.superseded_by[I.AGE] is ROUTE and higher.counts(ROUTE)
    assert [c.kind for c in higher.choices] == [ChoiceKind.DIRECT_ROUTE]

    lower = aggregate({I.AGE: 30, I.EDUCATION: 100, ROUTE: 120})
    assert lower.total == 130 and lower.counts(I.AGE) and not lower.counts(ROUTE)


def test_of_two_direct_routes_the_better_counts() -> None:
    result = aggregate({I.STARTUP_FOUNDER: 120, I.INNOVATION_INTERMEDIARY: 120})
    assert result.total == 120
    assert result.counts(I.STARTUP_FOUNDER) and not result.counts(I.INNOVATION_INTERMEDIARY)
    assert result.superseded_by[I.INNOVATION_INTERMEDIARY] is I.STARTUP_FOUNDER


def test_deductions_subtract_and_the_total_never_falls_below_zero() -> None:
    assert aggregate({I.AGE: 30, I.EDUCATION: 100, I.FALSE_MATERIALS: -50}).total == 80
    assert aggregate({I.AGE: 10, I.GENERAL_CRIMINAL_RECORD: -150}).total == 0


def test_a_choice_is_reported_only_when_both_sides_score() -> None:
    assert aggregate({I.EDUCATION: 100}).choices == ()
    (choice,) = aggregate({I.EDUCATION: 100, I.QUALIFICATION: 60}).choices
    assert (choice.counted, choice.set_aside, choice.counted_points, choice.set_aside_points) == (
        (I.EDUCATION,),
        (I.QUALIFICATION,),
        100,
        60,
    )
