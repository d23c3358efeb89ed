"""Checking the whole form: per section at save time, all together at 完成.

Save time: the section's own validator, plus the cross-section rules against sections that come
*earlier* in the form (e.g. the family section against the marital status in the personal
information), when those are already saved. 完成: every section's validator, every cross-section rule,
every missing section and every veto item, all returned together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from services.applications.domain.sections.common import Problems
from services.applications.domain.sections.family import Family, validate_family
from services.applications.domain.sections.investment import Investment, validate_investment
from services.applications.domain.sections.names import DATA_SECTIONS, SectionName
from services.applications.domain.sections.personal import PersonalInfo, validate_personal_info
from services.applications.domain.sections.pledge import PledgeAcceptance, validate_pledges
from services.applications.domain.sections.resume import Resume, validate_resume
from services.applications.domain.sections.scoring import (
    validate_deductions,
    validate_scoring_claims,
    veto_problems,
)
from shared.kernel.errors import WHOLE_SECTION, FieldError
from shared.kernel.form_codes import EducationAttainment
from shared.kernel.points.checklist import MaterialItem, materials_checklist
from shared.kernel.points.claims import (
    DeductionClaims,
    EducationLevel,
    ScoringClaims,
    SpouseClaim,
)
from shared.kernel.roles import Role
from shared.kernel.text import Text

SECTION_MISSING = "section.missing"
BIRTH_DATE_DISAGREES = "scoring.birth_date_disagrees_with_id_number"
SPOUSE_CLAIM_WITHOUT_SPOUSE = "scoring.spouse_claim_without_spouse"
SPOUSE_CLAIM_DISAGREES = "scoring.spouse_claim_disagrees_with_family"
INVESTMENT_CLAIM_DISAGREES = "scoring.investment_claim_disagrees_with_investment_section"
EDUCATION_CLAIM_ABOVE_HIGHEST_EDUCATION = "scoring.education_claim_above_highest_education"

_ATTAINMENT_RANK: dict[EducationAttainment, int] = {
    EducationAttainment.DOCTORATE: 5,
    EducationAttainment.MASTER: 4,
    EducationAttainment.BACHELOR: 3,
    EducationAttainment.COLLEGE: 2,
    EducationAttainment.SECONDARY_VOCATIONAL: 1,
    EducationAttainment.HIGH_SCHOOL: 1,
    EducationAttainment.JUNIOR_HIGH_OR_BELOW: 0,
}
_CLAIM_RANK: dict[EducationLevel, int] = {
    EducationLevel.DOCTORATE: 5,
    EducationLevel.MASTER: 4,
    EducationLevel.BACHELOR: 3,
    EducationLevel.UNDERGRADUATE_NO_DEGREE: 3,
    EducationLevel.COLLEGE_DIPLOMA: 2,
}
"""Ranks to compare the scored education with the highest education (文化程度) entered. The scored level
may be lower (a master's record without the degree scores as the bachelor's below it), never higher."""

_T = TypeVar("_T")

SectionData = PersonalInfo | Resume | Family | Investment | ScoringClaims | DeductionClaims


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """Everything entered so far; ``None`` for a section not saved yet."""

    pledges: dict[Role, PledgeAcceptance]
    personal_info: PersonalInfo | None = None
    resume: Resume | None = None
    family: Family | None = None
    investment: Investment | None = None
    scoring_claims: ScoringClaims | None = None
    deductions: DeductionClaims | None = None

    def section(self, name: SectionName) -> SectionData | None:
        return {
            SectionName.PERSONAL_INFO: self.personal_info,
            SectionName.RESUME: self.resume,
            SectionName.FAMILY: self.family,
            SectionName.INVESTMENT: self.investment,
            SectionName.SCORING_CLAIMS: self.scoring_claims,
            SectionName.DEDUCTIONS: self.deductions,
        }[name]

    def with_section(self, name: SectionName, data: SectionData) -> ApplicationForm:
        """A copy with one data section replaced (to validate a save before it happens)."""
        if name not in DATA_SECTIONS:
            raise ValueError(f"{name} is not a data section")
        changes: dict[str, Any] = {name.value: data}
        return replace(self, **changes)


def problems_in_section(form: ApplicationForm, name: SectionName, on: date) -> list[FieldError]:
    """The problems of one saved data section, including its cross-section rules (see module doc)."""
    personal = form.personal_info
    if name is SectionName.PERSONAL_INFO:
        return validate_personal_info(_expect(form.personal_info, PersonalInfo), on)
    if name is SectionName.RESUME:
        return validate_resume(_expect(form.resume, Resume), on)
    if name is SectionName.FAMILY:
        return validate_family(
            _expect(form.family, Family),
            on,
            marital_status=personal.marital_status if personal else None,
            applicant_id_number=personal.id_number if personal else None,
        )
    if name is SectionName.INVESTMENT:
        return validate_investment(_expect(form.investment, Investment), on)
    if name is SectionName.SCORING_CLAIMS:
        claims = _expect(form.scoring_claims, ScoringClaims)
        return validate_scoring_claims(claims, on) + _scoring_consistency(claims, form)
    if name is SectionName.DEDUCTIONS:
        return validate_deductions(_expect(form.deductions, DeductionClaims), on)
    raise ValueError(f"{name} is not a data section")


def find_problems(form: ApplicationForm, on: date) -> list[FieldError]:
    """Every problem that stops the form being finished (完成) on ``on``; empty when it can be."""
    problems = validate_pledges(form.pledges)
    for name in DATA_SECTIONS:
        if form.section(name) is None:
            problems.append(
                FieldError(
                    WHOLE_SECTION,
                    SECTION_MISSING,
                    Text(f"请填写“{name.label.zh}”", f'The section "{name.label.en}" has not been filled in'),
                    section=name.value,
                )
            )
        else:
            problems.extend(problems_in_section(form, name, on))
    if form.deductions is not None:
        problems.extend(veto_problems(form.deductions))
    return problems


def claims_for_calculator(form: ApplicationForm) -> ScoringClaims | None:
    """The scoring claims completed from the earlier sections, for the points calculator.

    The applicant enters the investment once (投资与创业) and the spouse once (家庭情况); the birth
    date comes from the ID number. A scoring claim left empty is filled from those sections (which
    wins is moot: a conflicting claim is a problem found by ``find_problems``).
    """
    claims = form.scoring_claims
    if claims is None:
        return None
    resident = form.personal_info.resident_id if form.personal_info is not None else None
    if resident is not None:
        claims = replace(claims, birth_date=resident.birth_date)
    if claims.investment is None and form.investment is not None:
        claims = replace(claims, investment=form.investment.as_claim())
    spouse = form.family.spouse if form.family is not None else None
    if claims.spouse is None and spouse is not None:
        claims = replace(
            claims,
            spouse=SpouseClaim(
                spouse_has_shanghai_hukou=spouse.has_shanghai_hukou,
                married_on=spouse.married_on,
                spouse_name=spouse.name,
            ),
        )
    return claims


def materials_for(form: ApplicationForm, on: date) -> tuple[MaterialItem, ...]:
    """The materials to bring to the window for this form (申请材料清单), for an application dated ``on``.

    Derived from the scoring claims completed from the other sections (so a spouse entered under 家庭情况
    or an enterprise under 投资与创业 asks for its evidence too). A resume with a confirmed full-history
    sheet has more than 8 entries, so the signed, unit-stamped A4 sheet is listed. Empty until the
    scoring section is saved.
    """
    claims = claims_for_calculator(form)
    if claims is None:
        return ()
    more_than_eight = form.resume is not None and form.resume.full_history_sheet_confirmed
    return materials_checklist(claims, on, resume_has_more_than_eight_entries=more_than_eight)


def _scoring_consistency(claims: ScoringClaims, form: ApplicationForm) -> list[FieldError]:
    """The scoring claims repeat facts from earlier sections; they must agree."""
    problems = Problems(SectionName.SCORING_CLAIMS)
    personal = form.personal_info
    resident = personal.resident_id if personal is not None else None
    if resident is not None and resident.birth_date != claims.birth_date:
        problems.add(
            "birth_date",
            BIRTH_DATE_DISAGREES,
            "出生日期与身份证号码不一致",
            "The birth date does not match the ID number in the personal information",
        )
    if (
        personal is not None
        and claims.education is not None
        and _CLAIM_RANK[claims.education.level] > _ATTAINMENT_RANK[personal.highest_education]
    ):
        problems.add(
            "education",
            EDUCATION_CLAIM_ABOVE_HIGHEST_EDUCATION,
            "申报计分的学历高于“个人基本信息”中填写的最高学历（文化程度）",
            "The education claimed for points is above the highest education entered in the personal "
            "information",
        )
    if claims.spouse is not None and form.family is not None:
        spouse = form.family.spouse
        if spouse is None:
            problems.add(
                "spouse",
                SPOUSE_CLAIM_WITHOUT_SPOUSE,
                "家庭情况中没有配偶，不能申报配偶加分",
                "No spouse is entered in the family section, so no spouse points can be claimed",
            )
        elif (spouse.has_shanghai_hukou, spouse.married_on) != (
            claims.spouse.spouse_has_shanghai_hukou,
            claims.spouse.married_on,
        ):
            problems.add(
                "spouse",
                SPOUSE_CLAIM_DISAGREES,
                "配偶户籍或结婚日期与家庭情况中填写的不一致",
                "The spouse's hukou or the marriage date differs from the family section",
            )
    if (
        claims.investment is not None
        and form.investment is not None
        and claims.investment != form.investment.as_claim()
    ):
        problems.add(
            "investment",
            INVESTMENT_CLAIM_DISAGREES,
            "投资纳税信息与“投资与创业”栏目不一致",
            "The investment claim differs from the investment and enterprise section",
        )
    return problems.errors


def _expect(value: object, kind: type[_T]) -> _T:
    if not isinstance(value, kind):
        raise ValueError(f"expected a saved {kind.__name__}")
    return value
