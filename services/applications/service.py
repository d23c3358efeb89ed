"""The applications service's eventsourcing application: the points application (积分申请), its form
rules and status machine, and the directory of units and applicants it acts on.

Commands are its methods (load, check, decide, ``save``); each returns ``Saved`` (the new version,
and the notification id a page waits for before it reads its own write from a read model). Queries
by id read its repository. It applies accounts' directory events and review's decisions through its
INBOUND table (``integration.py``); it is the single writer of an application's status.

Every command on an application takes the version it was based on and is refused with
``StaleVersionError`` when someone changed what it depends on since (``domain.changes``). Two commands
racing on one aggregate collide on its version when saved; the loser is run again on the new state,
where the stale-save rule then decides.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError

from services.applications.domain.application import PointsApplication
from services.applications.domain.changes import (
    changes_in,
    check_section_save,
    check_status_command,
)
from services.applications.domain.completeness import SectionData
from services.applications.domain.directory import Applicant, ApplicationNumbers, Unit
from services.applications.domain.errors import (
    ApplicationNotVisibleError,
    InvalidCommandError,
    NotInDirectoryError,
    SectionInvalidError,
    UnitNotApprovedError,
)
from services.applications.domain.moments import application_date
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import PersonalInfo
from services.applications.domain.status import FINAL_STATUSES, Actor
from services.applications.scoring import rules_on
from shared.contracts.accounts import ApplicantPersonalData, ApplicantRegistered
from shared.kernel.application_status import ApplicationKind
from shared.kernel.errors import FieldError
from shared.kernel.id_number import normalise_id_number
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.application import ServiceApplication

PLEDGE_TEXT_VERSION = "2026-01"
"""The version of the 承诺与授权 text the pages show (``http/templates/applications/pledge.html``)."""

ATTEMPTS = 3
"""How often a command is run again after losing a race on an aggregate's version."""

REGISTERED_ID_NUMBER_DIFFERS = "personal.id_number_differs_from_registration"

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Saved:
    """What a command recorded: the application's new version and the last notification id (a page
    waits for its read models to pass it), and the application as it is now."""

    application_id: UUID
    version: int
    notification_id: int
    application: PointsApplication


class ApplicationsService(ServiceApplication):
    name = "applications"
    """Prefixes the tables (applications_events, applications_tracking), env lookups and tracking names.

    Never rename it."""

    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}
    """Applications are read on every page and command: each process keeps recent aggregates in
    memory and fast-forwards them from the store on every read (eventsourcing's default), so several
    processes stay consistent."""
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[UUID]], int]] = {
        PointsApplication: 20
    }
    """An application saved section by section has many events; a snapshot every 20 keeps reading
    it from the store (a cold cache) short."""

    _numbering: ClassVar[threading.Lock] = threading.Lock()
    """Every start writes the day's one ``ApplicationNumbers`` aggregate. Started concurrently (20
    units at once, benchmarks/journey.py), the optimistic retries ran out and the losers got a 500;
    one start at a time per process leaves the retries for races with other processes."""

    # ----------------------------------------------------------------------------------------------
    # Directory

    def unit(self, unit_id: UUID) -> Unit | None:
        """The approved unit, if this service knows it."""
        return self._get_or_none(Unit.create_id(unit_id), Unit)

    def applicant(self, applicant_id: UUID) -> Applicant | None:
        return self._get_or_none(Applicant.create_id(applicant_id), Applicant)

    def applicant_for(self, by: Actor, applicant_id: UUID) -> Applicant:
        """The applicant as ``by`` may see them: themselves, or one of the unit's applicants now."""
        applicant = self.applicant(applicant_id)
        if (
            applicant is None
            or (by.role is Role.APPLICANT and by.id != str(applicant_id))
            or (by.role is Role.UNIT and by.id != str(applicant.unit_id))
            or by.role not in (Role.APPLICANT, Role.UNIT)
        ):
            raise NotInDirectoryError()
        return applicant

    def registered_personal_data(self, applicant: Applicant) -> ApplicantPersonalData:
        """What accounts sealed about the applicant (name, full ID number, mobile, e-mail), opened to
        prefill and check the personal information; never stored in the clear."""
        return self.sealing.open_kept(
            applicant.personal_sealed,
            payload=ApplicantRegistered,
            subject=applicant.sealed_subject,
            model=ApplicantPersonalData,
        )

    # ----------------------------------------------------------------------------------------------
    # Reading applications

    def application(self, application_id: UUID, by: Actor) -> PointsApplication:
        """The application, if ``by`` may see it (``NotVisible`` otherwise)."""
        application = self._get_or_none(application_id, PointsApplication)
        if application is None:
            raise ApplicationNotVisibleError()
        application.ensure_visible_to(by)
        return application

    def applicant_of(self, application: PointsApplication) -> Applicant:
        applicant = self.applicant(application.applicant_id)
        if applicant is None:  # an application is only started for a registered applicant
            raise ApplicationNotVisibleError()
        return applicant

    # ----------------------------------------------------------------------------------------------
    # Commands

    def start(self, *, by: Actor, applicant_id: UUID, kind: ApplicationKind, at: datetime) -> Saved:
        """Open a new application for the applicant at their unit (the unit or the applicant starts it)."""
        with self._numbering:
            return self._retrying(lambda: self._start(by, applicant_id, kind, at))

    def _start(self, by: Actor, applicant_id: UUID, kind: ApplicationKind, at: datetime) -> Saved:
        applicant = self.applicant_for(by, applicant_id)
        unit = self.unit(applicant.unit_id)
        if unit is None:
            raise UnitNotApprovedError(
                Text(
                    "申请人所在单位尚未通过单位注册审核，暂不能申请积分",
                    "The applicant's unit has not passed its registration review yet, so no application "
                    "can be started",
                )
            )
        current = applicant.current_application_id
        current_is_final = current is None or self.repository.get(current).status in FINAL_STATUSES
        numbers = self._get_or_none(ApplicationNumbers.id_for(at), ApplicationNumbers)
        numbers = numbers or ApplicationNumbers.for_day(at)
        application = PointsApplication.start(
            application_number=numbers.issue(),
            applicant_id=applicant.applicant_id,
            applicant_id_masked=applicant.id_number_masked,
            unit_id=unit.unit_id,
            unit_credit_code=unit.credit_code,
            unit_name=unit.name,
            unit_district=unit.district,
            kind=kind,
            by=by,
            at=at,
        )
        applicant.open_application(
            application_id=application.id,
            application_number=application.application_number,
            current_is_final=current_is_final,
            at=at,
        )
        return self._saved(application, self.save(numbers, applicant, application))

    def accept_pledge(
        self, application_id: UUID, *, by: Actor, based_on_version: int, text_version: str, at: datetime
    ) -> Saved:
        """承诺与授权: the caller (applicant or unit) accepts the pledge text shown to them."""

        def accept(application: PointsApplication, changes: Any) -> None:
            application.accept_pledge(by=by, text_version=text_version, at=at)

        return self._update(application_id, by, based_on_version, accept)

    def save_section(
        self,
        application_id: UUID,
        section: SectionName,
        data: SectionData,
        *,
        by: Actor,
        based_on_version: int,
        at: datetime,
        part: str = "",
    ) -> Saved:
        """Save one section (one page of it: ``part``) of the form."""

        def save(application: PointsApplication, changes: Any) -> None:
            if changes:
                check_section_save(
                    changes,
                    section,
                    part,
                    based_on=self.repository.get(application.id, version=based_on_version),
                    current=application,
                )
            if isinstance(data, PersonalInfo):
                self._check_registered_identity(application, data)
            application.save_section(section, data, by=by, at=at, part=part)

        return self._update(application_id, by, based_on_version, save, strict=False)

    def complete(self, application_id: UUID, *, by: Actor, based_on_version: int, at: datetime) -> Saved:
        """完成: the form is finished and goes to the unit to check."""
        return self._update(application_id, by, based_on_version, lambda a, _: a.complete(by=by, at=at))

    def return_to_applicant(
        self, application_id: UUID, *, by: Actor, based_on_version: int, reason: str, at: datetime
    ) -> Saved:
        """单位退回: the unit sends the finished form back to the applicant, with the reason."""
        return self._update(
            application_id,
            by,
            based_on_version,
            lambda a, _: a.return_to_applicant(by=by, at=at, reason=reason),
        )

    def submit(self, application_id: UUID, *, by: Actor, based_on_version: int, at: datetime) -> Saved:
        """单位审核通过: the unit submits the application to the talent centre; it is locked online."""
        rules = rules_on(application_date(at))
        return self._update(
            application_id,
            by,
            based_on_version,
            lambda a, _: a.approve_at_unit(by=by, at=at, rules=rules),
        )

    # ----------------------------------------------------------------------------------------------
    # Plumbing

    def _update(
        self,
        application_id: UUID,
        by: Actor,
        based_on_version: int,
        command: Callable[[PointsApplication, Any], None],
        *,
        strict: bool = True,
    ) -> Saved:
        """Load, check visibility then staleness, run ``command``, save. ``strict``: any change since
        ``based_on_version`` makes the command stale; otherwise ``command`` decides with the changes."""

        def attempt() -> Saved:
            application = self.application(application_id, by)
            changes = self._changes_since(application, based_on_version)
            if strict:
                check_status_command(changes, current_version=application.version)
            command(application, changes)
            return self._saved(application, self.save(application))

        return self._retrying(attempt)

    def _changes_since(self, application: PointsApplication, version: int) -> Any:
        if not 1 <= version <= application.version:
            raise InvalidCommandError.of(
                "based_on_version",
                "version.unknown",
                Text(
                    f"版本号无效：申请当前版本为 {application.version}",
                    f"Unknown version: the application is at version {application.version}",
                ),
            )
        if version == application.version:
            return ()
        return changes_in(self.events.get(application.id, gt=version))

    def _check_registered_identity(self, application: PointsApplication, info: PersonalInfo) -> None:
        """The ID number on the form is the one the applicant was registered with."""
        registered = self.registered_personal_data(self.applicant_of(application))
        if normalise_id_number(registered.id_number) != info.id_number:
            raise SectionInvalidError(
                SectionName.PERSONAL_INFO.value,
                [
                    FieldError(
                        "id_number",
                        REGISTERED_ID_NUMBER_DIFFERS,
                        Text(
                            "身份证号码须与单位为申请人注册账号时填写的一致",
                            "The ID number must be the one the applicant's account was registered with",
                        ),
                        SectionName.PERSONAL_INFO.value,
                    )
                ],
            )

    def _retrying(self, attempt: Callable[[], Saved]) -> Saved:
        for remaining in range(ATTEMPTS - 1, -1, -1):
            try:
                return attempt()
            except IntegrityError:
                if not remaining:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _saved(application: PointsApplication, recordings: list[Any]) -> Saved:
        last = max(r.notification.id for r in recordings)
        return Saved(application.id, application.version, last, application)

    def _get_or_none(self, aggregate_id: UUID, kind: type[_T]) -> _T | None:
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None
