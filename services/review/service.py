"""The review service's eventsourcing application: the talent-centre clerks' cases and decisions.

Commands are its methods (load, decide, ``save``); each returns the notification id of its last new
event, so a page can wait for its read models (``shared.platform.projections.wait_for``). Queries
by id read its repository and never show another district's record: it is ``NotVisible``, exactly
like a record that does not exist. It applies the applications' and accounts' events it needs
through its INBOUND table (``integration.py``).

Two clerks deciding the same thing at once: the second save conflicts on the aggregate's version;
the command is then run once more on the fresh aggregate, where the domain answers with a
``StateConflict`` that says who decided what and when. So a decision is applied once, and the
second clerk gets the reason, never an error page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Literal, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from pydantic import BaseModel

from services.review.domain.case import ReviewCase
from services.review.domain.clerk_rules import Clerk
from services.review.domain.resets import AccountKind, ActingFor, PasswordResetRequest
from services.review.domain.timeline import StatusTimeline
from services.review.domain.units import UnitRegistration
from shared.contracts.review import PasswordResetAuthorised
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.errors import FieldError, NotVisible, ValidationFailed
from shared.kernel.id_number import mask_id_number, validate_id_number
from shared.kernel.text import Text
from shared.platform.application import ServiceApplication

A = TypeVar("A", bound=Aggregate)

ID_NUMBER_PURPOSE = "review: applicant ID number"
"""The fingerprint purpose of applicants' ID numbers (search by ID number without keeping it)."""

NOT_FOUND = Text("未找到该事项。", "Not found.")


class SealedIdNumber(BaseModel):
    """The sealed content of ``PasswordResetAuthorised.applicant`` (the contract's ``{id_number}``)."""

    id_number: str


class ReviewService(ServiceApplication):
    name = "review"
    """Prefixes the tables (review_events, review_tracking), env lookups and tracking names.

    Never rename it."""

    # ---------------------------------------------------------------------------- reading

    def _get(self, aggregate_id: UUID, kind: type[A]) -> A:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotVisible(NOT_FOUND) from None
        if not isinstance(found, kind):
            raise NotVisible(NOT_FOUND)
        return found

    def case(self, clerk: Clerk, application_id: str) -> ReviewCase:
        """The case of ``application_id``, if it belongs to the clerk's district."""
        case = self._get(ReviewCase.create_id(application_id), ReviewCase)
        if not case.visible_to(clerk):
            raise NotVisible(NOT_FOUND)
        return case

    def timeline(self, application_id: str) -> StatusTimeline | None:
        """The application's published status steps (callers have checked the case is visible)."""
        try:
            found: Aggregate = self.repository.get(StatusTimeline.create_id(application_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, StatusTimeline) else None

    def unit(self, clerk: Clerk, credit_code: str) -> UnitRegistration:
        unit = self._get(UnitRegistration.create_id(credit_code), UnitRegistration)
        if unit.district != clerk.district_code:
            raise NotVisible(NOT_FOUND)
        return unit

    def reset_request(self, clerk: Clerk, request_id: UUID) -> PasswordResetRequest:
        """A unit's request is seen in the unit's district; a person's where it was recorded."""
        request = self._get(request_id, PasswordResetRequest)
        if request.district != clerk.district_code:
            raise NotVisible(NOT_FOUND)
        return request

    # ---------------------------------------------------------------------------- deciding

    def _decide(self, load: Callable[[], A], decide: Callable[[A], object]) -> int:
        """Load, decide, save; on a concurrent save, decide again on the fresh aggregate (which
        raises the domain's ``StateConflict`` when the other decision made this one impossible)."""
        for attempt in (1, 2):
            aggregate = load()
            decide(aggregate)
            try:
                recordings = self.save(aggregate)
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
            return recordings[-1].notification.id if recordings else 0
        raise AssertionError("unreachable")

    def accept(self, clerk: Clerk, application_id: str, received: Collection[str], at: datetime) -> int:
        return self._decide(lambda: self.case(clerk, application_id), lambda c: c.accept(clerk, received, at))

    def refuse(self, clerk: Clerk, application_id: str, reason: str, at: datetime) -> int:
        return self._decide(lambda: self.case(clerk, application_id), lambda c: c.refuse(clerk, reason, at))

    def return_for_correction(
        self,
        clerk: Clerk,
        application_id: str,
        reasons: Mapping[str, str],
        received: Collection[str],
        at: datetime,
    ) -> int:
        return self._decide(
            lambda: self.case(clerk, application_id),
            lambda c: c.return_for_correction(clerk, reasons, received, at),
        )

    def approve(
        self, clerk: Clerk, application_id: str, entered: Mapping[str, tuple[str, str]], at: datetime
    ) -> int:
        """审批通过: ``entered`` the approver's lines (indicator -> points as typed, reason)."""
        return self._decide(lambda: self.case(clerk, application_id), lambda c: c.approve(clerk, entered, at))

    def reject(self, clerk: Clerk, application_id: str, reason: str, at: datetime) -> int:
        return self._decide(lambda: self.case(clerk, application_id), lambda c: c.reject(clerk, reason, at))

    def record_withdrawal(
        self,
        clerk: Clerk,
        application_id: str,
        requested_by: Literal["applicant", "unit"],
        reason: str,
        at: datetime,
    ) -> int:
        return self._decide(
            lambda: self.case(clerk, application_id),
            lambda c: c.record_withdrawal(clerk, requested_by, reason, at),
        )

    def approve_unit(self, clerk: Clerk, credit_code: str, checked: Collection[str], at: datetime) -> int:
        return self._decide(lambda: self.unit(clerk, credit_code), lambda u: u.approve(clerk, checked, at))

    def reject_unit(self, clerk: Clerk, credit_code: str, reason: str, at: datetime) -> int:
        return self._decide(lambda: self.unit(clerk, credit_code), lambda u: u.reject(clerk, reason, at))

    # ---------------------------------------------------------------------------- the password desk

    def record_reset_request(
        self,
        clerk: Clerk,
        *,
        kind: AccountKind,
        at: datetime,
        materials: Collection[str],
        credit_code: str = "",
        id_number: str = "",
        acting_for: ActingFor | None = None,
    ) -> tuple[UUID, int]:
        """Record a request at the window and tick what was brought; authorised at once when complete.

        A unit is looked up by its credit code among the units review knows (registered with accounts);
        only the clerks of its district may take its request. A person is named by ID number (sealed for
        accounts, kept masked and fingerprinted here)."""
        request_id = uuid.uuid4()
        if kind == "unit":
            code = normalise_credit_code(credit_code)
            try:
                unit: Aggregate | None = self.repository.get(UnitRegistration.create_id(code))
            except AggregateNotFoundError:
                unit = None
            if not isinstance(unit, UnitRegistration) or unit.district != clerk.district_code:
                # One answer for an unknown code and another district's unit: nothing is confirmed.
                raise ValidationFailed(
                    [
                        FieldError(
                            "credit_code",
                            "unit.not_in_district",
                            Text(
                                "本区没有以该统一社会信用代码注册的单位。单位账号的密码重置须到单位注册地所在区办理。",
                                "No unit of this district is registered with this code. A unit account is "
                                "reset only at the talent centre of the unit's registered district.",
                            ),
                        )
                    ]
                )
            request = PasswordResetRequest.record(
                request_id, clerk, at=at, kind="unit", unit=(unit.credit_code, unit.unit_name, unit.district)
            )
        else:
            checked = validate_id_number(id_number, today=at.date())
            if checked.value is None:
                raise ValidationFailed(checked.errors)
            number = checked.value.value
            sealed = self.sealing.seal(
                SealedIdNumber(id_number=number), payload=PasswordResetAuthorised, subject=str(request_id)
            )
            request = PasswordResetRequest.record(
                request_id,
                clerk,
                at=at,
                kind="applicant",
                applicant=(
                    sealed,
                    mask_id_number(number),
                    self.sealing.fingerprint(number, purpose=ID_NUMBER_PURPOSE),
                ),
                acting_for=acting_for,
            )
        request.tick(clerk, materials, at)
        recordings = self.save(request)
        return request_id, recordings[-1].notification.id

    def tick_reset_materials(
        self, clerk: Clerk, request_id: UUID, materials: Collection[str], at: datetime
    ) -> int:
        return self._decide(
            lambda: self.reset_request(clerk, request_id), lambda r: r.tick(clerk, materials, at)
        )

    def id_fingerprints(self, id_number: str) -> list[str]:
        """What a search by ID number looks up (under every key of the ring)."""
        return self.sealing.fingerprints(id_number, purpose=ID_NUMBER_PURPOSE)
