"""How the indicators' points add up to a total (积分汇总): the either/or choices, the direct-120
routes and the deductions (domain.md §1, 沪府规〔2023〕5号 附件 aggregation rules).

The calculator scores each indicator from the claims; the approver verifies each declared line and
may lower it. Both totals come from :func:`aggregate`, so a verified score follows the same rules as
the declared one: lowering the counted side of an either/or choice below the other side makes the
other side count, and a direct-120 route counts only while it beats the regular indicators' sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .model import DEDUCTION_INDICATORS, Indicator


class ChoiceKind(StrEnum):
    """The either/or choices of the aggregation rules."""

    EDUCATION_OR_TITLE = "education_or_title"
    TAX_OR_HIRING = "tax_or_hiring"
    DIRECT_ROUTE = "direct_route"  # a direct-120 route or the regular indicators


@dataclass(frozen=True, slots=True)
class Choice:
    """An either/or choice the aggregation made: ``counted`` gave ``counted_points``, ``set_aside``
    would have given ``set_aside_points``. Reported only when both sides score."""

    kind: ChoiceKind
    counted: tuple[Indicator, ...]
    set_aside: tuple[Indicator, ...]
    counted_points: int
    set_aside_points: int


PAIRS: tuple[tuple[ChoiceKind, Indicator, Indicator], ...] = (
    (ChoiceKind.EDUCATION_OR_TITLE, Indicator.EDUCATION, Indicator.QUALIFICATION),
    (ChoiceKind.TAX_OR_HIRING, Indicator.INVESTMENT_TAX, Indicator.INVESTMENT_HIRING),
)
"""Either/or pairs: the higher counts, the first on a tie."""

ROUTES: tuple[Indicator, Indicator] = (Indicator.STARTUP_FOUNDER, Indicator.INNOVATION_INTERMEDIARY)
"""The direct-120 routes: the better one (the first on a tie) replaces the regular indicators when
it is higher than their sum."""

REGULAR: tuple[Indicator, ...] = tuple(
    i for i in Indicator if i not in ROUTES and i not in DEDUCTION_INDICATORS
)


@dataclass(frozen=True, slots=True)
class Aggregation:
    """The total of some line points; ``uncounted`` lines do not add to it, ``superseded_by`` says
    which indicator replaced a line that scored or lost a choice."""

    total: int
    uncounted: frozenset[Indicator]
    superseded_by: Mapping[Indicator, Indicator]
    choices: tuple[Choice, ...]

    def counts(self, indicator: Indicator) -> bool:
        return indicator not in self.uncounted


def aggregate(points: Mapping[Indicator, int]) -> Aggregation:
    """Add up ``points`` (indicator -> points, deductions negative; a missing indicator scores 0).
    The total is never below zero."""
    uncounted: set[Indicator] = set()
    superseded_by: dict[Indicator, Indicator] = {}
    choices: list[Choice] = []
    for kind, first, second in PAIRS:
        first_points, second_points = points.get(first, 0), points.get(second, 0)
        if first_points >= second_points:
            winner, loser, winner_points, loser_points = first, second, first_points, second_points
        else:
            winner, loser, winner_points, loser_points = second, first, second_points, first_points
        uncounted.add(loser)
        superseded_by[loser] = winner
        if loser_points > 0:
            choices.append(Choice(kind, (winner,), (loser,), winner_points, loser_points))

    regular_sum = sum(points.get(i, 0) for i in REGULAR if i not in uncounted)
    founder, intermediary = ROUTES
    if points.get(founder, 0) >= points.get(intermediary, 0):
        route, other_route = founder, intermediary
    else:
        route, other_route = intermediary, founder
    route_points = points.get(route, 0)
    uncounted.add(other_route)
    if points.get(other_route, 0):
        superseded_by[other_route] = route
    scoring = tuple(i for i in REGULAR if i not in uncounted and points.get(i, 0) > 0)
    if route_points > regular_sum:
        for indicator in REGULAR:
            if indicator not in uncounted:
                uncounted.add(indicator)
                superseded_by[indicator] = route
        if regular_sum > 0:
            choices.append(Choice(ChoiceKind.DIRECT_ROUTE, (route,), scoring, route_points, regular_sum))
    else:
        uncounted.add(route)
        if route_points > 0:
            choices.append(Choice(ChoiceKind.DIRECT_ROUTE, scoring, (route,), regular_sum, route_points))

    deducted = sum(points.get(i, 0) for i in DEDUCTION_INDICATORS)
    total = max(0, max(route_points, regular_sum) + deducted)
    return Aggregation(total, frozenset(uncounted), superseded_by, tuple(choices))


__all__ = ["PAIRS", "REGULAR", "ROUTES", "Aggregation", "Choice", "ChoiceKind", "aggregate"]
