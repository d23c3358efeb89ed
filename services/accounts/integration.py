"""What the accounts service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

Only what another context needs is published; every other domain event is private (a refused
reset, a first password). Personal data (a unit's HR contact and address, an applicant's name, ID
number and contacts, a clerk's name) travels only sealed. No password, hash or code is published.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from pydantic import BaseModel, ConfigDict

from services.accounts.domain.applicant import Applicant
from services.accounts.domain.clerk import Clerk
from services.accounts.domain.credentials import Credentials, ResetRefusedAtDesk
from services.accounts.domain.unit_registration import AlreadyDecided, UnitRegistration, WrongDistrict
from services.accounts.service import AccountsService
from shared.contracts.accounts import (
    ApplicantActivated,
    ApplicantChangedUnit,
    ApplicantPersonalData,
    ApplicantRegistered,
    ClerkChanged,
    ClerkCreated,
    ClerkDeactivated,
    ClerkPersonalData,
    PasswordResetCompleted,
    PasswordResetIssued,
    SessionsRevoked,
    UnitApproved,
    UnitContact,
    UnitDetailsChanged,
    UnitRegistered,
    UnitRejected,
    UnitResubmitted,
)
from shared.contracts.review import (
    PasswordResetAuthorised,
    UnitRegistrationApproved,
    UnitRegistrationRejected,
)
from shared.kernel.id_number import Sex, mask_id_number
from shared.kernel.roles import Duty, Role
from shared.platform.integration import Inbound, Outbound, Received, Sealing
from shared.platform.sealing import SealError

log = logging.getLogger("jifen.accounts.integration")

# -------------------------------------------------------------------------------- OUTBOUND


def _unit_facts(event: Any) -> dict[str, Any]:
    return {
        "unit_id": str(event.originator_id),
        "credit_code": event.credit_code,
        "unit_name": event.unit_name,
        "district": event.district_code,
    }


def _contact(event: Any, sealing: Sealing, payload: type[Any]) -> str:
    contact = UnitContact(
        hr_name=event.hr_name, mobile=event.mobile, email=event.email, address=event.address
    )
    return sealing.seal(contact, payload=payload, subject=str(event.originator_id))


def unit_registered(event: UnitRegistration.Submitted, sealing: Sealing) -> UnitRegistered:
    return UnitRegistered(
        **_unit_facts(event),
        registered_at=event.registered_at,
        contact=_contact(event, sealing, UnitRegistered),
    )


def unit_resubmitted(event: UnitRegistration.Resubmitted, sealing: Sealing) -> UnitResubmitted:
    return UnitResubmitted(
        **_unit_facts(event),
        resubmitted_at=event.resubmitted_at,
        contact=_contact(event, sealing, UnitResubmitted),
    )


def unit_approved(event: UnitRegistration.Approved) -> UnitApproved:
    return UnitApproved(**_unit_facts(event), approved_at=event.decided_at, clerk_id=event.clerk_id)


def unit_rejected(event: UnitRegistration.Rejected) -> UnitRejected:
    return UnitRejected(
        **_unit_facts(event), rejected_at=event.decided_at, clerk_id=event.clerk_id, reason=event.reason
    )


def unit_details_changed(event: UnitRegistration.DetailsChanged, sealing: Sealing) -> UnitDetailsChanged:
    return UnitDetailsChanged(
        **_unit_facts(event),
        changed_at=event.changed_at,
        contact=_contact(event, sealing, UnitDetailsChanged),
    )


def applicant_registered(event: Applicant.Registered, sealing: Sealing) -> ApplicantRegistered:
    personal = ApplicantPersonalData(
        name=event.name, id_number=event.id_number, mobile=event.mobile, email=event.email
    )
    return ApplicantRegistered(
        applicant_id=str(event.originator_id),
        unit_id=event.unit_id,
        unit_credit_code=event.unit_credit_code,
        id_number_masked=mask_id_number(event.id_number),
        birth_date=date.fromisoformat(event.birth_date),
        sex=Sex(event.sex),
        registered_at=event.registered_at,
        personal=sealing.seal(personal, payload=ApplicantRegistered, subject=str(event.originator_id)),
    )


def applicant_activated(event: Applicant.Activated) -> ApplicantActivated:
    return ApplicantActivated(applicant_id=str(event.originator_id), activated_at=event.activated_at)


def applicant_changed_unit(event: Applicant.ChangedUnit) -> ApplicantChangedUnit:
    return ApplicantChangedUnit(
        applicant_id=str(event.originator_id),
        previous_unit_id=event.previous_unit_id,
        unit_id=event.unit_id,
        unit_credit_code=event.unit_credit_code,
        changed_at=event.changed_at,
    )


def _clerk_facts(event: Clerk.Opened | Clerk.Changed, sealing: Sealing, payload: type[Any]) -> dict[str, Any]:
    return {
        "clerk_id": str(event.originator_id),
        "username": event.username,
        "district": event.district,
        "duties": [Duty(d) for d in event.duties],
        "personal": sealing.seal(
            ClerkPersonalData(name=event.name), payload=payload, subject=str(event.originator_id)
        ),
    }


def clerk_created(event: Clerk.Opened, sealing: Sealing) -> ClerkCreated:
    return ClerkCreated(**_clerk_facts(event, sealing, ClerkCreated), created_at=event.created_at)


def clerk_changed(event: Clerk.Changed, sealing: Sealing) -> ClerkChanged:
    return ClerkChanged(**_clerk_facts(event, sealing, ClerkChanged), changed_at=event.changed_at)


def clerk_deactivated(event: Clerk.Deactivated) -> ClerkDeactivated:
    return ClerkDeactivated(
        clerk_id=str(event.originator_id), district=event.district, deactivated_at=event.deactivated_at
    )


def reset_issued(event: Credentials.ResetIssued) -> PasswordResetIssued:
    return PasswordResetIssued(
        account_id=event.account_id,
        role=Role(event.role),
        request_id=event.request_id,
        issued_at=event.issued_at,
        expires_at=event.expires_at,
    )


def reset_completed(event: Credentials.ResetCompleted) -> PasswordResetCompleted:
    return PasswordResetCompleted(
        account_id=event.account_id,
        role=Role(event.role),
        request_id=event.request_id,
        completed_at=event.completed_at,
    )


def sessions_revoked(event: Credentials.SessionsEnded) -> SessionsRevoked:
    return SessionsRevoked(
        account_id=event.account_id,
        role=Role(event.role),
        not_before=event.not_before,
        reason=event.reason,  # type: ignore[arg-type]  # the domain's four reasons are the contract's
    )


OUTBOUND = Outbound(
    {
        UnitRegistration.Submitted: unit_registered,
        UnitRegistration.Resubmitted: unit_resubmitted,
        UnitRegistration.Approved: unit_approved,
        UnitRegistration.Rejected: unit_rejected,
        UnitRegistration.DetailsChanged: unit_details_changed,
        Applicant.Registered: applicant_registered,
        Applicant.Activated: applicant_activated,
        Applicant.ChangedUnit: applicant_changed_unit,
        Clerk.Opened: clerk_created,
        Clerk.Changed: clerk_changed,
        Clerk.Deactivated: clerk_deactivated,
        Credentials.ResetIssued: reset_issued,
        Credentials.ResetCompleted: reset_completed,
        Credentials.SessionsEnded: sessions_revoked,
    }
)

# -------------------------------------------------------------------------------- INBOUND


def _unit_for_decision(service: AccountsService, unit_id: str, credit_code: str) -> UnitRegistration | None:
    unit = service.unit_by_code(credit_code)
    if unit is None or str(unit.id) != unit_id:
        log.warning("a review decision names an unknown unit; ignored", extra={"unit_id": unit_id})
        return None
    return unit


def on_unit_approved(
    service: AccountsService, message: Received[UnitRegistrationApproved], processing: ProcessingEvent[UUID]
) -> None:
    """审核通过 from the talent centre of the unit's district."""
    decision = message.payload.decision
    unit = _unit_for_decision(service, message.payload.unit_id, message.payload.credit_code)
    if unit is None:
        return
    try:
        unit.approve(clerk_id=decision.clerk_id, decided_at=decision.decided_at, district=decision.district)
    except (AlreadyDecided, WrongDistrict) as exc:
        log.warning("unit approval not applied: %s", exc.code, extra={"unit_id": str(unit.id)})
        return
    processing.collect_events(unit)


def on_unit_rejected(
    service: AccountsService, message: Received[UnitRegistrationRejected], processing: ProcessingEvent[UUID]
) -> None:
    """审核不通过, with the reason the unit is shown."""
    payload = message.payload
    unit = _unit_for_decision(service, payload.unit_id, payload.credit_code)
    if unit is None:
        return
    decision = payload.decision
    try:
        unit.reject(
            clerk_id=decision.clerk_id,
            decided_at=decision.decided_at,
            reason=payload.reason,
            district=decision.district,
        )
    except (AlreadyDecided, WrongDistrict) as exc:
        log.warning("unit rejection not applied: %s", exc.code, extra={"unit_id": str(unit.id)})
        return
    processing.collect_events(unit)


class SealedIdNumber(BaseModel):
    """The sealed ``{"id_number": ...}`` of a personal reset request."""

    model_config = ConfigDict(frozen=True)
    id_number: str


def on_reset_authorised(
    service: AccountsService, message: Received[PasswordResetAuthorised], processing: ProcessingEvent[UUID]
) -> None:
    """A complete request recorded at the window: issue the reset code (a unit's only from its district)."""
    payload = message.payload
    if payload.account_kind == "unit":
        role, identifier = Role.UNIT, payload.unit_credit_code or ""
    else:
        try:
            identifier = service.sealing.open(message, payload.applicant or "", SealedIdNumber).id_number
        except (SealError, ValueError):
            log.warning("a personal reset request's ID number does not open; ignored")
            return
        role = Role.APPLICANT
    account_id = service.account_id_for(role, identifier)
    credentials = service.find_credentials(role, account_id)
    if credentials is None:
        log.warning(
            "a reset request names no known account; ignored", extra={"request_id": payload.request_id}
        )
        return
    try:
        service.issue_reset(
            credentials,
            request_id=payload.request_id,
            desk_district=payload.decision.district,
            at=service.now(),
        )
    except ResetRefusedAtDesk:
        log.warning(
            "a unit's reset was authorised outside its district: refused",
            extra={"request_id": payload.request_id},
        )
    processing.collect_events(credentials)


INBOUND = Inbound(
    {
        UnitRegistrationApproved: on_unit_approved,
        UnitRegistrationRejected: on_unit_rejected,
        PasswordResetAuthorised: on_reset_authorised,
    }
)
