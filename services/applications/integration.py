"""What the applications service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

Only what another context needs is published; every other domain event is private.
"""

from __future__ import annotations

from services.applications.domain.application import PointsApplication
from shared.contracts.applications import Actor, ApplicationStatusChanged
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role
from shared.platform.integration import Inbound, Outbound


def status_changed(event: PointsApplication.StatusChanged) -> ApplicationStatusChanged:
    """Every transition, on the public status topic: the audit trail (ID number masked, no name)."""
    return ApplicationStatusChanged(
        application_id=str(event.originator_id),
        application_number=event.application_number,
        kind=ApplicationKind(event.kind),
        previous_status=ApplicationStatus(event.from_status),
        new_status=ApplicationStatus(event.to_status),
        actor=Actor(role=Role(event.actor_role), id=event.actor_id),
        reason=event.reason or None,
        changed_at=event.at,
        applicant_id_masked=event.applicant_id_masked,
        unit_id=str(event.unit_id),
        unit_credit_code=event.unit_credit_code,
        district=event.unit_district,
        verified_score=event.verified_score,
    )


OUTBOUND = Outbound({PointsApplication.StatusChanged: status_changed})
INBOUND = Inbound()
