"""Published language of the accounts service (``jifen.accounts.events.v1``).

No secret ever travels here: no password, hash, code or token. Personal data another service needs
(names, full ID numbers, contacts) travels only inside one sealed field per payload
(``shared.platform.sealing``, context ``"<EventType>:<subject>"``), whose content is the model named
in the field's description (``UnitContact``, ``ApplicantPersonalData``, ``ClerkPersonalData``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import events_topic
from shared.kernel.id_number import Sex
from shared.kernel.roles import Duty, Role

ACCOUNTS_TOPIC = events_topic("accounts")

_FROZEN = ConfigDict(frozen=True, extra="forbid")
_DISTRICT = Field(pattern=r"^\d{6}$", description="registered district (GB/T 2260 code, 3101xx)")


# -------------------------------------------------------------------------------- sealed contents


class UnitContact(BaseModel):
    """Sealed: the unit's HR specialist (人事专员) and address."""

    model_config = _FROZEN

    hr_name: str
    mobile: str
    email: str
    address: str


class ApplicantPersonalData(BaseModel):
    """Sealed: who the applicant is and how to reach them."""

    model_config = _FROZEN

    name: str
    id_number: str
    mobile: str
    email: str


class ClerkPersonalData(BaseModel):
    """Sealed: a clerk's name."""

    model_config = _FROZEN

    name: str


# -------------------------------------------------------------------------------- units


class UnitFacts(BaseModel):
    """What identifies a unit everywhere: its id, code, name and district."""

    model_config = _FROZEN

    unit_id: str
    credit_code: str = Field(description="unified social credit code (GB 32100)")
    unit_name: str
    district: str = _DISTRICT


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class UnitRegistered(UnitFacts):
    """单位注册: a unit registered online; it awaits review at the talent centre of its district."""

    registered_at: AwareDatetime
    contact: str = Field(description="sealed UnitContact")


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class UnitResubmitted(UnitFacts):
    """A rejected unit corrected its registration and submitted it again for review."""

    resubmitted_at: AwareDatetime
    contact: str = Field(description="sealed UnitContact")


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class UnitApproved(UnitFacts):
    """The unit passed review (审核通过): it may now create applicants and act on applications."""

    approved_at: AwareDatetime
    clerk_id: str


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class UnitRejected(UnitFacts):
    """The unit did not pass review (审核不通过); the reason is shown to it."""

    rejected_at: AwareDatetime
    clerk_id: str
    reason: str


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class UnitDetailsChanged(UnitFacts):
    """The unit changed its HR contact or address (its code and district never change)."""

    changed_at: AwareDatetime
    contact: str = Field(description="sealed UnitContact")


# -------------------------------------------------------------------------------- applicants


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ApplicantRegistered(BaseModel):
    """An approved unit created the applicant's personal account (帮助申请人注册个人账号)."""

    model_config = _FROZEN

    applicant_id: str
    unit_id: str
    unit_credit_code: str
    id_number_masked: str = Field(description="e.g. 310101********123X")
    birth_date: date = Field(description="from the ID number")
    sex: Sex = Field(description="from the ID number")
    registered_at: AwareDatetime
    personal: str = Field(description="sealed ApplicantPersonalData")


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ApplicantActivated(BaseModel):
    """The applicant set their own password with the activation code: the account is in use."""

    model_config = _FROZEN

    applicant_id: str
    activated_at: AwareDatetime


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ApplicantChangedUnit(BaseModel):
    """修改单位组织机构代码: the applicant now works for another approved unit; from now on the account
    belongs to it (an application not yet submitted moves with the applicant)."""

    model_config = _FROZEN

    applicant_id: str
    previous_unit_id: str
    unit_id: str
    unit_credit_code: str
    changed_at: AwareDatetime


# -------------------------------------------------------------------------------- clerks


class ClerkFacts(BaseModel):
    model_config = _FROZEN

    clerk_id: str
    username: str = Field(description="sign-in name (工号), not secret")
    district: str = _DISTRICT
    duties: list[Duty]
    personal: str = Field(description="sealed ClerkPersonalData")


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ClerkCreated(ClerkFacts):
    """An administrator created a clerk account."""

    created_at: AwareDatetime


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ClerkChanged(ClerkFacts):
    """An administrator changed a clerk's duties (or name)."""

    changed_at: AwareDatetime


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class ClerkDeactivated(BaseModel):
    """An administrator deactivated a clerk: the account can no longer sign in."""

    model_config = _FROZEN

    clerk_id: str
    district: str = _DISTRICT
    deactivated_at: AwareDatetime


# -------------------------------------------------------------------------------- password resets


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class PasswordResetIssued(BaseModel):
    """A single-use reset code was sent to the account's registered e-mail (the code never travels)."""

    model_config = _FROZEN

    account_id: str
    role: Role
    request_id: str = Field(description="the window's request id (PasswordResetAuthorised)")
    issued_at: AwareDatetime
    expires_at: AwareDatetime


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class PasswordResetCompleted(BaseModel):
    """The account's owner set a new password with the reset code."""

    model_config = _FROZEN

    account_id: str
    role: Role
    request_id: str
    completed_at: AwareDatetime


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class SessionsRevoked(BaseModel):
    """Every token of the account issued before ``not_before`` is refused from now on, in every service.

    Published when a password changes (the user's own change or a window reset), when a clerk is
    deactivated, and on "sign out everywhere".
    """

    model_config = _FROZEN

    account_id: str = Field(min_length=1, description="the token's subject")
    role: Role
    not_before: AwareDatetime = Field(description="tokens issued (iat) before this instant are refused")
    reason: Literal["password_changed", "password_reset", "deactivated", "signed_out_everywhere"]
