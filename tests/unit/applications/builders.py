"""Test data for the applications domain: valid sections, actors, and applications in any status.

Every builder returns a *valid* value; tests change one thing with ``dataclasses.replace`` (or the
``**changes`` keyword arguments) and assert on the rule that change breaks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from services.applications.domain.application import PointsApplication
from services.applications.domain.sections.family import Child, Family, Spouse
from services.applications.domain.sections.investment import Investment, InvestmentYear
from services.applications.domain.sections.personal import Employment, PersonalInfo
from services.applications.domain.sections.resume import Resume, ResumeEntry
from services.applications.domain.status import TRANSITIONS, Action, Actor
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.points.claims import (
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    ScoringClaims,
    SocialInsuranceClaim,
)
from shared.kernel.roles import Role
from tests.support.identities import id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 16, 10, 30, tzinfo=SHANGHAI)
"""Default command time; the application date is 2026-03-16."""
ON = AT.date()

APPLICATION_NUMBER = "JF2026031600001"
APPLICANT_ID = UUID("00000000-0000-4000-8000-000000000001")
OTHER_PERSON_ID = UUID("00000000-0000-4000-8000-000000000002")
UNIT_ID = UUID("00000000-0000-4000-8000-0000000000a1")
UNIT_CREDIT_CODE = "91350100M000100Y43"
OTHER_UNIT_ID = UUID("00000000-0000-4000-8000-0000000000a2")
OTHER_UNIT_CREDIT_CODE = "91110000802100433B"
UNIT_NAME = "上海浦江软件有限公司"
OTHER_UNIT_NAME = "北京某科技有限公司上海分公司"
UNIT_DISTRICT = "310115"
"""浦东新区: where the unit is registered."""
OTHER_UNIT_DISTRICT = "310104"
APPLICANT_ID_MASKED = "310101********123X"

APPLICANT = Actor(Role.APPLICANT, str(APPLICANT_ID))
UNIT = Actor(Role.UNIT, str(UNIT_ID))
OTHER_UNIT = Actor(Role.UNIT, str(OTHER_UNIT_ID))
CLERK = Actor(Role.CLERK, "clerk-0042")
SYSTEM = Actor(Role.SYSTEM, "applications-worker")
ACTOR_FOR_ROLE = {
    Role.APPLICANT: APPLICANT,
    Role.UNIT: UNIT,
    Role.CLERK: CLERK,
    Role.SYSTEM: SYSTEM,
}

PLEDGE_VERSION = "2026-01"
VERIFIED_SCORE = 126


APPLICANT_BIRTH_DATE = date(1990, 5, 17)
APPLICANT_ID_NUMBER = id_number(APPLICANT_BIRTH_DATE, 123)  # male
SPOUSE_ID_NUMBER = id_number(date(1991, 8, 2), 246)
CHILD_ID_NUMBER = id_number(date(2019, 1, 9), 135)
SECOND_CHILD_ID_NUMBER = id_number(date(2022, 6, 30), 248)


def employment(**changes: Any) -> Employment:
    base = Employment(post="软件工程师", contract_start=date(2024, 4, 1), contract_end=date(2027, 3, 31))
    return replace(base, **changes)


def personal_info(**changes: Any) -> PersonalInfo:
    base = PersonalInfo(
        name="张伟",
        ethnicity="汉族",
        id_number=APPLICANT_ID_NUMBER,
        hukou_address="江苏省南京市玄武区中山路1号",
        hukou_address_differs_from_id_card=False,
        shanghai_address="上海市徐汇区漕溪北路88号",
        mobile="13812345678",
        marital_status=MaritalStatus.MARRIED,
        residence_permit_valid_from=date(2025, 6, 1),
        residence_permit_valid_until=date(2026, 5, 31),
        highest_education=EducationAttainment.BACHELOR,
        employment=employment(),
    )
    return replace(base, **changes)


def month(year: int, month_number: int) -> date:
    return date(year, month_number, 1)


def school(start: date, end: date | None) -> ResumeEntry:
    return ResumeEntry(ResumeEntryKind.SCHOOL, start, end, organisation="同济大学", post="计算机科学与技术")


def work(start: date, end: date | None, organisation: str = "上海某科技有限公司") -> ResumeEntry:
    return ResumeEntry(ResumeEntryKind.WORK, start, end, organisation=organisation, post="软件工程师")


def unemployed(start: date, end: date | None) -> ResumeEntry:
    return ResumeEntry(ResumeEntryKind.UNEMPLOYED, start, end)


def resume(**changes: Any) -> Resume:
    """School, two jobs with a 待业 period between them, the current job open-ended."""
    base = Resume(
        entries=(
            school(month(2008, 9), month(2012, 6)),
            work(month(2012, 7), month(2019, 12), organisation="南京某软件公司"),
            unemployed(month(2020, 1), month(2020, 3)),
            work(month(2020, 4), None),
        )
    )
    return replace(base, **changes)


def spouse(**changes: Any) -> Spouse:
    base = Spouse(
        name="李娜",
        id_number=SPOUSE_ID_NUMBER,
        hukou_address="上海市黄浦区南京东路100号",
        has_shanghai_hukou=True,
        married_on=date(2017, 10, 1),
    )
    return replace(base, **changes)


def child(**changes: Any) -> Child:
    base = Child(
        name="张小明",
        id_number=CHILD_ID_NUMBER,
        hukou_address="江苏省南京市玄武区中山路1号",
        enjoys_points_benefits=True,
    )
    return replace(base, **changes)


def family(**changes: Any) -> Family:
    base = Family(spouse=spouse(), children=(child(),))
    return replace(base, **changes)


def no_investment() -> Investment:
    return Investment(has_investment=False)


def investment(**changes: Any) -> Investment:
    base = Investment(
        has_investment=True,
        enterprise_name="上海某创业有限公司",
        share_percent=Decimal("40"),
        years=(
            InvestmentYear(2023, tax_paid_yuan=120_000, shanghai_hukou_staff=3),
            InvestmentYear(2024, tax_paid_yuan=150_000, shanghai_hukou_staff=4),
            InvestmentYear(2025, tax_paid_yuan=180_000, shanghai_hukou_staff=5),
        ),
    )
    return replace(base, **changes)


def scoring_claims(**changes: Any) -> ScoringClaims:
    base = ScoringClaims(
        birth_date=APPLICANT_BIRTH_DATE,
        education=EducationClaim(EducationLevel.BACHELOR, institution="同济大学", major="计算机科学与技术"),
        social_insurance=SocialInsuranceClaim(contribution_months=70),
    )
    return replace(base, **changes)


def deductions(**changes: Any) -> DeductionClaims:
    return replace(DeductionClaims(), **changes)


def started_application(
    kind: ApplicationKind = ApplicationKind.NEW,
    application_number: str = APPLICATION_NUMBER,
    by: Actor = UNIT,
) -> PointsApplication:
    return PointsApplication.start(
        application_number=application_number,
        applicant_id=APPLICANT_ID,
        applicant_id_masked=APPLICANT_ID_MASKED,
        unit_id=UNIT_ID,
        unit_credit_code=UNIT_CREDIT_CODE,
        unit_name=UNIT_NAME,
        unit_district=UNIT_DISTRICT,
        kind=kind,
        by=by,
        at=AT,
    )


def pledged_application() -> PointsApplication:
    application = started_application()
    application.accept_pledge(by=APPLICANT, text_version=PLEDGE_VERSION, at=AT)
    application.accept_pledge(by=UNIT, text_version=PLEDGE_VERSION, at=AT)
    return application


def fill_every_section(application: PointsApplication, by: Actor = APPLICANT) -> None:
    application.save_personal_info(personal_info(), by=by, at=AT)
    application.save_resume(resume(), by=by, at=AT)
    application.save_family(family(), by=by, at=AT)
    application.save_investment(no_investment(), by=by, at=AT)
    application.save_scoring_claims(scoring_claims(), by=by, at=AT)
    application.save_deductions(deductions(), by=by, at=AT)


def filled_application() -> PointsApplication:
    """Pledged and every section saved, valid: ready for 完成."""
    application = pledged_application()
    fill_every_section(application)
    return application


def path_to(status: ApplicationStatus) -> list[Action]:
    """The shortest sequence of actions from DRAFT to ``status``, found in the transition table."""
    queue: deque[tuple[ApplicationStatus, list[Action]]] = deque([(ApplicationStatus.DRAFT, [])])
    seen = {ApplicationStatus.DRAFT}
    while queue:
        current, actions = queue.popleft()
        if current is status:
            return actions
        for (source, action), transition in TRANSITIONS.items():
            if source is current and transition.target not in seen:
                seen.add(transition.target)
                queue.append((transition.target, [*actions, action]))
    raise AssertionError(f"{status} cannot be reached from DRAFT")


def actor_for(action: Action, status: ApplicationStatus) -> Actor:
    """An actor whose role may take ``action`` in ``status`` (the first allowed role, in role order)."""
    roles = TRANSITIONS[(status, action)].roles
    role = next(role for role in Role if role in roles)
    return ACTOR_FOR_ROLE[role]


def take(application: PointsApplication, action: Action, at: datetime = AT) -> None:
    """Take an allowed action with a suitable actor, a reason and (for approval) a score."""
    application.perform(
        action,
        by=actor_for(action, application.status),
        at=at,
        reason=f"测试原因:{action.label.zh}",
        verified_score=VERIFIED_SCORE if action is Action.APPROVE else None,
    )


def application_in(status: ApplicationStatus) -> PointsApplication:
    """A filled application driven through the table to ``status``."""
    application = filled_application()
    for action in path_to(status):
        take(application, action)
    assert application.status is status
    return application
