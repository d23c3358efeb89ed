"""What the review pages and the JSON API share: who the clerk is, what they may open, and the views
built from the service's aggregates (the case with its opened form and timeline, a unit, a request).

Every route is for clerks only (``requires_roles(Role.CLERK, ...)``); a route open to several duties
checks them with ``require_any_duty`` (403 without data); every record is looked up in the clerk's
district only (another district's is a 404 that does not confirm it exists: ``NotVisible``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import anyio
import asyncpg
from litestar import Request

from services.review.domain.case import ReviewCase
from services.review.domain.clerk_rules import Clerk
from services.review.domain.resets import PasswordResetRequest
from services.review.domain.timeline import StatusTimeline
from services.review.domain.units import UnitRegistration
from services.review.readmodels import CaseFilters, ReviewDesk
from services.review.service import NOT_FOUND, ReviewService
from shared.contracts.accounts import UnitContact, UnitRegistered, UnitResubmitted
from shared.contracts.applications import ApplicationSubmitted, SubmittedForm
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import NotPermitted, NotVisible
from shared.kernel.id_number import validate_id_number
from shared.kernel.moments import SHANGHAI
from shared.kernel.roles import Duty
from shared.kernel.text import Text
from shared.platform.auth import Principal
from shared.platform.guards import principal_of
from shared.platform.projections import wait_for

T = TypeVar("T")

CASE_DUTIES = (Duty.ACCEPTANCE, Duty.APPROVAL)


def clerk_of(request: Request[Any, Any, Any]) -> Clerk:
    principal: Principal = principal_of(request)
    if not principal.is_clerk or not principal.district:
        raise NotPermitted(Text("仅限人才服务中心工作人员。", "Talent-centre clerks only."))
    return Clerk(principal.account_id, principal.district, principal.duties)


def require_any_duty(clerk: Clerk, duties: Collection[Duty]) -> None:
    """403 unless the clerk holds one of ``duties``."""
    if not clerk.duties & set(duties):
        names = "、".join(d.label.zh for d in duties)
        raise NotPermitted(
            Text(f"您没有办理此事项的职责（需要：{names}）。", "You do not have a duty that covers this."),
            code="clerk.missing_duty",
        )


def now(request: Request[Any, Any, Any]) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def today(request: Request[Any, Any, Any]) -> date:
    return now(request).astimezone(SHANGHAI).date()


async def run(function: Callable[..., T], *args: Any) -> T:
    """Call the (synchronous) eventsourcing application from a worker thread."""
    return await anyio.to_thread.run_sync(function, *args)


# ------------------------------------------------------------------------------------ queues

QUEUE_DUTIES: Mapping[str, tuple[Duty, ...]] = {
    "acceptance": (Duty.ACCEPTANCE,),
    "approval": (Duty.APPROVAL,),
    "withdrawal": (Duty.ACCEPTANCE,),
    "decided": CASE_DUTIES,
}


def id_search(service: ReviewService, text: str) -> tuple[str, ...] | None:
    """The fingerprints to look a full ID number up by, or None when ``text`` is not one."""
    checked = validate_id_number(text, today=None)
    return None if checked.value is None else tuple(service.id_fingerprints(checked.value.value))


def case_filters(request: Request[Any, Any, Any], queue: str) -> CaseFilters:
    """A queue's filters from the query string. ``q`` finds an application number or a unit's
    code; an ID number is searched by POST (``search_filters``), never put in a URL."""
    params = request.query_params
    kind = params.get("kind", "")
    try:
        min_waiting = int(params.get("waiting") or 0) or None
        page_number = int(params.get("page") or 1)
    except ValueError:
        min_waiting, page_number = None, 1
    return CaseFilters(
        queue=queue,
        kind=ApplicationKind(kind) if kind in {k.value for k in ApplicationKind} else None,
        unit=(params.get("unit") or "").strip(),
        min_waiting=min_waiting if min_waiting and min_waiting > 0 else None,
        overdue=params.get("overdue") == "1",
        number_or_code=(params.get("q") or "").strip(),
        sort=params.get("sort") or "waiting",
        page=page_number,
    )


def search_filters(service: ReviewService, queue: str, text: str) -> CaseFilters:
    """A search box's filters: an ID number by its fingerprints, else a number or a unit's code."""
    search = text.strip()
    fingerprints = id_search(service, search) if len(search) == 18 else None
    if fingerprints is not None:
        return CaseFilters(queue=queue, fingerprints=fingerprints)
    return CaseFilters(queue=queue, number_or_code=search)


# ------------------------------------------------------------------------------------ views

#: What review's last decision asks the applications service to record (the status it then
#: publishes); ``AWAITING_APPROVAL`` follows ``ACCEPTED`` at once.
EXPECTED_STATUS: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    ApplicationStatus.AWAITING_ACCEPTANCE: (ApplicationStatus.AWAITING_ACCEPTANCE,),
    ApplicationStatus.AWAITING_APPROVAL: (ApplicationStatus.ACCEPTED, ApplicationStatus.AWAITING_APPROVAL),
    ApplicationStatus.NOT_ACCEPTED: (ApplicationStatus.NOT_ACCEPTED,),
    ApplicationStatus.RETURNED_FOR_CORRECTION: (ApplicationStatus.RETURNED_FOR_CORRECTION,),
    ApplicationStatus.APPROVED: (ApplicationStatus.APPROVED,),
    ApplicationStatus.REJECTED: (ApplicationStatus.REJECTED,),
    ApplicationStatus.WITHDRAWN: (ApplicationStatus.WITHDRAWN,),
}


@dataclass(frozen=True)
class CaseView:
    case: ReviewCase
    form: SubmittedForm | None
    """The opened form (none when this process cannot open it: no keyring)."""
    timeline: StatusTimeline | None

    @property
    def application_status(self) -> ApplicationStatus | None:
        return self.timeline.current if self.timeline else None

    @property
    def status_pending(self) -> bool:
        """Has the applications service not yet published the status review's decision asks for?"""
        current = self.application_status
        if self.case.last_decision is None:  # nothing decided here yet: nothing to wait for
            return False
        last_step = self.timeline.steps[-1].at if self.timeline and self.timeline.steps else None
        expected = EXPECTED_STATUS[self.case.stage]
        return current not in expected or last_step is None or last_step < self.case.last_decision.at


def case_view(
    service: ReviewService, clerk: Clerk, application_id: str, *, with_form: bool = False
) -> CaseView:
    """The case and its status timeline; ``with_form`` also opens the sealed form (the case page
    shows it; the status poll and the API do not, so they do not decrypt it)."""
    case = service.case(clerk, application_id)
    if not with_form:
        return CaseView(case, None, service.timeline(application_id))
    try:
        form = service.sealing.open_kept(
            case.submission.form, payload=ApplicationSubmitted, subject=application_id, model=SubmittedForm
        )
    except Exception:  # no keyring here, or a value sealed under a retired key: show what is known
        form = None
    return CaseView(case, form, service.timeline(application_id))


def unit_contact(service: ReviewService, unit: UnitRegistration) -> UnitContact | None:
    if unit.contact is None:
        return None
    payload = UnitResubmitted if unit.contact_event == "UnitResubmitted" else UnitRegistered
    try:
        return service.sealing.open_kept(
            unit.contact, payload=payload, subject=unit.unit_id, model=UnitContact
        )
    except Exception:  # as for the form
        return None


def reset_view(service: ReviewService, clerk: Clerk, request_id: str) -> PasswordResetRequest:
    try:
        key = UUID(request_id)
    except ValueError:
        raise NotVisible(NOT_FOUND) from None
    return service.reset_request(clerk, key)


async def settled(pool: asyncpg.Pool, notification_id: int) -> None:
    """Let review's lists catch up with a decision before the next read (pages and API alike)."""
    if notification_id:
        await wait_for(pool, ReviewDesk.name, notification_id, timeout=3.0)
