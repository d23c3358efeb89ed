"""积分指标 and 减分项与一票否决项: the sections that store the points claims.

The claims themselves are defined next to the points calculator (``domain/points/claims.py``); they
record facts as stated and do not validate themselves. The validators here check only what can be
wrong on the form whatever the rules in force: blanks, numbers outside their sensible range (the
kernel's ``points.limits``, the simulator's too), shares outside 0-100 %, dates after the application
date, the same contribution month twice. Whether a claim scores is the
calculator's business. Consistency with the other sections (birth date, spouse, investment) is
checked in ``domain/completeness.py``.

A veto item (一票否决) is a true statement, so the deductions section saves with it; it blocks 完成.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.applications.domain.sections.common import Problems, month_index
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.id_number import EARLIEST_BIRTH_DATE
from shared.kernel.points.claims import DeductionClaims, RecordedIncident, ScoringClaims
from shared.kernel.points.consistency import social_insurance_problems
from shared.kernel.points.limits import (
    MAX_BASE_MULTIPLE,
    MAX_HIRES,
    MAX_MONTHS,
    MAX_RECORDS,
    MAX_TAX_YUAN,
    MAX_YEARS,
)

SHARE_OUT_OF_RANGE = "scoring.share_out_of_range"
BORN_TOO_EARLY = "scoring.birth_date_too_early"
DUPLICATE_CONTRIBUTION_MONTH = "scoring.duplicate_contribution_month"
TOO_MANY_MONTHS = "scoring.too_many_contribution_months"
VETO_FAMILY_PLANNING = "deductions.veto_family_planning_violation"
VETO_SERIOUS_CRIME = "deductions.veto_serious_criminal_record"


def validate_scoring_claims(claims: ScoringClaims, on: date) -> list[FieldError]:
    problems = Problems(SectionName.SCORING_CLAIMS)
    problems.not_after("birth_date", claims.birth_date, on, "出生日期", "birth date")
    if claims.birth_date < EARLIEST_BIRTH_DATE:  # the ID number's rule: nobody is older
        problems.add(
            "birth_date",
            BORN_TOO_EARLY,
            f"出生日期不能早于{EARLIEST_BIRTH_DATE.isoformat()}",
            f"The birth date cannot be before {EARLIEST_BIRTH_DATE.isoformat()}",
        )
    problems.at_most("qualifications", claims.qualifications, MAX_RECORDS, "职称和技能等级", "titles")
    for index, qualification in enumerate(claims.qualifications):
        prefix = f"qualifications[{index}]"
        problems.optional_text(
            f"{prefix}.certificate_name", qualification.certificate_name, "证书名称", "name"
        )
        problems.optional_text(
            f"{prefix}.certificate_number", qualification.certificate_number, "证书编号", "number", 64
        )
    _check_social_insurance(claims, on, problems)
    if claims.shortage_major is not None:
        problems.required_text(
            "shortage_major.major_code", claims.shortage_major.major_code, "专业代码", "code"
        )
        problems.required_text(
            "shortage_major.major_name", claims.shortage_major.major_name, "专业名称", "name"
        )
    if claims.investment is not None:
        investment = claims.investment
        problems.required_text(
            "investment.enterprise_name", investment.enterprise_name, "企业名称", "enterprise"
        )
        _check_share("investment.share_percent", investment.share_percent, problems)
        for position, amount in enumerate(investment.annual_tax_paid_yuan):
            problems.within(
                f"investment.annual_tax_paid_yuan[{position}]", amount, 0, MAX_TAX_YUAN, "纳税额", "tax paid"
            )
        for position, staff in enumerate(investment.annual_shanghai_hukou_hires):
            problems.within(
                f"investment.annual_shanghai_hukou_hires[{position}]",
                staff,
                0,
                MAX_HIRES,
                "聘用人数",
                "staff number",
            )
    if claims.public_service is not None:
        problems.required_text("public_service.field", claims.public_service.field, "公共服务领域", "field")
        problems.within(
            "public_service.full_years", claims.public_service.full_years, 0, MAX_YEARS, "年限", "years"
        )
    problems.at_most("key_areas", claims.key_areas, MAX_RECORDS, "重点区域", "key areas")
    for index, area in enumerate(claims.key_areas):
        problems.required_text(f"key_areas[{index}].area_code", area.area_code, "区域代码", "area code")
        problems.within(f"key_areas[{index}].full_years", area.full_years, 0, MAX_YEARS, "年限", "years")
    if claims.spouse is not None:
        problems.not_after("spouse.married_on", claims.spouse.married_on, on, "结婚日期", "marriage date")
    problems.at_most("awards", claims.awards, MAX_RECORDS, "表彰奖励", "awards")
    for index, award in enumerate(claims.awards):
        problems.required_text(f"awards[{index}].award_name", award.award_name, "奖项名称", "award name")
        problems.not_after(f"awards[{index}].received_on", award.received_on, on, "获奖日期", "award date")
    if claims.startup_founder is not None:
        founder = claims.startup_founder
        problems.required_text(
            "startup_founder.enterprise_name", founder.enterprise_name, "企业名称", "enterprise"
        )
        _check_share("startup_founder.share_percent", founder.share_percent, problems)
        problems.within(
            "startup_founder.consecutive_months_in_incubator",
            founder.consecutive_months_in_incubator,
            0,
            MAX_MONTHS,
            "在孵月数",
            "months in the incubator",
        )
    if claims.innovation_intermediary is not None:
        intermediary = claims.innovation_intermediary
        problems.required_text(
            "innovation_intermediary.agency_name", intermediary.agency_name, "机构名称", "agency"
        )
        problems.within(
            "innovation_intermediary.consecutive_months_in_technology_transfer",
            intermediary.consecutive_months_in_technology_transfer,
            0,
            MAX_MONTHS,
            "从业月数",
            "months",
        )
    return problems.errors


def _check_social_insurance(claims: ScoringClaims, on: date, problems: Problems) -> None:
    """The months paid and the base history describe the same contributions: the points engine's
    reconciliation refuses months paid fewer than the history shows (a claim of 24 months at 3x the
    average wage with 0 months paid cannot be true); that is checked once the months paid are in range,
    so that a wrong number gets one message."""
    insurance = claims.social_insurance
    if problems.within(
        "social_insurance.contribution_months",
        insurance.contribution_months,
        0,
        MAX_MONTHS,
        "缴费月数",
        "months paid",
    ):
        problems.extend(social_insurance_problems(insurance, on))
    if len(insurance.history) > MAX_MONTHS:
        problems.add(
            "social_insurance.history",
            TOO_MANY_MONTHS,
            f"缴费记录最多{MAX_MONTHS}个月",
            f"The contribution record can have at most {MAX_MONTHS} months",
        )
        return
    seen: set[int] = set()
    for index, month in enumerate(insurance.history):
        prefix = f"social_insurance.history[{index}]"
        problems.not_after(f"{prefix}.month", month.month, on, "缴费月份", "contribution month")
        problems.within(
            f"{prefix}.base_multiple",
            month.base_multiple,
            0,
            MAX_BASE_MULTIPLE,
            "缴费基数倍数",
            "base multiple",
        )
        key = month_index(month.month)
        if key in seen:
            problems.add(
                f"{prefix}.month",
                DUPLICATE_CONTRIBUTION_MONTH,
                "同一缴费月份填写了两次",
                "The same contribution month appears twice",
            )
        seen.add(key)


def _check_share(field: str, share: Decimal, problems: Problems) -> None:
    if not share.is_finite() or not (Decimal(0) < share <= Decimal(100)):
        problems.add(
            field,
            SHARE_OUT_OF_RANGE,
            "投资比例应大于0%且不超过100%",
            "The share must be more than 0 % and at most 100 %",
        )


def validate_deductions(deductions: DeductionClaims, on: date) -> list[FieldError]:
    """Dates of the declared records must not lie after the application date. Veto items are valid
    answers here; see ``veto_problems``."""
    problems = Problems(SectionName.DEDUCTIONS)
    lists: tuple[tuple[str, tuple[RecordedIncident, ...], str, str], ...] = (
        (
            "false_materials",
            deductions.false_materials,
            "提供虚假材料记录日期",
            "false-materials record date",
        ),
        ("administrative_detentions", deductions.administrative_detentions, "行政拘留日期", "detention date"),
        (
            "general_criminal_records",
            deductions.general_criminal_records,
            "刑事犯罪记录日期",
            "conviction date",
        ),
    )
    for name, incidents, label_zh, label_en in lists:
        problems.at_most(name, incidents, MAX_RECORDS, "记录", "records of this kind")
        for index, incident in enumerate(incidents):
            problems.not_after(f"{name}[{index}].on", incident.on, on, label_zh, label_en)
            problems.optional_text(
                f"{name}[{index}].reference", incident.reference, "文书编号", "reference", 100
            )
    return problems.errors


def veto_problems(deductions: DeductionClaims) -> list[FieldError]:
    """One problem per veto item: the applicant is not eligible for points (一票否决)."""
    problems = Problems(SectionName.DEDUCTIONS)
    if deductions.family_planning_violation:
        problems.add(
            "family_planning_violation",
            VETO_FAMILY_PLANNING,
            "有违反国家和本市计划生育政策的记录，属于一票否决项，不能申请居住证积分",
            "A record of violating the national or Shanghai family-planning policy is a veto item: "
            "you cannot apply for residence-permit points",
        )
    if deductions.serious_criminal_record:
        problems.add(
            "serious_criminal_record",
            VETO_SERIOUS_CRIME,
            "有严重刑事犯罪记录，属于一票否决项，不能申请居住证积分",
            "A serious criminal record is a veto item: you cannot apply for residence-permit points",
        )
    return problems.errors
