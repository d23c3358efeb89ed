"""A unit's registration as the talent centre of its district reviews it (单位注册审核, domain §4).

A unit registers online (accounts publishes it); its HR specialist brings the paper materials to the
acceptance point of the unit's registered district, where a clerk with the unit-registration duty
ticks them and approves, or rejects with a reason. Review publishes the decision; accounts applies it
and publishes the unit's new state, which closes the round here. A rejected unit may correct and
resubmit: a new round.

One aggregate per unified social credit code (a unit's code and district never change), so the desk
can find a unit by the code the HR specialist gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.review.domain.clerk_rules import Clerk, enforce, may_review_unit_registration
from services.review.domain.conflicts import AlreadyDecided
from services.review.domain.materials import Material, reason_errors, require_complete
from shared.kernel.errors import StateConflict, ValidationFailed
from shared.kernel.text import LabelledEnum, Text

UNIT_NS = uuid.UUID("5d2c9a60-7e1b-5f34-8a0d-2b6e4f9c1a37")

UNIT_REGISTRATION_MATERIALS: tuple[Material, ...] = (
    Material(
        "introduction_letter",
        Text(
            "单位介绍信，经办人身份证原件及复印件",
            "Introduction letter, and the HR specialist's ID (original and copy)",
        ),
    ),
    Material(
        "business_licence",
        Text(
            "营业执照或事业单位、社会团体、民办非企业单位登记证书原件及复印件",
            "Business licence, or the public-institution / social-organisation / private non-enterprise "
            "certificate (original and copy)",
        ),
    ),
    Material(
        "credit_code_certificate",
        Text(
            "组织机构代码证或统一社会信用代码证书原件及复印件，代码磁卡",
            "Organisation-code or unified social credit code certificate (original and copy), and the "
            "code card",
        ),
    ),
    Material(
        "social_insurance_registration",
        Text("社会保险登记证原件及复印件", "Social-insurance registration certificate (original and copy)"),
    ),
    Material(
        "hr_agency_licence",
        Text(
            "人力资源服务许可证或劳务派遣经营许可证（人力资源服务机构提供）",
            "HR service licence or labour-dispatch licence (HR agencies only)",
        ),
        required=False,
    ),
)
"""Domain brief §4 (sources: 92luohu.com 30307, hukou9.com 1831, tltzg.com 10889)."""


class UnitState(LabelledEnum):
    PENDING = "pending", Text("待审核", "Awaiting review")
    DECIDED = "decided", Text("已审核，待账户系统确认", "Decided; awaiting the accounts system")
    APPROVED = "approved", Text("审核通过", "Approved")
    REJECTED = "rejected", Text("审核不通过", "Rejected")


class UnitRegistration(Aggregate):
    TOPIC = "review.UnitRegistration"

    class Event(Aggregate.Event):
        TOPIC = "review.UnitRegistration.Event"

    class Created(Aggregate.Created):
        TOPIC = "review.UnitRegistration.Created"

    class Registered(Aggregate.Created):
        TOPIC = "review.UnitRegistration.Registered"
        unit_id: str
        credit_code: str
        unit_name: str
        district: str
        registered_at: datetime
        contact: str | None

    class Resubmitted(Aggregate.Event):
        TOPIC = "review.UnitRegistration.Resubmitted"
        unit_name: str
        submitted_at: datetime
        contact: str
        contact_event: str

    class Reviewed(Aggregate.Event):
        """Review's decision on the current round (published for accounts)."""

        TOPIC = "review.UnitRegistration.Reviewed"
        APPROVE: ClassVar[bool]
        unit_id: str
        credit_code: str
        clerk_id: str
        district: str
        decided_at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.state = UnitState.DECIDED
            aggregate.decision = (self.APPROVE, self.clerk_id, self.decided_at)

    class ApprovedByClerk(Reviewed):
        TOPIC = "review.UnitRegistration.ApprovedByClerk"
        APPROVE = True
        materials_checked: list[str]

    class RejectedByClerk(Reviewed):
        TOPIC = "review.UnitRegistration.RejectedByClerk"
        APPROVE = False
        reason: str

    class Settled(Aggregate.Event):
        """Accounts applied a decision (``UnitApproved`` / ``UnitRejected``)."""

        TOPIC = "review.UnitRegistration.Settled"
        approved: bool
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.state = UnitState.APPROVED if self.approved else UnitState.REJECTED

    @staticmethod
    def create_id(credit_code: str) -> UUID:
        return uuid.uuid5(UNIT_NS, credit_code)

    @event(Registered)
    def __init__(
        self,
        unit_id: str,
        credit_code: str,
        unit_name: str,
        district: str,
        registered_at: datetime,
        contact: str | None,
    ) -> None:
        self.unit_id = unit_id
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.district = district
        self.submitted_at = registered_at
        self.contact = contact
        """The sealed ``UnitContact`` as it arrived (none for a unit known only from its approval);
        ``contact_event`` names the message type that sealed it (its context, with the unit id)."""
        self.contact_event = "UnitRegistered"
        self.state = UnitState.PENDING
        self.decision: tuple[bool, str, datetime] | None = None

    def resubmit(self, unit_name: str, at: datetime, contact: str, contact_event: str) -> None:
        """A new round of review (a rejected unit corrected its registration)."""
        self._resubmitted(unit_name, at, contact, contact_event)

    @event(Resubmitted)
    def _resubmitted(self, unit_name: str, submitted_at: datetime, contact: str, contact_event: str) -> None:
        self.unit_name = unit_name
        self.submitted_at = submitted_at
        self.contact = contact
        self.contact_event = contact_event
        self.state = UnitState.PENDING
        self.decision = None

    def _expect_pending(self) -> None:
        if self.state is UnitState.PENDING:
            return
        if self.decision is not None:
            approved, clerk_id, at = self.decision
            what = Text("审核通过", "approved") if approved else Text("审核不通过", "rejected")
            raise AlreadyDecided(
                lambda who, when: Text(
                    f"该单位注册已于 {when} 由{who.zh}{what.zh}，本次操作未执行。",
                    f"This registration was already {what.en} at {when} by {who.en}; nothing was changed.",
                ),
                decided_by=clerk_id,
                decided_at=at,
                code="unit.already_decided",
            )
        raise StateConflict(
            Text(f"该单位当前为“{self.state.label.zh}”。", f"The unit is “{self.state.label.en}”."),
            code="unit.not_pending",
        )

    def _decision(self, clerk: Clerk, at: datetime) -> dict[str, Any]:
        enforce(may_review_unit_registration(clerk, unit_district_code=self.district))
        self._expect_pending()
        return {
            "unit_id": self.unit_id,
            "credit_code": self.credit_code,
            "clerk_id": clerk.clerk_id,
            "district": clerk.district_code,
            "decided_at": at,
        }

    def approve(self, clerk: Clerk, checked: Collection[str], at: datetime) -> None:
        """审核通过, after every required material was ticked (one notice of all that is missing)."""
        decision = self._decision(clerk, at)
        codes = require_complete(UNIT_REGISTRATION_MATERIALS, checked)
        self.trigger_event(self.ApprovedByClerk, **decision, materials_checked=list(codes))

    def reject(self, clerk: Clerk, reason: str, at: datetime) -> None:
        """审核不通过, with the reason shown to the unit."""
        decision = self._decision(clerk, at)
        if errors := reason_errors(reason):
            raise ValidationFailed(errors)
        self.trigger_event(self.RejectedByClerk, **decision, reason=reason.strip())

    def settle(self, approved: bool, at: datetime) -> None:
        """Accounts' word on the unit (applied whatever the stage: accounts owns the unit)."""
        self.trigger_event(self.Settled, approved=approved, at=at)
