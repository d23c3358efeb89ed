"""Scoring cases from the domain brief, as a person would answer the simulator.

Each case cites the section of domain.md and the source address domain.md gives for the rule, states
the answers (the JSON the simulator API takes) and the points expected on some lines and/or the total.
``test_simulation.py`` scores them in process; ``tests/e2e/test_simulator_api.py`` sends them to the
running service through the gateway and compares every line with the calculator's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ON = "2024-06-15"  # 2018 rules
ON_2016 = "2016-06-15"  # 2013 trial rules
ON_2026 = "2026-03-02"  # revised implementing rules

AGE = "domain.md §1a 年龄"
EDUCATION = "domain.md §1a 教育背景"
TITLE = "domain.md §1a 专业技术职称和技能等级"
TITLE_GATE = "domain.md §1a 专业技术职称和技能等级 — condition on titles"
YEARS = "domain.md §1a 在本市工作及缴纳职工社会保险年限"
BASE_2018 = "domain.md §1b 缴纳职工社会保险费基数, 2018+ rule"
BASE_2013 = "domain.md §1b 缴纳职工社会保险费基数, 2013 trial rule"
SHORTAGE = "domain.md §1b 紧缺急需专业"
INVESTMENT = "domain.md §1b 投资纳税 or 投资带动本地就业"
PUBLIC = "domain.md §1b 特定的公共服务领域"
KEY_2013 = "domain.md §1b 远郊重点区域, 2013–2025 rule"
KEY_2026 = "domain.md §1b 远郊重点区域, newest rule"
GRADUATE = "domain.md §1b 全日制应届高校毕业生"
AWARD = "domain.md §1b 表彰奖励"
SPOUSE = "domain.md §1b 配偶为本市户籍人员"
FOUNDER = "domain.md §1b Direct 120 — start-up founder"
INTERMEDIARY = "domain.md §1b Direct 120 — innovation intermediary"
DEDUCTIONS = "domain.md §1c Deductions"
VETO = "domain.md §1c Veto (2017 measures, Art. 9)"
AGGREGATION = "domain.md §1 Aggregation rules"

SRC_AGE = "http://isslerlaw.com/socialsecurityinquiry/udnebieakf.html"
SRC_AGE_TABLE = "https://m.taodocs.com/p-6209621.html"
SRC_AGE_43 = "http://m.wantom.net/jifen/1321.html"
SRC_EDUCATION = "http://m.52luohu.cn/html/shnews/juzhuzheng/41827.html"
SRC_EDUCATION_2 = "http://m.wantom.net/jifen/1080.html"
SRC_TITLE = "http://ccschy.com/techan/60625.html"
SRC_TITLE_GATE = "http://isslerlaw.com/socialsecurityinquiry/vbutgycmct.html"
SRC_YEARS = "https://78911.com.cn/HuKouZhengCe/665056-2.html"
SRC_BASE_2018 = "http://www.plnmw.com/InformationTechnologyConsulting/uwwieskcdk.html"
SRC_BASE_2018_2 = "http://hahafu.net.cn/html/shlhzx/jzz/67994.html"
SRC_BASE_2013 = "https://m.taodocs.com/p-6209621.html"
SRC_SHORTAGE = "https://c-ibc.com/jifen/842.html"
SRC_INVESTMENT = "https://78911.com.cn/HuKouZhengCe/665056-2.html"
SRC_PUBLIC = "https://m.taodocs.com/p-6209621.html"
SRC_KEY_2013 = "https://m.taodocs.com/p-6209621.html"
SRC_KEY_2026 = "http://m.niuxiu.net/html/juzhuzheng/zhengce/6733.html"
SRC_GRADUATE = "https://c-ibc.com/jifen/842.html"
SRC_AWARD = "https://liuhubang.com/news/jifen_3045.html"
SRC_SPOUSE = "https://m.taodocs.com/p-6209621.html"
SRC_DIRECT = "https://wfek.com/jifen/1507.html"
SRC_DEDUCTIONS = "http://shluohubang.com/jzh/7025.html"
SRC_VETO = "https://liuhubang.com/news/jifen_1273.html"
SRC_TOTAL = "https://xiexiebang.com/a10/2019051413/a1a5e0e44dea2a88.html"


@dataclass(frozen=True)
class SimulatorCase:
    id: str
    brief: str  # the section of domain.md
    source: str  # the address domain.md cites for the rule
    answers: Mapping[str, object]
    lines: Mapping[str, int] = field(default_factory=dict)  # indicator -> points
    total: int | None = None  # None: not checked
    ineligible: bool = False


def aged(age: int, on: str = ON) -> str:
    """A birth date giving ``age`` full years on ``on``."""
    return f"{int(on[:4]) - age}-01-01"


def case(
    id: str,
    brief: str,
    source: str,
    *,
    on: str = ON,
    age: int = 30,
    lines: Mapping[str, int] | None = None,
    total: int | None = None,
    ineligible: bool = False,
    extra: Mapping[str, object] | None = None,
    **answers: object,
) -> SimulatorCase:
    return SimulatorCase(
        id,
        brief,
        source,
        {"assessment_date": on, "birth_date": aged(age, on), **(extra or {}), **answers},
        dict(lines or {}),
        total,
        ineligible,
    )


GATE_MET: Mapping[str, object] = {"months_paid": 12, "base_band": "1", "base_months": 12}

CASES: tuple[SimulatorCase, ...] = (
    # --- Age ---
    case("age_60_scores_5", AGE, SRC_AGE, age=60, lines={"age": 5}, total=5),
    case("age_56_scores_5", AGE, SRC_AGE, age=56, lines={"age": 5}),
    case("age_55_scores_7", AGE, SRC_AGE, age=55, lines={"age": 7}),
    case("age_50_scores_17", AGE, SRC_AGE_TABLE, age=50, lines={"age": 17}),
    case("age_44_scores_29", AGE, SRC_AGE_TABLE, age=44, lines={"age": 29}),
    case("age_43_scores_30", AGE, SRC_AGE_43, age=43, lines={"age": 30}),
    case("age_62_is_outside_the_table_and_scores_0", AGE, SRC_AGE, age=62, lines={"age": 0}, total=0),
    # --- Education ---
    case(
        "college_diploma_scores_50",
        EDUCATION,
        SRC_EDUCATION,
        education="college_diploma",
        lines={"education": 50},
    ),
    case(
        "undergraduate_without_degree_scores_60",
        EDUCATION,
        SRC_EDUCATION,
        education="undergraduate_no_degree",
        lines={"education": 60},
    ),
    case(
        "bachelor_scores_90",
        EDUCATION,
        SRC_EDUCATION,
        education="bachelor",
        lines={"education": 90},
        total=120,
    ),
    case("master_scores_100", EDUCATION, SRC_EDUCATION_2, education="master", lines={"education": 100}),
    case("doctorate_scores_110", EDUCATION, SRC_EDUCATION_2, education="doctorate", lines={"education": 110}),
    case(
        "unrecognised_doctorate_scores_0",
        EDUCATION,
        SRC_EDUCATION,
        education="doctorate",
        education_recognised=False,
        lines={"education": 0},
    ),
    # --- Titles and skill levels ---
    case("skill_level_5_scores_15", TITLE, SRC_TITLE, title="skill_level_5", lines={"qualification": 15}),
    case("skill_level_3_scores_60", TITLE, SRC_TITLE, title="skill_level_3", lines={"qualification": 60}),
    case(
        "intermediate_title_with_base_gate_scores_100",
        TITLE,
        SRC_TITLE,
        title="intermediate_title",
        extra=GATE_MET,
        lines={"qualification": 100},
    ),
    case(
        "senior_title_with_base_gate_scores_140",
        TITLE,
        SRC_TITLE,
        title="senior_title",
        extra=GATE_MET,
        lines={"qualification": 140},
    ),
    case(
        "senior_title_with_base_below_1x_scores_0",
        TITLE_GATE,
        SRC_TITLE_GATE,
        title="senior_title",
        months_paid=12,
        base_band="0.8",
        base_months=12,
        lines={"qualification": 0},
    ),
    case(
        "title_obtained_outside_shanghai_scores_0",
        TITLE,
        SRC_TITLE,
        title="intermediate_title",
        title_obtained_in_shanghai=False,
        extra=GATE_MET,
        lines={"qualification": 0},
    ),
    case(
        "title_not_matching_the_post_scores_0",
        TITLE,
        SRC_TITLE,
        title="skill_level_4",
        title_matches_post=False,
        lines={"qualification": 0},
    ),
    # --- Years of social insurance ---
    case("36_months_paid_score_9", YEARS, SRC_YEARS, months_paid=36, lines={"insurance_years": 9}),
    case("35_months_paid_score_6", YEARS, SRC_YEARS, months_paid=35, lines={"insurance_years": 6}),
    case(
        "240_months_paid_score_60_uncapped", YEARS, SRC_AGE_43, months_paid=240, lines={"insurance_years": 60}
    ),
    # --- Social-insurance base, 2018 rule ---
    case(
        "base_0_8x_for_36_of_48_months_scores_25",
        BASE_2018,
        SRC_BASE_2018,
        months_paid=36,
        base_band="0.8",
        base_months=36,
        lines={"insurance_base": 25},
    ),
    case(
        "base_1x_for_36_of_48_months_scores_50",
        BASE_2018,
        SRC_BASE_2018,
        months_paid=48,
        base_band="1",
        base_months=36,
        lines={"insurance_base": 50},
    ),
    case(
        "base_2x_for_36_of_48_months_scores_100",
        BASE_2018,
        SRC_BASE_2018_2,
        months_paid=36,
        base_band="2",
        base_months=36,
        lines={"insurance_base": 100},
    ),
    case(
        "base_3x_for_24_of_36_months_scores_120",
        BASE_2018,
        SRC_BASE_2018_2,
        months_paid=24,
        base_band="3",
        base_months=24,
        lines={"insurance_base": 120},
    ),
    case(
        "base_1x_for_35_months_scores_0",
        BASE_2018,
        SRC_BASE_2018,
        months_paid=35,
        base_band="1",
        base_months=35,
        lines={"insurance_base": 0},
    ),
    # --- Social-insurance base, 2013 trial rule ---
    case(
        "base_2013_2x_for_the_last_3_years_scores_100",
        BASE_2013,
        SRC_BASE_2013,
        on=ON_2016,
        months_paid=36,
        base_band="2",
        base_months=36,
        lines={"insurance_base": 100},
    ),
    case(
        "base_2013_caps_at_100_even_at_3x",
        BASE_2013,
        SRC_BASE_2013,
        on=ON_2016,
        months_paid=36,
        base_band="3",
        base_months=36,
        lines={"insurance_base": 100},
    ),
    # --- Shortage major ---
    case(
        "shortage_major_with_matching_post_scores_30",
        SHORTAGE,
        SRC_SHORTAGE,
        shortage_major="S-0003",
        lines={"shortage_major": 30},
    ),
    case(
        "shortage_major_with_another_post_scores_0",
        SHORTAGE,
        SRC_SHORTAGE,
        shortage_major="S-0003",
        major_matches_post=False,
        lines={"shortage_major": 0},
    ),
    # --- Investment ---
    case(
        "average_tax_of_300k_at_full_share_scores_30",
        INVESTMENT,
        SRC_INVESTMENT,
        investment_share=100,
        investment_tax_yuan=300_000,
        lines={"investment_tax": 30},
    ),
    case(
        "average_tax_of_300k_at_half_share_scores_10",
        INVESTMENT,
        SRC_INVESTMENT,
        investment_share="50",
        investment_tax_yuan=300_000,
        lines={"investment_tax": 10},
    ),
    case(
        "average_tax_of_3m_caps_at_100",
        INVESTMENT,
        SRC_INVESTMENT,
        investment_share=100,
        investment_tax_yuan=3_000_000,
        lines={"investment_tax": 100},
    ),
    case(
        "tax_or_hires_only_the_higher_counts",
        INVESTMENT,
        SRC_INVESTMENT,
        investment_share=100,
        investment_tax_yuan=200_000,
        investment_hires=40,
        lines={"investment_tax": 20, "investment_hiring": 40},
        total=30 + 40,
    ),
    # --- Public service ---
    case(
        "public_service_5_years_scores_20",
        PUBLIC,
        SRC_PUBLIC,
        public_service_years=5,
        lines={"public_service": 20},
    ),
    case(
        "public_service_4_years_scores_0",
        PUBLIC,
        SRC_PUBLIC,
        public_service_years=4,
        lines={"public_service": 0},
    ),
    # --- Key areas ---
    case(
        "key_area_2013_rule_5_years_scores_10",
        KEY_2013,
        SRC_KEY_2013,
        key_area="other",
        key_area_years=5,
        lines={"key_area": 10},
    ),
    case(
        "key_area_2013_rule_12_years_caps_at_20",
        KEY_2013,
        SRC_KEY_2013,
        key_area="other",
        key_area_years=12,
        lines={"key_area": 20},
    ),
    case(
        "key_area_2026_lingang_3_years_scores_6",
        KEY_2026,
        SRC_KEY_2026,
        on=ON_2026,
        key_area="lingang",
        key_area_years=3,
        lines={"key_area": 6},
    ),
    case(
        "key_area_2026_other_area_4_years_scores_0",
        KEY_2026,
        SRC_KEY_2026,
        on=ON_2026,
        key_area="other",
        key_area_years=4,
        lines={"key_area": 0},
    ),
    case(
        "key_area_2026_working_without_living_there_scores_0",
        KEY_2026,
        SRC_KEY_2026,
        on=ON_2026,
        key_area="lingang",
        key_area_years=6,
        lives_in_key_area=False,
        lines={"key_area": 0},
    ),
    # --- Fresh graduate, awards, spouse ---
    case(
        "full_time_fresh_graduate_scores_10",
        GRADUATE,
        SRC_GRADUATE,
        fresh_graduate=True,
        lines={"fresh_graduate": 10},
    ),
    case(
        "municipal_special_award_scores_30", AWARD, SRC_AWARD, award="municipal_special", lines={"award": 30}
    ),
    case(
        "municipal_comprehensive_award_scores_60",
        AWARD,
        SRC_AWARD,
        award="municipal_comprehensive",
        lines={"award": 60},
    ),
    case("provincial_award_scores_110", AWARD, SRC_AWARD, award="provincial_or_higher", lines={"award": 110}),
    case(
        "award_received_outside_shanghai_scores_0",
        AWARD,
        SRC_AWARD,
        award="provincial_or_higher",
        award_in_shanghai=False,
        lines={"award": 0},
    ),
    case(
        "spouse_with_shanghai_hukou_married_3_years_scores_12",
        SPOUSE,
        SRC_SPOUSE,
        spouse_shanghai_hukou=True,
        married_on="2021-06-15",
        lines={"spouse": 12},
    ),
    case(
        "spouse_married_12_years_caps_at_40",
        SPOUSE,
        SRC_SPOUSE,
        spouse_shanghai_hukou=True,
        married_on="2012-01-01",
        lines={"spouse": 40},
    ),
    # --- Direct 120 ---
    case(
        "startup_founder_scores_120_in_total",
        FOUNDER,
        SRC_DIRECT,
        founder_share=10,
        founder_months=6,
        lines={"startup_founder": 120},
        total=120,
    ),
    case(
        "startup_founder_with_4_percent_scores_0",
        FOUNDER,
        SRC_DIRECT,
        founder_share=4,
        founder_months=12,
        lines={"startup_founder": 0},
    ),
    case(
        "innovation_intermediary_with_6_months_scores_120",
        INTERMEDIARY,
        SRC_DIRECT,
        intermediary_months=6,
        lines={"innovation_intermediary": 120},
        total=120,
    ),
    # --- Deductions and veto ---
    case(
        "false_materials_2_years_ago_deducts_150",
        DEDUCTIONS,
        SRC_DEDUCTIONS,
        false_materials=1,
        false_materials_oldest_on="2022-06-01",
        lines={"false_materials": -150},
        total=0,
    ),
    case(
        "two_detentions_within_5_years_deduct_100",
        DEDUCTIONS,
        SRC_DEDUCTIONS,
        education="doctorate",
        detentions=2,
        detentions_oldest_on="2020-06-01",
        lines={"administrative_detention": -100},
        total=30 + 110 - 100,
    ),
    case(
        "family_planning_violation_is_a_veto",
        VETO,
        SRC_VETO,
        education="doctorate",
        family_planning_violation=True,
        ineligible=True,
    ),
    case("serious_criminal_record_is_a_veto", VETO, SRC_VETO, serious_criminal_record=True, ineligible=True),
    # --- Aggregation ---
    case(
        "education_or_title_only_the_higher_counts",
        AGGREGATION,
        SRC_TOTAL,
        education="bachelor",
        title="intermediate_title",
        extra=GATE_MET,
        lines={"education": 90, "qualification": 100},
        total=30 + 100 + 3,
    ),
    case(
        "the_total_never_goes_below_zero",
        AGGREGATION,
        SRC_TOTAL,
        age=50,
        criminal_records=1,
        lines={"general_criminal_record": -150},
        total=0,
    ),
    case(
        "a_bachelor_with_5_years_of_1x_base_meets_the_pass_mark",
        AGGREGATION,
        SRC_TOTAL,
        age=32,
        education="bachelor",
        months_paid=60,
        base_band="1",
        base_months=48,
        lines={"age": 30, "education": 90, "insurance_years": 15, "insurance_base": 50},
        total=185,
    ),
)
