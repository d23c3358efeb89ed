"""What the applications service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

OUTBOUND: the start and every status transition on the public status topic; the submission (the whole
form sealed, the declared score and the materials checklist) and the verified result on the internal
events topic.
Every other domain event is private.

INBOUND:

* accounts: the directory of approved units and their applicants (``domain.directory``); a change of
  employer moves an application not yet submitted to the new unit and records the move on a
  submitted one, which stays with the unit that filed it;
* review: the talent centre's decisions, which the application applies to its own status (the
  aggregate is the one writer of its status);
* documents: a rendered PDF makes its print button appear.

Handlers never refuse a message for business reasons (the inbox would retry it for ever and hold the
partition): a decision about an application this service does not know, or one its status no longer
allows (a repeat), is logged and tracked, nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from services.applications.domain.application import PointsApplication, VerifiedItem
from services.applications.domain.directory import Applicant, Unit
from services.applications.domain.status import Actor
from services.applications.service import ApplicationsService
from shared.contracts.accounts import (
    ApplicantActivated,
    ApplicantChangedUnit,
    ApplicantPersonalData,
    ApplicantRegistered,
    UnitApproved,
    UnitDetailsChanged,
)
from shared.contracts.applications import (
    Actor as ContractActor,
)
from shared.contracts.applications import (
    ApplicationApproved,
    ApplicationStatusChanged,
    ApplicationSubmitted,
    Material,
    ScoreLine,
    SubmittedForm,
)
from shared.contracts.documents import DocumentRendered
from shared.contracts.review import (
    ApplicationAccepted,
    ApplicationCaseOpened,
    ApplicationNotAccepted,
    ApplicationReturnedForCorrection,
    ApplicationScoreApproved,
    ApplicationScoreRejected,
    ApplicationWithdrawalRecorded,
    CaseDecision,
)
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import DomainError
from shared.kernel.roles import Role
from shared.platform.integration import Inbound, Outbound, Received, Sealing

log = logging.getLogger("jifen.applications.inbound")

SYSTEM = Actor(Role.SYSTEM, "applications")
"""The actor of the steps this service takes by itself (等待审批 once accepted)."""

# --------------------------------------------------------------------------------------------------
# OUTBOUND


def status_changed(event: PointsApplication.StatusChanged) -> ApplicationStatusChanged:
    """Every transition, on the public status topic: the audit trail (ID number masked, no name)."""
    return ApplicationStatusChanged(
        application_id=str(event.originator_id),
        application_number=event.application_number,
        kind=ApplicationKind(event.kind),
        previous_status=ApplicationStatus(event.from_status),
        new_status=ApplicationStatus(event.to_status),
        actor=ContractActor(role=Role(event.actor_role), id=event.actor_id),
        reason=event.reason or None,
        changed_at=event.at,
        applicant_id_masked=event.applicant_id_masked,
        unit_id=str(event.unit_id),
        unit_credit_code=event.unit_credit_code,
        district=event.unit_district,
        verified_score=event.verified_score,
    )


def started(event: PointsApplication.Started) -> ApplicationStatusChanged:
    """The start (填写中, from no status): the first step of the audit trail, as the timeline shows it."""
    return ApplicationStatusChanged(
        application_id=str(event.originator_id),
        application_number=event.application_number,
        kind=ApplicationKind(event.kind),
        previous_status=None,
        new_status=ApplicationStatus.DRAFT,
        actor=ContractActor(role=Role(event.started_by_role), id=event.started_by_id),
        changed_at=event.at,
        applicant_id_masked=event.applicant_id_masked,
        unit_id=str(event.unit_id),
        unit_credit_code=event.unit_credit_code,
        district=event.unit_district,
    )


def _facts(event: PointsApplication.Submitted | PointsApplication.Approved) -> dict[str, Any]:
    return {
        "application_id": str(event.originator_id),
        "application_number": event.application_number,
        "kind": ApplicationKind(event.kind),
        "applicant_id": str(event.applicant_id),
        "applicant_id_masked": event.applicant_id_masked,
        "unit_id": str(event.unit_id),
        "unit_credit_code": event.unit_credit_code,
        "unit_name": event.unit_name,
        "district": event.unit_district,
    }


def submitted(event: PointsApplication.Submitted, sealing: Sealing) -> ApplicationSubmitted:
    """单位审核通过, for review and documents: the form sealed (personal data never in the clear)."""
    form = SubmittedForm.model_validate(event.form)
    return ApplicationSubmitted(
        **_facts(event),
        submission=event.submission,
        submitted_at=event.at,
        submitted_by=event.submitted_by,
        declared_total=event.declared_total,
        pass_mark=event.pass_mark,
        declared_lines=[ScoreLine.model_validate(line) for line in event.declared_lines],
        materials=[Material.model_validate(item) for item in event.materials],
        form=sealing.seal(form, payload=ApplicationSubmitted, subject=str(event.originator_id)),
    )


def approved(event: PointsApplication.Approved) -> ApplicationApproved:
    """审批通过: the verified result the points notice is rendered from."""
    return ApplicationApproved(
        **_facts(event),
        approved_at=event.at,
        approved_by=event.approved_by,
        verified_total=event.verified_total,
        pass_mark=event.pass_mark,
        verified_lines=[ScoreLine.model_validate(line) for line in event.verified_lines],
    )


OUTBOUND = Outbound(
    {
        PointsApplication.Started: started,
        PointsApplication.StatusChanged: status_changed,
        PointsApplication.Submitted: submitted,
        PointsApplication.Approved: approved,
    }
)

# --------------------------------------------------------------------------------------------------
# INBOUND: accounts' directory


def _uuid(value: str, what: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        log.error("accounts sent a %s id that is not a UUID; ignored", what)
        return None


def on_unit_approved(
    service: ApplicationsService, message: Received[UnitApproved], processing_event: ProcessingEvent[UUID]
) -> None:
    facts = message.payload
    unit_id = _uuid(facts.unit_id, "unit")
    if unit_id is None:
        return
    unit = service.unit(unit_id)
    if unit is None:
        unit = Unit.approved(
            unit_id=unit_id,
            credit_code=facts.credit_code,
            name=facts.unit_name,
            district=facts.district,
            at=facts.approved_at,
        )
    else:
        unit.change_details(name=facts.unit_name, at=facts.approved_at)
    processing_event.collect_events(unit)


def on_unit_details_changed(
    service: ApplicationsService,
    message: Received[UnitDetailsChanged],
    processing_event: ProcessingEvent[UUID],
) -> None:
    unit_id = _uuid(message.payload.unit_id, "unit")
    unit = None if unit_id is None else service.unit(unit_id)
    if unit is not None:  # a unit not approved yet is listed when it is
        unit.change_details(name=message.payload.unit_name, at=message.payload.changed_at)
        processing_event.collect_events(unit)


def on_applicant_registered(
    service: ApplicationsService,
    message: Received[ApplicantRegistered],
    processing_event: ProcessingEvent[UUID],
) -> None:
    registered = message.payload
    applicant_id = _uuid(registered.applicant_id, "applicant")
    unit_id = _uuid(registered.unit_id, "unit")
    if applicant_id is None or unit_id is None or service.applicant(applicant_id) is not None:
        return
    personal = service.sealing.open(message, registered.personal, ApplicantPersonalData)
    applicant = Applicant.register(
        applicant_id=applicant_id,
        unit_id=unit_id,
        name=personal.name,
        id_number_masked=registered.id_number_masked,
        birth_date=registered.birth_date,
        sex=registered.sex.value,
        personal_sealed=registered.personal,
        sealed_subject=message.envelope.subject,
        at=registered.registered_at,
    )
    processing_event.collect_events(applicant)


def on_applicant_activated(
    service: ApplicationsService,
    message: Received[ApplicantActivated],
    processing_event: ProcessingEvent[UUID],
) -> None:
    applicant_id = _uuid(message.payload.applicant_id, "applicant")
    applicant = None if applicant_id is None else service.applicant(applicant_id)
    if applicant is not None:
        applicant.activate(at=message.payload.activated_at)
        processing_event.collect_events(applicant)


class UnitNotYetKnown(RuntimeError):
    """An applicant moved to a unit whose approval has not reached this service yet (another
    partition): the message is retried until it has."""


def on_applicant_changed_unit(
    service: ApplicationsService,
    message: Received[ApplicantChangedUnit],
    processing_event: ProcessingEvent[UUID],
) -> None:
    """修改单位组织机构代码: the applicant now belongs to the new unit; so does an application not
    submitted yet. A submitted (or decided) one stays, and records the move."""
    change = message.payload
    applicant_id = _uuid(change.applicant_id, "applicant")
    unit_id = _uuid(change.unit_id, "unit")
    applicant = None if applicant_id is None else service.applicant(applicant_id)
    if applicant is None or unit_id is None:
        return
    if service.unit(unit_id) is None:
        raise UnitNotYetKnown(f"unit {unit_id} is not in the directory yet")
    applicant.move_to_unit(unit_id=unit_id, at=change.changed_at)
    processing_event.collect_events(applicant)
    current = applicant.current_application_id
    if current is not None:
        application: PointsApplication = service.repository.get(current)
        _follow_applicant(service, application, applicant, change.changed_at)
        processing_event.collect_events(application)


def _follow_applicant(
    service: ApplicationsService, application: PointsApplication, applicant: Applicant, at: Any
) -> None:
    """An editable application belongs to the applicant's unit now; one that is not records the move."""
    if application.unit_id == applicant.unit_id:
        return
    if not application.is_editable:
        application.note_applicant_moved(new_unit_id=applicant.unit_id, at=at)
        return
    unit = service.unit(applicant.unit_id)
    assert unit is not None, "the applicant's unit is in the directory"
    application.change_unit(
        unit_id=unit.unit_id,
        unit_credit_code=unit.credit_code,
        unit_name=unit.name,
        unit_district=unit.district,
        by=Actor(Role.APPLICANT, str(applicant.applicant_id)),
        at=at,
    )


# --------------------------------------------------------------------------------------------------
# INBOUND: review's decisions


def _clerk(decision: CaseDecision) -> Actor:
    return Actor(Role.CLERK, decision.decision.clerk_id)


def _decide(
    apply: Callable[[PointsApplication, Any], None], *, follow_applicant: bool = False
) -> Callable[[ApplicationsService, Received[Any], ProcessingEvent[UUID]], None]:
    """An INBOUND handler that applies a review decision to its application (see the module doc for
    what is ignored). ``follow_applicant``: once editable again, the application moves to the unit
    the applicant works for now."""

    def handler(
        service: ApplicationsService, message: Received[Any], processing_event: ProcessingEvent[UUID]
    ) -> None:
        decision: CaseDecision = message.payload
        application_id = _uuid(decision.application_id, "application")
        application = None
        if application_id is not None:
            try:
                application = service.application(application_id, Actor(Role.SYSTEM, "review"))
            except DomainError:
                application = None
        if application is None or application.application_number != decision.application_number:
            log.error(
                "review decided %s on an unknown application %s; ignored",
                type(decision).__name__,
                decision.application_number,
            )
            return
        try:
            apply(application, decision)
        except DomainError as error:
            log.warning(
                "review's %s on %s cannot be applied in status %s (%s); ignored",
                type(decision).__name__,
                application.application_number,
                application.status.value,
                error.code,
            )
            return
        if follow_applicant:
            applicant = service.applicant(application.applicant_id)
            if applicant is not None:
                _follow_applicant(service, application, applicant, decision.decision.decided_at)
        processing_event.collect_events(application)

    return handler


def _case_opened(application: PointsApplication, decision: ApplicationCaseOpened) -> None:
    application.queue_for_acceptance(
        by=Actor(Role.SYSTEM, decision.decision.clerk_id), at=decision.decision.decided_at
    )


def _accepted(application: PointsApplication, decision: ApplicationAccepted) -> None:
    at = decision.decision.decided_at
    application.accept(by=_clerk(decision), at=at)
    application.queue_for_approval(by=SYSTEM, at=at)


def _not_accepted(application: PointsApplication, decision: ApplicationNotAccepted) -> None:
    application.refuse_acceptance(
        by=_clerk(decision), at=decision.decision.decided_at, reason=decision.reason
    )


def _returned(application: PointsApplication, decision: ApplicationReturnedForCorrection) -> None:
    application.return_for_correction(
        by=_clerk(decision),
        at=decision.decision.decided_at,
        section_reasons={item.section: item.reason for item in decision.reasons},
        missing_materials=decision.missing_materials,
    )


def _score_approved(application: PointsApplication, decision: ApplicationScoreApproved) -> None:
    application.approve(
        by=_clerk(decision),
        at=decision.decision.decided_at,
        verified_score=decision.verified_total,
        verified_lines=[
            VerifiedItem(line.indicator, line.verified_points, line.counted) for line in decision.lines
        ],
    )


def _score_rejected(application: PointsApplication, decision: ApplicationScoreRejected) -> None:
    application.reject(by=_clerk(decision), at=decision.decision.decided_at, reason=decision.reason)


def _withdrawn(application: PointsApplication, decision: ApplicationWithdrawalRecorded) -> None:
    application.withdraw(by=_clerk(decision), at=decision.decision.decided_at, reason=decision.reason)


# --------------------------------------------------------------------------------------------------
# INBOUND: documents


def on_document_rendered(
    service: ApplicationsService,
    message: Received[DocumentRendered],
    processing_event: ProcessingEvent[UUID],
) -> None:
    rendered = message.payload
    application_id = _uuid(rendered.application_id, "application")
    if application_id is None:
        return
    try:
        application = service.application(application_id, Actor(Role.SYSTEM, "documents"))
    except DomainError:
        log.error("documents rendered %s for an unknown application; ignored", rendered.kind)
        return
    application.record_document(
        kind=rendered.kind,
        document_id=rendered.document_id,
        version=rendered.version,
        rendered_at=rendered.rendered_at,
    )
    processing_event.collect_events(application)


INBOUND = Inbound(
    {
        UnitApproved: on_unit_approved,
        UnitDetailsChanged: on_unit_details_changed,
        ApplicantRegistered: on_applicant_registered,
        ApplicantActivated: on_applicant_activated,
        ApplicantChangedUnit: on_applicant_changed_unit,
        ApplicationCaseOpened: _decide(_case_opened),
        ApplicationAccepted: _decide(_accepted),
        ApplicationNotAccepted: _decide(_not_accepted),
        ApplicationReturnedForCorrection: _decide(_returned, follow_applicant=True),
        ApplicationScoreApproved: _decide(_score_approved),
        ApplicationScoreRejected: _decide(_score_rejected),
        ApplicationWithdrawalRecorded: _decide(_withdrawn, follow_applicant=True),
        DocumentRendered: on_document_rendered,
    }
)
