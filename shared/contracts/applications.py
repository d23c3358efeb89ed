"""Published language of the applications service.

* ``jifen.applications.status.v1`` (public, kept for ever): ``ApplicationStatusChanged``, one per
  status transition, personal data masked: the audit trail downstream systems subscribe to.
* ``jifen.applications.events.v1`` (internal): what review and documents need, the full snapshot
  at submission (the form itself sealed, ``shared.platform.sealing``, context
  ``"ApplicationSubmitted:<subject>"``) and the verified result at approval.

Statuses, kinds and roles are the kernel's vocabulary (``shared.kernel``): the wire names are the
enum values, the same in tokens, events and domains.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import STATUS_TOPIC, events_topic
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role


class Actor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    id: str = Field(min_length=1, description="account id (never an ID-card number)")


@published(source="applications", topic=STATUS_TOPIC)
class ApplicationStatusChanged(BaseModel):
    """One status transition of a points application: the public audit trail.

    Personal data is masked: the applicant appears only by account id and masked ID number.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: str
    application_number: str = Field(description="流水号")
    kind: ApplicationKind = Field(description="新办 / 续办")
    previous_status: ApplicationStatus | None
    new_status: ApplicationStatus
    actor: Actor
    reason: str | None = None
    changed_at: AwareDatetime
    applicant_id_masked: str = Field(description="e.g. 310101********123X")
    unit_id: str
    unit_credit_code: str = Field(description="the unit's unified social credit code")
    district: str = Field(pattern=r"^\d{6}$", description="district of the unit's registration (GB/T 2260)")
    verified_score: int | None = Field(default=None, description="the verified score, on APPROVED")


APPLICATIONS_TOPIC = events_topic("applications")

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class ScoreLine(BaseModel):
    """One indicator of a points result (the rules' indicator code; names come from the rules)."""

    model_config = _FROZEN

    indicator: str
    points: int
    cap: int | None
    counted: bool = Field(description="false when superseded by an either-or choice or a 120 route")
    rule_id: str | None = Field(description="the dated rule row applied")


class Material(BaseModel):
    """One item to bring to the window (the checklist derived from the claims)."""

    model_config = _FROZEN

    code: str
    name_zh: str
    name_en: str


class ApplicationFacts(BaseModel):
    """Which application, whose, and at which unit and district."""

    model_config = _FROZEN

    application_id: str
    application_number: str = Field(description="流水号")
    kind: ApplicationKind
    applicant_id: str
    applicant_id_masked: str
    unit_id: str
    unit_credit_code: str
    unit_name: str
    district: str = Field(pattern=r"^\d{6}$")


# ------------------------------------------------------------------- the sealed form (its content)
# What ``ApplicationSubmitted.form`` holds once opened: the sections as the applications domain
# records them (dates ISO, enums by value, amounts as strings). Consumers ignore fields they do not
# know (``extra="allow"``), so the form may grow without a new version of the event.

_OPEN = ConfigDict(frozen=True, extra="allow")


class SubmittedPledge(BaseModel):
    model_config = _OPEN

    party: Role
    accepted_by: str
    text_version: str
    accepted_at: AwareDatetime


class SubmittedEmployment(BaseModel):
    model_config = _OPEN

    post: str
    contract_start: date
    contract_end: date | None = Field(description="none: a contract without a fixed term")


class SubmittedPersonalInfo(BaseModel):
    """个人基本信息."""

    model_config = _OPEN

    name: str
    former_name: str = ""
    sex: str | None = None
    ethnicity: str
    political_status: str = ""
    marital_status: str = Field(description="UNMARRIED, MARRIED, DIVORCED, WIDOWED")
    id_number: str
    hukou_address: str = Field(description="as in the household register (户口本)")
    hukou_address_differs_from_id_card: bool
    shanghai_address: str
    mobile: str
    landline: str = ""
    residence_permit_valid_from: date
    residence_permit_valid_until: date
    highest_education: str = Field(description="文化程度, e.g. BACHELOR")
    employment: SubmittedEmployment


class SubmittedResumeEntry(BaseModel):
    model_config = _OPEN

    kind: str = Field(description="SCHOOL, WORK or UNEMPLOYED (待业)")
    start_month: date
    end_month: date | None = Field(description="none: 至今")
    organisation: str = ""
    post: str = ""
    region: str = ""


class SubmittedResume(BaseModel):
    """个人简历: at most 8 entries online; with more, the signed and stamped A4 sheet lists them all."""

    model_config = _OPEN

    entries: list[SubmittedResumeEntry]
    full_history_sheet_confirmed: bool = False


class SubmittedSpouse(BaseModel):
    model_config = _OPEN

    name: str
    id_number: str
    hukou_address: str
    has_shanghai_hukou: bool
    married_on: date


class SubmittedChild(BaseModel):
    model_config = _OPEN

    name: str
    id_number: str
    hukou_address: str
    enjoys_points_benefits: bool


class SubmittedFamily(BaseModel):
    """家庭情况."""

    model_config = _OPEN

    spouse: SubmittedSpouse | None = None
    children: list[SubmittedChild] = Field(default_factory=list)


class SubmittedInvestmentYear(BaseModel):
    model_config = _OPEN

    year: int
    tax_paid_yuan: int
    shanghai_hukou_staff: int


class SubmittedInvestment(BaseModel):
    """投资与创业."""

    model_config = _OPEN

    has_investment: bool
    enterprise_name: str = ""
    share_percent: Decimal | None = None
    years: list[SubmittedInvestmentYear] = Field(default_factory=list)


class SubmittedForm(BaseModel):
    """The sealed content of ``ApplicationSubmitted.form``: the whole form as the unit submitted it.

    ``scoring_claims`` and ``deductions`` are the points rules' own records (``ScoringClaims`` and
    ``DeductionClaims`` of the points engine, which reads them back); the declared result is in the
    event's ``declared_lines``.
    """

    model_config = _OPEN

    pledges: list[SubmittedPledge]
    personal_info: SubmittedPersonalInfo
    resume: SubmittedResume
    family: SubmittedFamily
    investment: SubmittedInvestment
    scoring_claims: dict[str, Any]
    deductions: dict[str, Any]


@published(source="applications", topic=APPLICATIONS_TOPIC)
class ApplicationSubmitted(ApplicationFacts):
    """单位审核通过: the unit submitted the application to the talent centre; it is locked online.

    Carries the whole form as submitted (sealed ``form``: the sections as the applications domain
    records them, plus both pledges), the declared score line by line and the materials checklist.
    ``submission`` counts: 1 for the first, higher after a return for correction or a withdrawal.
    """

    submission: int = Field(ge=1)
    submitted_at: AwareDatetime
    submitted_by: str = Field(description="the unit account that submitted it")
    declared_total: int = Field(ge=0)
    pass_mark: int
    declared_lines: list[ScoreLine]
    materials: list[Material]
    form: str = Field(description="sealed SubmittedForm: the form's sections and pledges")


@published(source="applications", topic=APPLICATIONS_TOPIC)
class ApplicationApproved(ApplicationFacts):
    """审批通过: the verified result, from which the points notice (积分通知书) is rendered."""

    approved_at: AwareDatetime
    approved_by: str = Field(description="the approving clerk")
    verified_total: int = Field(ge=0)
    pass_mark: int
    verified_lines: list[ScoreLine]
