"""The dated points rule tables (居住证积分指标体系), as data.

Every row carries an ``id``, the ``source`` it was taken from (addresses from the domain brief,
domain.md §1) and an effective period. The row types and the selection of what is in force are the
rule model (``model.py``); the catalogues the rules refer to are injected data (``catalogues.py``).
``rules_in_force(on, catalogues)`` returns the ``RuleSet`` of an assessment date.

Instruments and the dates used (domain.md, legal-basis table):

* 2013 trial measures (上海市居住证积分管理试行办法), with Decree No. 2: 2013-07-01 .. 2017-12-31.
* 2017 Measures (沪府发〔2017〕98号) and Decree No. 58: from 2018-01-01. Their stated validity ends
  2022-12-31, but pages dated 2023-2026 still apply the same values and the replacing instrument was
  not found (domain.md §6.4), so the rows are kept open-ended.
* Revised implementing rules (实施细则, dated 2025-12, called the "2026" version): from 2026-01-01.
  Only the key-area rule and the out-of-province skill-certificate check change.

Where the 2018 revision left a value unchanged ("to keep policy continuity"), one row covers both
periods from 2013-07-01. Values that only current-rule pages document (the title base gate) start
2018-01-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from .catalogues import NO_CATALOGUES, Catalogues
from .claims import AwardLevel, EducationLevel, KeyAreaKind, QualificationLevel
from .model import (
    AgeRow,
    AwardRow,
    BaseBandRow,
    DeductionRow,
    DirectRouteRule,
    EducationRow,
    FlatRule,
    GateKind,
    Indicator,
    InvestmentRule,
    PerYearRule,
    QualificationGate,
    QualificationRow,
    RuleSet,
    RuleTables,
    VetoKind,
    VetoRow,
    build_rule_set,
)
from .model import (
    PassMarkRow as PassMarkRow,  # re-exported: callers replace PASS_MARKS with their own rows
)

# --------------------------------------------------------------------------------------------------
# Sources (domain.md §1)
# --------------------------------------------------------------------------------------------------

SRC_AGE = (
    "http://isslerlaw.com/socialsecurityinquiry/udnebieakf.html ; https://m.taodocs.com/p-6209621.html ; "
    "http://m.wantom.net/jifen/1321.html"
)
SRC_EDUCATION = (
    "http://m.52luohu.cn/html/shnews/juzhuzheng/41827.html ; https://w.sf024.com/info/1882436362699686628.html"
    " ; http://m.wantom.net/jifen/1080.html"
)
SRC_QUALIFICATION = (
    "http://ccschy.com/techan/60625.html ; http://hahafu.net.cn/html/shlhzx/jzz/77944.html ; "
    "https://88.wendadaohang.com/zd/MBBcVSgSVStagMtBMac.html"
)
SRC_TITLE_GATE = (
    "http://ccschy.com/techan/60625.html ; http://isslerlaw.com/socialsecurityinquiry/vbutgycmct.html"
)
SRC_2026 = "http://m.niuxiu.net/html/juzhuzheng/zhengce/6733.html"
SRC_INSURANCE_YEARS = (
    "https://78911.com.cn/HuKouZhengCe/665056-2.html ; https://www.jzzjf.com/news/show/1050 ; "
    "http://m.wantom.net/jifen/1321.html"
)
SRC_BASE_2018 = (
    "http://www.plnmw.com/InformationTechnologyConsulting/uwwieskcdk.html ; "
    "http://hahafu.net.cn/html/shlhzx/jzz/67994.html ; http://m.51luohu.com/news/192476.html"
)
SRC_BASE_2013 = "https://78911.com.cn/HuKouZhengCe/665056-2.html ; https://m.taodocs.com/p-6209621.html"
SRC_SHORTAGE = (
    "https://c-ibc.com/jifen/842.html ; http://www.51luohu.com/html/lxslhshzc/125770.html ; "
    "https://wap.265xx.com/w415/129451.html"
)
SRC_INVESTMENT = (
    "https://78911.com.cn/HuKouZhengCe/665056-2.html ; https://m.taodocs.com/p-6209621.html ; "
    "http://www.hafybjy.cn/zdcbsx/wenda-zk5b8wkq.html"
)
SRC_PUBLIC_SERVICE = "https://m.taodocs.com/p-6209621.html"
SRC_KEY_AREA_2013 = "https://m.taodocs.com/p-6209621.html"
SRC_FRESH_GRADUATE = "https://m.taodocs.com/p-6209621.html ; https://c-ibc.com/jifen/842.html ; http://m.wantom.net/jifen/1321.html"
SRC_AWARD = (
    "https://liuhubang.com/news/jifen_3045.html ; http://m.91luohu.com/html/jifenluohu/zhengce/15386.html ; "
    "https://www.hukou021.com/html/jifenluohu/redian/3404.html"
)
SRC_SPOUSE = "https://m.taodocs.com/p-6209621.html ; http://m.wantom.net/jifen/1321.html"
SRC_FOUNDER = (
    "https://wfek.com/jifen/1507.html ; https://ctce.de/on-science-and-technology-innovation-center-construction-"
    "services-with-global-influence-of-the-implementation-of-a-more-open-domestic-talent-introduction-"
    "implementation-measures-policies ; https://fx361.cc/page/2016/0829/18739814.shtml"
)
SRC_INTERMEDIARY = "https://wfek.com/jifen/1507.html"
SRC_DEDUCTIONS = "http://shluohubang.com/jzh/7025.html ; https://wfek.com/jifen/1180.html"
SRC_VETO = "http://shluohubang.com/jzh/7025.html ; https://liuhubang.com/news/jifen_1273.html"
SRC_PASS_MARK = (
    "https://archive.shine.cn/metro/City-to-ease-residency-permits-for-outsiders/shdaily.shtml ; "
    "http://isslerlaw.com/socialsecurityinquiry/udnebieakf.html ; "
    "https://xiexiebang.com/a10/2019051413/a1a5e0e44dea2a88.html"
)

# Effective dates (see module docstring).
TRIAL_2013_FROM = date(2013, 7, 1)
TRIAL_2013_TO = date(2017, 12, 31)
MEASURES_2018_FROM = date(2018, 1, 1)
RULES_2026_FROM = date(2026, 1, 1)
RULES_2026_PREVIOUS_TO = date(2025, 12, 31)
# Direct-120 routes: the instrument's own effective date was not retrieved; the earliest dated source
# (fx361.cc, 2016-08-29) is used.
DIRECT_ROUTES_FROM = date(2016, 8, 29)


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------

# Age: 56-60 = 5; each year younger adds 2; 43 or younger = 30. Over 60: no row (0 points, §6.9).
AGE_TABLE: tuple[AgeRow, ...] = (
    AgeRow("age.le43", 0, 43, 30, SRC_AGE, TRIAL_2013_FROM),
    *(AgeRow(f"age.{a}", a, a, 5 + 2 * (56 - a), SRC_AGE, TRIAL_2013_FROM) for a in range(44, 56)),
    AgeRow("age.56-60", 56, 60, 5, SRC_AGE, TRIAL_2013_FROM),
)

EDUCATION_TABLE: tuple[EducationRow, ...] = (
    EducationRow(
        "education.college_diploma", EducationLevel.COLLEGE_DIPLOMA, 50, SRC_EDUCATION, TRIAL_2013_FROM
    ),
    EducationRow(
        "education.undergraduate_no_degree",
        EducationLevel.UNDERGRADUATE_NO_DEGREE,
        60,
        SRC_EDUCATION,
        TRIAL_2013_FROM,
    ),
    EducationRow("education.bachelor", EducationLevel.BACHELOR, 90, SRC_EDUCATION, TRIAL_2013_FROM),
    EducationRow("education.master", EducationLevel.MASTER, 100, SRC_EDUCATION, TRIAL_2013_FROM),
    EducationRow("education.doctorate", EducationLevel.DOCTORATE, 110, SRC_EDUCATION, TRIAL_2013_FROM),
)

QUALIFICATION_TABLE: tuple[QualificationRow, ...] = (
    QualificationRow(
        "qualification.skill5", QualificationLevel.SKILL_LEVEL_5, 15, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
    QualificationRow(
        "qualification.skill4", QualificationLevel.SKILL_LEVEL_4, 30, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
    QualificationRow(
        "qualification.skill3", QualificationLevel.SKILL_LEVEL_3, 60, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
    QualificationRow(
        "qualification.skill2", QualificationLevel.SKILL_LEVEL_2, 100, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
    QualificationRow(
        "qualification.intermediate",
        QualificationLevel.INTERMEDIATE_TITLE,
        100,
        SRC_QUALIFICATION,
        TRIAL_2013_FROM,
    ),
    QualificationRow(
        "qualification.skill1", QualificationLevel.SKILL_LEVEL_1, 140, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
    QualificationRow(
        "qualification.senior", QualificationLevel.SENIOR_TITLE, 140, SRC_QUALIFICATION, TRIAL_2013_FROM
    ),
)

_GATED_LEVELS = frozenset(
    {
        QualificationLevel.INTERMEDIATE_TITLE,
        QualificationLevel.SENIOR_TITLE,
        QualificationLevel.SKILL_LEVEL_2,
        QualificationLevel.SKILL_LEVEL_1,
    }
)

QUALIFICATION_GATES: tuple[QualificationGate, ...] = (
    QualificationGate(
        "qualification.gate.base_1x_6_of_12",
        GateKind.BASE,
        _GATED_LEVELS,
        SRC_TITLE_GATE,
        MEASURES_2018_FROM,
        min_multiple=Decimal(1),
        months_required=6,
        window_months=12,
    ),
    QualificationGate(
        "qualification.gate.skill_certificate_verifiable_2026",
        GateKind.VERIFIABLE,
        frozenset(
            {
                QualificationLevel.SKILL_LEVEL_3,
                QualificationLevel.SKILL_LEVEL_2,
                QualificationLevel.SKILL_LEVEL_1,
            }
        ),
        SRC_2026,
        RULES_2026_FROM,
    ),
)

INSURANCE_YEARS_RULES: tuple[PerYearRule, ...] = (
    PerYearRule(
        "insurance_years.3_per_year",
        Indicator.INSURANCE_YEARS,
        3,
        0,
        None,
        SRC_INSURANCE_YEARS,
        TRIAL_2013_FROM,
    ),
)

BASE_BANDS: tuple[BaseBandRow, ...] = (
    # 2013 trial rule (superseded, kept as history): the last 3 consecutive years, cap 100.
    BaseBandRow("base.2013.0.8x", Decimal("0.8"), 36, 36, 25, SRC_BASE_2013, TRIAL_2013_FROM, TRIAL_2013_TO),
    BaseBandRow("base.2013.1x", Decimal(1), 36, 36, 50, SRC_BASE_2013, TRIAL_2013_FROM, TRIAL_2013_TO),
    BaseBandRow("base.2013.2x", Decimal(2), 36, 36, 100, SRC_BASE_2013, TRIAL_2013_FROM, TRIAL_2013_TO),
    # 2018 rule: 36 of the last 48 months (24 of the last 36 for 3x), cap 120.
    BaseBandRow("base.2018.0.8x", Decimal("0.8"), 36, 48, 25, SRC_BASE_2018, MEASURES_2018_FROM),
    BaseBandRow("base.2018.1x", Decimal(1), 36, 48, 50, SRC_BASE_2018, MEASURES_2018_FROM),
    BaseBandRow("base.2018.2x", Decimal(2), 36, 48, 100, SRC_BASE_2018, MEASURES_2018_FROM),
    BaseBandRow("base.2018.3x", Decimal(3), 24, 36, 120, SRC_BASE_2018, MEASURES_2018_FROM),
)

FLAT_RULES: tuple[FlatRule, ...] = (
    FlatRule("shortage_major.30", Indicator.SHORTAGE_MAJOR, 30, SRC_SHORTAGE, TRIAL_2013_FROM),
    FlatRule("fresh_graduate.10", Indicator.FRESH_GRADUATE, 10, SRC_FRESH_GRADUATE, TRIAL_2013_FROM),
)

# Cap 100 (§6.7: one page says "up to 120" but conflates this item with the 3x base route).
INVESTMENT_RULES: tuple[InvestmentRule, ...] = (
    InvestmentRule("investment.10_per_step_cap100", 3, 100_000, 10, 10, 100, SRC_INVESTMENT, TRIAL_2013_FROM),
)

PER_YEAR_RULES: tuple[PerYearRule, ...] = (
    # No cap found in any source (§6.8): cap None.
    PerYearRule(
        "public_service.4_per_year_after_5",
        Indicator.PUBLIC_SERVICE,
        4,
        5,
        None,
        SRC_PUBLIC_SERVICE,
        TRIAL_2013_FROM,
    ),
    PerYearRule(
        "key_area.2013.2_per_year_after_5",
        Indicator.KEY_AREA,
        2,
        5,
        20,
        SRC_KEY_AREA_2013,
        TRIAL_2013_FROM,
        RULES_2026_PREVIOUS_TO,
    ),
    PerYearRule(
        "key_area.2026.lingang_after_3",
        Indicator.KEY_AREA,
        2,
        3,
        20,
        SRC_2026,
        RULES_2026_FROM,
        area_kind=KeyAreaKind.LINGANG,
        requires_residence=True,
    ),
    PerYearRule(
        "key_area.2026.other_after_5",
        Indicator.KEY_AREA,
        2,
        5,
        20,
        SRC_2026,
        RULES_2026_FROM,
        area_kind=KeyAreaKind.OTHER,
        requires_residence=True,
    ),
    PerYearRule("spouse.4_per_year", Indicator.SPOUSE, 4, 0, 40, SRC_SPOUSE, TRIAL_2013_FROM),
)

AWARD_TABLE: tuple[AwardRow, ...] = (
    AwardRow("award.municipal_special", AwardLevel.MUNICIPAL_SPECIAL, 30, SRC_AWARD, TRIAL_2013_FROM),
    AwardRow(
        "award.municipal_comprehensive", AwardLevel.MUNICIPAL_COMPREHENSIVE, 60, SRC_AWARD, TRIAL_2013_FROM
    ),
    AwardRow("award.provincial_or_higher", AwardLevel.PROVINCIAL_OR_HIGHER, 110, SRC_AWARD, TRIAL_2013_FROM),
)

DIRECT_ROUTES: tuple[DirectRouteRule, ...] = (
    DirectRouteRule(
        "direct.startup_founder",
        Indicator.STARTUP_FOUNDER,
        120,
        6,
        SRC_FOUNDER,
        DIRECT_ROUTES_FROM,
        min_share_percent=Decimal(5),
    ),
    DirectRouteRule(
        "direct.innovation_intermediary",
        Indicator.INNOVATION_INTERMEDIARY,
        120,
        6,
        SRC_INTERMEDIARY,
        DIRECT_ROUTES_FROM,
    ),
)

DEDUCTIONS: tuple[DeductionRow, ...] = (
    DeductionRow(
        "deduction.false_materials", Indicator.FALSE_MATERIALS, 150, 3, SRC_DEDUCTIONS, TRIAL_2013_FROM
    ),
    DeductionRow(
        "deduction.administrative_detention",
        Indicator.ADMINISTRATIVE_DETENTION,
        50,
        5,
        SRC_DEDUCTIONS,
        TRIAL_2013_FROM,
    ),
    DeductionRow(
        "deduction.general_criminal_record",
        Indicator.GENERAL_CRIMINAL_RECORD,
        150,
        5,
        SRC_DEDUCTIONS,
        TRIAL_2013_FROM,
    ),
)

VETOES: tuple[VetoRow, ...] = (
    VetoRow(
        "veto.family_planning",
        VetoKind.FAMILY_PLANNING_VIOLATION,
        "有违反国家或本市计划生育政策记录",
        "record of violating national or Shanghai family-planning policy",
        SRC_VETO,
        TRIAL_2013_FROM,
        note=(
            "Kept in force after 2026-01-01: the revised implementing rules drop the pledge document, but no "
            "source shows Art. 9 repealed (domain.md §6.5)."
        ),
    ),
    VetoRow(
        "veto.serious_criminal_record",
        VetoKind.SERIOUS_CRIMINAL_RECORD,
        "有严重刑事犯罪记录",
        "serious criminal record",
        SRC_VETO,
        TRIAL_2013_FROM,
    ),
)

PASS_MARKS: tuple[PassMarkRow, ...] = (PassMarkRow("pass_mark.120", 120, SRC_PASS_MARK, TRIAL_2013_FROM),)


def tables() -> RuleTables:
    """The tables above, read when called (a test may replace one, e.g. ``PASS_MARKS``)."""
    return RuleTables(
        age=AGE_TABLE,
        education=EDUCATION_TABLE,
        qualification=QUALIFICATION_TABLE,
        qualification_gates=QUALIFICATION_GATES,
        insurance_years=INSURANCE_YEARS_RULES,
        base_bands=BASE_BANDS,
        flat=FLAT_RULES,
        investment=INVESTMENT_RULES,
        per_year=PER_YEAR_RULES,
        awards=AWARD_TABLE,
        direct_routes=DIRECT_ROUTES,
        deductions=DEDUCTIONS,
        vetoes=VETOES,
        pass_marks=PASS_MARKS,
    )


@lru_cache(maxsize=256)
def rules_in_force(on: date, catalogues: Catalogues = NO_CATALOGUES) -> RuleSet:
    """The rule set in force on the assessment date ``on``, with the ``catalogues`` the service loaded
    (default: none, so no shortage major or key area is on a catalogue).

    Raises ``NoRulesInForceError`` before the points system started (2013-07-01).
    """
    return build_rule_set(on, tables(), catalogues)
