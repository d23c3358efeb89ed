"""积分指标 and 减分项与一票否决项: the sections that store the points claims.

The claims themselves are defined next to the points calculator (``domain/points/claims.py``); they
record facts as stated and do not validate themselves. The validators here check only what can be
wrong on the form whatever the rules in force: blanks, negative counts, shares outside 0-100 %, dates
after the application date, the same contribution month twice. Whether a claim scores is the
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
from shared.kernel.points.claims import DeductionClaims, RecordedIncident, ScoringClaims

SHARE_OUT_OF_RANGE = "scoring.share_out_of_range"
DUPLICATE_CONTRIBUTION_MONTH = "scoring.duplicate_contribution_month"
VETO_FAMILY_PLANNING = "deductions.veto_family_planning_violation"
VETO_SERIOUS_CRIME = "deductions.veto_serious_criminal_record"


def validate_scoring_claims(claims: ScoringClaims, on: date) -> list[FieldError]:
    problems = Problems(SectionName.SCORING_CLAIMS)
    problems.not_after("birth_date", claims.birth_date, on, "出生日期", "birth date")
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
            problems.not_negative(
                f"investment.annual_tax_paid_yuan[{position}]", amount, "纳税额", "tax paid"
            )
        for position, staff in enumerate(investment.annual_shanghai_hukou_hires):
            problems.not_negative(
                f"investment.annual_shanghai_hukou_hires[{position}]", staff, "聘用人数", "staff number"
            )
    if claims.public_service is not None:
        problems.required_text("public_service.field", claims.public_service.field, "公共服务领域", "field")
        problems.not_negative("public_service.full_years", claims.public_service.full_years, "年限", "years")
    for index, area in enumerate(claims.key_areas):
        problems.required_text(f"key_areas[{index}].area_code", area.area_code, "区域代码", "area code")
        problems.not_negative(f"key_areas[{index}].full_years", area.full_years, "年限", "years")
    if claims.spouse is not None:
        problems.not_after("spouse.married_on", claims.spouse.married_on, on, "结婚日期", "marriage date")
    for index, award in enumerate(claims.awards):
        problems.required_text(f"awards[{index}].award_name", award.award_name, "奖项名称", "award name")
        problems.not_after(f"awards[{index}].received_on", award.received_on, on, "获奖日期", "award date")
    if claims.startup_founder is not None:
        founder = claims.startup_founder
        problems.required_text(
            "startup_founder.enterprise_name", founder.enterprise_name, "企业名称", "enterprise"
        )
        _check_share("startup_founder.share_percent", founder.share_percent, problems)
        problems.not_negative(
            "startup_founder.consecutive_months_in_incubator",
            founder.consecutive_months_in_incubator,
            "在孵月数",
            "months in the incubator",
        )
    if claims.innovation_intermediary is not None:
        intermediary = claims.innovation_intermediary
        problems.required_text(
            "innovation_intermediary.agency_name", intermediary.agency_name, "机构名称", "agency"
        )
        problems.not_negative(
            "innovation_intermediary.consecutive_months_in_technology_transfer",
            intermediary.consecutive_months_in_technology_transfer,
            "从业月数",
            "months",
        )
    return problems.errors


def _check_social_insurance(claims: ScoringClaims, on: date, problems: Problems) -> None:
    insurance = claims.social_insurance
    problems.not_negative(
        "social_insurance.contribution_months", insurance.contribution_months, "缴费月数", "months paid"
    )
    seen: set[int] = set()
    for index, month in enumerate(insurance.history):
        prefix = f"social_insurance.history[{index}]"
        problems.not_after(f"{prefix}.month", month.month, on, "缴费月份", "contribution month")
        problems.not_negative(f"{prefix}.base_multiple", month.base_multiple, "缴费基数倍数", "base multiple")
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
    if not (Decimal(0) < share <= Decimal(100)):
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
            "有违反国家和本市计划生育政策的记录,属于一票否决项,不能申请居住证积分",
            "A record of violating the national or Shanghai family-planning policy is a veto item: "
            "you cannot apply for residence-permit points",
        )
    if deductions.serious_criminal_record:
        problems.add(
            "serious_criminal_record",
            VETO_SERIOUS_CRIME,
            "有严重刑事犯罪记录,属于一票否决项,不能申请居住证积分",
            "A serious criminal record is a veto item: you cannot apply for residence-permit points",
        )
    return problems.errors
