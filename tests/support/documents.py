"""Documents test data: the payloads the applications relay publishes, as the documents service gets them.

``submitted(...)`` is an ``ApplicationSubmitted`` with a sealed ``SubmittedForm``; ``full_form()`` has
a long resume (more than 8 entries, so the table breaks across pages), a spouse and many children, an
investment and every scoring item, deduction and declared line. ``approved(...)`` is the matching
``ApplicationApproved``. ``variant`` changes every personal value (benchmarks render different data
each time, so no cache can answer).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.contracts.applications import (
    ApplicationApproved,
    ApplicationFacts,
    ApplicationSubmitted,
    Material,
    ScoreLine,
    SubmittedChild,
    SubmittedEmployment,
    SubmittedFamily,
    SubmittedForm,
    SubmittedInvestment,
    SubmittedInvestmentYear,
    SubmittedPersonalInfo,
    SubmittedPledge,
    SubmittedResume,
    SubmittedResumeEntry,
    SubmittedSpouse,
)
from shared.kernel.application_status import ApplicationKind
from shared.kernel.id_number import mask_id_number
from shared.kernel.roles import Role
from shared.platform.integration import Sealing
from tests.support.identities import id_number

APPLICATION_ID = "6a0c1c55-0000-4000-8000-000000000001"
APPLICANT_ID = "00000000-0000-4000-8000-000000000001"
UNIT_ID = "00000000-0000-4000-8000-0000000000a1"
UNIT_NAME = "上海示例智联信息技术有限公司"
UNIT_CREDIT_CODE = "91310115MA1K4ABCD2"
DISTRICT = "310115"
"""浦东新区."""
SUBMITTED_AT = datetime(2026, 3, 16, 2, 30, tzinfo=UTC)
"""10:30 in Shanghai on 2026-03-16."""
APPROVED_AT = datetime(2026, 4, 20, 6, 0, tzinfo=UTC)

NAMES = ("张伟", "欧阳娜娜", "李明", "王芳", "陈思远", "赵雪", "刘洋", "黄晓")


def applicant_name(variant: int = 0) -> str:
    return NAMES[variant % len(NAMES)] + ("" if variant < len(NAMES) else str(variant))


def applicant_id_number(variant: int = 0) -> str:
    return id_number(date(1988, 3, 15) + timedelta(days=variant), 123)


def application_number(variant: int = 0) -> str:
    return f"JF2026031600{variant + 1:03d}"


def resume(entries: int) -> SubmittedResume:
    """School, then alternating jobs and short gaps (待业), ending 至今; ``entries`` in all."""
    rows = [
        SubmittedResumeEntry(
            kind="SCHOOL",
            start_month=date(2006, 9, 1),
            end_month=date(2010, 6, 1),
            organisation="华东理工大学",
            post="计算机科学与技术",
            region="上海",
        )
    ]
    month = date(2010, 7, 1)
    for index in range(1, entries):
        last = index == entries - 1
        unemployed = index % 3 == 2
        length = 3 if unemployed else 14
        end = None if last else _months_after(month, length - 1)
        rows.append(
            SubmittedResumeEntry(
                kind="UNEMPLOYED" if unemployed else "WORK",
                start_month=month,
                end_month=end,
                organisation="" if unemployed else f"上海第{index}软件开发有限公司（浦东新区张江高科技园区）",
                post="" if unemployed else ("高级软件工程师" if index % 2 else "项目经理"),
                region="" if unemployed else ("上海" if index % 4 else "江苏苏州"),
            )
        )
        if end is not None:
            month = _months_after(end, 1)
    return SubmittedResume(entries=rows, full_history_sheet_confirmed=entries > 8)


def _months_after(month: date, count: int) -> date:
    total = month.year * 12 + month.month - 1 + count
    return date(total // 12, total % 12 + 1, 1)


def full_form(variant: int = 0, *, resume_entries: int = 12, children: int = 4) -> SubmittedForm:
    """Every section filled in, every scoring item claimed."""
    born = date(1988, 3, 15) + timedelta(days=variant)
    return SubmittedForm(
        pledges=[
            SubmittedPledge(
                party=Role.APPLICANT,
                accepted_by=APPLICANT_ID,
                text_version="2026-01",
                accepted_at=SUBMITTED_AT,
            ),
            SubmittedPledge(
                party=Role.UNIT, accepted_by=UNIT_ID, text_version="2026-01", accepted_at=SUBMITTED_AT
            ),
        ],
        personal_info=SubmittedPersonalInfo(
            name=applicant_name(variant),
            former_name="张小伟",
            sex="MALE",
            ethnicity="汉族",
            political_status="中共党员",
            marital_status="MARRIED",
            id_number=applicant_id_number(variant),
            hukou_address="江苏省苏州市工业园区星湖街328号独墅湖科教创新区创意产业园12幢305室",
            hukou_address_differs_from_id_card=True,
            shanghai_address="上海市浦东新区张江镇碧波路690号3号楼1201室",
            mobile=f"1391234{variant % 10000:04d}",
            landline="021-50801234",
            residence_permit_valid_from=date(2025, 6, 1),
            residence_permit_valid_until=date(2026, 5, 31),
            highest_education="MASTER",
            employment=SubmittedEmployment(
                post="高级软件工程师", contract_start=date(2022, 1, 1), contract_end=None
            ),
        ),
        resume=resume(resume_entries),
        family=SubmittedFamily(
            spouse=SubmittedSpouse(
                name="李娜",
                id_number=id_number(date(1990, 8, 2), 246, "310101"),
                hukou_address="上海市黄浦区南京东路街道九江路100弄5号",
                has_shanghai_hukou=True,
                married_on=date(2016, 10, 1),
            ),
            children=[
                SubmittedChild(
                    name=f"张{'一二三四五六七八'[index % 8]}宝",
                    id_number=id_number(date(2017 + index, 5, 1), 300 + 2 * index, "310115"),
                    hukou_address="江苏省苏州市工业园区星湖街328号",
                    enjoys_points_benefits=True,
                )
                for index in range(children)
            ],
        ),
        investment=SubmittedInvestment(
            has_investment=True,
            enterprise_name="上海云栖数据科技有限公司",
            share_percent=Decimal("35"),
            years=[
                SubmittedInvestmentYear(year=2023, tax_paid_yuan=820000, shanghai_hukou_staff=12),
                SubmittedInvestmentYear(year=2024, tax_paid_yuan=910000, shanghai_hukou_staff=14),
                SubmittedInvestmentYear(year=2025, tax_paid_yuan=1050000, shanghai_hukou_staff=15),
            ],
        ),
        scoring_claims=every_scoring_claim(born),
        deductions={
            "false_materials": [],
            "administrative_detentions": [
                {"on": "2023-02-11", "reference": "沪公（浦）行罚决字〔2023〕0211号"}
            ],
            "general_criminal_records": [],
            "family_planning_violation": False,
            "serious_criminal_record": False,
        },
    )


def every_scoring_claim(born: date) -> dict[str, Any]:
    """The rules' ``ScoringClaims`` record with every item claimed."""
    history = [
        {
            "month": _months_after(date(2022, 3, 1), index).isoformat(),
            "base_multiple": "1.25" if index % 5 else "2.10",
            "back_payment": index == 7,
            "payer_is_contract_employer": True,
            "base_matches_declared_income": True,
        }
        for index in range(48)
    ]
    return {
        "birth_date": born.isoformat(),
        "education": {
            "level": "master",
            "nationally_recognised": True,
            "institution": "复旦大学",
            "major": "软件工程",
        },
        "qualifications": [
            {
                "level": "intermediate_title",
                "obtained_while_working_in_shanghai": True,
                "matches_post": True,
                "on_catalogue": True,
                "verifiable": True,
                "certificate_name": "工程师（计算机软件）",
                "certificate_number": "沪职称2021-004512",
            },
            {
                "level": "skill_level_3",
                "obtained_while_working_in_shanghai": True,
                "matches_post": False,
                "on_catalogue": True,
                "verifiable": True,
                "certificate_name": "网络与信息安全管理员（三级）",
                "certificate_number": "S000031000012345",
            },
        ],
        "social_insurance": {"contribution_months": 86, "history": history},
        "shortage_major": {"major_code": "S-0004", "major_name": "人工智能", "post_matches_major": True},
        "investment": {
            "enterprise_name": "上海云栖数据科技有限公司",
            "share_percent": "35",
            "annual_tax_paid_yuan": [820000, 910000, 1050000],
            "annual_shanghai_hukou_hires": [12, 14, 15],
        },
        "public_service": {"field": "基础教育（义务教育阶段教师）", "full_years": 6},
        "key_areas": [
            {"kind": "lingang", "area_code": "KA26-LG", "full_years": 4, "lives_in_area": True},
            {"kind": "other", "area_code": "KA26-NC", "full_years": 6, "lives_in_area": False},
        ],
        "spouse": {"spouse_has_shanghai_hukou": True, "married_on": "2016-10-01", "spouse_name": "李娜"},
        "awards": [
            {
                "level": "municipal_comprehensive",
                "award_name": "上海市劳动模范",
                "received_on": "2024-04-28",
                "received_while_working_in_shanghai": True,
                "on_catalogue": True,
            }
        ],
        "full_time_fresh_graduate": True,
        "startup_founder": {
            "enterprise_name": "上海云栖数据科技有限公司",
            "share_percent": "35",
            "consecutive_months_in_incubator": 8,
            "still_in_incubator": True,
            "shares_held_before_incubation_or_investment": True,
        },
        "innovation_intermediary": {
            "agency_name": "上海技术交易所",
            "consecutive_months_in_technology_transfer": 7,
        },
    }


DECLARED_LINES: tuple[tuple[str, int, int | None, bool], ...] = (
    ("age", 30, 30, True),
    ("education", 100, 110, True),
    ("qualification", 100, 140, False),
    ("insurance_years", 21, None, True),
    ("shortage_major", 30, 30, True),
    ("investment_tax", 30, 100, True),
    ("investment_hiring", 10, 100, False),
    ("insurance_base", 50, 120, True),
    ("public_service", 24, None, True),
    ("key_area", 8, 20, True),
    ("fresh_graduate", 10, 10, True),
    ("award", 60, 110, True),
    ("spouse", 36, 40, True),
    ("startup_founder", 120, 120, False),
    ("innovation_intermediary", 120, 120, False),
    ("false_materials", 0, None, True),
    ("administrative_detention", -50, None, True),
    ("general_criminal_record", 0, None, True),
)


def score_lines() -> list[ScoreLine]:
    return [
        ScoreLine(indicator=code, points=points, cap=cap, counted=counted, rule_id=f"{code}.rule")
        for code, points, cap, counted in DECLARED_LINES
    ]


def total_of(lines: list[ScoreLine]) -> int:
    return max(0, sum(line.points for line in lines if line.counted))


MATERIALS: tuple[tuple[str, str], ...] = (
    ("application_form", "《上海市居住证》积分申请表（加盖单位公章）"),
    ("unit_introduction_letter", "单位介绍信"),
    ("hr_specialist_id", "人事专员身份证"),
    ("business_licence", "营业执照"),
    ("applicant_id_card", "申请人身份证"),
    ("hukou_proof", "户籍证明（户口本）"),
    ("residence_permit", "上海市居住证"),
    ("labour_contract", "劳动合同"),
    ("resume_sheet", "全部工作经历（A4纸，本人签字并加盖单位公章）"),
    ("graduation_certificate", "毕业证书"),
    ("degree_certificate", "学位证书"),
    ("chsi_report", "学信网学历认证报告"),
    ("title_certificate", "专业技术职称证书"),
    ("skill_certificate", "职业资格（技能等级）证书"),
    ("marriage_certificate", "结婚证"),
    ("spouse_hukou_booklet", "配偶户口簿"),
    ("award_certificate", "表彰奖励证书"),
    ("incubator_proof", "科技企业孵化器在孵证明"),
)


def submitted(
    sealing: Sealing,
    *,
    variant: int = 0,
    application_id: str = APPLICATION_ID,
    submission: int = 1,
    form: SubmittedForm | None = None,
    applicant_id: str = APPLICANT_ID,
    unit_id: str = UNIT_ID,
    district: str = DISTRICT,
    at: datetime = SUBMITTED_AT,
) -> ApplicationSubmitted:
    """The submission of ``form`` (default ``full_form(variant)``), sealed for ``application_id``."""
    form = form or full_form(variant)
    lines = score_lines()
    return ApplicationSubmitted(
        application_id=application_id,
        application_number=application_number(variant),
        kind=ApplicationKind.NEW,
        applicant_id=applicant_id,
        applicant_id_masked=mask_id_number(form.personal_info.id_number),
        unit_id=unit_id,
        unit_credit_code=UNIT_CREDIT_CODE,
        unit_name=UNIT_NAME,
        district=district,
        submission=submission,
        submitted_at=at,
        submitted_by=unit_id,
        declared_total=total_of(lines),
        pass_mark=120,
        declared_lines=lines,
        materials=[Material(code=code, name_zh=name, name_en=code) for code, name in MATERIALS],
        form=sealing.seal(form, payload=ApplicationSubmitted, subject=application_id),
    )


def approved(
    submission: ApplicationSubmitted, *, at: datetime = APPROVED_AT, verified_total: int | None = None
) -> ApplicationApproved:
    """The approval of ``submission`` with the declared lines verified as they were."""
    lines = score_lines()
    return ApplicationApproved(
        **submission.model_dump(include=set(ApplicationFacts.model_fields)),
        approved_at=at,
        approved_by="clerk-0042",
        verified_total=total_of(lines) if verified_total is None else verified_total,
        pass_mark=120,
        verified_lines=lines,
    )
