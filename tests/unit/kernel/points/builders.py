"""Small builders for points tests: contribution histories, claims relative to an assessment date, and
the rule set with the service's catalogue data injected."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from shared.kernel.points.calculator import PointsResult, calculate
from shared.kernel.points.claims import (
    NO_DEDUCTIONS,
    DeductionClaims,
    MonthlyContribution,
    ScoringClaims,
    SocialInsuranceClaim,
)
from shared.kernel.points.model import RuleSet
from shared.kernel.points.rules import rules_in_force
from shared.platform.catalogues import load_catalogues

CATALOGUES = load_catalogues()


def rules(on: date) -> RuleSet:
    """The rules in force on ``on`` with the catalogue data the service loads."""
    return rules_in_force(on, CATALOGUES)


def score(claims: ScoringClaims, deductions: DeductionClaims = NO_DEDUCTIONS, *, on: date) -> PointsResult:
    """``calculate`` with the catalogues injected."""
    return calculate(claims, deductions, on, rules(on))


def months_before(on: date, n: int) -> list[date]:
    """The ``n`` months before the month of ``on``, newest first (1st of each month)."""
    out: list[date] = []
    y, m = on.year, on.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(date(y, m, 1))
    return out


def history(on: date, segments: Sequence[tuple[int, str | None]]) -> tuple[MonthlyContribution, ...]:
    """Contribution records for consecutive months before ``on``, newest first.

    ``segments``: (number of months, base multiple or None for no contribution), newest first.
    """
    total = sum(n for n, _ in segments)
    months = months_before(on, total)
    out: list[MonthlyContribution] = []
    i = 0
    for n, multiple in segments:
        for _ in range(n):
            if multiple is not None:
                out.append(MonthlyContribution(months[i], Decimal(multiple)))
            i += 1
    return tuple(out)


def born_aged(age: int, on: date) -> date:
    """A birth date giving exactly ``age`` full years on ``on``."""
    return date(on.year - age, 1, 1)


def claims(
    on: date,
    *,
    age: int = 30,
    months: int | None = None,
    segments: Sequence[tuple[int, str | None]] = (),
    **kw: object,
) -> ScoringClaims:
    """Claims for someone aged ``age`` on ``on``; other fields via keyword arguments. ``months`` paid
    defaults to the months the history shows (the least that does not contradict it)."""
    hist = history(on, segments)
    si = SocialInsuranceClaim(contribution_months=len(hist) if months is None else months, history=hist)
    return ScoringClaims(birth_date=born_aged(age, on), social_insurance=si, **kw)  # type: ignore[arg-type]
