"""The service's own directory of approved units and their applicants, kept from accounts' events.

Accounts owns units and people; this service keeps what it needs to act on applications without
asking it: which units are approved (their credit code, name and district, where they file), and which
applicants belong to which unit now (with their masked ID number and their applications). Who may
start or see an application follows from it.

Personal data: the applicant's name is recorded for the unit's lists and search; the rest of what
accounts sealed (full ID number, mobile, e-mail) is kept as it arrived, sealed, and opened only where
the form is prefilled (``personal_sealed`` with the subject it was sealed for).

``ApplicationNumbers`` issues the application numbers (流水号) of one day, ``JF`` + date + a 5-digit
sequence; saving it with the new application makes two starts at the same moment collide on its
version instead of sharing a number.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.applications.domain.errors import ApplicationAlreadyOpenError, InvalidCommandError
from services.applications.domain.moments import application_date, require_aware
from shared.kernel.text import Text

DIRECTORY_NAMESPACE = UUID("0b8f0f43-6c55-5a3c-8d4e-4d2a8c3b9e21")
"""uuid5 namespace of the directory's aggregate ids (derived from accounts' ids and from dates)."""

DAILY_NUMBERS = 99_999


class Unit(Aggregate):
    """An approved unit (审核通过): it may have applicants and file their applications in its district."""

    TOPIC = "applications.Unit"

    class Event(Aggregate.Event):
        TOPIC = "applications.Unit.Event"

    class Listed(Aggregate.Created):
        TOPIC = "applications.Unit.Listed"
        unit_id: UUID
        credit_code: str
        name: str
        district: str
        at: datetime

    class DetailsChanged(Aggregate.Event):
        TOPIC = "applications.Unit.DetailsChanged"
        name: str
        at: datetime

    @staticmethod
    def create_id(unit_id: UUID) -> UUID:
        return uuid5(DIRECTORY_NAMESPACE, f"unit:{unit_id}")

    @classmethod
    def approved(cls, *, unit_id: UUID, credit_code: str, name: str, district: str, at: datetime) -> Unit:
        require_aware(at)
        return cls(unit_id=unit_id, credit_code=credit_code, name=name, district=district, at=at)

    @event(Listed)
    def __init__(self, unit_id: UUID, credit_code: str, name: str, district: str, at: datetime) -> None:
        self.unit_id = unit_id
        self.credit_code = credit_code
        self.name = name
        self.district = district

    def change_details(self, *, name: str, at: datetime) -> None:
        """The unit's name as accounts now has it (its code and district never change)."""
        require_aware(at)
        if name != self.name:
            self._details_changed(name=name, at=at)

    @event(DetailsChanged)
    def _details_changed(self, name: str, at: datetime) -> None:
        self.name = name


class Applicant(Aggregate):
    """A person an approved unit registered (帮助申请人注册个人账号), at the unit they work for now."""

    TOPIC = "applications.Applicant"

    class Event(Aggregate.Event):
        TOPIC = "applications.Applicant.Event"

    class Registered(Aggregate.Created):
        TOPIC = "applications.Applicant.Registered"
        applicant_id: UUID
        unit_id: UUID
        name: str
        id_number_masked: str
        birth_date: str
        """ISO date (events hold plain values)."""
        sex: str
        personal_sealed: str
        sealed_subject: str
        at: datetime

    class Activated(Aggregate.Event):
        TOPIC = "applications.Applicant.Activated"
        at: datetime

    class MovedToUnit(Aggregate.Event):
        TOPIC = "applications.Applicant.MovedToUnit"
        previous_unit_id: UUID
        unit_id: UUID
        at: datetime

    class ApplicationOpened(Aggregate.Event):
        TOPIC = "applications.Applicant.ApplicationOpened"
        application_id: UUID
        application_number: str
        at: datetime

    @staticmethod
    def create_id(applicant_id: UUID) -> UUID:
        return uuid5(DIRECTORY_NAMESPACE, f"applicant:{applicant_id}")

    @classmethod
    def register(
        cls,
        *,
        applicant_id: UUID,
        unit_id: UUID,
        name: str,
        id_number_masked: str,
        birth_date: date,
        sex: str,
        personal_sealed: str,
        sealed_subject: str,
        at: datetime,
    ) -> Applicant:
        require_aware(at)
        return cls(
            applicant_id=applicant_id,
            unit_id=unit_id,
            name=name,
            id_number_masked=id_number_masked,
            birth_date=birth_date.isoformat(),
            sex=sex,
            personal_sealed=personal_sealed,
            sealed_subject=sealed_subject,
            at=at,
        )

    @event(Registered)
    def __init__(
        self,
        applicant_id: UUID,
        unit_id: UUID,
        name: str,
        id_number_masked: str,
        birth_date: str,
        sex: str,
        personal_sealed: str,
        sealed_subject: str,
        at: datetime,
    ) -> None:
        self.applicant_id = applicant_id
        self.unit_id = unit_id
        self.name = name
        self.id_number_masked = id_number_masked
        self.birth_date = date.fromisoformat(birth_date)
        self.sex = sex
        self.personal_sealed = personal_sealed
        self.sealed_subject = sealed_subject
        self.registered_at = at
        self.activated = False
        self.application_ids: list[UUID] = []

    @property
    def current_application_id(self) -> UUID | None:
        """The latest application (the one the applicant works on or follows), if any."""
        return self.application_ids[-1] if self.application_ids else None

    def activate(self, *, at: datetime) -> None:
        require_aware(at)
        if not self.activated:
            self._activated(at=at)

    @event(Activated)
    def _activated(self, at: datetime) -> None:
        self.activated = True

    def move_to_unit(self, *, unit_id: UUID, at: datetime) -> None:
        """修改单位组织机构代码 (done in accounts): the applicant belongs to another unit from now on."""
        require_aware(at)
        if unit_id != self.unit_id:
            self._moved(previous_unit_id=self.unit_id, unit_id=unit_id, at=at)

    @event(MovedToUnit)
    def _moved(self, previous_unit_id: UUID, unit_id: UUID, at: datetime) -> None:
        self.unit_id = unit_id

    def open_application(
        self, *, application_id: UUID, application_number: str, current_is_final: bool, at: datetime
    ) -> None:
        """Record a new application. One at a time: the latest must be decided (``current_is_final``)
        before another starts; a withdrawn or returned one is edited and submitted again instead."""
        require_aware(at)
        if self.current_application_id is not None and not current_is_final:
            raise ApplicationAlreadyOpenError(
                self.current_application_id,
                Text(
                    "申请人已有一份正在办理的积分申请，请继续办理该申请",
                    "The applicant already has an application in progress; continue with that one",
                ),
            )
        self._application_opened(application_id=application_id, application_number=application_number, at=at)

    @event(ApplicationOpened)
    def _application_opened(self, application_id: UUID, application_number: str, at: datetime) -> None:
        self.application_ids.append(application_id)


class ApplicationNumbers(Aggregate):
    """The application numbers (流水号) issued on one Shanghai calendar day."""

    TOPIC = "applications.ApplicationNumbers"

    class Event(Aggregate.Event):
        TOPIC = "applications.ApplicationNumbers.Event"

    class Opened(Aggregate.Created):
        TOPIC = "applications.ApplicationNumbers.Opened"
        day: str
        """ISO date."""

    class Issued(Aggregate.Event):
        TOPIC = "applications.ApplicationNumbers.Issued"
        number: str

    @staticmethod
    def create_id(day: str) -> UUID:
        """``day``: the ISO date (as the creation event holds it)."""
        return uuid5(DIRECTORY_NAMESPACE, f"numbers:{day}")

    @classmethod
    def id_for(cls, at: datetime) -> UUID:
        """The id of the numbers of ``at``'s day in Shanghai."""
        return cls.create_id(application_date(at).isoformat())

    @classmethod
    def for_day(cls, at: datetime) -> ApplicationNumbers:
        require_aware(at)
        return cls(day=application_date(at).isoformat())

    @event(Opened)
    def __init__(self, day: str) -> None:
        self.day = date.fromisoformat(day)
        self.issued = 0

    def issue(self) -> str:
        """The next number of the day: ``JF`` + ``YYYYMMDD`` + 5 digits (``JF2026031600001``)."""
        if self.issued >= DAILY_NUMBERS:
            raise InvalidCommandError.of(
                "application_number",
                "application_number.exhausted",
                Text("今日流水号已用完，请明日再试", "No application numbers are left today; try tomorrow"),
            )
        number = f"JF{self.day:%Y%m%d}{self.issued + 1:05d}"
        self._issued(number=number)
        return number

    @event(Issued)
    def _issued(self, number: str) -> None:
        self.issued += 1
