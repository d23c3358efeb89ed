"""Published language of the review service (``jifen.review.events.v1``): the clerks' decisions.

Every decision names the clerk, the district and the time; the applications service applies the
decisions on applications (it alone writes an application's status), accounts those on unit
registrations and password resets. No code or password ever passes through review.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import events_topic

REVIEW_TOPIC = events_topic("review")

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Decision(BaseModel):
    """Who decided, where and when (every review event has one)."""

    model_config = _FROZEN

    clerk_id: str = Field(min_length=1)
    district: str = Field(pattern=r"^\d{6}$", description="the clerk's district (GB/T 2260 code)")
    decided_at: AwareDatetime


# -------------------------------------------------------------------------------- unit registrations


@published(source="review", topic=REVIEW_TOPIC)
class UnitRegistrationApproved(BaseModel):
    """审核通过: the unit's materials were checked at the talent centre of its district."""

    model_config = _FROZEN

    unit_id: str
    credit_code: str
    decision: Decision
    materials_checked: list[str] = Field(description="codes of the materials ticked at the window")


@published(source="review", topic=REVIEW_TOPIC)
class UnitRegistrationRejected(BaseModel):
    """审核不通过, with the reason shown to the unit (which may correct and resubmit)."""

    model_config = _FROZEN

    unit_id: str
    credit_code: str
    decision: Decision
    reason: str = Field(min_length=1)


# -------------------------------------------------------------------------------- password resets


@published(source="review", topic=REVIEW_TOPIC)
class PasswordResetAuthorised(BaseModel):
    """A complete password-reset request recorded at the window (密码重置): accounts sends a reset code
    to the account's registered e-mail.

    A unit's request is taken only in the unit's district; a person's in any district. The person is
    named by their ID number, which travels sealed (``shared.platform.sealing``; the sealed object is
    ``{"id_number": ...}``).
    """

    model_config = _FROZEN

    request_id: str = Field(description="the desk's request id (ties the later reset to it)")
    account_kind: Literal["unit", "applicant"]
    unit_credit_code: str | None = Field(default=None, description="for a unit account")
    applicant: str | None = Field(default=None, description="sealed {id_number}, for a personal account")
    acting_for_applicant: Literal["self", "unit_hr"] | None = Field(
        default=None, description="a personal request made in person or by the unit's HR specialist"
    )
    decision: Decision
    materials_checked: list[str]


# -------------------------------------------------------------------------------- applications


class CaseDecision(BaseModel):
    """Which application a decision is about, and who took it."""

    model_config = _FROZEN

    application_id: str
    application_number: str
    decision: Decision


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationCaseOpened(CaseDecision):
    """The talent centre opened a case for a submitted application: it now awaits acceptance (等待受理).

    ``decision.clerk_id`` is ``system`` (the case opens when the submission arrives)."""


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationAccepted(CaseDecision):
    """受理通过: the materials are complete; review (审批) follows (等待审批)."""

    materials_received: list[str] = Field(description="codes of the checklist items received")


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationNotAccepted(CaseDecision):
    """不予受理, with the reason."""

    reason: str = Field(min_length=1)


class SectionReason(BaseModel):
    model_config = _FROZEN

    section: str = Field(description="form section code, e.g. personal_info, resume, scoring_claims")
    reason: str = Field(min_length=1)


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationReturnedForCorrection(CaseDecision):
    """退回补正: editable again; the reasons are shown per section to the unit and the applicant."""

    reasons: list[SectionReason] = Field(min_length=1)
    missing_materials: list[str] = Field(default_factory=list, description="checklist codes not received")


class VerifiedLine(BaseModel):
    """One indicator as the approver verified it."""

    model_config = _FROZEN

    indicator: str = Field(description="indicator code of the points rules")
    declared_points: int
    verified_points: int
    counted: bool
    reason: str | None = Field(default=None, description="why the verified points differ from the declared")


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationScoreApproved(CaseDecision):
    """审批通过 with the verified score (积分核定), recomputed by the same rules, line by line.

    The approver is never the clerk who accepted the case (four eyes)."""

    verified_total: int = Field(ge=0)
    pass_mark: int
    lines: list[VerifiedLine]


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationScoreRejected(CaseDecision):
    """审批不通过, with the reason."""

    reason: str = Field(min_length=1)


@published(source="review", topic=REVIEW_TOPIC)
class ApplicationWithdrawalRecorded(CaseDecision):
    """申请撤销 recorded at the window: the application becomes editable again."""

    requested_by: Literal["applicant", "unit"]
    reason: str = Field(min_length=1)
