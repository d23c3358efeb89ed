"""An application's status timeline as the talent centre sees it, from the public status topic.

The applications service alone decides an application's status; review keeps the steps it
publishes (who, when, why) to show them on the case page, in the manner of a parcel tracker.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.application_status import ApplicationStatus
from shared.kernel.roles import Role

TIMELINE_NS = uuid.UUID("8e0c7d2b-51f4-5b0a-9c3e-6a2f1d4b7e90")


@dataclass(frozen=True, slots=True)
class Step:
    previous: ApplicationStatus | None
    status: ApplicationStatus
    actor_role: Role
    actor_id: str
    at: datetime
    reason: str | None


class StatusTimeline(Aggregate):
    """The steps of one application, in the order the applications service took them."""

    TOPIC = "review.StatusTimeline"

    class Event(Aggregate.Event):
        TOPIC = "review.StatusTimeline.Event"

    class Created(Aggregate.Created):
        TOPIC = "review.StatusTimeline.Created"

    class Opened(Aggregate.Created):
        TOPIC = "review.StatusTimeline.Opened"
        application_id: str
        application_number: str

    class StepRecorded(Aggregate.Event):
        TOPIC = "review.StatusTimeline.StepRecorded"
        previous: str | None
        status: str
        actor_role: str
        actor_id: str
        at: datetime
        reason: str | None

    @staticmethod
    def create_id(application_id: str) -> UUID:
        return uuid.uuid5(TIMELINE_NS, application_id)

    @event(Opened)
    def __init__(self, application_id: str, application_number: str) -> None:
        self.application_id = application_id
        self.application_number = application_number
        self._steps: list[dict[str, str | None]] = []

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(
            Step(
                previous=ApplicationStatus(s["previous"]) if s["previous"] else None,
                status=ApplicationStatus(str(s["status"])),
                actor_role=Role(str(s["actor_role"])),
                actor_id=str(s["actor_id"]),
                at=datetime.fromisoformat(str(s["at"])),
                reason=s["reason"],
            )
            for s in self._steps
        )

    @property
    def current(self) -> ApplicationStatus | None:
        return self.steps[-1].status if self._steps else None

    def record(self, step: Step) -> None:
        """Add a step; one already recorded (same time and status) is not added twice."""
        if any(s.at == step.at and s.status is step.status for s in self.steps):
            return
        self._step_recorded(
            previous=step.previous.value if step.previous else None,
            status=step.status.value,
            actor_role=step.actor_role.value,
            actor_id=step.actor_id,
            at=step.at,
            reason=step.reason,
        )

    @event(StepRecorded)
    def _step_recorded(
        self,
        previous: str | None,
        status: str,
        actor_role: str,
        actor_id: str,
        at: datetime,
        reason: str | None,
    ) -> None:
        self._steps.append(
            {
                "previous": previous,
                "status": status,
                "actor_role": actor_role,
                "actor_id": actor_id,
                "at": at.isoformat(),
                "reason": reason,
            }
        )
