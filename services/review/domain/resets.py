"""The password desk (密码重置, domain §4): a reset request verified at the window.

There is no self-service reset: the account's owner comes to a talent centre with the materials,
a clerk with the password-reset duty records the request and ticks them, and a complete request is
published as an authorisation; accounts then sends a single-use code to the account's registered
e-mail. No code or password ever passes through review.

* A **unit** account is reset only at the talent centre of the unit's registered district.
* A **personal** account at any district's centre; the HR specialist may act for the applicant,
  bringing their own ID as well.

A request may be recorded with materials still missing (it waits in the desk's queue) and completed
later; it is authorised once, when the last required item is ticked. The person's ID number is kept
only sealed (for the authorisation), masked, and as a keyed fingerprint (to find the request).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Literal

from eventsourcing.domain import Aggregate, event

from services.review.domain.clerk_rules import Clerk, enforce, may_reset_password
from services.review.domain.materials import Material, check_received, missing
from shared.kernel.errors import StateConflict, ValidationFailed
from shared.kernel.roles import Role
from shared.kernel.text import LabelledEnum, Text

AccountKind = Literal["unit", "applicant"]
ActingFor = Literal["self", "unit_hr"]

_FORM = "reset_request_form"
_HR_ID = "hr_id"

UNIT_RESET_MATERIALS: tuple[Material, ...] = (
    Material(
        "business_licence",
        Text(
            "营业执照（或同等证书）原件及复印件",
            "Business licence (or equivalent certificate), original and copy",
        ),
    ),
    Material(
        "credit_code_certificate",
        Text(
            "组织机构代码证或统一社会信用代码证书原件及复印件，代码磁卡",
            "Organisation-code or unified social credit code certificate (original and copy), and the "
            "code card",
        ),
    ),
    Material(
        _FORM,
        Text(
            "《密码重置办理申请》（加盖单位公章）", "Password-reset request form, stamped with the unit seal"
        ),
    ),
    Material(_HR_ID, Text("人事专员身份证原件及复印件", "The HR specialist's ID, original and copy")),
)
"""Domain brief §4 (sources: wfek.com/qa/1970, 92luohu.com 33882)."""

PERSONAL_RESET_MATERIALS: tuple[Material, ...] = (
    Material("personal_id", Text("本人身份证原件及复印件", "The applicant's ID, original and copy")),
    Material(_FORM, Text("《密码重置办理申请》", "Password-reset request form")),
)
HR_ACTING_MATERIAL = Material(
    _HR_ID, Text("代办人事专员身份证原件及复印件", "The acting HR specialist's ID, original and copy")
)


def reset_materials(kind: AccountKind, acting_for: ActingFor | None) -> tuple[Material, ...]:
    """The checklist for a request: a unit's, or a person's (plus the HR specialist's ID when acting)."""
    if kind == "unit":
        return UNIT_RESET_MATERIALS
    if acting_for == "unit_hr":
        return (*PERSONAL_RESET_MATERIALS, HR_ACTING_MATERIAL)
    return PERSONAL_RESET_MATERIALS


class ResetState(LabelledEnum):
    AWAITING_MATERIALS = "awaiting_materials", Text("材料不齐", "Materials incomplete")
    AUTHORISED = "authorised", Text("已核准，待发送重置码", "Authorised; reset code to be sent")
    ISSUED = "issued", Text("重置码已发送", "Reset code sent")
    COMPLETED = "completed", Text("已重置", "Password reset")


class PasswordResetRequest(Aggregate):
    """One request at the window (its id is the request id accounts ties the reset to)."""

    TOPIC = "review.PasswordResetRequest"

    class Event(Aggregate.Event):
        TOPIC = "review.PasswordResetRequest.Event"

    class Created(Aggregate.Created):
        TOPIC = "review.PasswordResetRequest.Created"

    class Recorded(Aggregate.Created):
        TOPIC = "review.PasswordResetRequest.Recorded"
        account_kind: str
        unit_credit_code: str | None
        unit_name: str | None
        applicant: str | None
        applicant_masked: str | None
        id_fingerprint: str | None
        acting_for: str | None
        clerk_id: str
        district: str
        recorded_at: datetime

    class MaterialsTicked(Aggregate.Event):
        TOPIC = "review.PasswordResetRequest.MaterialsTicked"
        materials: list[str]
        clerk_id: str
        at: datetime

    class Authorised(Aggregate.Event):
        TOPIC = "review.PasswordResetRequest.Authorised"
        account_kind: str
        unit_credit_code: str | None
        applicant: str | None
        acting_for: str | None
        clerk_id: str
        district: str
        decided_at: datetime
        materials_checked: list[str]

    class Issued(Aggregate.Event):
        TOPIC = "review.PasswordResetRequest.Issued"
        at: datetime

    class Completed(Aggregate.Event):
        TOPIC = "review.PasswordResetRequest.Completed"
        at: datetime

    @classmethod
    def record(
        cls,
        request_id: Any,
        clerk: Clerk,
        *,
        at: datetime,
        kind: AccountKind,
        unit: tuple[str, str, str] | None = None,
        applicant: tuple[str, str, str] | None = None,
        acting_for: ActingFor | None = None,
    ) -> PasswordResetRequest:
        """A request for a unit (``unit`` = credit code, name, registered district) or a person
        (``applicant`` = sealed ``{id_number}``, masked number, fingerprint)."""
        if kind == "unit":
            if unit is None:
                raise ValueError("a unit request names the unit")
            enforce(may_reset_password(clerk, account_role=Role.UNIT, unit_district_code=unit[2]))
        else:
            if applicant is None:
                raise ValueError("a personal request names the applicant")
            enforce(may_reset_password(clerk, account_role=Role.APPLICANT))
        return cls._create(
            cls.Recorded,
            id=request_id,
            account_kind=kind,
            unit_credit_code=unit[0] if unit else None,
            unit_name=unit[1] if unit else None,
            applicant=applicant[0] if applicant else None,
            applicant_masked=applicant[1] if applicant else None,
            id_fingerprint=applicant[2] if applicant else None,
            acting_for=None if kind == "unit" else (acting_for or "self"),
            clerk_id=clerk.clerk_id,
            district=clerk.district_code,
            recorded_at=at,
        )

    @event(Recorded)
    def __init__(
        self,
        account_kind: str,
        unit_credit_code: str | None,
        unit_name: str | None,
        applicant: str | None,
        applicant_masked: str | None,
        id_fingerprint: str | None,
        acting_for: str | None,
        clerk_id: str,
        district: str,
        recorded_at: datetime,
    ) -> None:
        self.account_kind: AccountKind = "unit" if account_kind == "unit" else "applicant"
        self.unit_credit_code = unit_credit_code
        self.unit_name = unit_name
        self.applicant = applicant
        self.applicant_masked = applicant_masked
        self.acting_for: ActingFor | None = (
            None if acting_for is None else ("unit_hr" if acting_for == "unit_hr" else "self")
        )
        self.district = district
        self.recorded_by = clerk_id
        self.recorded_at = recorded_at
        self.ticked: tuple[str, ...] = ()
        self.state = ResetState.AWAITING_MATERIALS
        self.authorised_by: str | None = None

    @property
    def checklist(self) -> tuple[Material, ...]:
        return reset_materials(self.account_kind, self.acting_for)

    @property
    def missing(self) -> list[Material]:
        return missing(self.checklist, self.ticked)

    def tick(self, clerk: Clerk, materials: Collection[str], at: datetime) -> bool:
        """Record the materials seen at the window (the whole set ticked now); authorise the request
        when it is complete. True when this call authorised it."""
        if self.account_kind == "unit":
            enforce(may_reset_password(clerk, account_role=Role.UNIT, unit_district_code=self.district))
        else:
            enforce(may_reset_password(clerk, account_role=Role.APPLICANT))
        if self.state is not ResetState.AWAITING_MATERIALS:
            raise StateConflict(
                Text(
                    f"该申请已由工作人员 {self.authorised_by} 核准，本次操作未执行。",
                    f"This request was already authorised by clerk {self.authorised_by}; "
                    "nothing was changed.",
                ),
                code="reset.already_authorised",
            )
        if errors := check_received(self.checklist, materials):
            raise ValidationFailed(errors)
        codes = [m.code for m in self.checklist if m.code in materials]
        if tuple(codes) != self.ticked:
            self._ticked(codes, clerk.clerk_id, at)
        if self.missing:
            return False
        self._authorised(
            account_kind=self.account_kind,
            unit_credit_code=self.unit_credit_code,
            applicant=self.applicant,
            acting_for=self.acting_for,
            clerk_id=clerk.clerk_id,
            district=clerk.district_code,
            decided_at=at,
            materials_checked=codes,
        )
        return True

    @event(MaterialsTicked)
    def _ticked(self, materials: list[str], clerk_id: str, at: datetime) -> None:
        self.ticked = tuple(materials)

    @event(Authorised)
    def _authorised(
        self,
        account_kind: str,
        unit_credit_code: str | None,
        applicant: str | None,
        acting_for: str | None,
        clerk_id: str,
        district: str,
        decided_at: datetime,
        materials_checked: list[str],
    ) -> None:
        self.state = ResetState.AUTHORISED
        self.authorised_by = clerk_id
        self.authorised_at = decided_at

    def issued(self, at: datetime) -> None:
        """Accounts sent the reset code."""
        if self.state is ResetState.AUTHORISED:
            self._issued(at)

    @event(Issued)
    def _issued(self, at: datetime) -> None:
        self.state = ResetState.ISSUED

    def completed(self, at: datetime) -> None:
        """The owner set a new password."""
        if self.state in (ResetState.AUTHORISED, ResetState.ISSUED):
            self._completed(at)

    @event(Completed)
    def _completed(self, at: datetime) -> None:
        self.state = ResetState.COMPLETED
