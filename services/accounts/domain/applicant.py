"""The applicant's personal account (个人账号), created by an approved unit.

One account per ID number, whichever unit created it: the aggregate id is derived from the number.
The applicant activates it with a single-use code sent by e-mail (only the code's digest is kept;
``codes``) and sets their own password (kept in their ``Credentials``). The account belongs to one
unit at a time; the applicant moves it to a new approved unit themselves (修改单位组织机构代码).

The ID number, name and contacts are personal data: they stay in this service's own store, and the
published events carry them only sealed (the masked number and what it tells are public).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from eventsourcing.domain import Aggregate, event

from services.accounts.domain.codes import CodeExpired, code_matches
from services.accounts.domain.fields import NAME_MAX_LENGTH, email_problems, problem, text_problems
from shared.kernel.errors import FieldError, StateConflict, ValidationFailed
from shared.kernel.id_number import ResidentId, mask_id_number, validate_id_number
from shared.kernel.mobile import validate_mobile
from shared.kernel.text import LabelledEnum, Text

NAMESPACE_APPLICANT = uuid.UUID("0c5d3a8e-8f44-4b7e-9d0a-6f2a9e1b7c31")
ACTIVATION_VALIDITY = timedelta(hours=72)


class ApplicantStatus(LabelledEnum):
    AWAITING_ACTIVATION = "AWAITING_ACTIVATION", Text("待激活", "Awaiting activation")
    ACTIVE = "ACTIVE", Text("已激活", "Active")


class AlreadyActivated(StateConflict):
    code = "applicant.already_activated"


class SameUnit(StateConflict):
    code = "applicant.same_unit"


def wrong_code(field: str = "code") -> ValidationFailed:
    return ValidationFailed(
        [
            problem(
                field,
                "code.wrong",
                "激活码不正确，请核对邮件中的激活码。",
                "The activation code is not right; check the code in the e-mail.",
            )
        ]
    )


class Applicant(Aggregate):
    TOPIC = "jifen.accounts.Applicant"

    class Event(Aggregate.Event):
        """Base class of this aggregate's events."""

    class Created(Event, Aggregate.Created):
        TOPIC = "jifen.accounts.Applicant.Created"

    class Registered(Created):
        TOPIC = "jifen.accounts.Applicant.Registered"
        unit_id: str
        unit_credit_code: str
        name: str
        id_number: str
        birth_date: str
        """ISO date (from the ID number)."""
        sex: str
        mobile: str
        email: str
        registered_at: datetime
        activation_request_id: str
        activation_code_digest: str
        activation_expires_at: datetime

    class ActivationReissued(Event):
        """A new activation code (the earlier one no longer works), e.g. after it expired."""

        TOPIC = "jifen.accounts.Applicant.ActivationReissued"
        name: str
        email: str
        activation_request_id: str
        activation_code_digest: str
        activation_expires_at: datetime

    class Activated(Event):
        TOPIC = "jifen.accounts.Applicant.Activated"
        activated_at: datetime

    class ChangedUnit(Event):
        TOPIC = "jifen.accounts.Applicant.ChangedUnit"
        previous_unit_id: str
        unit_id: str
        unit_credit_code: str
        changed_at: datetime

    @staticmethod
    def create_id(id_number: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE_APPLICANT, id_number)

    @staticmethod
    def validate(
        *, name: str, id_number: str, mobile: str, email: str, today: date
    ) -> tuple[ResidentId | None, list[FieldError]]:
        """The parsed ID number, or every problem of the form (in the form's order)."""
        problems = text_problems(name, "name", NAME_MAX_LENGTH, "申请人姓名", "applicant's name")
        resident = validate_id_number(id_number, today=today)
        problems += resident.errors
        problems += validate_mobile(mobile).errors
        problems += email_problems(email)
        return resident.value, problems

    @classmethod
    def register(
        cls,
        *,
        unit_id: str,
        unit_credit_code: str,
        name: str,
        id_number: str,
        mobile: str,
        email: str,
        at: datetime,
        today: date,
        activation_request_id: str,
        activation_code_digest: str,
    ) -> Applicant:
        """Raises :class:`ValidationFailed` with every problem."""
        resident, problems = cls.validate(
            name=name, id_number=id_number, mobile=mobile, email=email, today=today
        )
        phone = validate_mobile(mobile).value
        if problems or resident is None or phone is None:
            raise ValidationFailed(problems)
        return cls(
            unit_id=unit_id,
            unit_credit_code=unit_credit_code,
            name=name.strip(),
            id_number=resident.value,
            birth_date=resident.birth_date.isoformat(),
            sex=resident.sex.value,
            mobile=phone,
            email=email.strip(),
            registered_at=at,
            activation_request_id=activation_request_id,
            activation_code_digest=activation_code_digest,
            activation_expires_at=at + ACTIVATION_VALIDITY,
        )

    @event(Registered)
    def __init__(
        self,
        *,
        unit_id: str,
        unit_credit_code: str,
        name: str,
        id_number: str,
        birth_date: str,
        sex: str,
        mobile: str,
        email: str,
        registered_at: datetime,
        activation_request_id: str,
        activation_code_digest: str,
        activation_expires_at: datetime,
    ) -> None:
        self.unit_id = unit_id
        self.unit_credit_code = unit_credit_code
        self.name = name
        self.id_number = id_number
        self.birth_date = date.fromisoformat(birth_date)
        self.sex = sex
        self.mobile = mobile
        self.email = email
        self.registered_at = registered_at
        self.activation_request_id = activation_request_id
        self.activation_code_digest = activation_code_digest
        self.activation_expires_at = activation_expires_at
        self.activated_at: datetime | None = None

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def status(self) -> ApplicantStatus:
        return ApplicantStatus.ACTIVE if self.activated_at else ApplicantStatus.AWAITING_ACTIVATION

    def _require_not_activated(self) -> None:
        if self.activated_at is not None:
            raise AlreadyActivated(
                Text(
                    "该账号已激活，激活码不能再次使用。请直接登录；忘记密码须到区人才服务中心申请重置。",
                    "This account is activated already and its code cannot be used again. Sign in; a "
                    "forgotten password is reset at a district talent centre.",
                )
            )

    def reissue_activation(self, *, request_id: str, code_digest: str, at: datetime) -> None:
        self._require_not_activated()
        self._reissued(
            name=self.name,
            email=self.email,
            activation_request_id=request_id,
            activation_code_digest=code_digest,
            activation_expires_at=at + ACTIVATION_VALIDITY,
        )

    @event(ActivationReissued)
    def _reissued(
        self,
        name: str,
        email: str,
        activation_request_id: str,
        activation_code_digest: str,
        activation_expires_at: datetime,
    ) -> None:
        self.activation_request_id = activation_request_id
        self.activation_code_digest = activation_code_digest
        self.activation_expires_at = activation_expires_at

    def check_activation(self, code: str, *, at: datetime) -> None:
        """Raises :class:`AlreadyActivated`, ``ActivationExpired`` or ``ValidationFailed`` (wrong code)."""
        self._require_not_activated()
        if not code_matches(code, self.activation_code_digest):
            raise wrong_code()
        if at >= self.activation_expires_at:
            raise CodeExpired(
                Text(
                    "激活码已过期，请联系单位人事专员重新发送激活码。",
                    "The activation code has expired; ask your unit's HR specialist to send a new one.",
                )
            )

    def activate(self, code: str, *, at: datetime) -> None:
        self.check_activation(code, at=at)
        self._activated(activated_at=at)

    @event(Activated)
    def _activated(self, activated_at: datetime) -> None:
        self.activated_at = activated_at

    def change_unit(self, *, unit_id: str, unit_credit_code: str, at: datetime) -> None:
        """The applicant now works for another (approved: the caller checks) unit."""
        if unit_id == self.unit_id:
            raise SameUnit(
                Text(
                    "您的账号已属于该单位。",
                    "Your account belongs to this unit already.",
                )
            )
        self._changed_unit(
            previous_unit_id=self.unit_id, unit_id=unit_id, unit_credit_code=unit_credit_code, changed_at=at
        )

    @event(ChangedUnit)
    def _changed_unit(
        self, previous_unit_id: str, unit_id: str, unit_credit_code: str, changed_at: datetime
    ) -> None:
        self.unit_id = unit_id
        self.unit_credit_code = unit_credit_code
