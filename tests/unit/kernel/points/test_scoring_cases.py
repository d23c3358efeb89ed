"""Scoring cases taken from the domain brief (domain.md §1), each with the source it comes from.

Each case scores one claim set on an assessment date (with the service's catalogue data) and checks
one indicator line (its points, before any either/or choice) or the total. The sources are the
addresses domain.md cites for the rule being exercised. Months paid default to the months the
contribution history shows (``builders.claims``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.points.claims import (
    NO_DEDUCTIONS,
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InnovationIntermediaryClaim,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    ScoringClaims,
    ShortageMajorClaim,
    SpouseClaim,
    StartupFounderClaim,
)
from shared.kernel.points.model import Indicator

from .builders import claims, score

ON = date(2024, 6, 15)  # 2018 rules
ON_2016 = date(2016, 6, 15)  # 2013 trial rules
ON_2026 = date(2026, 3, 2)  # revised implementing rules

AGE_SRC = "http://isslerlaw.com/socialsecurityinquiry/udnebieakf.html"
AGE_TABLE_SRC = "https://m.taodocs.com/p-6209621.html"
AGE_43_SRC = "http://m.wantom.net/jifen/1321.html"
EDU_SRC = "http://m.52luohu.cn/html/shnews/juzhuzheng/41827.html"
EDU_SRC_2 = "http://m.wantom.net/jifen/1080.html"
TITLE_SRC = "http://ccschy.com/techan/60625.html"
TITLE_GATE_SRC = "http://isslerlaw.com/socialsecurityinquiry/vbutgycmct.html"
YEARS_SRC = "https://78911.com.cn/HuKouZhengCe/665056-2.html"
YEARS_NO_CAP_SRC = "http://m.wantom.net/jifen/1321.html"
BASE_2018_SRC = "http://www.plnmw.com/InformationTechnologyConsulting/uwwieskcdk.html"
BASE_2018_SRC_2 = "http://hahafu.net.cn/html/shlhzx/jzz/67994.html"
BASE_2013_SRC = "https://78911.com.cn/HuKouZhengCe/665056-2.html"
SHORTAGE_SRC = "https://c-ibc.com/jifen/842.html"
SHORTAGE_MATCH_SRC = "https://wap.265xx.com/w415/129451.html"
INVEST_SRC = "https://78911.com.cn/HuKouZhengCe/665056-2.html"
PUBLIC_SRC = "https://m.taodocs.com/p-6209621.html"
KEY_2013_SRC = "https://m.taodocs.com/p-6209621.html"
KEY_2026_SRC = "http://m.niuxiu.net/html/juzhuzheng/zhengce/6733.html"
GRAD_SRC = "https://c-ibc.com/jifen/842.html"
AWARD_SRC = "https://liuhubang.com/news/jifen_3045.html"
SPOUSE_SRC = "https://m.taodocs.com/p-6209621.html"
DIRECT_SRC = "https://wfek.com/jifen/1507.html"
DEDUCT_SRC = "http://shluohubang.com/jzh/7025.html"
TOTAL_SRC = "https://xiexiebang.com/a10/2019051413/a1a5e0e44dea2a88.html"


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    on: date
    claims: ScoringClaims
    indicator: Indicator | None  # None: check the total
    expected: int
    deductions: DeductionClaims = NO_DEDUCTIONS


def edu(level: EducationLevel, recognised: bool = True) -> EducationClaim:
    return EducationClaim(level, nationally_recognised=recognised)


def title(level: QualificationLevel, *, in_shanghai: bool = True) -> tuple[QualificationClaim, ...]:
    return (QualificationClaim(level, obtained_while_working_in_shanghai=in_shanghai, matches_post=True),)


def invest(share: str, tax: tuple[int, int, int], hires: tuple[int, int, int] = (0, 0, 0)) -> InvestmentClaim:
    return InvestmentClaim("示例科技有限公司", Decimal(share), tax, hires)


def founder(share: str = "10", months: int = 6) -> StartupFounderClaim:
    return StartupFounderClaim("示例孵化企业", Decimal(share), months, True, True)


def incident(years_ago: int, on: date = ON) -> tuple[RecordedIncident, ...]:
    return (RecordedIncident(date(on.year - years_ago, on.month, 1)),)


A = Indicator
E = EducationLevel
Q = QualificationLevel
GATE_MET = ((12, "1.2"),)  # 12 months at 1.2x: meets ">= 1x in 6 of the last 12 months"

CASES: tuple[Case, ...] = (
    # --- Age (年龄) ---
    Case("age_60_scores_5", AGE_SRC, ON, claims(ON, age=60), A.AGE, 5),
    Case("age_56_scores_5", AGE_SRC, ON, claims(ON, age=56), A.AGE, 5),
    Case("age_55_scores_7", AGE_SRC, ON, claims(ON, age=55), A.AGE, 7),
    Case("age_50_scores_17", AGE_TABLE_SRC, ON, claims(ON, age=50), A.AGE, 17),
    Case("age_44_scores_29", AGE_TABLE_SRC, ON, claims(ON, age=44), A.AGE, 29),
    Case("age_43_scores_30", AGE_43_SRC, ON, claims(ON, age=43), A.AGE, 30),
    Case("age_25_scores_30", AGE_43_SRC, ON, claims(ON, age=25), A.AGE, 30),
    # --- Education (教育背景) ---
    Case(
        "college_diploma_scores_50",
        EDU_SRC,
        ON,
        claims(ON, education=edu(E.COLLEGE_DIPLOMA)),
        A.EDUCATION,
        50,
    ),
    Case(
        "undergraduate_without_degree_scores_60",
        EDU_SRC,
        ON,
        claims(ON, education=edu(E.UNDERGRADUATE_NO_DEGREE)),
        A.EDUCATION,
        60,
    ),
    Case("bachelor_scores_90", EDU_SRC, ON, claims(ON, education=edu(E.BACHELOR)), A.EDUCATION, 90),
    Case("master_scores_100", EDU_SRC_2, ON, claims(ON, education=edu(E.MASTER)), A.EDUCATION, 100),
    Case("doctorate_scores_110", EDU_SRC_2, ON, claims(ON, education=edu(E.DOCTORATE)), A.EDUCATION, 110),
    Case(
        "unrecognised_doctorate_scores_0",
        EDU_SRC,
        ON,
        claims(ON, education=edu(E.DOCTORATE, recognised=False)),
        A.EDUCATION,
        0,
    ),
    # --- Professional title & skill level (专业技术职称和技能等级) ---
    Case(
        "skill_level_5_scores_15",
        TITLE_SRC,
        ON,
        claims(ON, qualifications=title(Q.SKILL_LEVEL_5)),
        A.QUALIFICATION,
        15,
    ),
    Case(
        "skill_level_4_scores_30",
        TITLE_SRC,
        ON,
        claims(ON, qualifications=title(Q.SKILL_LEVEL_4)),
        A.QUALIFICATION,
        30,
    ),
    Case(
        "skill_level_3_scores_60",
        TITLE_SRC,
        ON,
        claims(ON, qualifications=title(Q.SKILL_LEVEL_3)),
        A.QUALIFICATION,
        60,
    ),
    Case(
        "skill_level_2_with_base_gate_scores_100",
        TITLE_SRC,
        ON,
        claims(ON, segments=GATE_MET, qualifications=title(Q.SKILL_LEVEL_2)),
        A.QUALIFICATION,
        100,
    ),
    Case(
        "intermediate_title_with_base_gate_scores_100",
        TITLE_SRC,
        ON,
        claims(ON, segments=GATE_MET, qualifications=title(Q.INTERMEDIATE_TITLE)),
        A.QUALIFICATION,
        100,
    ),
    Case(
        "skill_level_1_with_base_gate_scores_140",
        TITLE_SRC,
        ON,
        claims(ON, segments=GATE_MET, qualifications=title(Q.SKILL_LEVEL_1)),
        A.QUALIFICATION,
        140,
    ),
    Case(
        "senior_title_with_base_gate_scores_140",
        TITLE_SRC,
        ON,
        claims(ON, segments=GATE_MET, qualifications=title(Q.SENIOR_TITLE)),
        A.QUALIFICATION,
        140,
    ),
    Case(
        "senior_title_with_base_at_1x_in_only_5_of_12_months_scores_0",
        TITLE_GATE_SRC,
        ON,
        claims(ON, segments=((5, "1.5"), (7, "0.9")), qualifications=title(Q.SENIOR_TITLE)),
        A.QUALIFICATION,
        0,
    ),
    Case(
        "title_obtained_outside_shanghai_scores_0",
        TITLE_SRC,
        ON,
        claims(ON, segments=GATE_MET, qualifications=title(Q.INTERMEDIATE_TITLE, in_shanghai=False)),
        A.QUALIFICATION,
        0,
    ),
    # --- Years of social insurance (3 per full year) ---
    Case("36_months_of_insurance_score_9", YEARS_SRC, ON, claims(ON, months=36), A.INSURANCE_YEARS, 9),
    Case("35_months_of_insurance_score_6", YEARS_SRC, ON, claims(ON, months=35), A.INSURANCE_YEARS, 6),
    Case(
        "20_years_of_insurance_score_60_uncapped",
        YEARS_NO_CAP_SRC,
        ON,
        claims(ON, months=240),
        A.INSURANCE_YEARS,
        60,
    ),
    # --- Social-insurance base, 2018 rule ---
    Case(
        "base_2018_36_of_48_months_at_0_9x_scores_25",
        BASE_2018_SRC,
        ON,
        claims(ON, segments=((36, "0.9"),)),
        A.INSURANCE_BASE,
        25,
    ),
    Case(
        "base_2018_36_of_48_months_at_1_5x_scores_50",
        BASE_2018_SRC,
        ON,
        claims(ON, segments=((20, "1.5"), (12, None), (16, "1.5"))),
        A.INSURANCE_BASE,
        50,
    ),
    Case(
        "base_2018_36_of_48_months_at_2_5x_scores_100",
        BASE_2018_SRC_2,
        ON,
        claims(ON, segments=((36, "2.5"),)),
        A.INSURANCE_BASE,
        100,
    ),
    Case(
        "base_2018_24_of_36_months_at_3x_scores_120",
        BASE_2018_SRC_2,
        ON,
        claims(ON, segments=((12, None), (24, "3"))),
        A.INSURANCE_BASE,
        120,
    ),
    Case(
        "base_2018_35_of_48_months_at_1_5x_scores_0",
        BASE_2018_SRC,
        ON,
        claims(ON, segments=((35, "1.5"),)),
        A.INSURANCE_BASE,
        0,
    ),
    # --- Social-insurance base, 2013 trial rule ---
    Case(
        "base_2013_last_3_consecutive_years_at_2_5x_scores_100",
        BASE_2013_SRC,
        ON_2016,
        claims(ON_2016, segments=((36, "2.5"),)),
        A.INSURANCE_BASE,
        100,
    ),
    Case(
        "base_2013_caps_at_100_even_at_3x",
        BASE_2013_SRC,
        ON_2016,
        claims(ON_2016, segments=((36, "3.5"),)),
        A.INSURANCE_BASE,
        100,
    ),
    Case(
        "base_2013_one_month_below_1x_in_the_last_36_drops_to_25",
        BASE_2013_SRC,
        ON_2016,
        claims(ON_2016, segments=((20, "1.5"), (1, "0.9"), (15, "1.5"))),
        A.INSURANCE_BASE,
        25,
    ),
    Case(
        "base_2013_gap_in_the_last_36_months_scores_0",
        BASE_2013_SRC,
        ON_2016,
        claims(ON_2016, segments=((20, "2.5"), (1, None), (20, "2.5"))),
        A.INSURANCE_BASE,
        0,
    ),
    # --- Shortage major ---
    Case(
        "shortage_major_on_catalogue_with_matching_post_scores_30",
        SHORTAGE_SRC,
        ON,
        claims(ON, shortage_major=ShortageMajorClaim("S-0003", "护理", True)),
        A.SHORTAGE_MAJOR,
        30,
    ),
    Case(
        "shortage_major_name_not_matching_the_catalogue_character_for_character_scores_0",
        SHORTAGE_MATCH_SRC,
        ON,
        claims(ON, shortage_major=ShortageMajorClaim("S-0003", "护理学", True)),
        A.SHORTAGE_MAJOR,
        0,
    ),
    # --- Investment tax / hiring ---
    Case(
        "average_tax_of_300k_at_full_share_scores_30",
        INVEST_SRC,
        ON,
        claims(ON, investment=invest("100", (300_000, 300_000, 300_000))),
        A.INVESTMENT_TAX,
        30,
    ),
    Case(
        "average_tax_of_3m_caps_at_100",
        INVEST_SRC,
        ON,
        claims(ON, investment=invest("100", (3_000_000, 3_000_000, 3_000_000))),
        A.INVESTMENT_TAX,
        100,
    ),
    Case(
        "average_tax_of_300k_at_half_share_scores_10",
        INVEST_SRC,
        ON,
        claims(ON, investment=invest("50", (300_000, 300_000, 300_000))),
        A.INVESTMENT_TAX,
        10,
    ),
    Case(
        "average_of_25_shanghai_hukou_hires_scores_20",
        INVEST_SRC,
        ON,
        claims(ON, investment=invest("100", (0, 0, 0), (20, 25, 30))),
        A.INVESTMENT_HIRING,
        20,
    ),
    # --- Public-service fields ---
    Case(
        "public_service_5_years_scores_20",
        PUBLIC_SRC,
        ON,
        claims(ON, public_service=PublicServiceClaim("教育", 5)),
        A.PUBLIC_SERVICE,
        20,
    ),
    Case(
        "public_service_4_years_scores_0",
        PUBLIC_SRC,
        ON,
        claims(ON, public_service=PublicServiceClaim("卫生", 4)),
        A.PUBLIC_SERVICE,
        0,
    ),
    # --- Key areas ---
    Case(
        "key_area_2013_rule_5_years_scores_10",
        KEY_2013_SRC,
        ON,
        claims(ON, key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA13-RS", 5),)),
        A.KEY_AREA,
        10,
    ),
    Case(
        "key_area_2013_rule_12_years_caps_at_20",
        KEY_2013_SRC,
        ON,
        claims(ON, key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA13-RS", 12),)),
        A.KEY_AREA,
        20,
    ),
    Case(
        "key_area_2013_rule_lingang_3_years_scores_0",
        KEY_2013_SRC,
        ON,
        claims(ON, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA13-LG", 3),)),
        A.KEY_AREA,
        0,
    ),
    Case(
        "key_area_2026_rule_lingang_3_years_scores_6",
        KEY_2026_SRC,
        ON_2026,
        claims(ON_2026, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA26-LG", 3),)),
        A.KEY_AREA,
        6,
    ),
    Case(
        "key_area_2026_rule_new_city_4_years_scores_0",
        KEY_2026_SRC,
        ON_2026,
        claims(ON_2026, key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA26-NC", 4),)),
        A.KEY_AREA,
        0,
    ),
    Case(
        "key_area_2026_rule_work_without_living_there_scores_0",
        KEY_2026_SRC,
        ON_2026,
        claims(ON_2026, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA26-LG", 6, lives_in_area=False),)),
        A.KEY_AREA,
        0,
    ),
    # --- Fresh graduate, awards, spouse ---
    Case(
        "full_time_fresh_graduate_scores_10",
        GRAD_SRC,
        ON,
        claims(ON, full_time_fresh_graduate=True),
        A.FRESH_GRADUATE,
        10,
    ),
    Case(
        "municipal_special_award_scores_30",
        AWARD_SRC,
        ON,
        claims(ON, awards=(AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "示例专项奖", date(2022, 5, 1), True),)),
        A.AWARD,
        30,
    ),
    Case(
        "municipal_comprehensive_award_scores_60",
        AWARD_SRC,
        ON,
        claims(
            ON, awards=(AwardClaim(AwardLevel.MUNICIPAL_COMPREHENSIVE, "示例综合奖", date(2022, 5, 1), True),)
        ),
        A.AWARD,
        60,
    ),
    Case(
        "provincial_award_scores_110_highest_award_only",
        AWARD_SRC,
        ON,
        claims(
            ON,
            awards=(
                AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "示例专项奖", date(2021, 5, 1), True),
                AwardClaim(AwardLevel.PROVINCIAL_OR_HIGHER, "示例劳动模范", date(2022, 5, 1), True),
            ),
        ),
        A.AWARD,
        110,
    ),
    Case(
        "spouse_with_shanghai_hukou_married_3_years_scores_12",
        SPOUSE_SRC,
        ON,
        claims(ON, spouse=SpouseClaim(True, date(2021, 6, 15))),
        A.SPOUSE,
        12,
    ),
    Case(
        "spouse_married_12_years_caps_at_40",
        SPOUSE_SRC,
        ON,
        claims(ON, spouse=SpouseClaim(True, date(2012, 1, 1))),
        A.SPOUSE,
        40,
    ),
    # --- Direct 120 ---
    Case(
        "startup_founder_scores_120_in_total",
        DIRECT_SRC,
        ON,
        claims(ON, age=30, startup_founder=founder()),
        None,
        120,
    ),
    Case(
        "startup_founder_with_4_percent_share_scores_0",
        DIRECT_SRC,
        ON,
        claims(ON, startup_founder=founder(share="4")),
        A.STARTUP_FOUNDER,
        0,
    ),
    Case(
        "innovation_intermediary_with_6_months_scores_120",
        DIRECT_SRC,
        ON,
        claims(ON, innovation_intermediary=InnovationIntermediaryClaim("示例技术转移中心", 6)),
        A.INNOVATION_INTERMEDIARY,
        120,
    ),
    # --- Deductions ---
    Case(
        "false_materials_2_years_ago_deducts_150",
        DEDUCT_SRC,
        ON,
        claims(ON),
        A.FALSE_MATERIALS,
        -150,
        DeductionClaims(false_materials=incident(2)),
    ),
    Case(
        "false_materials_4_years_ago_is_outside_the_3_year_window",
        DEDUCT_SRC,
        ON,
        claims(ON),
        A.FALSE_MATERIALS,
        0,
        DeductionClaims(false_materials=incident(4)),
    ),
    Case(
        "two_detentions_within_5_years_deduct_100",
        DEDUCT_SRC,
        ON,
        claims(ON),
        A.ADMINISTRATIVE_DETENTION,
        -100,
        DeductionClaims(administrative_detentions=incident(4) + incident(1)),
    ),
    Case(
        "general_criminal_record_6_years_ago_is_outside_the_5_year_window",
        DEDUCT_SRC,
        ON,
        claims(ON),
        A.GENERAL_CRIMINAL_RECORD,
        0,
        DeductionClaims(general_criminal_records=incident(6)),
    ),
    # --- Aggregation ---
    Case(
        "total_never_goes_below_zero",
        TOTAL_SRC,
        ON,
        claims(ON, age=50),
        None,
        0,
        DeductionClaims(general_criminal_records=incident(1)),
    ),
    Case(
        "education_90_and_intermediate_title_100_total_counts_only_the_title",
        TOTAL_SRC,
        ON,
        claims(
            ON,
            age=30,
            segments=GATE_MET,
            education=edu(E.BACHELOR),
            qualifications=title(Q.INTERMEDIATE_TITLE),
        ),
        None,
        30 + 100 + 3,  # age, title, and the 12 months the history shows as paid
    ),
)


def test_there_are_at_least_30_sourced_scoring_cases() -> None:
    assert len(CASES) >= 30
    assert all(c.source.startswith("http") for c in CASES)
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scoring_case_from_the_domain_brief(case: Case) -> None:
    result = score(case.claims, case.deductions, on=case.on)
    if case.indicator is None:
        assert result.total == case.expected, case.source
    else:
        assert result.line(case.indicator).points == case.expected, case.source
