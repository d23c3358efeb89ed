"""The review service's JSON API (``/api/review/``): the same queues and decisions as the pages, for
clerks' tools and tests. Bearer tokens only; the same district and duty rules; problems as RFC 9457
(a refused decision is a 409 naming what was already decided, a missing material a 422 listing every
missing item at once, another district's case a 404).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self
from uuid import UUID

import asyncpg
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from pydantic import BaseModel, ConfigDict, Field

from services.review.calendar import CALENDAR
from services.review.domain.resets import ResetState
from services.review.domain.units import UnitState
from services.review.http.common import (
    CASE_DUTIES,
    QUEUE_DUTIES,
    case_filters,
    case_view,
    clerk_of,
    id_search,
    now,
    require_any_duty,
    reset_view,
    run,
    search_filters,
    settled,
    today,
)
from services.review.readmodels import (
    AGE_BUCKETS,
    CaseRow,
    QueueName,
    ResetRow,
    UnitRow,
    case_summary,
    cases,
    clerks,
    dashboard,
    resets,
    units,
)
from services.review.service import ReviewService
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.errors import ValidationFailed
from shared.kernel.id_number import validate_id_number
from shared.kernel.moments import SHANGHAI
from shared.kernel.roles import Duty, Role
from shared.platform.guards import requires_roles
from shared.platform.paging import Page
from shared.platform.problems import problem_responses

Service = NamedDependency[ReviewService]
Pool = NamedDependency[asyncpg.Pool]
TAGS = ["review"]
CLERK = requires_roles(Role.CLERK)


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": list(examples)})


class CaseItem(BaseModel):
    """One case in a queue, with its working-day clocks (``provisional`` when a year without a
    published holiday arrangement is involved)."""

    model_config = ConfigDict(frozen=True)

    application_id: str
    application_number: str
    kind: ApplicationKind
    stage: ApplicationStatus
    unit_name: str
    unit_credit_code: str
    applicant_id_masked: str
    submission: int
    submitted_at: datetime
    accepted_at: datetime | None
    declared_total: int
    verified_total: int | None
    working_days_waiting: int
    working_days_since_acceptance: int | None
    scoring_deadline: date | None
    working_days_left: int | None
    overdue: bool
    provisional: bool

    @classmethod
    def of(cls, row: CaseRow) -> CaseItem:
        return cls(
            application_id=row.application_id,
            application_number=row.application_number,
            kind=row.kind,
            stage=row.stage,
            unit_name=row.unit_name,
            unit_credit_code=row.unit_credit_code,
            applicant_id_masked=row.applicant_masked,
            submission=row.submission,
            submitted_at=row.submitted_at,
            accepted_at=row.accepted_at,
            declared_total=row.declared_total,
            verified_total=row.verified_total,
            working_days_waiting=row.waiting,
            working_days_since_acceptance=row.since_acceptance,
            scoring_deadline=row.deadline,
            working_days_left=row.remaining,
            overdue=row.overdue,
            provisional=row.provisional,
        )


class PageOf(BaseModel):
    """Where a page of a list is: every list of the API is paged the same way (``?page=``)."""

    items: Sequence[BaseModel]  # each list narrows it to its kind of item
    total: int
    page: int
    pages: int

    @classmethod
    def listing(cls, found: Page[Any], item: Callable[[Any], BaseModel]) -> Self:
        """A page of the read model's rows, each shown as ``item`` makes it."""
        return cls(
            items=[item(row) for row in found.rows], total=found.total, page=found.page, pages=found.pages
        )


class CaseList(PageOf):
    items: list[CaseItem]


class MaterialItem(BaseModel):
    code: str
    name_zh: str
    name_en: str
    required: bool
    received: bool


class Line(BaseModel):
    indicator: str
    declared_points: int
    cap: int | None
    counted: bool
    verified_points: int | None = None
    reason: str | None = None


class TimelineStep(BaseModel):
    status: ApplicationStatus
    at: datetime
    actor_role: Role
    reason: str | None


class CaseDetail(BaseModel):
    """A case as the clerk sees it (personal data masked; the form's content is on the page only)."""

    case: CaseItem | None = Field(description="the queue entry (none until the lists caught up)")
    application_id: str
    application_number: str
    stage: ApplicationStatus
    accepted_by: str | None
    materials: list[MaterialItem]
    lines: list[Line]
    declared_total: int
    pass_mark: int
    verified_total: int | None
    application_status: ApplicationStatus | None = Field(
        description="as the applications service published it"
    )
    status_pending: bool = Field(
        description="review's last decision not yet recorded by the applications service"
    )
    timeline: list[TimelineStep]


class Decided(BaseModel):
    application_id: str
    stage: ApplicationStatus


class AcceptanceDecision(BaseModel):
    model_config = _examples(
        {"decision": "accept", "materials": ["stamped_form", "applicant_id", "labour_contract"]},
        {"decision": "refuse", "reason": "该单位注册地不在本区。"},
        {"decision": "return", "materials": ["stamped_form"], "reasons": {"resume": "简历时间不连续。"}},
    )

    decision: Literal["accept", "refuse", "return"]
    materials: list[str] = Field(default_factory=list, description="checklist codes received")
    reason: str = ""
    reasons: dict[str, str] = Field(default_factory=dict, description="section code -> reason (return)")


class LineEntry(BaseModel):
    points: int
    reason: str = ""


class ApprovalDecision(BaseModel):
    model_config = _examples(
        {"decision": "approve", "lines": {"education": {"points": 90, "reason": "学位证书不在目录内"}}},
        {"decision": "reject", "reason": "核定积分未达到标准分值。"},
    )

    decision: Literal["approve", "reject"]
    lines: dict[str, LineEntry] = Field(default_factory=dict, description="adjusted lines; others confirmed")
    reason: str = ""


class WithdrawalRequest(BaseModel):
    model_config = _examples({"requested_by": "unit", "reason": "单位申请撤销，需修改申报信息。"})

    requested_by: Literal["applicant", "unit"]
    reason: str


class UnitItem(BaseModel):
    credit_code: str
    unit_id: str
    unit_name: str
    state: UnitState
    submitted_at: datetime
    working_days_waiting: int
    provisional: bool

    @classmethod
    def of(cls, row: UnitRow) -> UnitItem:
        return cls(
            credit_code=row.credit_code,
            unit_id=row.unit_id,
            unit_name=row.unit_name,
            state=row.state,
            submitted_at=row.submitted_at,
            working_days_waiting=row.waiting,
            provisional=row.provisional,
        )


class UnitList(PageOf):
    items: list[UnitItem]


class UnitDecision(BaseModel):
    model_config = _examples(
        {
            "decision": "approve",
            "materials": [
                "introduction_letter",
                "business_licence",
                "credit_code_certificate",
                "social_insurance_registration",
            ],
        },
        {"decision": "reject", "reason": "营业执照复印件不清晰。"},
    )

    decision: Literal["approve", "reject"]
    materials: list[str] = Field(default_factory=list)
    reason: str = ""


class ResetItem(BaseModel):
    request_id: str
    account_kind: Literal["unit", "applicant"]
    unit_credit_code: str | None
    unit_name: str | None
    applicant_id_masked: str | None
    acting_for_applicant: str | None
    state: ResetState
    recorded_at: datetime

    @classmethod
    def of(cls, row: ResetRow) -> ResetItem:
        return cls(
            request_id=row.request_id,
            account_kind="unit" if row.account_kind == "unit" else "applicant",
            unit_credit_code=row.unit_credit_code,
            unit_name=row.unit_name,
            applicant_id_masked=row.applicant_masked,
            acting_for_applicant=row.acting_for,
            state=row.state,
            recorded_at=row.recorded_at,
        )


class ResetList(PageOf):
    items: list[ResetItem]


class ResetRequest(BaseModel):
    model_config = _examples(
        {
            "kind": "unit",
            "credit_code": "91310115000000019M",
            "materials": ["business_licence", "credit_code_certificate", "reset_request_form", "hr_id"],
        },
        {"kind": "applicant", "id_number": "110101199003077777", "acting_for": "self", "materials": []},
    )

    kind: Literal["unit", "applicant"]
    credit_code: str = ""
    id_number: str = Field(default="", description="a person's ID number (sealed for accounts; kept masked)")
    acting_for: Literal["self", "unit_hr"] = "self"
    materials: list[str] = Field(default_factory=list)


class ResetRecorded(BaseModel):
    request_id: str
    state: ResetState
    missing: list[str]


class Materials(BaseModel):
    model_config = _examples({"materials": ["personal_id", "reset_request_form"]})

    materials: list[str]


class ClerkItem(BaseModel):
    clerk_id: str
    username: str
    name: str
    duties: list[str]
    active: bool


class DashboardFigures(BaseModel):
    open_by_stage: dict[str, list[int]] = Field(description="stage -> open cases per age bucket")
    age_buckets: list[str]
    overdue: int
    provisional: bool
    decisions_this_week: dict[str, int]
    units_pending: int
    resets_waiting: int


NOT_IN_DISTRICT = "No such case, unit or request in the clerk's district (never confirming one elsewhere)"
DECIDED = "Already decided (the problem says by whom and when), or not possible at the case's stage"
CASE_DECISION_RESPONSES = problem_responses(
    {
        403: "The clerk lacks the duty, or (approval) accepted this case: four eyes",
        404: NOT_IN_DISTRICT,
        409: DECIDED,
        422: "Field errors: a reason required, materials missing, verified points out of range",
    }
)
DESK_RESPONSES = problem_responses(
    {404: NOT_IN_DISTRICT, 409: DECIDED, 422: "Field errors: a reason or a material required"}
)


# ================================================================================== cases
@get(
    "/cases",
    operation_id="ListCases",
    summary="A queue of the clerk's district (filter, sort, search by number, unit code or ID number)",
    tags=TAGS,
    opt=CLERK,
)
async def list_cases(
    request: Request[Any, Any, Any], db_pool: Pool, queue: QueueName = "acceptance"
) -> CaseList:
    clerk = clerk_of(request)
    require_any_duty(clerk, QUEUE_DUTIES[queue])
    found = await cases(db_pool, clerk.district_code, case_filters(request, queue), today(request))
    return CaseList.listing(found, CaseItem.of)


class CaseSearch(BaseModel):
    model_config = _examples({"queue": "acceptance", "q": "110105194912310021"})

    queue: QueueName = "acceptance"
    q: str = Field(description="an application number, a unit's credit code or an applicant's ID number")


@post(
    "/cases/search",
    operation_id="SearchCases",
    summary="Find cases of a queue by application number, unit code or ID number (in the body, never a URL)",
    tags=TAGS,
    status_code=200,
    opt=CLERK,
)
async def search_cases(
    request: Request[Any, Any, Any], data: JSONBody[CaseSearch], service: Service, db_pool: Pool
) -> CaseList:
    clerk = clerk_of(request)
    require_any_duty(clerk, QUEUE_DUTIES[data.queue])
    found = await cases(
        db_pool, clerk.district_code, search_filters(service, data.queue, data.q), today(request)
    )
    return CaseList.listing(found, CaseItem.of)


@get(
    "/cases/{application_id:str}",
    operation_id="GetCase",
    summary="One case: materials, declared and verified lines, clocks, the application's status history",
    tags=TAGS,
    opt=CLERK,
)
async def get_case(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service, db_pool: Pool
) -> CaseDetail:
    clerk = clerk_of(request)
    require_any_duty(clerk, CASE_DUTIES)
    view = await run(case_view, service, clerk, application_id)
    case = view.case
    summary = await case_summary(db_pool, application_id, today(request))
    verified = {line.indicator: line for line in case.verified.lines} if case.verified else {}
    return CaseDetail(
        case=CaseItem.of(summary) if summary else None,
        application_id=case.application_id,
        application_number=case.application_number,
        stage=case.stage,
        accepted_by=case.accepted_by,
        materials=[
            MaterialItem(
                code=m.code,
                name_zh=m.name.zh,
                name_en=m.name.en,
                required=m.required,
                received=m.code in case.materials_received,
            )
            for m in case.checklist
        ],
        lines=[
            Line(
                indicator=x.indicator,
                declared_points=x.points,
                cap=x.cap,
                counted=x.counted,
                verified_points=verified[x.indicator].verified_points if x.indicator in verified else None,
                reason=verified[x.indicator].reason if x.indicator in verified else None,
            )
            for x in case.submission.declared_lines
        ],
        declared_total=case.submission.declared_total,
        pass_mark=case.submission.pass_mark,
        verified_total=case.verified.total if case.verified else None,
        application_status=view.application_status,
        status_pending=view.status_pending,
        timeline=[
            TimelineStep(status=s.status, at=s.at, actor_role=s.actor_role, reason=s.reason)
            for s in (view.timeline.steps if view.timeline else ())
        ],
    )


async def _stage(service: ReviewService, request: Request[Any, Any, Any], application_id: str) -> Decided:
    case = await run(service.case, clerk_of(request), application_id)
    return Decided(application_id=application_id, stage=case.stage)


@post(
    "/cases/{application_id:str}/acceptance",
    operation_id="DecideAcceptance",
    summary="受理通过 with the materials received, 不予受理 or 退回补正 with reasons",
    description="A missing required item refuses 受理通过 with one 422 listing every missing item.",
    tags=TAGS,
    status_code=200,
    opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]),
    responses=CASE_DECISION_RESPONSES,
)
async def decide_acceptance(
    request: Request[Any, Any, Any],
    application_id: FromPath[str],
    data: JSONBody[AcceptanceDecision],
    service: Service,
    db_pool: Pool,
) -> Decided:
    clerk = clerk_of(request)
    at = now(request)
    if data.decision == "refuse":
        notification_id = await run(service.refuse, clerk, application_id, data.reason, at)
    elif data.decision == "return":
        notification_id = await run(
            service.return_for_correction, clerk, application_id, data.reasons, data.materials, at
        )
    else:
        notification_id = await run(service.accept, clerk, application_id, data.materials, at)
    await settled(db_pool, notification_id)
    return await _stage(service, request, application_id)


@post(
    "/cases/{application_id:str}/approval",
    operation_id="DecideApproval",
    summary="审批通过 with the verified lines (total recomputed), or 审批不通过 with a reason",
    description="The clerk who accepted the case may not decide it (four eyes): 403.",
    tags=TAGS,
    status_code=200,
    opt=requires_roles(Role.CLERK, duties=[Duty.APPROVAL]),
    responses=CASE_DECISION_RESPONSES,
)
async def decide_approval(
    request: Request[Any, Any, Any],
    application_id: FromPath[str],
    data: JSONBody[ApprovalDecision],
    service: Service,
    db_pool: Pool,
) -> Decided:
    clerk = clerk_of(request)
    at = now(request)
    if data.decision == "reject":
        notification_id = await run(service.reject, clerk, application_id, data.reason, at)
    else:
        entered = {k: (str(v.points), v.reason) for k, v in data.lines.items()}
        notification_id = await run(service.approve, clerk, application_id, entered, at)
    await settled(db_pool, notification_id)
    return await _stage(service, request, application_id)


@post(
    "/cases/{application_id:str}/withdrawal",
    operation_id="RecordWithdrawal",
    summary="申请撤销 asked for at the window: who asked and why",
    tags=TAGS,
    status_code=200,
    opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]),
    responses=CASE_DECISION_RESPONSES,
)
async def record_withdrawal(
    request: Request[Any, Any, Any],
    application_id: FromPath[str],
    data: JSONBody[WithdrawalRequest],
    service: Service,
    db_pool: Pool,
) -> Decided:
    clerk = clerk_of(request)
    notification_id = await run(
        service.record_withdrawal, clerk, application_id, data.requested_by, data.reason, now(request)
    )
    await settled(db_pool, notification_id)
    return await _stage(service, request, application_id)


# ================================================================================== units


UNIT_DUTY = requires_roles(Role.CLERK, duties=[Duty.UNIT_REGISTRATION])


@get(
    "/units",
    operation_id="ListUnitRegistrations",
    summary="Unit registrations of the clerk's district (default: awaiting review)",
    tags=TAGS,
    opt=UNIT_DUTY,
)
async def list_units(
    request: Request[Any, Any, Any],
    db_pool: Pool,
    unit_state: Annotated[UnitState, QueryParameter(name="state")] = UnitState.PENDING,
    page: Annotated[int, QueryParameter(ge=1)] = 1,
) -> UnitList:
    clerk = clerk_of(request)
    found = await units(db_pool, clerk.district_code, unit_state, page, today(request))
    return UnitList.listing(found, UnitItem.of)


@post(
    "/units/{credit_code:str}/decision",
    operation_id="DecideUnitRegistration",
    summary="审核通过 after ticking the materials, or 审核不通过 with a reason",
    tags=TAGS,
    status_code=200,
    opt=UNIT_DUTY,
    responses=DESK_RESPONSES,
)
async def decide_unit(
    request: Request[Any, Any, Any],
    credit_code: FromPath[str],
    data: JSONBody[UnitDecision],
    service: Service,
    db_pool: Pool,
) -> UnitItem:
    clerk = clerk_of(request)
    code = normalise_credit_code(credit_code)
    at = now(request)
    if data.decision == "reject":
        notification_id = await run(service.reject_unit, clerk, code, data.reason, at)
    else:
        notification_id = await run(service.approve_unit, clerk, code, data.materials, at)
    await settled(db_pool, notification_id)
    unit = await run(service.unit, clerk, code)
    submitted_on = unit.submitted_at.astimezone(SHANGHAI).date()
    return UnitItem(
        credit_code=unit.credit_code,
        unit_id=unit.unit_id,
        unit_name=unit.unit_name,
        state=unit.state,
        submitted_at=unit.submitted_at,
        working_days_waiting=CALENDAR.working_days_between(submitted_on, today(request)),
        provisional=CALENDAR.provisional_between(submitted_on, today(request)),
    )


# ================================================================================== password desk


RESET_DUTY = requires_roles(Role.CLERK, duties=[Duty.PASSWORD_RESET])


@get(
    "/password-resets",
    operation_id="ListPasswordResets",
    summary="The desk's requests recorded at this centre (optionally found by ID number)",
    tags=TAGS,
    opt=RESET_DUTY,
)
async def list_resets(
    request: Request[Any, Any, Any],
    db_pool: Pool,
    reset_state: Annotated[ResetState | None, QueryParameter(name="state")] = None,
    page: Annotated[int, QueryParameter(ge=1)] = 1,
) -> ResetList:
    clerk = clerk_of(request)
    states = [reset_state] if reset_state else list(ResetState)
    found = await resets(db_pool, clerk.district_code, states, page)
    return ResetList.listing(found, ResetItem.of)


class ResetSearch(BaseModel):
    model_config = _examples({"id_number": "110105194912310021"})

    id_number: str
    page: int = Field(default=1, ge=1)


@post(
    "/password-resets/search",
    operation_id="SearchPasswordResets",
    summary="A person's requests at this centre, found by ID number (in the body, never a URL)",
    tags=TAGS,
    status_code=200,
    opt=RESET_DUTY,
)
async def search_resets(
    request: Request[Any, Any, Any], data: JSONBody[ResetSearch], service: Service, db_pool: Pool
) -> ResetList:
    clerk = clerk_of(request)
    fingerprints = id_search(service, data.id_number.strip())
    if fingerprints is None:
        checked = validate_id_number(data.id_number, today=None)
        raise ValidationFailed(checked.errors)
    found = await resets(db_pool, clerk.district_code, list(ResetState), data.page, fingerprints)
    return ResetList.listing(found, ResetItem.of)


async def _recorded(
    service: ReviewService, request: Request[Any, Any, Any], request_id: Any
) -> ResetRecorded:
    found = await run(service.reset_request, clerk_of(request), UUID(str(request_id)))
    return ResetRecorded(request_id=str(found.id), state=found.state, missing=[m.code for m in found.missing])


@post(
    "/password-resets",
    operation_id="RecordPasswordReset",
    summary="Record a reset request at the window; a complete one is authorised for accounts at once",
    description="A unit's request only in the unit's district (403 elsewhere); a person's in any district.",
    tags=TAGS,
    status_code=201,
    opt=RESET_DUTY,
    responses=DESK_RESPONSES,
)
async def record_reset(
    request: Request[Any, Any, Any], data: JSONBody[ResetRequest], service: Service, db_pool: Pool
) -> ResetRecorded:
    clerk = clerk_of(request)
    at = now(request)
    request_id, notification_id = await run(
        lambda: service.record_reset_request(
            clerk,
            kind=data.kind,
            at=at,
            materials=data.materials,
            credit_code=data.credit_code,
            id_number=data.id_number,
            acting_for=None if data.kind == "unit" else data.acting_for,
        )
    )
    await settled(db_pool, notification_id)
    return await _recorded(service, request, request_id)


@post(
    "/password-resets/{request_id:str}/materials",
    operation_id="TickPasswordResetMaterials",
    summary="Tick the materials brought later; the request is authorised when complete",
    tags=TAGS,
    status_code=200,
    opt=RESET_DUTY,
    responses=DESK_RESPONSES,
)
async def tick_reset(
    request: Request[Any, Any, Any],
    request_id: FromPath[str],
    data: JSONBody[Materials],
    service: Service,
    db_pool: Pool,
) -> ResetRecorded:
    clerk = clerk_of(request)
    found = await run(reset_view, service, clerk, request_id)
    notification_id = await run(service.tick_reset_materials, clerk, found.id, data.materials, now(request))
    await settled(db_pool, notification_id)
    return await _recorded(service, request, found.id)


# ================================================================================== directory, dashboard


@get(
    "/clerks", operation_id="ListClerks", summary="The clerks of the caller's district", tags=TAGS, opt=CLERK
)
async def list_clerks(request: Request[Any, Any, Any], db_pool: Pool) -> list[ClerkItem]:
    clerk = clerk_of(request)
    return [
        ClerkItem(
            clerk_id=c.clerk_id, username=c.username, name=c.name, duties=list(c.duties), active=c.active
        )
        for c in await clerks(db_pool, clerk.district_code)
    ]


@get(
    "/dashboard",
    operation_id="GetDashboard",
    summary="The district's figures: open cases by stage and age, overdue, decisions this week",
    tags=TAGS,
    opt=CLERK,
)
async def get_dashboard(request: Request[Any, Any, Any], db_pool: Pool) -> DashboardFigures:
    clerk = clerk_of(request)
    figures = await dashboard(db_pool, clerk.district_code, today(request))
    return DashboardFigures(
        open_by_stage={stage.value: counts for stage, counts in figures.by_stage.items()},
        age_buckets=[f"{low}-{high}" if high is not None else f"{low}+" for low, high in AGE_BUCKETS],
        overdue=figures.overdue,
        provisional=figures.provisional,
        decisions_this_week=figures.decisions_this_week,
        units_pending=figures.units_pending,
        resets_waiting=figures.resets_waiting,
    )


router = Router(
    path="/api/review",
    route_handlers=[
        list_cases,
        search_cases,
        get_case,
        decide_acceptance,
        decide_approval,
        record_withdrawal,
        list_units,
        decide_unit,
        list_resets,
        search_resets,
        record_reset,
        tick_reset,
        list_clerks,
        get_dashboard,
    ],
)
