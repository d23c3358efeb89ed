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

from eventsourcing.domain import Aggregate, event

from shared.kernel.credit_code import NATIONAL_DIVISION, CreditCode, validate_credit_code
from shared.kernel.districts import validate_district_code
from shared.kernel.errors import FieldError, StateConflict, ValidationFailed
from shared.kernel.text import LabelledEnum, Text

NAMESPACE_UNIT_REGISTRATION = uuid.UUID("6f1f4a52-2c55-4d0b-9a4b-4f1c0b7f2a10")
UNIT_NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500


class UnitRegistrationStatus(LabelledEnum):
    PENDING_REVIEW = "PENDING_REVIEW", Text("待审核", "Pending review")
    APPROVED = "APPROVED", Text("审核通过", "Approved")
    REJECTED = "REJECTED", Text("审核不通过", "Rejected")


class AlreadyDecided(StateConflict):
    """The registration was approved or rejected already; a decision is taken once."""

    code = "unit_registration.not_pending_review"


def _problem(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"unit_registration.{code}", Text(zh, en))


def _text_problems(value: str, field: str, max_length: int, zh_name: str, en_name: str) -> list[FieldError]:
    text = value.strip()
    if not text:
        return [_problem(field, f"{field}_required", f"请填写{zh_name}。", f"Enter the {en_name}.")]
    if len(text) > max_length:
        return [
            _problem(
                field,
                f"{field}_too_long",
                f"{zh_name}最多{max_length}个字符。",
                f"The {en_name} must have at most {max_length} characters.",
            )
        ]
    return []


def _shanghai_code_problems(raw: str) -> tuple[CreditCode | None, list[FieldError]]:
    result = validate_credit_code(raw)
    code = result.value
    # A unit must be registered in Shanghai (division 31xxxx). National-level registrations
    # (division 100000, e.g. universities run by ministries) are located anywhere and are allowed.
    if code is None or code.division_code.startswith("31") or code.division_code == NATIONAL_DIVISION:
        return code, list(result.errors)
    return None, [
        _problem(
            "credit_code",
            "not_registered_in_shanghai",
            "该统一社会信用代码的登记机关不在上海，外省市单位（含其驻沪机构）不能注册。",
            "This credit code was issued outside Shanghai; units registered in other provinces "
            "(and their offices in Shanghai) cannot register.",
        )
    ]


def _clerk_problems(clerk_id: str) -> list[FieldError]:
    return _text_problems(clerk_id, "clerk_id", 64, "审核人员", "clerk id")


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
        """Validate and start a registration. Raises :class:`ValidationFailed` (every field problem)."""
        code, problems = _shanghai_code_problems(credit_code)
        problems += _text_problems(unit_name, "unit_name", UNIT_NAME_MAX_LENGTH, "单位名称", "unit name")
        problems += validate_district_code(district_code)
        if problems or code is None:
            raise ValidationFailed(problems)
        return cls(credit_code=code.value, unit_name=unit_name.strip(), district_code=district_code.strip())

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
            raise AlreadyDecided(
                Text(
                    f"该单位注册已{self.status.label.zh}，不能再次审核。",
                    f"This unit registration is already decided ({self.status.label.en}) and cannot "
                    "be decided again.",
                )
            )

    def approve(self, *, clerk_id: str, decided_at: datetime) -> None:
        """Raises :class:`AlreadyDecided` or :class:`ValidationFailed`."""
        self._require_pending()
        problems = _clerk_problems(clerk_id)
        if problems:
            raise ValidationFailed(problems)
        self._approve(clerk_id=clerk_id.strip(), decided_at=decided_at)

    def reject(self, *, clerk_id: str, decided_at: datetime, reason: str) -> None:
        """Raises :class:`AlreadyDecided` or :class:`ValidationFailed` (every field problem)."""
        self._require_pending()
        problems = _clerk_problems(clerk_id) + _text_problems(
            reason, "reason", REASON_MAX_LENGTH, "不通过原因", "reason for rejection"
        )
        if problems:
            raise ValidationFailed(problems)
        self._reject(clerk_id=clerk_id.strip(), decided_at=decided_at, reason=reason.strip())

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
