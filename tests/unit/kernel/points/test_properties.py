"""Property tests: caps, non-negative totals, monotonicity in years, veto."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.kernel.points import narration
from shared.kernel.points.calculator import PointsResult, calculate
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InnovationIntermediaryClaim,
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
    StartupFounderClaim,
)
from shared.kernel.points.model import Indicator

from .builders import months_before, rules

MULTIPLES = [
    Decimal(x) for x in ("0.5", "0.79", "0.8", "0.99", "1", "1.5", "1.99", "2", "2.5", "2.99", "3", "4")
]
DEDUCTION_LINES = {
    Indicator.FALSE_MATERIALS,
    Indicator.ADMINISTRATIVE_DETENTION,
    Indicator.GENERAL_CRIMINAL_RECORD,
}
KEY_AREA_CODES = ["KA13-LG", "KA13-RS", "KA26-LG", "KA26-NC", "KA26-NT", "NOT-LISTED"]

dates = st.dates(date(2014, 1, 1), date(2031, 12, 31))


def calc(claims: ScoringClaims, deductions: DeductionClaims, on: date) -> PointsResult:
    return calculate(claims, deductions, on, rules(on))


@st.composite
def scoring(draw: st.DrawFn, on: date) -> ScoringClaims:
    months = months_before(on, 60)
    values = draw(st.lists(st.sampled_from([None, *MULTIPLES]), max_size=60))
    back_paid = draw(st.sets(st.integers(0, 59), max_size=4))
    hist = tuple(
        MonthlyContribution(months[i], v, back_payment=i in back_paid)
        for i, v in enumerate(values)
        if v is not None
    )
    years3 = st.tuples(st.integers(0, 5_000_000), st.integers(0, 5_000_000), st.integers(0, 5_000_000))
    hires3 = st.tuples(st.integers(0, 200), st.integers(0, 200), st.integers(0, 200))
    return ScoringClaims(
        birth_date=draw(st.dates(date(1940, 1, 1), date(2008, 12, 31))),
        education=draw(st.none() | st.builds(EducationClaim, st.sampled_from(EducationLevel), st.booleans())),
        qualifications=tuple(
            draw(
                st.lists(
                    st.builds(
                        QualificationClaim,
                        st.sampled_from(QualificationLevel),
                        st.booleans(),
                        st.booleans(),
                        st.booleans(),
                        st.booleans(),
                    ),
                    max_size=3,
                )
            )
        ),
        # months paid: at least the months the history shows (anything less is refused, see consistency)
        social_insurance=SocialInsuranceClaim(
            sum(not c.back_payment for c in hist) + draw(st.integers(0, 540)), hist
        ),
        shortage_major=draw(
            st.none()
            | st.builds(
                ShortageMajorClaim,
                st.sampled_from(["S-0001", "S-0004", "X"]),
                st.sampled_from(["集成电路设计与集成系统", "人工智能"]),
                st.booleans(),
            )
        ),
        investment=draw(
            st.none()
            | st.builds(
                InvestmentClaim,
                st.just("示例"),
                st.decimals(Decimal(0), Decimal(100), places=2),
                years3,
                hires3,
            )
        ),
        public_service=draw(st.none() | st.builds(PublicServiceClaim, st.just("教育"), st.integers(0, 45))),
        key_areas=tuple(
            draw(
                st.lists(
                    st.builds(
                        KeyAreaClaim,
                        st.sampled_from(KeyAreaKind),
                        st.sampled_from(KEY_AREA_CODES),
                        st.integers(0, 40),
                        st.booleans(),
                    ),
                    max_size=2,
                )
            )
        ),
        spouse=draw(st.none() | st.builds(SpouseClaim, st.booleans(), st.dates(date(1970, 1, 1), on))),
        awards=tuple(
            draw(
                st.lists(
                    st.builds(
                        AwardClaim,
                        st.sampled_from(AwardLevel),
                        st.just("示例"),
                        dates,
                        st.booleans(),
                        st.booleans(),
                    ),
                    max_size=2,
                )
            )
        ),
        full_time_fresh_graduate=draw(st.booleans()),
        startup_founder=draw(
            st.none()
            | st.builds(
                StartupFounderClaim,
                st.just("示例"),
                st.decimals(Decimal(0), Decimal(100), places=1),
                st.integers(0, 24),
                st.booleans(),
                st.booleans(),
            )
        ),
        innovation_intermediary=draw(
            st.none() | st.builds(InnovationIntermediaryClaim, st.just("示例"), st.integers(0, 24))
        ),
    )


incidents = st.lists(
    st.builds(RecordedIncident, st.dates(date(2005, 1, 1), date(2031, 12, 31))), max_size=3
).map(tuple)
deduction_claims = st.builds(DeductionClaims, incidents, incidents, incidents, st.booleans(), st.booleans())


@st.composite
def case(draw: st.DrawFn) -> tuple[ScoringClaims, DeductionClaims, date]:
    on = draw(dates)
    return draw(scoring(on)), draw(deduction_claims), on


@settings(max_examples=100, deadline=None)
@given(case())
def test_caps_hold_for_every_indicator(c: tuple[ScoringClaims, DeductionClaims, date]) -> None:
    result = calc(*c)
    for line in result.lines:
        if line.indicator in DEDUCTION_LINES:
            assert line.points <= 0
        else:
            assert line.points >= 0
            if line.cap is not None:
                assert line.points <= line.cap, line
    assert result.line(Indicator.INSURANCE_BASE).points <= 120
    assert result.line(Indicator.KEY_AREA).points <= 20
    assert result.line(Indicator.SPOUSE).points <= 40
    assert result.line(Indicator.INVESTMENT_TAX).points <= 100


@settings(max_examples=100, deadline=None)
@given(case())
def test_total_is_never_negative_and_equals_the_counted_lines(
    c: tuple[ScoringClaims, DeductionClaims, date],
) -> None:
    result = calc(*c)
    assert result.total >= 0
    assert result.total == max(0, sum(ln.points for ln in result.lines if ln.counted))
    assert result.meets_pass_mark == (result.total >= result.pass_mark)


@settings(max_examples=100, deadline=None)
@given(case())
def test_veto_always_means_not_eligible(c: tuple[ScoringClaims, DeductionClaims, date]) -> None:
    claims, deductions, on = c
    vetoed = (
        replace(deductions, family_planning_violation=True),
        replace(deductions, serious_criminal_record=True),
    )
    for d in vetoed:
        result = calc(claims, d, on)
        assert not result.eligible and not result.qualifies
        assert result.ineligibility_reasons


@settings(max_examples=100, deadline=None)
@given(case(), st.integers(1, 120))
def test_more_insurance_months_never_lower_a_score(
    c: tuple[ScoringClaims, DeductionClaims, date], extra: int
) -> None:
    claims, deductions, on = c
    more = replace(
        claims,
        social_insurance=replace(
            claims.social_insurance, contribution_months=claims.social_insurance.contribution_months + extra
        ),
    )
    a, b = calc(claims, deductions, on), calc(more, deductions, on)
    assert b.line(Indicator.INSURANCE_YEARS).points >= a.line(Indicator.INSURANCE_YEARS).points
    assert b.total >= a.total


@settings(max_examples=100, deadline=None)
@given(case(), st.integers(1, 20))
def test_more_years_of_marriage_never_lower_a_score(
    c: tuple[ScoringClaims, DeductionClaims, date], extra: int
) -> None:
    claims, deductions, on = c
    if claims.spouse is None:
        return
    m = claims.spouse.married_on
    earlier = replace(
        claims, spouse=replace(claims.spouse, married_on=m.replace(year=m.year - extra, day=min(m.day, 28)))
    )
    later_day = replace(claims, spouse=replace(claims.spouse, married_on=m.replace(day=min(m.day, 28))))
    a, b = calc(later_day, deductions, on), calc(earlier, deductions, on)
    assert b.line(Indicator.SPOUSE).points >= a.line(Indicator.SPOUSE).points
    assert b.total >= a.total


@settings(max_examples=100, deadline=None)
@given(case(), st.integers(1, 15))
def test_more_key_area_years_never_lower_a_score(
    c: tuple[ScoringClaims, DeductionClaims, date], extra: int
) -> None:
    claims, deductions, on = c
    more = replace(
        claims, key_areas=tuple(replace(k, full_years=k.full_years + extra) for k in claims.key_areas)
    )
    a, b = calc(claims, deductions, on), calc(more, deductions, on)
    assert b.line(Indicator.KEY_AREA).points >= a.line(Indicator.KEY_AREA).points
    assert b.total >= a.total


@settings(max_examples=100, deadline=None)
@given(case(), st.integers(1, 15))
def test_more_public_service_years_never_lower_a_score(
    c: tuple[ScoringClaims, DeductionClaims, date], extra: int
) -> None:
    claims, deductions, on = c
    if claims.public_service is None:
        return
    more = replace(
        claims,
        public_service=replace(claims.public_service, full_years=claims.public_service.full_years + extra),
    )
    a, b = calc(claims, deductions, on), calc(more, deductions, on)
    assert b.line(Indicator.PUBLIC_SERVICE).points >= a.line(Indicator.PUBLIC_SERVICE).points
    assert b.total >= a.total


@settings(max_examples=100, deadline=None)
@given(case())
def test_following_the_base_hint_reaches_the_band(c: tuple[ScoringClaims, DeductionClaims, date]) -> None:
    """Paying the months a base hint names, at the named multiple, scores at least the promised gain."""
    claims, deductions, on = c
    line = calc(claims, deductions, on).line(Indicator.INSURANCE_BASE)
    for step in line.next_steps:
        k = step.note.params["months"]
        multiple = step.note.params["multiple"]
        assert isinstance(k, int) and isinstance(multiple, Decimal)
        later = date(on.year + (on.month - 1 + k) // 12, (on.month - 1 + k) % 12 + 1, 1)
        new_months = months_before(later, k)
        more = replace(
            claims,
            social_insurance=replace(
                claims.social_insurance,
                contribution_months=claims.social_insurance.contribution_months + k,
                history=claims.social_insurance.history
                + tuple(MonthlyContribution(m, multiple) for m in new_months),
            ),
        )
        after = calc(more, deductions, later).line(Indicator.INSURANCE_BASE)
        assert after.points >= line.points + step.gain, (step, after)


@settings(max_examples=200, deadline=None)
@given(case())
def test_every_fact_and_step_is_worded_in_both_languages(
    c: tuple[ScoringClaims, DeductionClaims, date],
) -> None:
    result = calc(*c)
    for line in result.lines:
        zh, en = astuple(narration.explanation(line))
        assert zh and en and "{" not in zh + en, line
        for step in line.next_steps:
            zh, en = astuple(narration.step_text(step))
            assert str(step.gain) in zh and str(step.gain) in en, (step, zh, en)
            assert step.total_gain <= step.gain
    for choice in result.choices:
        zh, en = astuple(narration.choice_text(choice))
        assert str(choice.counted_points) in zh and str(choice.counted_points) in en
    for reason in result.ineligibility_reasons:
        assert all(astuple(narration.veto_text(reason)))


@settings(max_examples=100, deadline=None)
@given(case())
def test_a_step_raises_the_total_by_its_total_gain(c: tuple[ScoringClaims, DeductionClaims, date]) -> None:
    """The insurance-years step, followed: the total rises by exactly what the step says."""
    claims, deductions, on = c
    result = calc(claims, deductions, on)
    line = result.line(Indicator.INSURANCE_YEARS)
    for step in line.next_steps:
        months = step.note.params["months"]
        assert isinstance(months, int)
        more = replace(
            claims,
            social_insurance=replace(
                claims.social_insurance,
                contribution_months=claims.social_insurance.contribution_months + months,
            ),
        )
        assert calc(more, deductions, on).total - result.total == step.total_gain
