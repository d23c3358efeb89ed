"""What the review service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

Only what another context needs is published; every other domain event is private.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from services.review.domain.timeline import StatusTimeline, Step
from services.review.service import ReviewService
from shared.contracts.applications import ApplicationStatusChanged
from shared.platform.integration import Inbound, Outbound, Received


def on_status_changed(
    review: ReviewService, message: Received[ApplicationStatusChanged], processing: ProcessingEvent[UUID]
) -> None:
    """Each published transition becomes a step of the application's timeline."""
    change = message.payload
    try:
        timeline: StatusTimeline = review.repository.get(StatusTimeline.create_id(change.application_id))
    except AggregateNotFoundError:
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


OUTBOUND = Outbound()
INBOUND = Inbound({ApplicationStatusChanged: on_status_changed})
