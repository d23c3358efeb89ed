"""Unit registration (单位注册) and its review by the district talent centre.

States: ``PENDING_REVIEW`` -> ``APPROVED`` | ``REJECTED`` (domain brief §4, "Engineering
implications"). The clerk's decision is made in the review service and applied here; each
decision records the clerk id, the decision time and, for a rejection, the reason.

Stored event classes carry explicit ``TOPIC`` strings so that moving or renaming this module
does not orphan stored events.

The aggregate id is derived from the credit code (uuid5), so a unit can hold only one
registration stream and a duplicate submission collides in the event store.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from services.accounts.domain.credit_code import CreditCode, parse_credit_code
from services.accounts.domain.districts import validate_district_code
from services.accounts.domain.errors import FieldError, ValidationFailed

NAMESPACE_UNIT_REGISTRATION = uuid.UUID("6f1f4a52-2c55-4d0b-9a4b-4f1c0b7f2a10")
UNIT_NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500


class UnitRegistrationStatus(StrEnum):
    PENDING_REVIEW = "PENDING_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"

    @property
    def label_zh(self) -> str:
        return {"PENDING_REVIEW": "待审核", "APPROVED": "审核通过", "REJECTED": "审核不通过"}[self.value]

    @property
    def label_en(self) -> str:
        return {"PENDING_REVIEW": "Pending review", "APPROVED": "Approved", "REJECTED": "Rejected"}[
            self.value
        ]


def _fail(field: str, code: str, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed((FieldError(field, f"unit_registration.{code}", zh, en),))


def _required_text(value: str, field: str, max_length: int, zh_name: str, en_name: str) -> str:
    text = value.strip()
    if not text:
        raise _fail(field, f"{field}_required", f"请填写{zh_name}。", f"Enter the {en_name}.")
    if len(text) > max_length:
        raise _fail(
            field,
            f"{field}_too_long",
            f"{zh_name}最多{max_length}个字符。",
            f"The {en_name} must have at most {max_length} characters.",
        )
    return text


def _shanghai_unit_code(raw: str) -> CreditCode:
    code = parse_credit_code(raw)
    # A unit must be registered in Shanghai (division 31xxxx). National-level registrations
    # (division 100000, e.g. universities run by ministries) are located anywhere and are allowed.
    if not (code.division_code.startswith("31") or code.division_code == "100000"):
        raise _fail(
            "credit_code",
            "not_registered_in_shanghai",
            "该统一社会信用代码的登记机关不在上海，外省市单位（含其驻沪机构）不能注册。",
            "This credit code was issued outside Shanghai; units registered in other provinces "
            "(and their offices in Shanghai) cannot register.",
        )
    return code


class UnitRegistration(Aggregate):
    TOPIC = "jifen.accounts.UnitRegistration"

    class Event(Aggregate.Event):
        """Base class of this aggregate's events (no topic of its own: never stored as such)."""

    class Created(Event, Aggregate.Created):
        """Required by eventsourcing when explicit topics are used; :class:`Submitted` is the one used."""

        TOPIC = "jifen.accounts.UnitRegistration.Created"

    class Submitted(Created):
        TOPIC = "jifen.accounts.UnitRegistration.Submitted"
        credit_code: str
        unit_name: str
        district_code: str

    class Approved(Event):
        TOPIC = "jifen.accounts.UnitRegistration.Approved"
        clerk_id: str
        decided_at: datetime

    class Rejected(Event):
        TOPIC = "jifen.accounts.UnitRegistration.Rejected"
        clerk_id: str
        decided_at: datetime
        reason: str

    @staticmethod
    def create_id(credit_code: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE_UNIT_REGISTRATION, credit_code)

    @classmethod
    def submit(cls, *, credit_code: str, unit_name: str, district_code: str) -> UnitRegistration:
        """Validate and start a registration. Raises :class:`ValidationFailed`."""
        code = _shanghai_unit_code(credit_code)
        name = _required_text(unit_name, "unit_name", UNIT_NAME_MAX_LENGTH, "单位名称", "unit name")
        district_errors = validate_district_code(district_code)
        if district_errors:
            raise ValidationFailed(district_errors)
        return cls(credit_code=code.value, unit_name=name, district_code=district_code.strip())

    @event(Submitted)
    def __init__(self, *, credit_code: str, unit_name: str, district_code: str) -> None:
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.district_code = district_code
        self.status = UnitRegistrationStatus.PENDING_REVIEW
        self.decided_by: str | None = None
        self.decided_at: datetime | None = None
        self.rejection_reason: str | None = None

    def _require_pending(self) -> None:
        if self.status is not UnitRegistrationStatus.PENDING_REVIEW:
            raise _fail(
                "status",
                "not_pending_review",
                f"该单位注册已{self.status.label_zh}，不能再次审核。",
                f"This unit registration is already {self.status.label_en.lower()} and cannot be "
                "decided again.",
            )

    @staticmethod
    def _require_clerk(clerk_id: str) -> str:
        return _required_text(clerk_id, "clerk_id", 64, "审核人员", "clerk id")

    def approve(self, *, clerk_id: str, decided_at: datetime) -> None:
        self._require_pending()
        self._approve(clerk_id=self._require_clerk(clerk_id), decided_at=decided_at)

    def reject(self, *, clerk_id: str, decided_at: datetime, reason: str) -> None:
        self._require_pending()
        clerk = self._require_clerk(clerk_id)
        text = _required_text(reason, "reason", REASON_MAX_LENGTH, "不通过原因", "reason for rejection")
        self._reject(clerk_id=clerk, decided_at=decided_at, reason=text)

    @property
    def is_approved(self) -> bool:
        """The unit-approval gate: no applicant action is allowed until this is true."""
        return self.status is UnitRegistrationStatus.APPROVED

    @event(Approved)
    def _approve(self, clerk_id: str, decided_at: datetime) -> None:
        self.status = UnitRegistrationStatus.APPROVED
        self.decided_by = clerk_id
        self.decided_at = decided_at

    @event(Rejected)
    def _reject(self, clerk_id: str, decided_at: datetime, reason: str) -> None:
        self.status = UnitRegistrationStatus.REJECTED
        self.decided_by = clerk_id
        self.decided_at = decided_at
        self.rejection_reason = reason
