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
from collections.abc import Mapping
from datetime import datetime

from eventsourcing.domain import Aggregate, event

from services.accounts.domain.fields import Contact, text_problems, validate_contact
from shared.kernel.credit_code import NATIONAL_DIVISION, CreditCode, validate_credit_code
from shared.kernel.districts import validate_district_code
from shared.kernel.errors import FieldError, NotPermitted, StateConflict, ValidationFailed
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.text import LabelledEnum, Text

NAMESPACE_UNIT_REGISTRATION = uuid.UUID("6f1f4a52-2c55-4d0b-9a4b-4f1c0b7f2a10")
UNIT_NAME_MAX_LENGTH = 100


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
    return text_problems(value, field, max_length, zh_name, en_name, prefix="unit_registration")


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


def _details_problems(unit_name: str, contact: Mapping[str, str]) -> tuple[Contact | None, list[FieldError]]:
    problems = _text_problems(unit_name, "unit_name", UNIT_NAME_MAX_LENGTH, "单位名称", "unit name")
    found, contact_problems = validate_contact(**contact)
    return found, problems + contact_problems


class WrongDistrict(NotPermitted):
    """A decision taken by a talent centre of another district than the unit's (refused)."""

    code = "unit_registration.wrong_district"


class UnitRegistration(Aggregate):
    """A unit's account (单位账号): its registration, the review decision and its details.

    The HR contact and address are personal data: they stay in this service's own store and travel
    only sealed. The unit's password lives in its ``Credentials``.
    """

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
        hr_name: str
        mobile: str
        email: str
        address: str
        registered_at: datetime

    class Resubmitted(Event):
        TOPIC = "jifen.accounts.UnitRegistration.Resubmitted"
        credit_code: str
        unit_name: str
        district_code: str
        hr_name: str
        mobile: str
        email: str
        address: str
        resubmitted_at: datetime

    class Approved(Event):
        TOPIC = "jifen.accounts.UnitRegistration.Approved"
        credit_code: str
        unit_name: str
        district_code: str
        clerk_id: str
        decided_at: datetime

    class Rejected(Event):
        TOPIC = "jifen.accounts.UnitRegistration.Rejected"
        credit_code: str
        unit_name: str
        district_code: str
        clerk_id: str
        decided_at: datetime
        reason: str

    class DetailsChanged(Event):
        TOPIC = "jifen.accounts.UnitRegistration.DetailsChanged"
        credit_code: str
        unit_name: str
        district_code: str
        hr_name: str
        mobile: str
        email: str
        address: str
        changed_at: datetime

    @staticmethod
    def create_id(credit_code: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE_UNIT_REGISTRATION, credit_code)

    @classmethod
    def submit(
        cls,
        *,
        credit_code: str,
        unit_name: str,
        district_code: str,
        hr_name: str,
        mobile: str,
        email: str,
        address: str,
        at: datetime,
    ) -> UnitRegistration:
        """Validate and start a registration. Raises :class:`ValidationFailed` (every field problem)."""
        code, problems = _shanghai_code_problems(credit_code)
        contact, details = _details_problems(
            unit_name, {"hr_name": hr_name, "mobile": mobile, "email": email, "address": address}
        )
        problems += list(validate_district_code(district_code)) + details
        if problems or code is None or contact is None:
            raise ValidationFailed(_ordered(problems))
        return cls(
            credit_code=code.value,
            unit_name=unit_name.strip(),
            district_code=district_code.strip(),
            hr_name=contact.hr_name,
            mobile=contact.mobile,
            email=contact.email,
            address=contact.address,
            registered_at=at,
        )

    @event(Submitted)
    def __init__(
        self,
        *,
        credit_code: str,
        unit_name: str,
        district_code: str,
        hr_name: str,
        mobile: str,
        email: str,
        address: str,
        registered_at: datetime,
    ) -> None:
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.district_code = district_code
        self.contact = Contact(hr_name, mobile, email, address)
        self.registered_at = registered_at
        self.status = UnitRegistrationStatus.PENDING_REVIEW
        self.decided_by: str | None = None
        self.decided_at: datetime | None = None
        self.rejection_reason: str | None = None

    @property
    def facts(self) -> dict[str, str]:
        """What every event of the unit repeats (its published form needs them)."""
        return {
            "credit_code": self.credit_code,
            "unit_name": self.unit_name,
            "district_code": self.district_code,
        }

    def _require_pending(self) -> None:
        if self.status is not UnitRegistrationStatus.PENDING_REVIEW:
            raise AlreadyDecided(
                Text(
                    f"该单位注册已{self.status.label.zh}，不能再次审核。",
                    f"This unit registration is already decided ({self.status.label.en}) and cannot "
                    "be decided again.",
                )
            )

    def _require_district(self, district: str | None) -> None:
        if district is not None and district != self.district_code:
            raise WrongDistrict(
                Text(
                    "单位注册只能由单位注册地的区人才服务中心审核。",
                    "A unit registration is reviewed only by the talent centre of the unit's district.",
                )
            )

    def approve(self, *, clerk_id: str, decided_at: datetime, district: str | None = None) -> None:
        """Raises :class:`AlreadyDecided`, :class:`WrongDistrict` or :class:`ValidationFailed`."""
        self._require_pending()
        self._require_district(district)
        problems = _clerk_problems(clerk_id)
        if problems:
            raise ValidationFailed(problems)
        self._approve(**self.facts, clerk_id=clerk_id.strip(), decided_at=decided_at)

    def reject(
        self, *, clerk_id: str, decided_at: datetime, reason: str, district: str | None = None
    ) -> None:
        """Raises :class:`AlreadyDecided`, :class:`WrongDistrict` or :class:`ValidationFailed`."""
        self._require_pending()
        self._require_district(district)
        problems = _clerk_problems(clerk_id) + _text_problems(
            reason, "reason", REASON_MAX_LENGTH, "不通过原因", "reason for rejection"
        )
        if problems:
            raise ValidationFailed(problems)
        self._reject(**self.facts, clerk_id=clerk_id.strip(), decided_at=decided_at, reason=reason.strip())

    def resubmit(
        self, *, unit_name: str, hr_name: str, mobile: str, email: str, address: str, at: datetime
    ) -> None:
        """A rejected unit corrects its details and asks for review again (code and district stay)."""
        if self.status is not UnitRegistrationStatus.REJECTED:
            raise NotResubmittable(
                Text(
                    f"只有审核不通过的注册才能重新提交（当前：{self.status.label.zh}）。",
                    f"Only a rejected registration can be resubmitted (now: {self.status.label.en}).",
                )
            )
        contact, problems = _details_problems(
            unit_name, {"hr_name": hr_name, "mobile": mobile, "email": email, "address": address}
        )
        if problems or contact is None:
            raise ValidationFailed(problems)
        self._resubmitted(
            credit_code=self.credit_code,
            unit_name=unit_name.strip(),
            district_code=self.district_code,
            hr_name=contact.hr_name,
            mobile=contact.mobile,
            email=contact.email,
            address=contact.address,
            resubmitted_at=at,
        )

    def change_details(self, *, hr_name: str, mobile: str, email: str, address: str, at: datetime) -> None:
        """The HR contact or address changes (the unit's name, code and district do not)."""
        contact, problems = validate_contact(hr_name=hr_name, mobile=mobile, email=email, address=address)
        if problems or contact is None:
            raise ValidationFailed(problems)
        if contact == self.contact:
            return
        self._details_changed(
            **self.facts,
            hr_name=contact.hr_name,
            mobile=contact.mobile,
            email=contact.email,
            address=contact.address,
            changed_at=at,
        )

    @property
    def is_approved(self) -> bool:
        """The unit-approval gate: no applicant action is allowed until this is true."""
        return self.status is UnitRegistrationStatus.APPROVED

    @event(Approved)
    def _approve(
        self, credit_code: str, unit_name: str, district_code: str, clerk_id: str, decided_at: datetime
    ) -> None:
        self.status = UnitRegistrationStatus.APPROVED
        self.decided_by = clerk_id
        self.decided_at = decided_at
        self.rejection_reason = None

    @event(Rejected)
    def _reject(
        self,
        credit_code: str,
        unit_name: str,
        district_code: str,
        clerk_id: str,
        decided_at: datetime,
        reason: str,
    ) -> None:
        self.status = UnitRegistrationStatus.REJECTED
        self.decided_by = clerk_id
        self.decided_at = decided_at
        self.rejection_reason = reason

    @event(Resubmitted)
    def _resubmitted(
        self,
        credit_code: str,
        unit_name: str,
        district_code: str,
        hr_name: str,
        mobile: str,
        email: str,
        address: str,
        resubmitted_at: datetime,
    ) -> None:
        self.unit_name = unit_name
        self.contact = Contact(hr_name, mobile, email, address)
        self.status = UnitRegistrationStatus.PENDING_REVIEW
        self.decided_by = None
        self.decided_at = None

    @event(DetailsChanged)
    def _details_changed(
        self,
        credit_code: str,
        unit_name: str,
        district_code: str,
        hr_name: str,
        mobile: str,
        email: str,
        address: str,
        changed_at: datetime,
    ) -> None:
        self.contact = Contact(hr_name, mobile, email, address)


class NotResubmittable(StateConflict):
    code = "unit_registration.not_rejected"


_FIELD_ORDER = ("credit_code", "unit_name", "district", "address", "hr_name", "mobile", "email")


def _ordered(problems: list[FieldError]) -> list[FieldError]:
    """Problems in the order the form asks (the error summary follows the page)."""
    return sorted(problems, key=lambda p: _FIELD_ORDER.index(p.field) if p.field in _FIELD_ORDER else 99)
