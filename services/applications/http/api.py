"""The applications JSON API (``/api/applications/``): the same commands and views as the pages, for
API clients with a Bearer token (units and applicants).

* ``StartApplication``, ``GetApplication``, ``AcceptPledge``, ``SavePersonalInfo``, ``SaveResume``,
  ``SaveFamily``, ``SaveInvestment``, ``SaveScoringClaims``, ``SaveDeductions``, ``CompleteApplication``
  (完成), ``ReturnApplication`` (单位退回), ``SubmitApplication`` (单位审核通过), ``ListUnitApplications``
  (the unit's dashboard), ``ListMyApplications`` (the applicant's).
* A section's body is the section as the domain records it (``domain.sections``, ``domain.points.claims``)
  with ``based_on_version``, the application's version the client read. Every write answers with the
  new ``version`` and the status (``CommandAnswer``); ``GetApplication`` answers the whole view.
* Errors are RFC 9457 problems: 422 with every field error (the rules of the seed's form), 409 for a
  wrong state (with the reason) and for a stale save (``changes``: who changed what since, and
  ``current_version``), 404 for another unit's or person's application, 403 outside opening hours
  (``outside-opening-hours``) and for another role.

Texts of the domain (labels, the score's explanations) are bilingual ``{"zh", "en"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import anyio
import asyncpg
from litestar import Request, Router, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, FromQuery, QueryParameter

from services.applications.domain.application import PointsApplication
from services.applications.domain.completeness import find_problems
from services.applications.domain.moments import application_date
from services.applications.domain.sections.family import Family
from services.applications.domain.sections.investment import Investment
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import PersonalInfo
from services.applications.domain.sections.resume import Resume
from services.applications.http.access import actor_of
from services.applications.http.views import print_buttons, task_list, timeline
from services.applications.readmodels import (
    ApplicationRow,
    DashboardFilter,
    DashboardPage,
    applicant_applications,
    unit_dashboard,
)
from services.applications.scoring import ScoreView, declared_score
from services.applications.service import PLEDGE_TEXT_VERSION, ApplicationsService, Saved
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.points.claims import DeductionClaims, ScoringClaims
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.auth import Principal
from shared.platform.clock import Clock
from shared.platform.guards import requires_roles
from shared.platform.opening_hours import within_opening_hours
from shared.platform.problems import problem_response, problem_responses

API = "/api/applications"
EDITORS = requires_roles(Role.UNIT, Role.APPLICANT)
Service = NamedDependency[ApplicationsService]

# --------------------------------------------------------------------------------------------------
# What the API answers


@dataclass(frozen=True)
class SectionState:
    section: SectionName
    name: Text
    state: str = field(
        metadata={"description": "not_started, cannot_start, in_progress, completed, has_problems"}
    )
    correction_reason: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: Text


@dataclass(frozen=True)
class TimelineStep:
    status: ApplicationStatus
    label: Text
    at: datetime
    actor_role: Role
    reason: str


@dataclass(frozen=True)
class Document:
    kind: str
    version: int
    href: str


@dataclass(frozen=True)
class ApplicationView:
    """An application as its applicant or unit sees it."""

    application_id: UUID
    application_number: str
    kind: ApplicationKind
    status: ApplicationStatus
    version: int = field(metadata={"description": "send it back as based_on_version with the next write"})
    editable: bool
    applicant_id: UUID
    applicant_id_masked: str
    unit_id: UUID
    unit_name: str
    sections: list[SectionState]
    problems: list[Problem] = field(metadata={"description": "what stops 完成 today (empty: it can be done)"})
    declared_score: ScoreView | None
    verified_score: int | None
    correction_reasons: dict[str, str]
    timeline: list[TimelineStep]
    documents: list[Document]
    pledge_text_version: str


def application_view(application: PointsApplication, on: date) -> ApplicationView:
    form = application.form
    problems = find_problems(form, on)
    return ApplicationView(
        application_id=application.id,
        application_number=application.application_number,
        kind=application.kind,
        status=application.status,
        version=application.version,
        editable=application.is_editable,
        applicant_id=application.applicant_id,
        applicant_id_masked=application.applicant_id_masked,
        unit_id=application.unit_id,
        unit_name=application.unit_name,
        sections=[
            SectionState(task.section, task.section.label, task.status.value, task.reason)
            for task in task_list(application, on, problems)
        ],
        problems=[Problem(p.path, p.code, p.message) for p in problems],
        declared_score=declared_score(application, on, form),
        verified_score=application.verified_score,
        correction_reasons=application.correction_reasons,
        timeline=[
            TimelineStep(step.status, step.status.label, step.time, step.actor, step.reason)
            for step in timeline(application)
        ],
        documents=[Document(b.kind, b.version, b.href) for b in print_buttons(application)],
        pledge_text_version=PLEDGE_TEXT_VERSION,
    )


# --------------------------------------------------------------------------------------------------
# Request bodies


@dataclass(frozen=True)
class StartRequest:
    applicant_id: UUID
    kind: ApplicationKind


@dataclass(frozen=True)
class PledgeRequest:
    based_on_version: int
    text_version: str = PLEDGE_TEXT_VERSION


@dataclass(frozen=True)
class VersionRequest:
    based_on_version: int


@dataclass(frozen=True)
class ReturnRequest:
    based_on_version: int
    reason: str


@dataclass(frozen=True)
class PersonalInfoSave:
    based_on_version: int
    personal_info: PersonalInfo


@dataclass(frozen=True)
class ResumeSave:
    based_on_version: int
    resume: Resume


@dataclass(frozen=True)
class FamilySave:
    based_on_version: int
    family: Family


@dataclass(frozen=True)
class InvestmentSave:
    based_on_version: int
    investment: Investment


@dataclass(frozen=True)
class ScoringClaimsSave:
    based_on_version: int
    scoring_claims: ScoringClaims


@dataclass(frozen=True)
class DeductionsSave:
    based_on_version: int
    deductions: DeductionClaims


EXAMPLE_SECTIONS: dict[SectionName, dict[str, Any]] = {
    SectionName.PERSONAL_INFO: {
        "name": "张伟",
        "ethnicity": "汉族",
        "id_number": "310104199005171234",
        "hukou_address": "江苏省南京市玄武区中山路1号",
        "hukou_address_differs_from_id_card": False,
        "shanghai_address": "上海市徐汇区漕溪北路88号",
        "mobile": "13812345678",
        "marital_status": "MARRIED",
        "residence_permit_valid_from": "2025-06-01",
        "residence_permit_valid_until": "2026-05-31",
        "highest_education": "BACHELOR",
        "employment": {"post": "软件工程师", "contract_start": "2024-04-01", "contract_end": "2027-03-31"},
    },
    SectionName.RESUME: {
        "entries": [
            {
                "kind": "SCHOOL",
                "start_month": "2008-09-01",
                "end_month": "2012-06-01",
                "organisation": "同济大学",
                "post": "计算机科学与技术",
            },
            {
                "kind": "WORK",
                "start_month": "2012-07-01",
                "end_month": "2019-12-01",
                "organisation": "南京某软件公司",
                "post": "软件工程师",
            },
            {"kind": "UNEMPLOYED", "start_month": "2020-01-01", "end_month": "2020-03-01"},
            {
                "kind": "WORK",
                "start_month": "2020-04-01",
                "end_month": None,
                "organisation": "上海某科技有限公司",
                "post": "软件工程师",
            },
        ],
        "full_history_sheet_confirmed": False,
    },
    SectionName.FAMILY: {
        "spouse": {
            "name": "李娜",
            "id_number": "310104199108022469",
            "hukou_address": "上海市黄浦区南京东路100号",
            "has_shanghai_hukou": True,
            "married_on": "2017-10-01",
        },
        "children": [
            {
                "name": "张小明",
                "id_number": "310104201901091355",
                "hukou_address": "江苏省南京市玄武区中山路1号",
                "enjoys_points_benefits": True,
            }
        ],
    },
    SectionName.INVESTMENT: {"has_investment": False},
    SectionName.SCORING_CLAIMS: {
        "birth_date": "1990-05-17",
        "education": {"level": "bachelor", "institution": "同济大学", "major": "计算机科学与技术"},
        "social_insurance": {
            "contribution_months": 70,
            "history": [{"month": "2026-02-01", "base_multiple": "1.2"}],
        },
    },
    SectionName.DEDUCTIONS: {"family_planning_violation": False, "serious_criminal_record": False},
}

# --------------------------------------------------------------------------------------------------
# Handlers


def _now(request: Request[Any, Any, Any]) -> datetime:
    clock: Clock = request.app.state.clock
    return clock()


async def _view(
    request: Request[Any, Any, Any], service: ApplicationsService, application_id: UUID
) -> ApplicationView:
    actor = actor_of(request.user)
    on = application_date(_now(request))
    return await anyio.to_thread.run_sync(
        lambda: application_view(service.application(application_id, actor), on)
    )


@dataclass(frozen=True)
class CommandAnswer:
    """What a write answers: the application's new version (send it as ``based_on_version`` with the
    next write) and where it stands; ``GetApplication`` gives the rest."""

    application_id: UUID
    application_number: str
    version: int
    status: ApplicationStatus
    editable: bool


async def _run(command: Callable[[], Saved]) -> CommandAnswer:
    """Run a command in a worker thread (eventsourcing is synchronous)."""
    saved = await anyio.to_thread.run_sync(command)
    application = saved.application
    return CommandAnswer(
        application.id,
        application.application_number,
        saved.version,
        application.status,
        application.is_editable,
    )


_RESPONSES: dict[int, ResponseSpec] = {
    **problem_responses(
        {
            404: "Not found (or another unit's or person's application)",
            422: "Problem details with every field error",
        }
    ),
    409: problem_response(
        "Not possible in the application's status, or a stale save (problem with `changes`)",
        examples=[
            Example(
                summary="Someone saved the section since the version the save was based on",
                value={
                    "type": "urn:jifen:problem:conflict",
                    "title": "Conflicting data",
                    "status": 409,
                    "detail": "Someone changed the application after you opened this page, so nothing was "
                    "saved; look at what changed, then save again",
                    "instance": f"{API}/applications/0f1d…/resume",
                    "request_id": "5b0c9d2e",
                    "code": "application.stale_version",
                    "current_version": 12,
                    "changes": [
                        {
                            "kind": "section",
                            "by_role": "unit",
                            "at": "2026-03-16T10:32:00+08:00",
                            "section": "resume",
                            "part": "",
                            "status": None,
                            "fields": ["entries[3].organisation"],
                        }
                    ],
                },
            )
        ],
    ),
}


@post(
    f"{API}/applications",
    operation_id="StartApplication",
    summary="Start an application (新办 or 续办) for an applicant",
    description="A unit starts one for one of its applicants, an applicant for themselves; one application "
    "at a time (the latest must be decided first).",
    tags=["applications"],
    opt=EDITORS,
    guards=[within_opening_hours],
    status_code=201,
    responses=_RESPONSES,
)
async def start_application(
    request: Request[Principal, Any, Any],
    service: Service,
    data: Annotated[
        StartRequest,
        Body(
            examples=[
                Example(
                    summary="新办",
                    value={"applicant_id": "00000000-0000-4000-8000-000000000001", "kind": "NEW"},
                )
            ]
        ),
    ],
) -> CommandAnswer:
    return await _run(
        lambda: service.start(
            by=actor_of(request.user), applicant_id=data.applicant_id, kind=data.kind, at=_now(request)
        ),
    )


@get(
    f"{API}/applications/{{application_id:uuid}}",
    operation_id="GetApplication",
    summary="An application: status, version, sections, problems, declared score, timeline, documents",
    tags=["applications"],
    opt=EDITORS,
    responses=_RESPONSES,
)
async def get_application(
    request: Request[Principal, Any, Any], service: Service, application_id: FromPath[UUID]
) -> ApplicationView:
    return await _view(request, service, application_id)


@post(
    f"{API}/applications/{{application_id:uuid}}/pledge",
    operation_id="AcceptPledge",
    summary="承诺与授权: accept the pledge (as the applicant or the unit)",
    tags=["applications"],
    opt=EDITORS,
    guards=[within_opening_hours],
    status_code=200,
    responses=_RESPONSES,
)
async def accept_pledge(
    request: Request[Principal, Any, Any],
    service: Service,
    application_id: FromPath[UUID],
    data: Annotated[
        PledgeRequest,
        Body(examples=[Example(value={"based_on_version": 1, "text_version": PLEDGE_TEXT_VERSION})]),
    ],
) -> CommandAnswer:
    return await _run(
        lambda: service.accept_pledge(
            application_id,
            by=actor_of(request.user),
            based_on_version=data.based_on_version,
            text_version=data.text_version,
            at=_now(request),
        ),
    )


def _section_endpoint(section: SectionName, body: type[Any], operation_id: str, summary: str) -> Any:
    slug = section.value.replace("_", "-")

    async def save_section(
        request: Request[Principal, Any, Any], service: Service, application_id: FromPath[UUID], data: Any
    ) -> CommandAnswer:
        return await _run(
            lambda: service.save_section(
                application_id,
                section,
                getattr(data, section.value),
                by=actor_of(request.user),
                based_on_version=data.based_on_version,
                at=_now(request),
            ),
        )

    save_section.__annotations__ = {
        **save_section.__annotations__,
        "request": Request[Principal, Any, Any],
        "service": Service,
        "application_id": FromPath[UUID],
        "data": Annotated[
            body,
            Body(examples=[Example(value={"based_on_version": 7, section.value: EXAMPLE_SECTIONS[section]})]),
        ],
        "return": CommandAnswer,
    }
    save_section.__name__ = f"save_{section.value}"
    return put(
        f"{API}/applications/{{application_id:uuid}}/{slug}",
        operation_id=operation_id,
        summary=summary,
        description="Saves the section on its own if it keeps every rule of the form (otherwise 422 with "
        "every field error, nothing saved). Refused with 409 when someone saved this section since "
        "`based_on_version`.",
        tags=["applications"],
        opt=EDITORS,
        guards=[within_opening_hours],
        responses=_RESPONSES,
    )(save_section)


SECTION_ENDPOINTS = [
    _section_endpoint(SectionName.PERSONAL_INFO, PersonalInfoSave, "SavePersonalInfo", "个人基本信息"),
    _section_endpoint(SectionName.RESUME, ResumeSave, "SaveResume", "个人简历"),
    _section_endpoint(SectionName.FAMILY, FamilySave, "SaveFamily", "家庭情况"),
    _section_endpoint(SectionName.INVESTMENT, InvestmentSave, "SaveInvestment", "投资与创业"),
    _section_endpoint(SectionName.SCORING_CLAIMS, ScoringClaimsSave, "SaveScoringClaims", "积分指标"),
    _section_endpoint(SectionName.DEDUCTIONS, DeductionsSave, "SaveDeductions", "减分项与一票否决项"),
]

_VERSION_EXAMPLE = Body(examples=[Example(value={"based_on_version": 14})])


@post(
    f"{API}/applications/{{application_id:uuid}}/complete",
    operation_id="CompleteApplication",
    summary="完成: the form is finished and goes to the unit to check",
    description="422 with every problem (missing sections, rules, veto items) when it cannot be finished.",
    tags=["applications"],
    opt=EDITORS,
    guards=[within_opening_hours],
    status_code=200,
    responses=_RESPONSES,
)
async def complete_application(
    request: Request[Principal, Any, Any],
    service: Service,
    application_id: FromPath[UUID],
    data: Annotated[VersionRequest, _VERSION_EXAMPLE],
) -> CommandAnswer:
    return await _run(
        lambda: service.complete(
            application_id,
            by=actor_of(request.user),
            based_on_version=data.based_on_version,
            at=_now(request),
        ),
    )


@post(
    f"{API}/applications/{{application_id:uuid}}/return",
    operation_id="ReturnApplication",
    summary="单位退回: the unit sends a finished form back to the applicant, with the reason",
    tags=["applications"],
    opt=requires_roles(Role.UNIT),
    guards=[within_opening_hours],
    status_code=200,
    responses=_RESPONSES,
)
async def return_application(
    request: Request[Principal, Any, Any],
    service: Service,
    application_id: FromPath[UUID],
    data: Annotated[
        ReturnRequest,
        Body(examples=[Example(value={"based_on_version": 15, "reason": "请补充2019年的工作经历"})]),
    ],
) -> CommandAnswer:
    return await _run(
        lambda: service.return_to_applicant(
            application_id,
            by=actor_of(request.user),
            based_on_version=data.based_on_version,
            reason=data.reason,
            at=_now(request),
        ),
    )


@post(
    f"{API}/applications/{{application_id:uuid}}/submit",
    operation_id="SubmitApplication",
    summary="单位审核通过: submit to the talent centre; nothing can be changed online afterwards",
    description="Locks the application (等待受理 follows when the talent centre opens its case). Changes are "
    "possible again only after a return for correction or a withdrawal recorded at the window.",
    tags=["applications"],
    opt=requires_roles(Role.UNIT),
    guards=[within_opening_hours],
    status_code=200,
    responses=_RESPONSES,
)
async def submit_application(
    request: Request[Principal, Any, Any],
    service: Service,
    application_id: FromPath[UUID],
    data: Annotated[VersionRequest, _VERSION_EXAMPLE],
) -> CommandAnswer:
    return await _run(
        lambda: service.submit(
            application_id,
            by=actor_of(request.user),
            based_on_version=data.based_on_version,
            at=_now(request),
        ),
    )


@get(
    f"{API}/unit/applications",
    operation_id="ListUnitApplications",
    summary="The unit's dashboard: its applicants and their applications, most urgent first",
    description="Filter by status (or NONE: no application yet), kind, what needs the unit's action; "
    "search by name, application number or the end of the ID number; 20 rows a page.",
    tags=["applications"],
    opt=requires_roles(Role.UNIT),
)
async def list_unit_applications(
    request: Request[Principal, Any, Any],
    db_pool: NamedDependency[asyncpg.Pool],
    status: FromQuery[str | None] = None,
    kind: FromQuery[ApplicationKind | None] = None,
    needs_action: FromQuery[bool] = False,
    q: Annotated[str, QueryParameter(name="q", max_length=50)] = "",
    page: Annotated[int, QueryParameter(name="page", ge=1)] = 1,
) -> DashboardPage:
    actor = actor_of(request.user)
    where = DashboardFilter(status=status, kind=kind, needs_action=needs_action, q=q, page=page)
    return await unit_dashboard(db_pool, UUID(actor.id), where)


@get(
    f"{API}/me/applications",
    operation_id="ListMyApplications",
    summary="The applicant's applications, newest first",
    tags=["applications"],
    opt=requires_roles(Role.APPLICANT),
)
async def list_my_applications(
    request: Request[Principal, Any, Any], db_pool: NamedDependency[asyncpg.Pool]
) -> list[ApplicationRow]:
    return await applicant_applications(db_pool, UUID(request.user.account_id))


router = Router(
    path="/",
    route_handlers=[
        start_application,
        get_application,
        accept_pledge,
        *SECTION_ENDPOINTS,
        complete_application,
        return_application,
        submit_application,
        list_unit_applications,
        list_my_applications,
    ],
)
