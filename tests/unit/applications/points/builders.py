"""Small builders for points tests: contribution histories and claims relative to an assessment date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from services.applications.domain.points.claims import (
    MonthlyContribution,
    ScoringClaims,
    SocialInsuranceClaim,
)


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
    on: date, *, age: int = 30, months: int = 0, segments: Sequence[tuple[int, str | None]] = (), **kw: object
) -> ScoringClaims:
    """Claims for someone aged ``age`` on ``on``; other fields via keyword arguments."""
    si = SocialInsuranceClaim(contribution_months=months, history=history(on, segments))
    return ScoringClaims(birth_date=born_aged(age, on), social_insurance=si, **kw)  # type: ignore[arg-type]
