"""What the review service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

Applied: the applications service's submissions (a case opens, or a new round of it) and status
steps (the case page's timeline); accounts' units (the registration queue and the unit directory the
password desk looks units up in), clerks (the directory) and password resets (the desk's requests
follow the code being sent and used).

Published: every decision, with the clerk, district and time (``shared.contracts.review``).
Personal data stays sealed: the form and the unit's HR contact are kept as the sealed values they
arrived in; the desk seals a person's ID number for accounts when it records the request.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from services.review.domain.case import ReviewCase, Submission
from services.review.domain.directory import ClerkRecord
from services.review.domain.materials import Material
from services.review.domain.resets import PasswordResetRequest
from services.review.domain.timeline import StatusTimeline, Step
from services.review.domain.units import UnitRegistration
from services.review.domain.verification import DeclaredLine
from services.review.service import ID_NUMBER_PURPOSE, ReviewService
from shared.contracts.accounts import (
    ClerkChanged,
    ClerkCreated,
    ClerkDeactivated,
    ClerkPersonalData,
    PasswordResetCompleted,
    PasswordResetIssued,
    UnitApproved,
    UnitFacts,
    UnitRegistered,
    UnitRejected,
    UnitResubmitted,
)
from shared.contracts.applications import ApplicationStatusChanged, ApplicationSubmitted, SubmittedForm
from shared.contracts.review import (
    ApplicationAccepted,
    ApplicationCaseOpened,
    ApplicationNotAccepted,
    ApplicationReturnedForCorrection,
    ApplicationScoreApproved,
    ApplicationScoreRejected,
    ApplicationWithdrawalRecorded,
    Decision,
    PasswordResetAuthorised,
    SectionReason,
    UnitRegistrationApproved,
    UnitRegistrationRejected,
    VerifiedLine,
)
from shared.kernel.id_number import normalise_id_number
from shared.kernel.text import Text
from shared.platform.integration import Inbound, Outbound, Received

Processing = ProcessingEvent[UUID]

# -------------------------------------------------------------------------------------------- INBOUND


def _load(review: ReviewService, aggregate_id: UUID) -> Any:
    try:
        return review.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None


def on_status_changed(
    review: ReviewService, message: Received[ApplicationStatusChanged], processing: Processing
) -> None:
    """Each published transition becomes a step of the application's timeline."""
    change = message.payload
    timeline: StatusTimeline | None = _load(review, StatusTimeline.create_id(change.application_id))
    if timeline is None:
        timeline = StatusTimeline(change.application_id, change.application_number)
    timeline.record(
        Step(
            change.previous_status,
            change.new_status,
            change.actor.role,
            change.actor.id,
            change.changed_at,
            change.reason,
        )
    )
    processing.collect_events(timeline)


def on_submitted(
    review: ReviewService, message: Received[ApplicationSubmitted], processing: Processing
) -> None:
    """A submission opens the case in the unit's district, or a new round of it."""
    sent = message.payload
    form = review.sealing.open(message, sent.form, SubmittedForm)
    id_number = normalise_id_number(form.personal_info.id_number)
    submission = Submission(
        number=sent.submission,
        submitted_at=sent.submitted_at,
        submitted_by=sent.submitted_by,
        kind=sent.kind,
        applicant_id=sent.applicant_id,
        applicant_id_masked=sent.applicant_id_masked,
        id_fingerprint=review.sealing.fingerprint(id_number, purpose=ID_NUMBER_PURPOSE),
        unit_id=sent.unit_id,
        unit_credit_code=sent.unit_credit_code,
        unit_name=sent.unit_name,
        district=sent.district,
        declared_total=sent.declared_total,
        pass_mark=sent.pass_mark,
        declared_lines=tuple(
            DeclaredLine(x.indicator, x.points, x.cap, x.counted, x.rule_id) for x in sent.declared_lines
        ),
        materials=tuple(Material(m.code, Text(m.name_zh, m.name_en)) for m in sent.materials),
        form=sent.form,
    )
    case: ReviewCase | None = _load(review, ReviewCase.create_id(sent.application_id))
    if case is None:
        case = ReviewCase.open(sent.application_id, sent.application_number, submission)
    elif not case.resubmit(submission):
        return
    processing.collect_events(case)


def _unit(review: ReviewService, facts: UnitFacts) -> UnitRegistration | None:
    found: UnitRegistration | None = _load(review, UnitRegistration.create_id(facts.credit_code))
    return found


def on_unit_submitted(
    review: ReviewService,
    message: Received[UnitRegistered] | Received[UnitResubmitted],
    processing: Processing,
) -> None:
    """A unit registered (or, rejected, submitted again): it awaits review in its district."""
    sent = message.payload
    at = sent.registered_at if isinstance(sent, UnitRegistered) else sent.resubmitted_at
    unit = _unit(review, sent)
    if unit is None:
        unit = UnitRegistration(
            sent.unit_id, sent.credit_code, sent.unit_name, sent.district, at, sent.contact
        )
        if isinstance(sent, UnitRegistered):
            processing.collect_events(unit)
            return
    unit.resubmit(sent.unit_name, at, sent.contact, type(sent).__name__)
    processing.collect_events(unit)


def _settle(review: ReviewService, facts: UnitFacts, approved: bool, at: Any, processing: Processing) -> None:
    unit = _unit(review, facts)
    if unit is None:  # approved before review kept registrations (demo data, an older accounts)
        unit = UnitRegistration(facts.unit_id, facts.credit_code, facts.unit_name, facts.district, at, None)
    unit.settle(approved, at)
    processing.collect_events(unit)


def on_unit_approved(review: ReviewService, message: Received[UnitApproved], processing: Processing) -> None:
    _settle(review, message.payload, True, message.payload.approved_at, processing)


def on_unit_rejected(review: ReviewService, message: Received[UnitRejected], processing: Processing) -> None:
    _settle(review, message.payload, False, message.payload.rejected_at, processing)


def on_clerk(
    review: ReviewService, message: Received[ClerkCreated] | Received[ClerkChanged], processing: Processing
) -> None:
    sent = message.payload
    name = review.sealing.open(message, sent.personal, ClerkPersonalData).name
    at = sent.created_at if isinstance(sent, ClerkCreated) else sent.changed_at
    duties = [duty.value for duty in sent.duties]
    record: ClerkRecord | None = _load(review, ClerkRecord.create_id(sent.clerk_id))
    if record is None:
        record = ClerkRecord(sent.clerk_id, sent.username, name, sent.district, duties, at)
    else:
        record.change(sent.username, name, sent.district, duties, at)
    processing.collect_events(record)


def on_clerk_deactivated(
    review: ReviewService, message: Received[ClerkDeactivated], processing: Processing
) -> None:
    record: ClerkRecord | None = _load(review, ClerkRecord.create_id(message.payload.clerk_id))
    if record is not None:
        record.deactivate(message.payload.deactivated_at)
        processing.collect_events(record)


def _reset_request(review: ReviewService, request_id: str) -> PasswordResetRequest | None:
    try:
        found: PasswordResetRequest | None = _load(review, UUID(request_id))
    except ValueError:  # not one of the desk's ids
        return None
    return found if isinstance(found, PasswordResetRequest) else None


def on_reset_issued(
    review: ReviewService, message: Received[PasswordResetIssued], processing: Processing
) -> None:
    request = _reset_request(review, message.payload.request_id)
    if request is not None:
        request.issued(message.payload.issued_at)
        processing.collect_events(request)


def on_reset_completed(
    review: ReviewService, message: Received[PasswordResetCompleted], processing: Processing
) -> None:
    request = _reset_request(review, message.payload.request_id)
    if request is not None:
        request.completed(message.payload.completed_at)
        processing.collect_events(request)


INBOUND = Inbound(
    {
        ApplicationStatusChanged: on_status_changed,
        ApplicationSubmitted: on_submitted,
        UnitRegistered: on_unit_submitted,
        UnitResubmitted: on_unit_submitted,
        UnitApproved: on_unit_approved,
        UnitRejected: on_unit_rejected,
        ClerkCreated: on_clerk,
        ClerkChanged: on_clerk,
        ClerkDeactivated: on_clerk_deactivated,
        PasswordResetIssued: on_reset_issued,
        PasswordResetCompleted: on_reset_completed,
    }
)

# -------------------------------------------------------------------------------------------- OUTBOUND


def _decision(event: Any) -> Decision:
    return Decision(clerk_id=event.clerk_id, district=event.district, decided_at=event.decided_at)


def _case(event: ReviewCase.Decided) -> dict[str, Any]:
    return {
        "application_id": event.application_id,
        "application_number": event.application_number,
        "decision": _decision(event),
    }


def case_opened(event: ReviewCase.Opened | ReviewCase.Resubmitted) -> ApplicationCaseOpened:
    return ApplicationCaseOpened(
        application_id=event.application_id,
        application_number=event.application_number,
        decision=Decision(
            clerk_id="system", district=event.submission["district"], decided_at=event.timestamp
        ),
    )


def accepted(event: ReviewCase.Accepted) -> ApplicationAccepted:
    return ApplicationAccepted(**_case(event), materials_received=event.materials_received)


def not_accepted(event: ReviewCase.NotAccepted) -> ApplicationNotAccepted:
    return ApplicationNotAccepted(**_case(event), reason=event.reason)


def returned(event: ReviewCase.ReturnedForCorrection) -> ApplicationReturnedForCorrection:
    return ApplicationReturnedForCorrection(
        **_case(event),
        reasons=[SectionReason(section=r["section"], reason=r["reason"]) for r in event.reasons],
        missing_materials=event.missing_materials,
    )


def score_approved(event: ReviewCase.ScoreApproved) -> ApplicationScoreApproved:
    return ApplicationScoreApproved(
        **_case(event),
        verified_total=event.verified_total,
        pass_mark=event.pass_mark,
        lines=[VerifiedLine.model_validate(line) for line in event.lines],
    )


def score_rejected(event: ReviewCase.ScoreRejected) -> ApplicationScoreRejected:
    return ApplicationScoreRejected(**_case(event), reason=event.reason)


def withdrawn(event: ReviewCase.WithdrawalRecorded) -> ApplicationWithdrawalRecorded:
    requested_by: Literal["applicant", "unit"] = "unit" if event.requested_by == "unit" else "applicant"
    return ApplicationWithdrawalRecorded(**_case(event), requested_by=requested_by, reason=event.reason)


def unit_approved(event: UnitRegistration.ApprovedByClerk) -> UnitRegistrationApproved:
    return UnitRegistrationApproved(
        unit_id=event.unit_id,
        credit_code=event.credit_code,
        decision=_decision(event),
        materials_checked=event.materials_checked,
    )


def unit_rejected(event: UnitRegistration.RejectedByClerk) -> UnitRegistrationRejected:
    return UnitRegistrationRejected(
        unit_id=event.unit_id, credit_code=event.credit_code, decision=_decision(event), reason=event.reason
    )


def reset_authorised(event: PasswordResetRequest.Authorised) -> PasswordResetAuthorised:
    """The ID number was sealed for this message when the request was recorded."""
    return PasswordResetAuthorised(
        request_id=str(event.originator_id),
        account_kind="unit" if event.account_kind == "unit" else "applicant",
        unit_credit_code=event.unit_credit_code,
        applicant=event.applicant,
        acting_for_applicant=None
        if event.acting_for is None
        else ("unit_hr" if event.acting_for == "unit_hr" else "self"),
        decision=_decision(event),
        materials_checked=event.materials_checked,
    )


OUTBOUND = Outbound(
    {
        ReviewCase.Opened: case_opened,
        ReviewCase.Resubmitted: case_opened,
        ReviewCase.Accepted: accepted,
        ReviewCase.NotAccepted: not_accepted,
        ReviewCase.ReturnedForCorrection: returned,
        ReviewCase.ScoreApproved: score_approved,
        ReviewCase.ScoreRejected: score_rejected,
        ReviewCase.WithdrawalRecorded: withdrawn,
        UnitRegistration.ApprovedByClerk: unit_approved,
        UnitRegistration.RejectedByClerk: unit_rejected,
        PasswordResetRequest.Authorised: reset_authorised,
    }
)
