"""``python -m services.applications seed-demo``: the applications part of the demo (``shared/demo.py``).

Once accounts' ``ApplicantRegistered`` has brought the demo unit's applicants into the directory, each
gets the application the demo takes as far as its stage: started by the unit, both pledges given, the
sections filled in by the applicant (the personal information is the registered one), 完成, and for
those at the talent centre 单位审核通过 by the unit. The application approved by review must come back
approved with the 积分通知书 rendered by documents: the seed waits for that too. An applicant who has an
application already keeps it as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from services.applications.domain.application import PointsApplication
from services.applications.domain.completeness import SectionData
from services.applications.domain.directory import Applicant
from services.applications.domain.sections.family import Child, Family, Spouse
from services.applications.domain.sections.investment import Investment
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import Employment, PersonalInfo
from services.applications.domain.sections.resume import Resume, ResumeEntry
from services.applications.domain.status import Actor
from services.applications.service import PLEDGE_TEXT_VERSION, ApplicationsService
from shared.demo import APPLICANTS, AT_THE_CENTRE, DEMO_UNIT, DemoApplicant, Stage
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.id_number import compose_id_number
from shared.kernel.points.claims import (
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    ScoringClaims,
    SocialInsuranceClaim,
)
from shared.kernel.roles import Role
from shared.platform.seeding import Seeder, seed_demo_command

NOTICE = "points_notice"


def seed(service: ApplicationsService, seeder: Seeder) -> None:
    for person in APPLICANTS:
        applicant_id, unit_id = seeder.wait_for(
            f"{person.name} in the directory (ApplicantRegistered)", _ids, seeder, person
        )
        applicant = service.applicant(applicant_id)
        assert applicant is not None
        if applicant.current_application_id is None:
            _file(service, seeder, person, applicant, Actor(Role.UNIT, str(unit_id)))
        if person.stage is Stage.APPROVED:
            seeder.wait_for(
                f"{person.name}'s approval (review) and points notice (documents)",
                _notice_rendered,
                seeder,
                applicant_id,
            )


def _ids(seeder: Seeder, person: DemoApplicant) -> tuple[UUID, UUID] | None:
    rows = seeder.query(
        "SELECT p.applicant_id, p.unit_id FROM list_applicants p JOIN list_units u USING (unit_id)"
        " WHERE u.credit_code = $1 AND p.id_number_masked = $2",
        normalise_credit_code(DEMO_UNIT.credit_code),
        person.id_number_masked,
    )
    return (rows[0]["applicant_id"], rows[0]["unit_id"]) if rows else None


def _notice_rendered(seeder: Seeder, applicant_id: UUID) -> bool:
    rows = seeder.query(
        "SELECT status, documents FROM list_applications WHERE applicant_id = $1", applicant_id
    )
    return any(r["status"] == ApplicationStatus.APPROVED.value and NOTICE in r["documents"] for r in rows)


def _file(
    service: ApplicationsService, seeder: Seeder, person: DemoApplicant, applicant: Applicant, unit: Actor
) -> None:
    """The unit starts it, both pledge, the applicant fills it in as far as ``person.stage``."""
    me = Actor(Role.APPLICANT, str(applicant.applicant_id))
    now = datetime.now(UTC)
    saved = service.start(by=unit, applicant_id=applicant.applicant_id, kind=ApplicationKind.NEW, at=now)
    application_id, version = saved.application_id, saved.version
    for actor in (me, unit):
        version = service.accept_pledge(
            application_id, by=actor, based_on_version=version, text_version=PLEDGE_TEXT_VERSION, at=now
        ).version
    sections = _sections(person, now.date())
    if person.stage is Stage.DRAFT:
        sections = sections[:1]
    for section, data in sections:
        version = service.save_section(
            application_id, section, data, by=me, based_on_version=version, at=now
        ).version
    if person.stage is not Stage.DRAFT:
        version = service.complete(application_id, by=me, based_on_version=version, at=now).version
    if person.stage in AT_THE_CENTRE:
        service.submit(application_id, by=unit, based_on_version=version, at=now)
    application: PointsApplication = service.application(application_id, me)
    seeder.did(f"{person.name}'s application {application.application_number}: {application.status.label.en}")


def _sections(person: DemoApplicant, today: date) -> list[tuple[SectionName, SectionData]]:
    """A complete, valid form for ``person`` on ``today`` (a married graduate with one child)."""
    born = person.birth_date
    graduated = date(born.year + 22, 7, 1)
    personal = PersonalInfo(
        name=person.name,
        ethnicity="汉族",
        id_number=person.id_number,
        hukou_address="江苏省南京市玄武区中山路1号",
        hukou_address_differs_from_id_card=False,
        shanghai_address="上海市浦东新区张江路100号",
        mobile=person.mobile,
        marital_status=MaritalStatus.MARRIED,
        residence_permit_valid_from=today - timedelta(days=200),
        residence_permit_valid_until=today + timedelta(days=165),
        highest_education=EducationAttainment.BACHELOR,
        employment=Employment(
            post="软件工程师", contract_start=graduated, contract_end=date(today.year + 2, 6, 30)
        ),
    )
    resume = Resume(
        entries=(
            ResumeEntry(
                ResumeEntryKind.SCHOOL,
                date(born.year + 18, 9, 1),
                date(born.year + 22, 6, 1),
                organisation="同济大学",
                post="计算机科学与技术",
            ),
            ResumeEntry(
                ResumeEntryKind.WORK, graduated, None, organisation=DEMO_UNIT.name, post="软件工程师"
            ),
        )
    )
    spouse_born = date(born.year + 1, 2, 3)
    child_born = date(born.year + 30, 5, 6)
    family = Family(
        spouse=Spouse(
            name="孙丽",
            id_number=compose_id_number("310104", spouse_born, 222),
            hukou_address="上海市黄浦区南京东路100号",
            has_shanghai_hukou=True,
            married_on=date(born.year + 27, 10, 1),
        ),
        children=(
            Child(
                name=f"{person.name[0]}小宝",
                id_number=compose_id_number("310104", child_born, 135),
                hukou_address="江苏省南京市玄武区中山路1号",
                enjoys_points_benefits=True,
            ),
        ),
    )
    claims = ScoringClaims(
        birth_date=born,
        education=EducationClaim(EducationLevel.BACHELOR, institution="同济大学", major="计算机科学与技术"),
        social_insurance=SocialInsuranceClaim(contribution_months=70),
    )
    return [
        (SectionName.PERSONAL_INFO, personal),
        (SectionName.RESUME, resume),
        (SectionName.FAMILY, family),
        (SectionName.INVESTMENT, Investment(has_investment=False)),
        (SectionName.SCORING_CLAIMS, claims),
        (SectionName.DEDUCTIONS, DeductionClaims()),
    ]


SEED_DEMO = seed_demo_command(seed)
