"""What an applicant claims on the points application form (积分申请表).

Plain frozen value objects, standard library only. They record facts as the applicant states them;
they do not score anything and have no ``validate()``. Scoring (which rule applies, windows, gates,
catalogues, either/or choices) is the calculator's job and depends on the assessment date.

Two aggregates of claims match the two form sections:

* ``ScoringClaims``: the "scoring items" (积分指标) section: basic and bonus indicators.
* ``DeductionClaims``: the "deductions & veto" (减分项与一票否决项) section.

Conventions:

* Money is whole RMB yuan (``int``). Shares and wage multiples are ``Decimal`` so band edges
  (0.8x, 1x, 2x, 3x, 5 %) compare exactly.
* Months are ``date`` values; only year and month are read (use the 1st of the month).
* "Years" of work in a field are *full* years as certified by the employer (``int``); they cannot
  be derived from one start date because work may be interrupted. Age and years of marriage are
  derived from dates at the assessment date.
* Where a claim can have several items (titles, awards, key areas), the form keeps them all and the
  calculator counts only the highest (domain.md §1, https://wfek.com/jifen/1180.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

# --------------------------------------------------------------------------------------------------
# Education (教育背景)
# --------------------------------------------------------------------------------------------------


class EducationLevel(StrEnum):
    """Highest education record claimed."""

    COLLEGE_DIPLOMA = "college_diploma"  # 大专/高职
    UNDERGRADUATE_NO_DEGREE = "undergraduate_no_degree"  # 本科 record without a degree
    BACHELOR = "bachelor"  # 本科 + 学士学位
    MASTER = "master"  # 硕士 record and degree
    DOCTORATE = "doctorate"  # 博士 record and degree


@dataclass(frozen=True, slots=True)
class EducationClaim:
    """Highest education claimed. ``nationally_recognised`` covers domestic and foreign credentials
    recognised by the state (e.g. CHSI-verifiable or 留服-certified); unrecognised ones score 0."""

    level: EducationLevel
    nationally_recognised: bool = True
    institution: str = ""
    major: str = ""


# --------------------------------------------------------------------------------------------------
# Professional title & skill level (专业技术职称和技能等级)
# --------------------------------------------------------------------------------------------------


class QualificationLevel(StrEnum):
    """Skill levels 5 (lowest) to 1 (高级技师), and professional titles."""

    SKILL_LEVEL_5 = "skill_level_5"  # 五级 / 初级工
    SKILL_LEVEL_4 = "skill_level_4"  # 四级 / 中级工
    SKILL_LEVEL_3 = "skill_level_3"  # 三级 / 高级工
    SKILL_LEVEL_2 = "skill_level_2"  # 二级 / 技师
    SKILL_LEVEL_1 = "skill_level_1"  # 一级 / 高级技师
    INTERMEDIATE_TITLE = "intermediate_title"  # 中级职称 (or equivalent professional qualification)
    SENIOR_TITLE = "senior_title"  # 高级职称


@dataclass(frozen=True, slots=True)
class QualificationClaim:
    """One title or skill certificate.

    ``obtained_while_working_in_shanghai``: the certificate was obtained while working in Shanghai.
    ``matches_post``: its specialty or trade matches the current post.
    ``on_catalogue``: it is on the HRSS qualification catalogue (and registered where registration is
    required).
    ``verifiable``: for level-3-or-higher skill certificates issued in another province, whether it
    can be found on the national skill-certificate query system or the Shanghai HRSS site (required
    by the newest implementing rules); leave ``True`` for Shanghai-issued certificates.
    """

    level: QualificationLevel
    obtained_while_working_in_shanghai: bool
    matches_post: bool
    on_catalogue: bool = True
    verifiable: bool = True
    certificate_name: str = ""
    certificate_number: str = ""


# --------------------------------------------------------------------------------------------------
# Social insurance (职工社会保险): years and base
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyContribution:
    """One month of Shanghai employee social insurance.

    ``base_multiple`` is the month's contribution base divided by the previous year's Shanghai
    average wage (社平), e.g. ``Decimal("1.25")``. A month does not count for the base indicator if
    it was a back-payment (补缴), if the payer differs from the employer on the labour contract, or
    if the base does not reasonably match the income declared for personal income tax.
    """

    month: date
    base_multiple: Decimal
    back_payment: bool = False
    payer_is_contract_employer: bool = True
    base_matches_declared_income: bool = True


@dataclass(frozen=True, slots=True)
class SocialInsuranceClaim:
    """Contribution history in Shanghai.

    ``contribution_months``: total months of employee social insurance paid in Shanghai, excluding
    back-payments and months where the payer differs from the contract employer (3 points per full
    year).

    ``history``: month-by-month records, at least the last 48 months before the assessment month
    (the base indicator reads at most 48 months; the title gate reads 12). Order does not matter;
    a month missing from the history means no contribution that month. The 2018 rule ("36 of the
    last 48 months at >= 1x") and the 2013 rule ("the last 3 consecutive years") are both evaluated
    exactly from these records.
    """

    contribution_months: int = 0
    history: tuple[MonthlyContribution, ...] = ()


# --------------------------------------------------------------------------------------------------
# Bonus indicators (加分指标)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShortageMajorClaim:
    """Major on the shortage / urgently-needed catalogue (紧缺急需专业). The code and name must match
    the catalogue in force character for character; the current post must match the major."""

    major_code: str
    major_name: str
    post_matches_major: bool


@dataclass(frozen=True, slots=True)
class InvestmentClaim:
    """Enterprise the holder founded in Shanghai (投资纳税 / 投资带动本地就业).

    ``share_percent``: the holder's own investment share, e.g. ``Decimal("40")`` for 40 %.
    ``annual_tax_paid_yuan``: tax paid by the enterprise in each of the last 3 consecutive years.
    ``annual_shanghai_hukou_hires``: Shanghai-hukou staff employed in each of those years.
    """

    enterprise_name: str
    share_percent: Decimal
    annual_tax_paid_yuan: tuple[int, int, int]
    annual_shanghai_hukou_hires: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class PublicServiceClaim:
    """Work in a specific public-service field (特定的公共服务领域), e.g. education or health posts."""

    field: str
    full_years: int


class KeyAreaKind(StrEnum):
    """Lingang is scored after 3 years under the newest rule; other key areas after 5."""

    LINGANG = "lingang"  # 临港新片区
    OTHER = "other"  # five new cities, north/south transformation areas, remote suburbs, ...


@dataclass(frozen=True, slots=True)
class KeyAreaClaim:
    """Work in a designated remote suburb / key area (远郊重点区域).

    ``area_code`` must be on the key-area catalogue in force. ``lives_in_area``: the newest rule
    requires the holder to work *and* live there.
    """

    kind: KeyAreaKind
    area_code: str
    full_years: int
    lives_in_area: bool = True


@dataclass(frozen=True, slots=True)
class SpouseClaim:
    """Spouse (配偶) and marriage. Points need the spouse to hold Shanghai hukou; full years of
    marriage are counted from ``married_on`` to the assessment date."""

    spouse_has_shanghai_hukou: bool
    married_on: date
    spouse_name: str = ""


class AwardLevel(StrEnum):
    """Award (表彰奖励) levels on the Shanghai award catalogue."""

    MUNICIPAL_SPECIAL = "municipal_special"  # 市级机关专项性表彰奖励
    MUNICIPAL_COMPREHENSIVE = "municipal_comprehensive"  # 市级综合性表彰奖励
    PROVINCIAL_OR_HIGHER = "provincial_or_higher"  # 省部级及以上政府表彰奖励


@dataclass(frozen=True, slots=True)
class AwardClaim:
    """One award. Counts only if on the award catalogue and received while working in Shanghai."""

    level: AwardLevel
    award_name: str
    received_on: date
    received_while_working_in_shanghai: bool
    on_catalogue: bool = True


# --------------------------------------------------------------------------------------------------
# Direct-120 routes (直接积满标准分值)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartupFounderClaim:
    """Start-up founder (创业人才) in a registered science-and-technology incubator."""

    enterprise_name: str
    share_percent: Decimal
    consecutive_months_in_incubator: int
    still_in_incubator: bool
    shares_held_before_incubation_or_investment: bool


@dataclass(frozen=True, slots=True)
class InnovationIntermediaryClaim:
    """Innovation intermediary (创新创业中介服务人才) at a registered technology-transfer agency."""

    agency_name: str
    consecutive_months_in_technology_transfer: int


# --------------------------------------------------------------------------------------------------
# The two form sections
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoringClaims:
    """The "scoring items" section of the form: everything that can add points."""

    birth_date: date
    education: EducationClaim | None = None
    qualifications: tuple[QualificationClaim, ...] = ()
    social_insurance: SocialInsuranceClaim = SocialInsuranceClaim()
    shortage_major: ShortageMajorClaim | None = None
    investment: InvestmentClaim | None = None
    public_service: PublicServiceClaim | None = None
    key_areas: tuple[KeyAreaClaim, ...] = ()
    spouse: SpouseClaim | None = None
    awards: tuple[AwardClaim, ...] = ()
    full_time_fresh_graduate: bool = False
    startup_founder: StartupFounderClaim | None = None
    innovation_intermediary: InnovationIntermediaryClaim | None = None


@dataclass(frozen=True, slots=True)
class RecordedIncident:
    """A dated record (of false materials, detention or a criminal conviction)."""

    on: date
    reference: str = ""


@dataclass(frozen=True, slots=True)
class DeductionClaims:
    """The "deductions & veto" section of the form.

    Deductions are per record and only count within their window before the assessment date
    (false materials 3 years, detention and general criminal records 5 years). Either veto item
    makes the applicant ineligible (一票否决).
    """

    false_materials: tuple[RecordedIncident, ...] = ()
    administrative_detentions: tuple[RecordedIncident, ...] = ()
    general_criminal_records: tuple[RecordedIncident, ...] = ()
    family_planning_violation: bool = False
    serious_criminal_record: bool = False


NO_DEDUCTIONS = DeductionClaims()
