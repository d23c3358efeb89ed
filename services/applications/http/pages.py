"""The applications area's entry pages: the landing page, the unit's dashboard, the applicant's page,
and starting an application (新办 / 续办).

The dashboard and the applicant's page read the ``application_lists`` read model (``readmodels.py``);
after starting an application the page waits for the read model to have it (reading its own write).
Who may use a page: ``http/access.py`` (the pages resolve their caller themselves).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import anyio
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from services.applications.domain.errors import ApplicationAlreadyOpenError
from services.applications.domain.status import FINAL_STATUSES
from services.applications.http.access import (
    HOME_OF,
    Viewer,
    editor,
    remember_role,
    viewer,
)
from services.applications.http.views import page_url
from services.applications.readmodels import (
    ApplicationLists,
    DashboardFilter,
    RowNote,
    UnitAction,
    applicant_applications,
    unit_dashboard,
)
from services.applications.service import ApplicationsService
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import DomainError
from shared.kernel.roles import Role
from shared.platform.auth import optional_principal
from shared.platform.clock import Clock
from shared.platform.opening_hours import open_now
from shared.platform.projections import wait_for
from shared.platform.web import page

Service = NamedDependency[ApplicationsService]


@get("/", name="applications:home", exclude_from_auth=True, include_in_schema=False)
async def applications_home(request: Request[Any, Any, Any]) -> Template | Redirect:
    """A unit goes to its dashboard, an applicant to their page; others see what the area is."""
    principal = optional_principal(request)
    if principal is not None and principal.role in HOME_OF:
        return Redirect(HOME_OF[principal.role], status_code=303)
    return page("applications/home.html")


def _text_filter(value: str | None, allowed: set[str]) -> str | None:
    return value if value in allowed else None


@get("/unit", name="applications:dashboard", exclude_from_auth=True, include_in_schema=False)
async def dashboard(
    request: Request[Any, Any, Any],
    status: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    needs_action: FromQuery[str | None] = None,
    q: FromQuery[str] = "",
    page_number: Annotated[int, QueryParameter(name="page", ge=1)] = 1,
) -> Template:
    """The unit's applicants and their applications: what needs the unit first, filter, search, pages."""
    who = viewer(request, {Role.UNIT})
    where = DashboardFilter(
        status=_text_filter(status, {s.value for s in ApplicationStatus} | {DashboardFilter.NO_APPLICATION}),
        kind=ApplicationKind(kind) if kind in {k.value for k in ApplicationKind} else None,
        needs_action=needs_action == "yes",
        q=q[:50],
        page=page_number,
    )
    result = await unit_dashboard(request.app.state.db_pool, UUID(who.actor.id), where)
    template = (
        "applications/_dashboard_rows.html"
        if request.headers.get("hx-request")
        else "applications/dashboard.html"
    )
    response = page(
        template,
        result=result,
        where=where,
        statuses=list(ApplicationStatus),
        kinds=list(ApplicationKind),
        actions=list(UnitAction),
        notes=RowNote,
        open_now=open_now(request),
    )
    return remember_role(response, who)


@get("/mine", name="applications:mine", exclude_from_auth=True, include_in_schema=False)
async def my_applications(request: Request[Any, Any, Any], service: Service) -> Template:
    """The applicant's page: their applications, newest first, and starting one when none is open."""
    who = viewer(request, {Role.APPLICANT})
    rows = await applicant_applications(request.app.state.db_pool, UUID(who.actor.id))
    applicant = await anyio.to_thread.run_sync(service.applicant, UUID(who.actor.id))
    unit = None if applicant is None else await anyio.to_thread.run_sync(service.unit, applicant.unit_id)
    response = page(
        "applications/mine.html",
        rows=rows,
        applicant=applicant,
        unit=unit,
        can_start=applicant is not None and (not rows or rows[0].status in FINAL_STATUSES),
        kinds=list(ApplicationKind),
        values={},
        errors={},
    )
    return remember_role(response, who)


async def _start(
    request: Request[Any, Any, Any],
    service: ApplicationsService,
    applicant_id: UUID,
    fields: dict[str, str],
    who: Viewer,
    back: str,
) -> Response[Any]:
    kind = fields.get("kind", "")
    if kind not in {k.value for k in ApplicationKind}:
        return Redirect(f"{back}?start_error=kind", status_code=303)
    if not open_now(request):
        return Redirect(f"{back}?start_error=closed", status_code=303)
    clock: Clock = request.app.state.clock
    try:
        saved = await anyio.to_thread.run_sync(
            lambda: service.start(
                by=who.actor, applicant_id=applicant_id, kind=ApplicationKind(kind), at=clock()
            )
        )
    except ApplicationAlreadyOpenError as already:
        return Redirect(page_url(already.application_id), status_code=303)
    except DomainError:
        return Redirect(f"{back}?start_error=refused", status_code=303)
    await wait_for(request.app.state.db_pool, ApplicationLists.name, saved.notification_id)
    return Redirect(page_url(saved.application_id, "pledge"), status_code=303)


@post("/mine/start", include_in_schema=False, exclude_from_auth=True)
async def start_mine(request: Request[Any, Any, Any], service: Service) -> Response[Any]:
    fields = {name: str(value) for name, value in (await request.form()).items()}
    who = await editor(request, fields, {Role.APPLICANT})
    return await _start(request, service, UUID(who.actor.id), fields, who, HOME_OF[Role.APPLICANT])


@post("/unit/applicants/{applicant_id:uuid}/start", include_in_schema=False, exclude_from_auth=True)
async def start_for_applicant(
    request: Request[Any, Any, Any],
    service: Service,
    applicant_id: FromPath[UUID],
) -> Response[Any]:
    fields = {name: str(value) for name, value in (await request.form()).items()}
    who = await editor(request, fields, {Role.UNIT})
    return await _start(request, service, applicant_id, fields, who, HOME_OF[Role.UNIT])


router = Router(
    path="/applications",
    route_handlers=[
        applications_home,
        dashboard,
        my_applications,
        start_mine,
        start_for_applicant,
    ],
)
