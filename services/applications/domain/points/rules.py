"""Versioned points rule tables and catalogues (居住证积分指标体系), as data.

Every row carries an ``id``, the ``source`` it was taken from (addresses from the domain brief,
domain.md §1) and an effective period ``effective_from`` .. ``effective_to`` (both inclusive;
``effective_to=None`` means still in force). ``rules_in_force(on)`` selects the rows in force on an
assessment date and returns a ``RuleSet``; the calculator reads nothing else.

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

Catalogue codes here are internal identifiers, not official codes. Entries marked ``sample=True``
are illustrative placeholders, not the official list; the real catalogues are published separately
by the Municipal HRSS Bureau and must be loaded before production use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Protocol, TypeVar

from .claims import AwardLevel, EducationLevel, KeyAreaKind, QualificationLevel

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
# Indicators
# --------------------------------------------------------------------------------------------------


class Indicator(StrEnum):
    """Indicator codes, in the order lines appear on a result."""

    AGE = "age"
    EDUCATION = "education"
    QUALIFICATION = "qualification"
    INSURANCE_YEARS = "insurance_years"
    SHORTAGE_MAJOR = "shortage_major"
    INVESTMENT_TAX = "investment_tax"
    INVESTMENT_HIRING = "investment_hiring"
    INSURANCE_BASE = "insurance_base"
    PUBLIC_SERVICE = "public_service"
    KEY_AREA = "key_area"
    FRESH_GRADUATE = "fresh_graduate"
    AWARD = "award"
    SPOUSE = "spouse"
    STARTUP_FOUNDER = "startup_founder"
    INNOVATION_INTERMEDIARY = "innovation_intermediary"
    FALSE_MATERIALS = "false_materials"
    ADMINISTRATIVE_DETENTION = "administrative_detention"
    GENERAL_CRIMINAL_RECORD = "general_criminal_record"


INDICATOR_NAMES: Mapping[Indicator, tuple[str, str]] = MappingProxyType(
    {
        Indicator.AGE: ("年龄", "Age"),
        Indicator.EDUCATION: ("教育背景", "Education"),
        Indicator.QUALIFICATION: ("专业技术职称和技能等级", "Professional title and skill level"),
        Indicator.INSURANCE_YEARS: (
            "在本市工作及缴纳职工社会保险年限",
            "Years of work and employee social insurance in Shanghai",
        ),
        Indicator.SHORTAGE_MAJOR: ("紧缺急需专业", "Shortage / urgently needed major"),
        Indicator.INVESTMENT_TAX: ("投资纳税", "Investment tax"),
        Indicator.INVESTMENT_HIRING: ("投资带动本地就业", "Investment creating local jobs"),
        Indicator.INSURANCE_BASE: ("缴纳职工社会保险费基数", "Social-insurance contribution base"),
        Indicator.PUBLIC_SERVICE: ("特定的公共服务领域", "Specific public-service fields"),
        Indicator.KEY_AREA: ("远郊重点区域", "Remote suburbs / key areas"),
        Indicator.FRESH_GRADUATE: ("全日制应届高校毕业生", "Full-time fresh graduate"),
        Indicator.AWARD: ("表彰奖励", "Awards"),
        Indicator.SPOUSE: ("配偶为本市户籍人员", "Spouse with Shanghai hukou"),
        Indicator.STARTUP_FOUNDER: ("创业人才（直接积满120分）", "Start-up founder (direct 120)"),
        Indicator.INNOVATION_INTERMEDIARY: (
            "创新创业中介服务人才（直接积满120分）",
            "Innovation intermediary (direct 120)",
        ),
        Indicator.FALSE_MATERIALS: ("提供虚假材料", "False materials"),
        Indicator.ADMINISTRATIVE_DETENTION: ("行政拘留", "Administrative detention"),
        Indicator.GENERAL_CRIMINAL_RECORD: ("一般刑事犯罪", "General criminal record"),
    }
)

LEVEL_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        EducationLevel.COLLEGE_DIPLOMA: ("大专（高职）", "college diploma"),
        EducationLevel.UNDERGRADUATE_NO_DEGREE: ("本科（无学位）", "undergraduate record without degree"),
        EducationLevel.BACHELOR: ("本科及学士学位", "bachelor's degree"),
        EducationLevel.MASTER: ("硕士研究生学历及学位", "master's record and degree"),
        EducationLevel.DOCTORATE: ("博士研究生学历及学位", "doctoral record and degree"),
        QualificationLevel.SKILL_LEVEL_5: ("五级（初级工）职业资格", "skill level 5"),
        QualificationLevel.SKILL_LEVEL_4: ("四级（中级工）职业资格", "skill level 4"),
        QualificationLevel.SKILL_LEVEL_3: ("三级（高级工）职业资格", "skill level 3"),
        QualificationLevel.SKILL_LEVEL_2: ("二级（技师）职业资格", "skill level 2 (technician)"),
        QualificationLevel.SKILL_LEVEL_1: ("一级（高级技师）职业资格", "skill level 1 (senior technician)"),
        QualificationLevel.INTERMEDIATE_TITLE: ("中级专业技术职称", "intermediate professional title"),
        QualificationLevel.SENIOR_TITLE: ("高级专业技术职称", "senior professional title"),
        AwardLevel.MUNICIPAL_SPECIAL: ("市级机关专项性表彰奖励", "municipal special award"),
        AwardLevel.MUNICIPAL_COMPREHENSIVE: ("市级综合性表彰奖励", "municipal comprehensive award"),
        AwardLevel.PROVINCIAL_OR_HIGHER: (
            "省部级及以上政府表彰奖励",
            "provincial/ministerial or higher award",
        ),
    }
)


# --------------------------------------------------------------------------------------------------
# Row types
# --------------------------------------------------------------------------------------------------


class Effective(Protocol):
    """An effective period (what ``in_force`` reads): rule rows, catalogue entries, checklist items."""

    @property
    def effective_from(self) -> date: ...

    @property
    def effective_to(self) -> date | None: ...


class Dated(Effective, Protocol):
    """What every rule row and catalogue entry has."""

    @property
    def id(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AgeRow:
    """Age ``min_age``..``max_age`` (full years at the assessment date) scores ``points``."""

    id: str
    min_age: int
    max_age: int
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class EducationRow:
    id: str
    level: EducationLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class QualificationRow:
    id: str
    level: QualificationLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


class GateKind(StrEnum):
    BASE = "base"  # social-insurance base >= min_multiple in months_required of the last window_months
    VERIFIABLE = "verifiable"  # out-of-province certificate verifiable online


@dataclass(frozen=True, slots=True)
class QualificationGate:
    """A condition that the listed qualification levels must meet to score."""

    id: str
    kind: GateKind
    levels: frozenset[QualificationLevel]
    source: str
    effective_from: date
    effective_to: date | None = None
    min_multiple: Decimal = Decimal(0)
    months_required: int = 0
    window_months: int = 0


@dataclass(frozen=True, slots=True)
class PerYearRule:
    """``points_per_year`` per full year, counted only once ``min_years`` is reached, up to ``cap``
    (``None``: no cap found in the sources). ``area_kind`` restricts a key-area row to one kind
    (``None``: all kinds); ``requires_residence``: the holder must also live there."""

    id: str
    indicator: Indicator
    points_per_year: int
    min_years: int
    cap: int | None
    source: str
    effective_from: date
    effective_to: date | None = None
    area_kind: KeyAreaKind | None = None
    requires_residence: bool = False


@dataclass(frozen=True, slots=True)
class BaseBandRow:
    """Social-insurance base band: ``points`` when at least ``months_required`` of the last
    ``window_months`` have a base of at least ``min_multiple`` x the previous year's average wage.
    The 2013 "last 3 consecutive years" rule is the special case months_required == window_months."""

    id: str
    min_multiple: Decimal
    months_required: int
    window_months: int
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class FlatRule:
    """A yes/no bonus item worth ``points`` (shortage major, fresh graduate)."""

    id: str
    indicator: Indicator
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class InvestmentRule:
    """Tax or hiring over ``years`` consecutive years, pro rata to the holder's share: each
    ``tax_step_yuan`` of average annual tax or each ``hires_step`` average Shanghai-hukou hires
    gives ``points_per_step``, up to ``cap``. Either/or with the hiring item; the higher counts."""

    id: str
    years: int
    tax_step_yuan: int
    hires_step: int
    points_per_step: int
    cap: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class AwardRow:
    id: str
    level: AwardLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class DirectRouteRule:
    """A route that scores the standard ``points`` directly (直接积满标准分值)."""

    id: str
    indicator: Indicator
    points: int
    min_consecutive_months: int
    source: str
    effective_from: date
    effective_to: date | None = None
    min_share_percent: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class DeductionRow:
    """``points`` (positive number, subtracted) per record dated within ``window_years`` before the
    assessment date."""

    id: str
    indicator: Indicator
    points: int
    window_years: int
    source: str
    effective_from: date
    effective_to: date | None = None


class VetoKind(StrEnum):
    FAMILY_PLANNING_VIOLATION = "family_planning_violation"
    SERIOUS_CRIMINAL_RECORD = "serious_criminal_record"


@dataclass(frozen=True, slots=True)
class VetoRow:
    id: str
    kind: VetoKind
    name_zh: str
    name_en: str
    source: str
    effective_from: date
    effective_to: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PassMarkRow:
    """The standard score (标准分值). Stored as data: one source says it "will be adjusted
    dynamically"."""

    id: str
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class ShortageMajorEntry:
    """Shortage-major catalogue entry; ``code`` and ``name`` must match a claim exactly."""

    id: str
    code: str
    name: str
    sample: bool
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class KeyAreaEntry:
    """Key-area catalogue entry. ``kind`` decides the counting threshold under the newest rule."""

    id: str
    code: str
    name_zh: str
    name_en: str
    kind: KeyAreaKind
    sample: bool
    source: str
    effective_from: date
    effective_to: date | None = None


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

# --- Catalogues -----------------------------------------------------------------------------------

_SAMPLE = "SAMPLE entry, not the official catalogue (published separately by the Municipal HRSS Bureau)"

SHORTAGE_MAJORS: tuple[ShortageMajorEntry, ...] = (
    ShortageMajorEntry(
        "shortage.sample.1", "S-0001", "集成电路设计与集成系统", True, _SAMPLE, TRIAL_2013_FROM
    ),
    ShortageMajorEntry("shortage.sample.2", "S-0002", "生物医学工程", True, _SAMPLE, TRIAL_2013_FROM),
    ShortageMajorEntry("shortage.sample.3", "S-0003", "护理", True, _SAMPLE, TRIAL_2013_FROM),
    ShortageMajorEntry("shortage.sample.4", "S-0004", "人工智能", True, _SAMPLE, MEASURES_2018_FROM),
)

KEY_AREAS: tuple[KeyAreaEntry, ...] = (
    # 2013-2025: the designated areas were not found in the sources; sample placeholders only.
    KeyAreaEntry(
        "key_area.2013.sample.lingang",
        "KA13-LG",
        "临港地区（示例）",
        "Lingang area (sample)",
        KeyAreaKind.LINGANG,
        True,
        _SAMPLE,
        TRIAL_2013_FROM,
        RULES_2026_PREVIOUS_TO,
    ),
    KeyAreaEntry(
        "key_area.2013.sample.remote_suburb",
        "KA13-RS",
        "远郊重点区域（示例）",
        "Remote-suburb key area (sample)",
        KeyAreaKind.OTHER,
        True,
        _SAMPLE,
        TRIAL_2013_FROM,
        RULES_2026_PREVIOUS_TO,
    ),
    # 2026: the area groups named by the revised implementing rules.
    KeyAreaEntry(
        "key_area.2026.lingang",
        "KA26-LG",
        "临港新片区",
        "Lingang New Area",
        KeyAreaKind.LINGANG,
        False,
        SRC_2026,
        RULES_2026_FROM,
    ),
    KeyAreaEntry(
        "key_area.2026.new_cities",
        "KA26-NC",
        "五个新城",
        "Five new cities",
        KeyAreaKind.OTHER,
        False,
        SRC_2026,
        RULES_2026_FROM,
    ),
    KeyAreaEntry(
        "key_area.2026.north_transformation",
        "KA26-NT",
        "北部重点转型区域",
        "Northern key transformation area",
        KeyAreaKind.OTHER,
        False,
        SRC_2026,
        RULES_2026_FROM,
    ),
    KeyAreaEntry(
        "key_area.2026.south_transformation",
        "KA26-ST",
        "南部重点转型区域",
        "Southern key transformation area",
        KeyAreaKind.OTHER,
        False,
        SRC_2026,
        RULES_2026_FROM,
    ),
)


# --------------------------------------------------------------------------------------------------
# RuleSet
# --------------------------------------------------------------------------------------------------


class NoRulesInForceError(LookupError):
    """No rule row of a required table is in force on the requested date."""


_R = TypeVar("_R", bound=Effective)


def in_force(rows: Iterable[_R], on: date) -> tuple[_R, ...]:
    """Rows whose effective period (inclusive at both ends) contains ``on``."""
    return tuple(
        r for r in rows if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)
    )


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All rule rows and catalogue entries in force on ``on``. Treat as read-only."""

    on: date
    age: tuple[AgeRow, ...]
    education: Mapping[EducationLevel, EducationRow]
    qualification: Mapping[QualificationLevel, QualificationRow]
    qualification_gates: tuple[QualificationGate, ...]
    insurance_years: PerYearRule
    base_bands: tuple[BaseBandRow, ...]  # ascending points
    shortage_major: FlatRule | None
    fresh_graduate: FlatRule | None
    investment: InvestmentRule | None
    public_service: PerYearRule | None
    key_area: tuple[PerYearRule, ...]
    spouse: PerYearRule | None
    awards: Mapping[AwardLevel, AwardRow]
    direct_routes: Mapping[Indicator, DirectRouteRule]
    deductions: tuple[DeductionRow, ...]
    vetoes: tuple[VetoRow, ...]
    pass_mark: PassMarkRow
    shortage_majors: Mapping[tuple[str, str], ShortageMajorEntry]
    key_areas: Mapping[str, KeyAreaEntry]
    caps: Mapping[Indicator, int | None]  # None: no cap
    base_thresholds: tuple[Decimal, ...]  # distinct base multiples used by bands and gates, ascending
    longest_base_window: int  # months of contribution history any rule reads


def _one(rows: tuple[_R, ...], what: str, on: date) -> _R:
    if len(rows) != 1:
        raise NoRulesInForceError(f"{len(rows)} {what} rows in force on {on.isoformat()}, expected 1")
    return rows[0]


def _at_most_one(rows: tuple[_R, ...], what: str, on: date) -> _R | None:
    if len(rows) > 1:
        raise NoRulesInForceError(f"{len(rows)} {what} rows in force on {on.isoformat()}, expected <= 1")
    return rows[0] if rows else None


def _flat(indicator: Indicator, on: date) -> FlatRule | None:
    return _at_most_one(in_force((r for r in FLAT_RULES if r.indicator is indicator), on), indicator, on)


def _per_year(indicator: Indicator, on: date) -> tuple[PerYearRule, ...]:
    return in_force((r for r in PER_YEAR_RULES if r.indicator is indicator), on)


@lru_cache(maxsize=128)
def rules_in_force(on: date) -> RuleSet:
    """The rule set in force on the assessment date ``on``.

    Raises ``NoRulesInForceError`` before the points system existed (2013-07-01) or if the tables
    overlap inconsistently.
    """
    base_bands = tuple(sorted(in_force(BASE_BANDS, on), key=lambda b: b.points))
    if not base_bands:
        raise NoRulesInForceError(f"no social-insurance base rule in force on {on.isoformat()}")
    age = in_force(AGE_TABLE, on)
    if not age:
        raise NoRulesInForceError(f"no age rule in force on {on.isoformat()}")
    education = MappingProxyType({r.level: r for r in in_force(EDUCATION_TABLE, on)})
    qualification = MappingProxyType({r.level: r for r in in_force(QUALIFICATION_TABLE, on)})
    insurance_years = _one(in_force(INSURANCE_YEARS_RULES, on), "insurance-years", on)
    shortage_major = _flat(Indicator.SHORTAGE_MAJOR, on)
    fresh_graduate = _flat(Indicator.FRESH_GRADUATE, on)
    investment = _at_most_one(in_force(INVESTMENT_RULES, on), "investment", on)
    public_service = _at_most_one(_per_year(Indicator.PUBLIC_SERVICE, on), "public-service", on)
    key_area = _per_year(Indicator.KEY_AREA, on)
    spouse = _at_most_one(_per_year(Indicator.SPOUSE, on), "spouse", on)
    awards = MappingProxyType({r.level: r for r in in_force(AWARD_TABLE, on)})
    direct_routes = MappingProxyType({r.indicator: r for r in in_force(DIRECT_ROUTES, on)})
    deductions = in_force(DEDUCTIONS, on)
    gates = in_force(QUALIFICATION_GATES, on)
    caps: dict[Indicator, int | None] = {
        Indicator.AGE: max(r.points for r in age),
        Indicator.EDUCATION: max((r.points for r in education.values()), default=0),
        Indicator.QUALIFICATION: max((r.points for r in qualification.values()), default=0),
        Indicator.INSURANCE_YEARS: insurance_years.cap,
        Indicator.SHORTAGE_MAJOR: shortage_major.points if shortage_major else 0,
        Indicator.INVESTMENT_TAX: investment.cap if investment else 0,
        Indicator.INVESTMENT_HIRING: investment.cap if investment else 0,
        Indicator.INSURANCE_BASE: max(b.points for b in base_bands),
        Indicator.PUBLIC_SERVICE: public_service.cap if public_service else 0,
        Indicator.KEY_AREA: max((r.cap or 0 for r in key_area), default=0),
        Indicator.FRESH_GRADUATE: fresh_graduate.points if fresh_graduate else 0,
        Indicator.AWARD: max((r.points for r in awards.values()), default=0),
        Indicator.SPOUSE: spouse.cap if spouse else 0,
        Indicator.STARTUP_FOUNDER: r.points if (r := direct_routes.get(Indicator.STARTUP_FOUNDER)) else 0,
        Indicator.INNOVATION_INTERMEDIARY: (
            r.points if (r := direct_routes.get(Indicator.INNOVATION_INTERMEDIARY)) else 0
        ),
        Indicator.FALSE_MATERIALS: None,
        Indicator.ADMINISTRATIVE_DETENTION: None,
        Indicator.GENERAL_CRIMINAL_RECORD: None,
    }
    return RuleSet(
        on=on,
        age=age,
        education=education,
        qualification=qualification,
        qualification_gates=gates,
        insurance_years=insurance_years,
        base_bands=base_bands,
        shortage_major=shortage_major,
        fresh_graduate=fresh_graduate,
        investment=investment,
        public_service=public_service,
        key_area=key_area,
        spouse=spouse,
        awards=awards,
        direct_routes=direct_routes,
        deductions=deductions,
        vetoes=in_force(VETOES, on),
        pass_mark=_one(in_force(PASS_MARKS, on), "pass-mark", on),
        shortage_majors=MappingProxyType({(e.code, e.name): e for e in in_force(SHORTAGE_MAJORS, on)}),
        key_areas=MappingProxyType({e.code: e for e in in_force(KEY_AREAS, on)}),
        caps=MappingProxyType(caps),
        base_thresholds=tuple(
            sorted(
                {b.min_multiple for b in base_bands}
                | {g.min_multiple for g in gates if g.kind is GateKind.BASE}
            )
        ),
        longest_base_window=max(
            (
                *(b.window_months for b in base_bands),
                *(g.window_months for g in gates if g.kind is GateKind.BASE),
                1,
            )
        ),
    )


ALL_TABLES: tuple[tuple[Dated, ...], ...] = (
    AGE_TABLE,
    EDUCATION_TABLE,
    QUALIFICATION_TABLE,
    QUALIFICATION_GATES,
    INSURANCE_YEARS_RULES,
    BASE_BANDS,
    FLAT_RULES,
    INVESTMENT_RULES,
    PER_YEAR_RULES,
    AWARD_TABLE,
    DIRECT_ROUTES,
    DEDUCTIONS,
    VETOES,
    PASS_MARKS,
    SHORTAGE_MAJORS,
    KEY_AREAS,
)
