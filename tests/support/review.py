"""What the review service's tests publish as its peers would, and how they sign clerks in.

The applications and accounts services are being built next to review, so review's tests publish
their events with the test ``Bus`` (sealed fields sealed with the same keyring the services get) and
sign clerks in with ``token_issuer`` (as accounts does).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from shared.contracts.accounts import ClerkCreated, ClerkPersonalData, UnitContact, UnitRegistered
from shared.contracts.applications import (
    ApplicationSubmitted,
    Material,
    ScoreLine,
    SubmittedEmployment,
    SubmittedFamily,
    SubmittedForm,
    SubmittedInvestment,
    SubmittedPersonalInfo,
    SubmittedResume,
    SubmittedResumeEntry,
)
from shared.kernel.application_status import ApplicationKind
from shared.kernel.id_number import mask_id_number
from shared.kernel.roles import Duty, Role
from shared.platform.integration import Sealing
from shared.platform.kit import keyring_of
from shared.platform.settings import Settings
from tests.support.identities import credit_code, id_number
from tests.support.world import token_issuer

if TYPE_CHECKING:
    from deploy.testing import Infra

PUDONG = "310115"
XUHUI = "310104"


def sealing(infra: Infra) -> Sealing:
    return Sealing(keyring_of(Settings.from_env("review", infra.env)))


MATERIALS = (
    Material(code="stamped_form", name_zh="盖章的申请表", name_en="The stamped application form"),
    Material(code="applicant_id", name_zh="申请人身份证", name_en="The applicant's ID card"),
    Material(code="labour_contract", name_zh="劳动合同", name_en="The labour contract"),
    Material(code="degree_certificate", name_zh="学位证书", name_en="The degree certificate"),
)
DECLARED = (
    ScoreLine(indicator="age", points=30, cap=30, counted=True, rule_id="age-2018"),
    ScoreLine(indicator="education", points=100, cap=110, counted=True, rule_id="education-2018"),
    ScoreLine(indicator="insurance_years", points=9, cap=None, counted=True, rule_id="insurance-2018"),
)


def form(applicant_id_number: str) -> SubmittedForm:
    return SubmittedForm(
        pledges=[],
        personal_info=SubmittedPersonalInfo(
            name="王小明",
            ethnicity="汉族",
            marital_status="MARRIED",
            id_number=applicant_id_number,
            hukou_address="江苏省南京市玄武区",
            hukou_address_differs_from_id_card=False,
            shanghai_address="上海市浦东新区世纪大道100号",
            mobile="13800138000",
            residence_permit_valid_from=date(2025, 1, 1),
            residence_permit_valid_until=date(2026, 12, 31),
            highest_education="MASTER",
            employment=SubmittedEmployment(post="工程师", contract_start=date(2023, 1, 1), contract_end=None),
        ),
        resume=SubmittedResume(
            entries=[
                SubmittedResumeEntry(
                    kind="WORK",
                    start_month=date(2023, 1, 1),
                    end_month=None,
                    organisation="上海某科技有限公司",
                )
            ]
        ),
        family=SubmittedFamily(),
        investment=SubmittedInvestment(has_investment=False),
        scoring_claims={},
        deductions={},
    )


def submitted(
    infra: Infra,
    *,
    application_id: str | None = None,
    number: str | None = None,
    district: str = PUDONG,
    unit_code: str | None = None,
    applicant_id_number: str | None = None,
    submission: int = 1,
    at: datetime | None = None,
    kind: ApplicationKind = ApplicationKind.NEW,
) -> ApplicationSubmitted:
    """A submission as the applications service publishes it (the form sealed for its message)."""
    application_id = application_id or str(uuid.uuid4())
    person = applicant_id_number or id_number(date(1990, 5, 17), 123)
    sealed = sealing(infra).seal(form(person), payload=ApplicationSubmitted, subject=application_id)
    return ApplicationSubmitted(
        application_id=application_id,
        application_number=number or f"JF{uuid.uuid4().int % 10**13:013d}",
        kind=kind,
        applicant_id=str(uuid.uuid4()),
        applicant_id_masked=mask_id_number(person),
        unit_id=str(uuid.uuid4()),
        unit_credit_code=unit_code or credit_code(1, district),
        unit_name="上海测试科技有限公司",
        district=district,
        submission=submission,
        submitted_at=at or datetime.now(UTC),
        submitted_by="unit-account",
        declared_total=sum(line.points for line in DECLARED),
        pass_mark=120,
        declared_lines=list(DECLARED),
        materials=list(MATERIALS),
        form=sealed,
    )


def unit_registered(
    infra: Infra, *, code: str, district: str = PUDONG, name: str = "上海注册测试有限公司", unit_id: str = ""
) -> UnitRegistered:
    unit_id = unit_id or str(uuid.uuid4())
    contact = UnitContact(
        hr_name="李人事", mobile="13900139000", email="hr@example.cn", address="上海市浦东新区"
    )
    return UnitRegistered(
        unit_id=unit_id,
        credit_code=code,
        unit_name=name,
        district=district,
        registered_at=datetime.now(UTC),
        contact=sealing(infra).seal(contact, payload=UnitRegistered, subject=unit_id),
    )


def clerk_created(
    infra: Infra, *, clerk_id: str, username: str, name: str, district: str, duties: list[Duty]
) -> ClerkCreated:
    return ClerkCreated(
        clerk_id=clerk_id,
        username=username,
        district=district,
        duties=duties,
        personal=sealing(infra).seal(ClerkPersonalData(name=name), payload=ClerkCreated, subject=clerk_id),
        created_at=datetime.now(UTC),
    )


def clerk_headers(infra: Infra, clerk_id: str, district: str, *duties: Duty) -> dict[str, str]:
    token = token_issuer(infra).issue(account_id=clerk_id, role=Role.CLERK, district=district, duties=duties)
    return {"Authorization": f"Bearer {token.token}"}


def clerk_cookie(infra: Infra, clerk_id: str, district: str, *duties: Duty) -> str:
    return (
        token_issuer(infra)
        .issue(account_id=clerk_id, role=Role.CLERK, district=district, duties=duties)
        .token
    )


def as_json(payload: Any) -> dict[str, Any]:
    return dict(payload.model_dump(mode="json"))
