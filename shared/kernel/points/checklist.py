"""Materials checklist (申请材料清单): what to bring to the acceptance window, derived from the claims.

The checklist is data: ``MATERIALS`` lists every item once, in the order it is printed, with its
source and effective period. ``materials_checklist`` selects the items that the claims call for and
returns them in that order (deterministic, no duplicates). Originals are checked and copies kept
(domain.md §3, "Basic paper materials").

Items whose ``source`` says "inferred" follow from an indicator's rule (e.g. a title must be shown by
its certificate) but no source in the brief lists them as window materials; confirm with the talent
centre before release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .claims import EducationLevel, QualificationLevel, ScoringClaims
from .model import in_force
from .rules import MEASURES_2018_FROM, RULES_2026_FROM, RULES_2026_PREVIOUS_TO, SRC_2026, TRIAL_2013_FROM

SRC_BASIC = "http://m.hlhuilu.com/news/detail252.html ; http://m.niuxiu.net/html/juzhuzheng/zhengce/6733.html"
SRC_RESUME = (
    "seed page: 上海居住证积分申请系统填写注意事项 (§6 of the form guide: more than 8 resume entries)"
)
SRC_EDUCATION_EVIDENCE = (
    "http://www.senqingzn.com/dy/article/HO66L68F0512FBHM.html?spss=dy_author ; "
    "http://zyrf.com.cn/html/shnews/jifenluohu/12384.html"
)
SRC_BASE_EVIDENCE = "http://hahafu.net.cn/html/shlhzx/jzz/67994.html ; http://m.51luohu.com/news/192476.html"
SRC_SHORTAGE_EVIDENCE = "https://wap.265xx.com/w415/129451.html"
SRC_FAMILY_PLANNING = (
    "http://lxhro.com/news/html/1948.html ; http://m.niuxiu.net/html/juzhuzheng/zhengce/6733.html"
)
INFERRED = "inferred from the indicator's rule (domain.md §1); not listed as a window material by any source"


class Material(StrEnum):
    APPLICATION_FORM = "application_form"
    UNIT_INTRODUCTION_LETTER = "unit_introduction_letter"
    HR_SPECIALIST_ID = "hr_specialist_id"
    BUSINESS_LICENCE = "business_licence"
    ORGANISATION_CODE = "organisation_code"
    APPLICANT_ID_CARD = "applicant_id_card"
    HUKOU_PROOF = "hukou_proof"
    RESIDENCE_PERMIT = "residence_permit"
    LABOUR_CONTRACT = "labour_contract"
    RESUME_SHEET = "resume_sheet"
    FAMILY_PLANNING_PLEDGE = "family_planning_pledge"
    GRADUATION_CERTIFICATE = "graduation_certificate"
    DEGREE_CERTIFICATE = "degree_certificate"
    CHSI_REPORT = "chsi_report"
    TITLE_CERTIFICATE = "title_certificate"
    SKILL_CERTIFICATE = "skill_certificate"
    INCOME_TAX_RECORD = "income_tax_record"
    JOB_DESCRIPTION = "job_description"
    ENTERPRISE_LICENCE = "enterprise_licence"
    SHAREHOLDING_PROOF = "shareholding_proof"
    TAX_PAYMENT_CERTIFICATES = "tax_payment_certificates"
    HUKOU_STAFF_RECORDS = "hukou_staff_records"
    PUBLIC_SERVICE_POST_PROOF = "public_service_post_proof"
    KEY_AREA_WORK_PROOF = "key_area_work_proof"
    KEY_AREA_RESIDENCE_PROOF = "key_area_residence_proof"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    SPOUSE_HUKOU_BOOKLET = "spouse_hukou_booklet"
    AWARD_CERTIFICATE = "award_certificate"
    INCUBATOR_PROOF = "incubator_proof"
    TECH_TRANSFER_AGENCY_PROOF = "tech_transfer_agency_proof"


@dataclass(frozen=True, slots=True)
class MaterialRow:
    code: Material
    name_zh: str
    name_en: str
    source: str
    effective_from: date = TRIAL_2013_FROM
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class MaterialItem:
    """One line of the checklist."""

    code: Material
    name_zh: str
    name_en: str
    source: str


M = Material

MATERIALS: tuple[MaterialRow, ...] = (
    MaterialRow(
        M.APPLICATION_FORM,
        "《上海市居住证》积分申请表（打印件，加盖单位公章）",
        "Printed points application form, stamped with the unit seal",
        SRC_BASIC,
    ),
    MaterialRow(M.UNIT_INTRODUCTION_LETTER, "单位介绍信", "Unit introduction letter", SRC_BASIC),
    MaterialRow(
        M.HR_SPECIALIST_ID,
        "人事专员身份证原件及复印件",
        "HR specialist's ID card, original and copy",
        SRC_BASIC,
    ),
    MaterialRow(
        M.BUSINESS_LICENCE,
        "单位营业执照（或事业单位、社团法人证书）复印件",
        "Unit business licence (or equivalent certificate), copy",
        SRC_BASIC,
    ),
    MaterialRow(
        M.ORGANISATION_CODE,
        "组织机构代码证或统一社会信用代码证复印件",
        "Organisation-code or unified-social-credit-code certificate, copy",
        SRC_BASIC,
    ),
    MaterialRow(
        M.APPLICANT_ID_CARD, "申请人身份证原件及复印件", "Applicant's ID card, original and copy", SRC_BASIC
    ),
    MaterialRow(
        M.HUKOU_PROOF, "申请人户籍证明（户口簿）", "Applicant's hukou proof (household booklet)", SRC_BASIC
    ),
    MaterialRow(M.RESIDENCE_PERMIT, "有效的《上海市居住证》", "Valid Shanghai Residence Permit", SRC_BASIC),
    MaterialRow(
        M.LABOUR_CONTRACT,
        "劳动（聘用）合同原件及复印件",
        "Labour (or employment) contract, original and copy",
        SRC_BASIC,
    ),
    MaterialRow(
        M.RESUME_SHEET,
        "完整工作经历A4纸（本人签字并加盖单位公章）",
        "A4 sheet listing the full work history, signed by the applicant and stamped with the unit seal",
        SRC_RESUME,
    ),
    MaterialRow(
        M.FAMILY_PLANNING_PLEDGE,
        "计划生育承诺书",
        "Family-planning pledge",
        SRC_FAMILY_PLANNING,
        TRIAL_2013_FROM,
        RULES_2026_PREVIOUS_TO,
    ),
    MaterialRow(
        M.GRADUATION_CERTIFICATE,
        "毕业证书原件及复印件",
        "Graduation certificate, original and copy",
        INFERRED,
    ),
    MaterialRow(
        M.DEGREE_CERTIFICATE, "学位证书原件及复印件", "Degree certificate, original and copy", INFERRED
    ),
    MaterialRow(
        M.CHSI_REPORT,
        "学信网《教育部学历证书电子注册备案表》（在线验证报告）",
        "CHSI online education verification report",
        SRC_EDUCATION_EVIDENCE,
    ),
    MaterialRow(
        M.TITLE_CERTIFICATE,
        "专业技术职称（职业资格）证书原件及复印件",
        "Professional title (qualification) certificate, original and copy",
        INFERRED,
    ),
    MaterialRow(
        M.SKILL_CERTIFICATE,
        "职业资格（技能等级）证书原件及复印件",
        "Skill-level certificate, original and copy",
        INFERRED,
    ),
    MaterialRow(
        M.INCOME_TAX_RECORD,
        "个人所得税纳税记录",
        "Individual income-tax records (must match the social-insurance base)",
        SRC_BASE_EVIDENCE,
        MEASURES_2018_FROM,
    ),
    MaterialRow(
        M.JOB_DESCRIPTION, "岗位说明书", "Job description of the current post", SRC_SHORTAGE_EVIDENCE
    ),
    MaterialRow(
        M.ENTERPRISE_LICENCE,
        "投资企业营业执照复印件",
        "Business licence of the invested enterprise, copy",
        INFERRED,
    ),
    MaterialRow(
        M.SHAREHOLDING_PROOF,
        "出资（持股）证明，如公司章程、验资报告",
        "Proof of the holder's share, e.g. articles of association",
        INFERRED,
    ),
    MaterialRow(
        M.TAX_PAYMENT_CERTIFICATES,
        "企业近3年纳税证明",
        "Enterprise tax-payment certificates for the last 3 years",
        INFERRED,
    ),
    MaterialRow(
        M.HUKOU_STAFF_RECORDS,
        "企业近3年聘用本市户籍人员名单及社保缴费记录",
        "List of Shanghai-hukou staff employed in the last 3 years, with their social-insurance records",
        INFERRED,
    ),
    MaterialRow(
        M.PUBLIC_SERVICE_POST_PROOF,
        "单位出具的公共服务领域岗位及工作年限证明",
        "Employer's certificate of the public-service post and years worked",
        INFERRED,
    ),
    MaterialRow(
        M.KEY_AREA_WORK_PROOF,
        "在重点区域工作年限证明",
        "Proof of the years worked in the key area",
        INFERRED,
    ),
    MaterialRow(
        M.KEY_AREA_RESIDENCE_PROOF,
        "在重点区域居住证明",
        "Proof of residence in the key area",
        SRC_2026,
        RULES_2026_FROM,
    ),
    MaterialRow(
        M.MARRIAGE_CERTIFICATE,
        "结婚证原件及复印件",
        "Marriage certificate, original and copy",
        "domain.md §3 (Spouse)",
    ),
    MaterialRow(
        M.SPOUSE_HUKOU_BOOKLET,
        "配偶本市户口簿原件及复印件",
        "Spouse's Shanghai household (hukou) booklet, original and copy",
        "domain.md §3 (Spouse)",
    ),
    MaterialRow(
        M.AWARD_CERTIFICATE, "表彰奖励证书原件及复印件", "Award certificate, original and copy", INFERRED
    ),
    MaterialRow(
        M.INCUBATOR_PROOF,
        "科技企业孵化器入驻证明",
        "Proof that the enterprise is in a registered science-and-technology incubator",
        INFERRED,
    ),
    MaterialRow(
        M.TECH_TRANSFER_AGENCY_PROOF,
        "技术转移服务机构登记及从业证明",
        "Registration of the technology-transfer agency and proof of employment there",
        INFERRED,
    ),
)

_ALWAYS = frozenset(
    {
        M.APPLICATION_FORM,
        M.UNIT_INTRODUCTION_LETTER,
        M.HR_SPECIALIST_ID,
        M.BUSINESS_LICENCE,
        M.ORGANISATION_CODE,
        M.APPLICANT_ID_CARD,
        M.HUKOU_PROOF,
        M.RESIDENCE_PERMIT,
        M.LABOUR_CONTRACT,
        M.FAMILY_PLANNING_PLEDGE,  # only while its row is in force
    }
)

_DEGREE_LEVELS = frozenset({EducationLevel.BACHELOR, EducationLevel.MASTER, EducationLevel.DOCTORATE})
_TITLE_LEVELS = frozenset({QualificationLevel.INTERMEDIATE_TITLE, QualificationLevel.SENIOR_TITLE})


def _needed(claims: ScoringClaims, resume_has_more_than_eight_entries: bool) -> set[Material]:
    need: set[Material] = set(_ALWAYS)
    if resume_has_more_than_eight_entries:
        need.add(M.RESUME_SHEET)
    education = claims.education
    if education is not None:
        need |= {M.GRADUATION_CERTIFICATE, M.CHSI_REPORT}
        if education.level in _DEGREE_LEVELS:
            need.add(M.DEGREE_CERTIFICATE)
    for q in claims.qualifications:
        need.add(M.TITLE_CERTIFICATE if q.level in _TITLE_LEVELS else M.SKILL_CERTIFICATE)
    if claims.social_insurance.history:
        need.add(M.INCOME_TAX_RECORD)
    if claims.shortage_major is not None:
        need |= {M.GRADUATION_CERTIFICATE, M.CHSI_REPORT, M.JOB_DESCRIPTION}
    if claims.investment is not None:
        need |= {
            M.ENTERPRISE_LICENCE,
            M.SHAREHOLDING_PROOF,
            M.TAX_PAYMENT_CERTIFICATES,
            M.HUKOU_STAFF_RECORDS,
        }
    if claims.public_service is not None:
        need.add(M.PUBLIC_SERVICE_POST_PROOF)
    if claims.key_areas:
        need |= {M.KEY_AREA_WORK_PROOF, M.KEY_AREA_RESIDENCE_PROOF}
    if claims.spouse is not None:
        need |= {M.MARRIAGE_CERTIFICATE, M.SPOUSE_HUKOU_BOOKLET}
    if claims.awards:
        need.add(M.AWARD_CERTIFICATE)
    if claims.full_time_fresh_graduate:
        need |= {M.GRADUATION_CERTIFICATE, M.CHSI_REPORT}
    if claims.startup_founder is not None:
        need |= {M.INCUBATOR_PROOF, M.SHAREHOLDING_PROOF, M.ENTERPRISE_LICENCE}
    if claims.innovation_intermediary is not None:
        need.add(M.TECH_TRANSFER_AGENCY_PROOF)
    return need


def materials_checklist(
    claims: ScoringClaims, on: date, *, resume_has_more_than_eight_entries: bool
) -> tuple[MaterialItem, ...]:
    """Materials to bring to the window for ``claims``, for an application dated ``on``.

    ``resume_has_more_than_eight_entries``: the form holds the latest 8 resume entries; with more,
    a signed, unit-stamped A4 sheet listing the full work history is required.
    """
    need = _needed(claims, resume_has_more_than_eight_entries)
    return tuple(
        MaterialItem(row.code, row.name_zh, row.name_en, row.source)
        for row in in_force(MATERIALS, on)
        if row.code in need
    )
