"""Benchmark: microseconds per full points calculation.

Builds a realistic, varied set of applicants (48 months of contribution history each, a mix of
education, titles, spouse, key-area, investment, award and deduction claims), warms up, then times
many full calculations with ``timeit`` and prints the best per-calculation time over several
repeats. Goal: <= 50 us per full calculation.

Run: ``.venv/bin/python benchmarks/points.py [--applicants N] [--repeat R]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import timeit
from datetime import date
from decimal import Decimal

from shared.kernel.points.calculator import calculate
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    ScoringClaims,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    SpouseClaim,
)
from shared.kernel.points.rules import rules_in_force

ON = date(2025, 6, 16)
MULTIPLES = [Decimal(x) for x in ("0.6", "0.85", "1.0", "1.2", "1.6", "2.1", "2.6", "3.0", "3.4")]


def months_before(on: date, n: int) -> list[date]:
    out: list[date] = []
    y, m = on.year, on.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(date(y, m, 1))
    return out


def applicant(rng: random.Random) -> tuple[ScoringClaims, DeductionClaims]:
    months = months_before(ON, 48)
    level = rng.choice(MULTIPLES)
    hist = []
    for i, m in enumerate(months):
        if rng.random() < 0.08:
            continue  # a month without contributions
        if i % 12 == 0:
            level = rng.choice(MULTIPLES)  # salary changes once a year
        hist.append(MonthlyContribution(m, level, back_payment=rng.random() < 0.02))
    quals: tuple[QualificationClaim, ...] = ()
    if rng.random() < 0.4:
        quals = (
            QualificationClaim(rng.choice(list(QualificationLevel)), rng.random() < 0.8, rng.random() < 0.9),
        )
    claims = ScoringClaims(
        birth_date=date(rng.randint(1966, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        education=EducationClaim(rng.choice(list(EducationLevel))) if rng.random() < 0.9 else None,
        qualifications=quals,
        social_insurance=SocialInsuranceClaim(rng.randint(len(hist), 240), tuple(hist)),
        shortage_major=ShortageMajorClaim("S-0003", "护理", True) if rng.random() < 0.05 else None,
        investment=(
            InvestmentClaim(
                "示例",
                Decimal(rng.randint(5, 100)),
                (rng.randint(0, 900_000), rng.randint(0, 900_000), rng.randint(0, 900_000)),
                (rng.randint(0, 30), rng.randint(0, 30), rng.randint(0, 30)),
            )
            if rng.random() < 0.05
            else None
        ),
        public_service=PublicServiceClaim("教育", rng.randint(0, 15)) if rng.random() < 0.1 else None,
        key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA13-RS", rng.randint(0, 12)),)
        if rng.random() < 0.15
        else (),
        spouse=SpouseClaim(rng.random() < 0.5, date(rng.randint(2005, 2024), 5, 1))
        if rng.random() < 0.6
        else None,
        awards=(
            (AwardClaim(rng.choice(list(AwardLevel)), "示例", date(2022, 1, 1), True),)
            if rng.random() < 0.05
            else ()
        ),
        full_time_fresh_graduate=rng.random() < 0.1,
    )
    deductions = (
        DeductionClaims(administrative_detentions=(RecordedIncident(date(2022, 3, 1)),))
        if rng.random() < 0.03
        else DeductionClaims()
    )
    return claims, deductions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the applicant set per repeat")
    args = parser.parse_args()

    rng = random.Random(20250616)
    population = [applicant(rng) for _ in range(args.applicants)]
    rules = rules_in_force(ON)

    def run() -> None:
        for claims, deductions in population:
            calculate(claims, deductions, ON, rules)

    for _ in range(3):  # warm-up
        run()
    n = args.applicants * args.rounds
    times = timeit.repeat(run, number=args.rounds, repeat=args.repeat)
    per_calc = [t / n * 1e6 for t in times]
    passing = sum(calculate(c, d, ON, rules).qualifies for c, d in population)
    print(f"applicants: {args.applicants} (48-month histories), {passing} at or above the pass mark")
    print(f"calculations timed: {n} x {args.repeat} repeats")
    print(f"best:   {min(per_calc):.1f} us per full calculation")
    print(f"median: {statistics.median(per_calc):.1f} us per full calculation")
    print("goal:   <= 50 us")


if __name__ == "__main__":
    main()
