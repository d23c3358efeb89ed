"""Aggregation rules, either/or choices and "what would raise it" of the points calculator."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.points.aggregation import ChoiceKind
from shared.kernel.points.calculator import calculate
from shared.kernel.points.claims import (
    NO_DEDUCTIONS,
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InnovationIntermediaryClaim,
    InvestmentClaim,
    MonthlyContribution,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    SocialInsuranceClaim,
    SpouseClaim,
    StartupFounderClaim,
)
from shared.kernel.points.consistency import ContradictoryClaimsError
from shared.kernel.points.model import Indicator
from shared.kernel.points.narration import step_text
from shared.kernel.text import Text

from .builders import claims, months_before

ON = date(2024, 6, 15)
GATE_MET = ((12, "1.2"),)


def intermediate_title() -> tuple[QualificationClaim, ...]:
    return (QualificationClaim(QualificationLevel.INTERMEDIATE_TITLE, True, True),)


def test_education_and_professional_title_are_mutually_exclusive() -> None:
    c = claims(
        ON,
        segments=GATE_MET,
        education=EducationClaim(EducationLevel.BACHELOR),
        qualifications=intermediate_title(),
    )
    result = calculate(c, NO_DEDUCTIONS, ON)
    edu, qual = result.line(Indicator.EDUCATION), result.line(Indicator.QUALIFICATION)
    assert (edu.points, edu.counted, edu.superseded_by) == (90, False, Indicator.QUALIFICATION)
    assert (qual.points, qual.counted, qual.superseded_by) == (100, True, None)
    assert result.total == 30 + 100 + 3  # age, title, one year paid
    (choice,) = result.choices
    assert (choice.kind, choice.counted, choice.set_aside) == (
        ChoiceKind.EDUCATION_OR_TITLE,
        (Indicator.QUALIFICATION,),
        (Indicator.EDUCATION,),
    )
    assert (choice.counted_points, choice.set_aside_points) == (100, 90)


def test_education_counts_when_it_ties_with_the_title() -> None:
    c = claims(
        ON,
        segments=GATE_MET,
        education=EducationClaim(EducationLevel.MASTER),
        qualifications=intermediate_title(),
    )
    result = calculate(c, NO_DEDUCTIONS, ON)
    assert result.line(Indicator.EDUCATION).counted
    assert result.line(Indicator.QUALIFICATION).superseded_by is Indicator.EDUCATION
    assert result.total == 30 + 100 + 3


def test_investment_tax_and_hiring_are_mutually_exclusive_and_the_higher_counts() -> None:
    inv = InvestmentClaim("示例", Decimal(100), (200_000, 200_000, 200_000), (40, 40, 40))
    result = calculate(claims(ON, investment=inv), NO_DEDUCTIONS, ON)
    tax, hiring = result.line(Indicator.INVESTMENT_TAX), result.line(Indicator.INVESTMENT_HIRING)
    assert (tax.points, hiring.points) == (20, 40)
    assert not tax.counted and tax.superseded_by is Indicator.INVESTMENT_HIRING
    assert hiring.counted
    assert result.total == 30 + 40


def test_within_one_indicator_only_the_highest_item_counts() -> None:
    quals = (
        QualificationClaim(QualificationLevel.SKILL_LEVEL_4, True, True),
        QualificationClaim(QualificationLevel.SKILL_LEVEL_3, True, True),
    )
    result = calculate(claims(ON, qualifications=quals), NO_DEDUCTIONS, ON)
    assert result.line(Indicator.QUALIFICATION).points == 60


def test_a_lower_title_counts_when_the_higher_one_fails_the_base_gate_and_the_gap_is_explained() -> None:
    quals = (
        QualificationClaim(QualificationLevel.SKILL_LEVEL_3, True, True),
        QualificationClaim(QualificationLevel.SENIOR_TITLE, True, True),
    )
    c = claims(ON, segments=((4, "1.5"), (8, "0.9")), qualifications=quals)
    line = calculate(c, NO_DEDUCTIONS, ON).line(Indicator.QUALIFICATION)
    assert line.points == 60
    (step,) = line.next_steps
    assert (step.gain, step.total_gain) == (80, 80)
    assert step.note.code == "qualification.more_base_months"
    assert (step.note.params["months"], step.note.params["multiple"]) == (2, Decimal(1))


def test_deductions_are_summed_per_record() -> None:
    d = DeductionClaims(
        false_materials=(RecordedIncident(date(2023, 1, 1)),),
        administrative_detentions=(RecordedIncident(date(2022, 1, 1)), RecordedIncident(date(2023, 1, 1))),
    )
    c = claims(ON, months=12 * 40, education=EducationClaim(EducationLevel.DOCTORATE))
    result = calculate(c, d, ON)
    assert result.line(Indicator.FALSE_MATERIALS).points == -150
    assert result.line(Indicator.ADMINISTRATIVE_DETENTION).points == -100
    assert result.total == 30 + 110 + 120 - 250


def test_deduction_window_excludes_the_record_on_its_third_anniversary() -> None:
    on = date(2024, 3, 1)
    still = calculate(claims(on), DeductionClaims(false_materials=(RecordedIncident(date(2021, 3, 2)),)), on)
    gone = calculate(claims(on), DeductionClaims(false_materials=(RecordedIncident(date(2021, 3, 1)),)), on)
    assert still.line(Indicator.FALSE_MATERIALS).points == -150
    assert gone.line(Indicator.FALSE_MATERIALS).points == 0


def test_detention_and_criminal_record_windows_exclude_the_record_on_its_fifth_anniversary() -> None:
    on = date(2024, 3, 1)
    day_after_anniversary, anniversary = date(2019, 3, 2), date(2019, 3, 1)
    still = DeductionClaims(
        administrative_detentions=(RecordedIncident(day_after_anniversary),),
        general_criminal_records=(RecordedIncident(day_after_anniversary),),
    )
    gone = DeductionClaims(
        administrative_detentions=(RecordedIncident(anniversary),),
        general_criminal_records=(RecordedIncident(anniversary),),
    )
    counted = calculate(claims(on), still, on)
    assert counted.line(Indicator.ADMINISTRATIVE_DETENTION).points == -50
    assert counted.line(Indicator.GENERAL_CRIMINAL_RECORD).points == -150
    expired = calculate(claims(on), gone, on)
    assert expired.line(Indicator.ADMINISTRATIVE_DETENTION).points == 0
    assert expired.line(Indicator.GENERAL_CRIMINAL_RECORD).points == 0


def test_a_record_dated_after_the_assessment_date_is_not_deducted_yet() -> None:
    d = DeductionClaims(false_materials=(RecordedIncident(date(2024, 6, 16)),))
    assert calculate(claims(ON), d, ON).line(Indicator.FALSE_MATERIALS).points == 0


def test_deduction_line_says_when_the_oldest_record_leaves_the_window() -> None:
    d = DeductionClaims(administrative_detentions=(RecordedIncident(date(2022, 1, 1)),))
    step = calculate(claims(ON), d, ON).line(Indicator.ADMINISTRATIVE_DETENTION).next_steps[0]
    assert step.gain == 50
    assert step.note.params["on"] == date(2027, 1, 1)


def test_family_planning_violation_vetoes_the_application() -> None:
    c = claims(ON, months=12 * 30, education=EducationClaim(EducationLevel.DOCTORATE))
    result = calculate(c, DeductionClaims(family_planning_violation=True), ON)
    assert result.meets_pass_mark
    assert not result.eligible and not result.qualifies
    assert [r.code for r in result.ineligibility_reasons] == ["family_planning_violation"]


def test_serious_criminal_record_vetoes_the_application() -> None:
    result = calculate(claims(ON), DeductionClaims(serious_criminal_record=True), ON)
    assert not result.eligible
    assert result.ineligibility_reasons[0].rule_id == "veto.serious_criminal_record"
    assert result.ineligibility_reasons[0].source.startswith("http")


def test_family_planning_veto_still_applies_under_the_2026_rules() -> None:
    on = date(2026, 6, 1)
    assert not calculate(claims(on), DeductionClaims(family_planning_violation=True), on).eligible


def test_direct_120_route_replaces_lower_regular_indicators() -> None:
    founder = StartupFounderClaim("示例", Decimal(5), 6, True, True)
    result = calculate(
        claims(ON, education=EducationClaim(EducationLevel.COLLEGE_DIPLOMA), startup_founder=founder),
        NO_DEDUCTIONS,
        ON,
    )
    assert result.total == 120
    assert result.line(Indicator.STARTUP_FOUNDER).counted
    assert result.line(Indicator.EDUCATION).superseded_by is Indicator.STARTUP_FOUNDER
    assert sum(ln.points for ln in result.lines if ln.counted) == 120


def test_regular_indicators_count_when_they_exceed_the_direct_route() -> None:
    c = claims(
        ON,
        months=12 * 10,
        education=EducationClaim(EducationLevel.MASTER),
        innovation_intermediary=InnovationIntermediaryClaim("示例", 12),
    )
    result = calculate(c, NO_DEDUCTIONS, ON)
    assert result.total == 30 + 100 + 30
    assert not result.line(Indicator.INNOVATION_INTERMEDIARY).counted


def test_deductions_apply_to_a_direct_120_route() -> None:
    founder = StartupFounderClaim("示例", Decimal(5), 6, True, True)
    d = DeductionClaims(administrative_detentions=(RecordedIncident(date(2023, 1, 1)),))
    assert calculate(claims(ON, startup_founder=founder), d, ON).total == 70


def test_startup_founder_short_of_6_months_is_told_how_many_more() -> None:
    founder = StartupFounderClaim("示例", Decimal(5), 4, True, True)
    line = calculate(claims(ON, startup_founder=founder), NO_DEDUCTIONS, ON).line(Indicator.STARTUP_FOUNDER)
    assert line.points == 0
    assert (
        step_text(line.next_steps[0]).en == "2 more consecutive months in the incubator: 120 points directly"
    )


def test_base_hint_says_12_more_months_at_1x_give_50() -> None:
    line = calculate(claims(ON, segments=((24, "1.2"),)), NO_DEDUCTIONS, ON).line(Indicator.INSURANCE_BASE)
    assert line.points == 0
    texts = [step_text(s) for s in line.next_steps]
    assert (
        Text(
            "再缴纳12个月社平1倍以上的社保基数可加50分", "12 more months at 1× the average wage or more: +50"
        )
        in texts
    )


def test_base_hint_accounts_for_old_months_leaving_the_48_month_window() -> None:
    # 30 qualifying months at the old end of the window, nothing in the last 18: every new month
    # pushes a qualifying month out, so 36 new months are needed, not 6.
    line = calculate(claims(ON, segments=((18, None), (30, "1.2"))), NO_DEDUCTIONS, ON).line(
        Indicator.INSURANCE_BASE
    )
    one_x = next(s for s in line.next_steps if s.note.params["multiple"] == 1)
    assert one_x.note.params["months"] == 36


def test_base_windows_end_with_the_month_before_the_assessment_month() -> None:
    hist = tuple(MonthlyContribution(m, Decimal(1)) for m in months_before(ON, 36))
    same_month = (MonthlyContribution(date(2024, 6, 1), Decimal(5)),)
    c = replace(claims(ON), social_insurance=SocialInsuranceClaim(37, hist + same_month))
    assert calculate(c, NO_DEDUCTIONS, ON).line(Indicator.INSURANCE_BASE).points == 50


def test_back_paid_months_do_not_count_for_the_base() -> None:
    hist = tuple(
        MonthlyContribution(m, Decimal(1), back_payment=(i == 0)) for i, m in enumerate(months_before(ON, 36))
    )
    c = replace(claims(ON), social_insurance=SocialInsuranceClaim(36, hist))
    assert calculate(c, NO_DEDUCTIONS, ON).line(Indicator.INSURANCE_BASE).points == 0


def test_insurance_years_hint_counts_months_to_the_next_full_year() -> None:
    step = calculate(claims(ON, months=70), NO_DEDUCTIONS, ON).line(Indicator.INSURANCE_YEARS).next_steps[0]
    assert (step.gain, step.note.params["months"]) == (3, 2)
    assert step_text(step) == Text("再缴纳2个月社保可加3分", "2 more months of contributions: +3")


def test_public_service_years_count_only_from_5_years_and_have_no_cap() -> None:
    def points(years: int) -> int:
        c = claims(ON, public_service=PublicServiceClaim("教育", years))
        return calculate(c, NO_DEDUCTIONS, ON).line(Indicator.PUBLIC_SERVICE).points

    assert [points(y) for y in (4, 5, 6, 30)] == [0, 20, 24, 120]
    line = calculate(claims(ON, public_service=PublicServiceClaim("教育", 3)), NO_DEDUCTIONS, ON).line(
        Indicator.PUBLIC_SERVICE
    )
    assert line.cap is None
    assert line.next_steps[0].gain == 20 and step_text(line.next_steps[0]).en == "2 more full years: +20"


def test_spouse_hint_names_the_next_anniversary() -> None:
    line = calculate(claims(ON, spouse=SpouseClaim(True, date(2020, 9, 1))), NO_DEDUCTIONS, ON).line(
        Indicator.SPOUSE
    )
    assert line.points == 12
    assert step_text(line.next_steps[0]).zh == "2024-09-01结婚满4年可加4分"


def test_spouse_without_shanghai_hukou_scores_0() -> None:
    line = calculate(claims(ON, spouse=SpouseClaim(False, date(2010, 1, 1))), NO_DEDUCTIONS, ON).line(
        Indicator.SPOUSE
    )
    assert line.points == 0


def test_age_above_60_scores_0_without_a_veto() -> None:
    result = calculate(claims(ON, age=61), NO_DEDUCTIONS, ON)
    assert result.line(Indicator.AGE).points == 0
    assert result.eligible


def test_age_is_taken_on_the_assessment_date() -> None:
    c = claims(ON, age=43)  # born 1981-01-01
    assert calculate(c, NO_DEDUCTIONS, date(2024, 12, 31)).line(Indicator.AGE).points == 30
    assert calculate(c, NO_DEDUCTIONS, date(2025, 1, 1)).line(Indicator.AGE).points == 29


def test_investment_hint_is_expressed_on_the_enterprise_average() -> None:
    inv = InvestmentClaim("示例", Decimal(40), (300_000, 300_000, 300_000), (0, 0, 0))
    line = calculate(claims(ON, investment=inv), NO_DEDUCTIONS, ON).line(Indicator.INVESTMENT_TAX)
    # 40 % of 300,000 = 120,000 -> 10 points; 200,000 attributed needs 500,000 on average: +200,000.
    assert line.points == 10
    assert line.next_steps[0].note.params["more"] == 200_000


def test_a_result_has_one_line_per_indicator_in_order() -> None:
    result = calculate(claims(ON), NO_DEDUCTIONS, ON)
    assert [ln.indicator for ln in result.lines] == list(Indicator)


def test_lines_cite_the_rule_row_and_its_source() -> None:
    c = claims(ON, segments=((36, "2.5"),), education=EducationClaim(EducationLevel.BACHELOR))
    result = calculate(c, NO_DEDUCTIONS, ON)
    base = result.line(Indicator.INSURANCE_BASE)
    assert base.rule_id == "base.2018.2x"
    assert base.source.startswith("http")
    assert base.cap == 120
    assert result.line(Indicator.EDUCATION).rule_id == "education.bachelor"


def test_a_total_of_120_meets_the_pass_mark() -> None:
    c = claims(ON, months=12, education=EducationClaim(EducationLevel.BACHELOR))  # 30 + 90 + 3 = 123
    result = calculate(c, NO_DEDUCTIONS, ON)
    assert (result.total, result.pass_mark, result.meets_pass_mark, result.qualifies) == (
        123,
        120,
        True,
        True,
    )
    below = calculate(claims(ON, education=EducationClaim(EducationLevel.BACHELOR)), NO_DEDUCTIONS, ON)
    assert below.total == 120 and below.meets_pass_mark
    lower = calculate(
        claims(ON, age=45, education=EducationClaim(EducationLevel.BACHELOR)), NO_DEDUCTIONS, ON
    )
    assert lower.total == 117 and not lower.meets_pass_mark


def test_a_higher_degree_would_not_raise_the_total_while_a_higher_title_counts_instead() -> None:
    c = claims(
        ON,
        segments=GATE_MET,
        education=EducationClaim(EducationLevel.BACHELOR),
        qualifications=intermediate_title(),
    )
    (step,) = calculate(c, NO_DEDUCTIONS, ON).line(Indicator.EDUCATION).next_steps
    assert (step.gain, step.total_gain) == (10, 0)  # master's 100 only ties the title's 100


def test_a_line_set_aside_by_a_direct_route_raises_the_total_only_beyond_the_route() -> None:
    founder = StartupFounderClaim("示例", Decimal(5), 6, True, True)
    c = claims(ON, months=12 * 10, education=EducationClaim(EducationLevel.BACHELOR), startup_founder=founder)
    result = calculate(c, NO_DEDUCTIONS, ON)  # regular: 30 + 90 + 30 = 150 > 120: the route is set aside
    assert result.total == 150
    (choice,) = result.choices
    assert choice.kind is ChoiceKind.DIRECT_ROUTE and choice.set_aside == (Indicator.STARTUP_FOUNDER,)
    lower = calculate(
        claims(ON, education=EducationClaim(EducationLevel.COLLEGE_DIPLOMA), startup_founder=founder),
        NO_DEDUCTIONS,
        ON,
    )
    assert lower.total == 120  # 30 + 50 = 80 < 120: the route counts
    (step,) = lower.line(Indicator.EDUCATION).next_steps  # undergraduate record: +10 on the line
    assert (step.gain, step.total_gain) == (10, 0)
    (years,) = lower.line(Indicator.INSURANCE_YEARS).next_steps
    assert (years.gain, years.total_gain) == (3, 0)


def test_a_deduction_leaving_its_window_raises_the_total_by_at_most_what_the_floor_allows() -> None:
    d = DeductionClaims(general_criminal_records=(RecordedIncident(date(2023, 1, 1)),))
    line = calculate(claims(ON, age=50), d, ON).line(Indicator.GENERAL_CRIMINAL_RECORD)
    (step,) = line.next_steps
    assert (step.gain, step.total_gain) == (150, 17)  # 17 - 150 floors at 0; without the record: 17


def test_months_paid_fewer_than_the_history_shows_are_refused_not_scored() -> None:
    c = claims(ON, months=0, segments=((24, "3"),))
    with pytest.raises(ContradictoryClaimsError) as refused:
        calculate(c, NO_DEDUCTIONS, ON)
    assert [e.field for e in refused.value.errors] == ["social_insurance.contribution_months"]


def test_the_next_threshold_of_a_levelled_indicator_is_named_claimed_or_not() -> None:
    nothing = calculate(claims(ON), NO_DEDUCTIONS, ON)
    first = {
        i: [(s.gain, s.note.params["level"]) for s in nothing.line(i).next_steps]
        for i in (Indicator.EDUCATION, Indicator.QUALIFICATION, Indicator.AWARD)
    }
    assert first == {
        Indicator.EDUCATION: [(50, EducationLevel.COLLEGE_DIPLOMA)],
        Indicator.QUALIFICATION: [(15, QualificationLevel.SKILL_LEVEL_5)],
        Indicator.AWARD: [(30, AwardLevel.MUNICIPAL_SPECIAL)],
    }
    titled = calculate(claims(ON, segments=GATE_MET, qualifications=intermediate_title()), NO_DEDUCTIONS, ON)
    (step,) = titled.line(Indicator.QUALIFICATION).next_steps
    assert (step.gain, step.note.params["level"]) == (
        40,
        QualificationLevel.SENIOR_TITLE,
    )  # a title, not a skill
    skilled = calculate(
        claims(ON, qualifications=(QualificationClaim(QualificationLevel.SKILL_LEVEL_3, True, True),)),
        NO_DEDUCTIONS,
        ON,
    )
    (step,) = skilled.line(Indicator.QUALIFICATION).next_steps
    assert (step.gain, step.note.params["level"]) == (40, QualificationLevel.SKILL_LEVEL_2)
    top = calculate(claims(ON, education=EducationClaim(EducationLevel.DOCTORATE)), NO_DEDUCTIONS, ON)
    assert top.line(Indicator.EDUCATION).next_steps == ()


def test_an_award_that_does_not_count_is_explained_not_topped_up() -> None:
    award = AwardClaim(AwardLevel.PROVINCIAL_OR_HIGHER, "示例", date(2022, 5, 1), False)
    line = calculate(claims(ON, awards=(award,)), NO_DEDUCTIONS, ON).line(Indicator.AWARD)
    assert (line.points, line.next_steps) == (0, ())
    assert line.notes[0].code == "award.not_received_in_shanghai"
