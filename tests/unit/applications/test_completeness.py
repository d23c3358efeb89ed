"""完成: the whole form is checked together and every problem is returned, including missing sections,
cross-section disagreements and veto items."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.applications.domain.completeness import (
    BIRTH_DATE_DISAGREES,
    EDUCATION_CLAIM_ABOVE_HIGHEST_EDUCATION,
    INVESTMENT_CLAIM_DISAGREES,
    SECTION_MISSING,
    SPOUSE_CLAIM_DISAGREES,
    SPOUSE_CLAIM_WITHOUT_SPOUSE,
    ApplicationForm,
    claims_for_calculator,
    find_problems,
    materials_for,
)
from services.applications.domain.errors import ApplicationIncompleteError
from services.applications.domain.sections.family import CHILD_MUST_ENJOY_BENEFITS, SPOUSE_REQUIRED
from services.applications.domain.sections.names import DATA_SECTIONS, SectionName
from services.applications.domain.sections.pledge import PLEDGE_NOT_ACCEPTED, PledgeAcceptance
from services.applications.domain.sections.resume import Resume, ResumeCode
from services.applications.domain.sections.scoring import VETO_SERIOUS_CRIME
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.errors import WHOLE_SECTION
from shared.kernel.form_codes import EducationAttainment, MaritalStatus
from shared.kernel.points.checklist import Material
from shared.kernel.points.claims import (
    EducationClaim,
    EducationLevel,
    InvestmentClaim,
    SpouseClaim,
)
from shared.kernel.roles import Role
from tests.unit.applications.builders import (
    APPLICANT,
    APPLICANT_BIRTH_DATE,
    AT,
    ON,
    PLEDGE_VERSION,
    UNIT,
    child,
    deductions,
    employment,
    family,
    filled_application,
    investment,
    month,
    no_investment,
    personal_info,
    resume,
    school,
    scoring_claims,
    spouse,
    work,
)

PLEDGES = {
    Role.APPLICANT: PledgeAcceptance(Role.APPLICANT, APPLICANT.id, PLEDGE_VERSION, AT),
    Role.UNIT: PledgeAcceptance(Role.UNIT, UNIT.id, PLEDGE_VERSION, AT),
}


def complete_form() -> ApplicationForm:
    return ApplicationForm(
        pledges=PLEDGES,
        personal_info=personal_info(),
        resume=resume(),
        family=family(),
        investment=no_investment(),
        scoring_claims=scoring_claims(),
        deductions=deductions(),
    )


def problem_keys(form: ApplicationForm, on: date = ON) -> set[tuple[str, str, str]]:
    return {(error.section, error.field, error.code) for error in find_problems(form, on)}


def test_complete_form_has_no_problems() -> None:
    assert find_problems(complete_form(), ON) == []


def test_empty_form_reports_every_missing_section_and_both_pledges() -> None:
    keys = problem_keys(ApplicationForm(pledges={}))
    assert keys == {
        (SectionName.PLEDGE, "applicant", PLEDGE_NOT_ACCEPTED),
        (SectionName.PLEDGE, "unit", PLEDGE_NOT_ACCEPTED),
        *((name.value, WHOLE_SECTION, SECTION_MISSING) for name in DATA_SECTIONS),
    }


def test_every_problem_in_every_section_is_reported_at_once() -> None:
    form = ApplicationForm(
        pledges=PLEDGES,
        personal_info=personal_info(mobile="123"),
        resume=Resume(entries=(school(month(2008, 9), month(2012, 6)), work(month(2013, 1), None))),
        family=family(children=(child(enjoys_points_benefits=False),)),
        investment=None,
        scoring_claims=scoring_claims(),
        deductions=deductions(serious_criminal_record=True),
    )
    assert problem_keys(form) == {
        (SectionName.PERSONAL_INFO, "mobile", "mobile.format"),
        (SectionName.RESUME, "entries[1].start_month", ResumeCode.GAP),
        (SectionName.FAMILY, "children[0].enjoys_points_benefits", CHILD_MUST_ENJOY_BENEFITS),
        (SectionName.INVESTMENT, WHOLE_SECTION, SECTION_MISSING),
        (SectionName.DEDUCTIONS, "serious_criminal_record", VETO_SERIOUS_CRIME),
    }
    for error in find_problems(form, ON):
        assert error.message.zh and error.message.en


def test_a_veto_item_blocks_finishing_with_a_plain_explanation() -> None:
    application = filled_application()
    application.save_deductions(deductions(serious_criminal_record=True), by=APPLICANT, at=AT)
    with pytest.raises(ApplicationIncompleteError) as raised:
        application.complete(by=APPLICANT, at=AT)
    (veto,) = raised.value.errors
    assert veto.code == VETO_SERIOUS_CRIME
    assert "一票否决" in veto.message.zh and "不能申请" in veto.message.zh
    assert "veto" in veto.message.en and "cannot apply" in veto.message.en
    assert application.status is ApplicationStatus.DRAFT


def test_marital_status_changed_after_the_family_was_saved_is_caught_at_finish() -> None:
    form = complete_form()
    form = form.with_section(SectionName.PERSONAL_INFO, personal_info(marital_status=MaritalStatus.DIVORCED))
    assert (SectionName.FAMILY, "spouse", "family.spouse_only_when_married") in problem_keys(form)
    form = complete_form().with_section(SectionName.FAMILY, family(spouse=None))
    assert problem_keys(form) == {(SectionName.FAMILY, "spouse", SPOUSE_REQUIRED)}


def test_a_contract_that_ended_before_the_finishing_date_is_caught_at_finish() -> None:
    form = complete_form().with_section(
        SectionName.PERSONAL_INFO, personal_info(employment=employment(contract_end=ON + timedelta(days=10)))
    )
    assert find_problems(form, ON) == []
    later = ON + timedelta(days=11)
    assert (
        SectionName.PERSONAL_INFO,
        "employment.contract_end",
        "personal.contract_not_valid",
    ) in problem_keys(form, later)


def test_scoring_birth_date_must_match_the_id_number() -> None:
    form = complete_form().with_section(
        SectionName.SCORING_CLAIMS, scoring_claims(birth_date=date(1991, 1, 1))
    )
    assert problem_keys(form) == {(SectionName.SCORING_CLAIMS, "birth_date", BIRTH_DATE_DISAGREES)}


def test_spouse_claim_must_agree_with_the_family_section() -> None:
    disagreeing = scoring_claims(
        spouse=SpouseClaim(spouse_has_shanghai_hukou=True, married_on=date(2015, 1, 1))
    )
    form = complete_form().with_section(SectionName.SCORING_CLAIMS, disagreeing)
    assert problem_keys(form) == {(SectionName.SCORING_CLAIMS, "spouse", SPOUSE_CLAIM_DISAGREES)}
    without_spouse = (
        complete_form()
        .with_section(SectionName.PERSONAL_INFO, personal_info(marital_status=MaritalStatus.UNMARRIED))
        .with_section(SectionName.FAMILY, family(spouse=None))
        .with_section(SectionName.SCORING_CLAIMS, disagreeing)
    )
    assert problem_keys(without_spouse) == {
        (SectionName.SCORING_CLAIMS, "spouse", SPOUSE_CLAIM_WITHOUT_SPOUSE)
    }


def test_investment_claim_must_agree_with_the_investment_section() -> None:
    other = InvestmentClaim("别的公司", Decimal("10"), (1, 2, 3), (0, 0, 0))
    form = (
        complete_form()
        .with_section(SectionName.INVESTMENT, investment())
        .with_section(SectionName.SCORING_CLAIMS, scoring_claims(investment=other))
    )
    assert problem_keys(form) == {(SectionName.SCORING_CLAIMS, "investment", INVESTMENT_CLAIM_DISAGREES)}


def test_calculator_claims_are_completed_from_the_other_sections() -> None:
    form = complete_form().with_section(SectionName.INVESTMENT, investment())
    claims = claims_for_calculator(form)
    assert claims is not None
    assert claims.investment == investment().as_claim()
    assert claims.spouse == SpouseClaim(True, spouse().married_on, spouse().name)
    assert claims.birth_date == APPLICANT_BIRTH_DATE
    assert claims_for_calculator(ApplicationForm(pledges={})) is None


def test_materials_checklist_asks_for_the_a4_resume_sheet_only_with_more_than_eight_entries() -> None:
    eight_most_recent = Resume(
        entries=(
            *(work(month(2018 + i, 1), month(2018 + i, 12)) for i in range(7)),
            work(month(2025, 1), None),
        ),
        full_history_sheet_confirmed=True,
    )
    with_sheet = complete_form().with_section(SectionName.RESUME, eight_most_recent)
    assert find_problems(with_sheet, ON) == []
    assert Material.RESUME_SHEET in {item.code for item in materials_for(with_sheet, ON)}
    assert Material.RESUME_SHEET not in {item.code for item in materials_for(complete_form(), ON)}


def test_materials_checklist_follows_the_spouse_and_investment_entered_in_earlier_sections() -> None:
    form = complete_form().with_section(SectionName.INVESTMENT, investment())
    assert form.scoring_claims is not None and form.scoring_claims.spouse is None
    codes = {item.code for item in materials_for(form, ON)}
    assert {Material.MARRIAGE_CERTIFICATE, Material.SPOUSE_HUKOU_BOOKLET} <= codes
    assert {Material.TAX_PAYMENT_CERTIFICATES, Material.SHAREHOLDING_PROOF} <= codes
    unmarried = complete_form().with_section(SectionName.FAMILY, family(spouse=None))
    assert Material.MARRIAGE_CERTIFICATE not in {item.code for item in materials_for(unmarried, ON)}


def test_materials_checklist_needs_the_scoring_section() -> None:
    assert materials_for(ApplicationForm(pledges={}), ON) == ()


def test_the_application_offers_the_checklist_of_its_own_form() -> None:
    application = filled_application()
    assert application.materials_checklist(ON) == materials_for(application.form, ON)
    assert {Material.APPLICATION_FORM, Material.APPLICANT_ID_CARD} <= {
        item.code for item in application.materials_checklist(ON)
    }


@pytest.mark.parametrize(
    ("highest", "claimed", "consistent"),
    [
        (EducationAttainment.BACHELOR, EducationLevel.BACHELOR, True),
        (EducationAttainment.BACHELOR, EducationLevel.UNDERGRADUATE_NO_DEGREE, True),
        (EducationAttainment.MASTER, EducationLevel.BACHELOR, True),  # e.g. a master's record without degree
        (EducationAttainment.COLLEGE, EducationLevel.COLLEGE_DIPLOMA, True),
        (EducationAttainment.COLLEGE, EducationLevel.BACHELOR, False),
        (EducationAttainment.BACHELOR, EducationLevel.MASTER, False),
        (EducationAttainment.MASTER, EducationLevel.DOCTORATE, False),
        (EducationAttainment.HIGH_SCHOOL, EducationLevel.COLLEGE_DIPLOMA, False),
    ],
)
def test_the_education_scored_cannot_be_above_the_highest_education_entered(
    highest: EducationAttainment, claimed: EducationLevel, consistent: bool
) -> None:
    form = (
        complete_form()
        .with_section(SectionName.PERSONAL_INFO, personal_info(highest_education=highest))
        .with_section(SectionName.SCORING_CLAIMS, scoring_claims(education=EducationClaim(claimed)))
    )
    expected = (
        set()
        if consistent
        else {(SectionName.SCORING_CLAIMS, "education", EDUCATION_CLAIM_ABOVE_HIGHEST_EDUCATION)}
    )
    assert problem_keys(form) == expected
