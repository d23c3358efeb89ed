"""Published language of the applications service.

Statuses, kinds and roles are the kernel's vocabulary (``shared.kernel``): the wire names are the
enum values, the same in tokens, events and domains.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import STATUS_TOPIC
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role


class Actor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    id: str = Field(min_length=1, description="account id (never an ID-card number)")


@published(source="applications", topic=STATUS_TOPIC)
class ApplicationStatusChanged(BaseModel):
    """One status transition of a points application: the public audit trail.

    Personal data is masked: the applicant appears only by account id and masked ID number.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: str
    application_number: str = Field(description="流水号")
    kind: ApplicationKind = Field(description="新办 / 续办")
    previous_status: ApplicationStatus | None
    new_status: ApplicationStatus
    actor: Actor
    reason: str | None = None
    changed_at: AwareDatetime
    applicant_id_masked: str = Field(description="e.g. 310101********123X")
    unit_id: str
