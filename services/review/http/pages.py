"""The clerks' pages (区人才服务中心工作台): server-rendered, working without JavaScript (HTMX only
refreshes the application's status after a decision).

Queue -> case page (declared data, materials checklist, points table, status timeline, decision
forms) -> decision -> back on the case page, which says plainly while the applications service has
not yet recorded the decision. Units awaiting review, the password desk and the clerk directory
follow the same pattern. A form with problems comes back with every problem at its field and in the
error summary, with what was typed kept; a decision another clerk (or a double click) already took
comes back as the case page with that decision named, never an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import asyncpg
from litestar import Request, Router, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.review.calendar import CALENDAR, SCORING_CLOCK
from services.review.domain.case import FORM_SECTIONS
from services.review.domain.clerk_rules import Clerk
from services.review.domain.conflicts import AlreadyDecided
from services.review.domain.materials import material_field
from services.review.domain.resets import AccountKind, ActingFor, ResetState, reset_materials
from services.review.domain.units import UNIT_REGISTRATION_MATERIALS, UnitState
from services.review.domain.verification import entered_on_form, points_field, reason_field
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
    unit_contact,
)
from services.review.readmodels import (
    AGE_BUCKETS,
    QUEUES,
    CaseFilters,
    ResetRow,
    case_summary,
    cases,
    clerk_names,
    clerks,
    dashboard,
    resets,
    units,
)
from services.review.service import ReviewService
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.districts import district_label
from shared.kernel.errors import DomainError, NotPermitted, StateConflict, ValidationFailed
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind, label_of_code
from shared.kernel.id_number import mask_id_number
from shared.kernel.moments import SHANGHAI
from shared.kernel.points.narration import indicator_name
from shared.kernel.roles import Duty, Role
from shared.kernel.text import Text
from shared.platform import requestctx
from shared.platform.auth import optional_principal
from shared.platform.forms import FormErrors
from shared.platform.guards import requires_roles
from shared.platform.i18n import t
from shared.platform.paging import Page
from shared.platform.web import page

Service = NamedDependency[ReviewService]
Pool = NamedDependency[asyncpg.Pool]
CLERK = requires_roles(Role.CLERK)


NOT_GIVEN = Text("—", "—")

HELPERS = {
    "mask": mask_id_number,
    "indicator_name": indicator_name,
    "marital_status": lambda code: label_of_code(MaritalStatus, code) or NOT_GIVEN,
    "education": lambda code: label_of_code(EducationAttainment, code) or NOT_GIVEN,
    "resume_kind": lambda code: label_of_code(ResumeEntryKind, code) or NOT_GIVEN,
}
"""Template helpers the review pages use."""


def _lang(request: Request[Any, Any, Any]) -> str:
    return requestctx.language(request.scope)


async def _refusal(pool: asyncpg.Pool, exc: DomainError, lang: str) -> str:
    """A refused decision in the clerk's language; an earlier decision names the clerk who took it."""
    if isinstance(exc, AlreadyDecided):
        names = await clerk_names(pool, [exc.decided_by])
        if exc.decided_by in names:
            return exc.naming(names[exc.decided_by]).for_lang(lang)
    return exc.message.for_lang(lang)


def summary_title(exc: ValidationFailed, lang: str) -> str | None:
    """The refusal's own words above the error summary when materials are missing ("材料不齐，缺少 3
    项……": one notice of everything missing), the summary's usual title otherwise."""
    return exc.message.for_lang(lang) if "materials.missing" in exc.codes else None


def _form_value(form: FormMultiDict, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _ticked(form: FormMultiDict) -> list[str]:
    return [v for v in form.getall("materials", []) if isinstance(v, str)]


# ==================================================================================== home


@get("/", name="review:home", exclude_from_auth=True, include_in_schema=False)
async def review_home(request: Request[Any, Any, Any]) -> Template:
    """The district dashboard for a clerk; for anyone else, what this area is and where to sign in."""
    principal = optional_principal(request)
    if principal is None or principal.role is not Role.CLERK or not principal.district:
        return page("review/home.html", signed_in=principal is not None)
    clerk = Clerk(principal.account_id, principal.district, principal.duties)
    figures = await dashboard(request.app.state.db_pool, clerk.district_code, today(request))
    return page(
        "review/dashboard.html",
        clerk=clerk,
        district=district_label(clerk.district_code),
        figures=figures,
        buckets=AGE_BUCKETS,
    )


# ==================================================================================== queues


@get("/cases", name="review:cases", opt=CLERK, include_in_schema=False)
async def case_queue(request: Request[Any, Any, Any], db_pool: Pool) -> Template:
    """等待受理 / 等待审批 / 撤销 / 已办结 of the clerk's district: filter, sort, search, pages."""
    clerk = clerk_of(request)
    queue = request.query_params.get("queue") or (
        "acceptance" if Duty.ACCEPTANCE in clerk.duties else "approval"
    )
    if queue not in QUEUES:
        queue = "acceptance"
    require_any_duty(clerk, QUEUE_DUTIES[queue])
    return await _queue_page(request, db_pool, clerk, queue, case_filters(request, queue))


@post("/cases/search", name="review:cases-search", opt=CLERK, include_in_schema=False)
async def case_search(request: Request[Any, Any, Any], service: Service, db_pool: Pool) -> Template:
    """The search box (posted, so that an ID number never goes into a URL or a log)."""
    clerk = clerk_of(request)
    form = await request.form()
    queue = _form_value(form, "queue")
    queue = queue if queue in QUEUES else "acceptance"
    require_any_duty(clerk, QUEUE_DUTIES[queue])
    search = _form_value(form, "q")
    return await _queue_page(request, db_pool, clerk, queue, search_filters(service, queue, search), search)


async def _queue_page(
    request: Request[Any, Any, Any],
    pool: asyncpg.Pool,
    clerk: Clerk,
    queue: str,
    filters: CaseFilters,
    search: str = "",
) -> Template:
    found = await cases(pool, clerk.district_code, filters, today(request))
    return page(
        "review/queue.html",
        queue=queue,
        queues=[q for q in QUEUES if clerk.duties & set(QUEUE_DUTIES[q])],
        filters=filters,
        query=request.query_params,
        search=search or request.query_params.get("q") or "",
        found=found,
        kinds=list(ApplicationKind),
        searched_by_id=bool(filters.fingerprints),
        limit=SCORING_CLOCK.limit,
    )


# ==================================================================================== the case page


async def _case_page(
    request: Request[Any, Any, Any],
    service: ReviewService,
    pool: asyncpg.Pool,
    application_id: str,
    *,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: Mapping[str, Any] | None = None,
    notice: str | None = None,
    open_form: str | None = None,
    error_title: str | None = None,
) -> Template:
    clerk = clerk_of(request)
    require_any_duty(clerk, CASE_DUTIES)
    view = await run(lambda: case_view(service, clerk, application_id, with_form=True))
    day = today(request)
    summary = await case_summary(pool, application_id, day)
    case = view.case
    names = await clerk_names(
        pool, [x for x in (case.accepted_by, case.last_decision and case.last_decision.clerk_id) if x]
    )
    return page(
        "review/case.html",
        status_code=status_code,
        clerk=clerk,
        view=view,
        case=case,
        summary=summary,
        names=names,
        errors=errors or FormErrors(),
        error_title=error_title,
        values=values or {},
        notice=notice or request.query_params.get("done"),
        open_form=open_form,
        sections=FORM_SECTIONS,
        timeline=_timeline(view.timeline, _lang(request)),
        material_field=material_field,
        points_field=points_field,
        reason_field=reason_field,
        provisional=CALENDAR.provisional_between(
            case.submission.submitted_at.astimezone(SHANGHAI).date(), day
        ),
        limit=SCORING_CLOCK.limit,
        may_accept=Duty.ACCEPTANCE in clerk.duties and case.stage is ApplicationStatus.AWAITING_ACCEPTANCE,
        may_approve=Duty.APPROVAL in clerk.duties and case.stage is ApplicationStatus.AWAITING_APPROVAL,
        same_clerk=case.accepted_by == clerk.clerk_id,
        may_withdraw=Duty.ACCEPTANCE in clerk.duties and case.stage in QUEUES["withdrawal"],
        **HELPERS,
    )


def _timeline(timeline: Any, lang: str) -> list[dict[str, Any]]:
    if timeline is None:
        return []
    return [
        {
            "status": step.status,
            "time": step.at.astimezone(SHANGHAI),
            "actor": step.actor_role.label.for_lang(lang),
            "reason": step.reason,
        }
        for step in reversed(timeline.steps)
    ]


@get("/cases/{application_id:str}", name="review:case", opt=CLERK, include_in_schema=False)
async def case_page(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service, db_pool: Pool
) -> Template:
    return await _case_page(request, service, db_pool, application_id)


@get("/cases/{application_id:str}/status", name="review:case-status", opt=CLERK, include_in_schema=False)
async def case_status(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service
) -> Template:
    """The application's status as the applications service published it (HTMX polls while pending)."""
    clerk = clerk_of(request)
    require_any_duty(clerk, CASE_DUTIES)
    view = await run(case_view, service, clerk, application_id)
    return page("review/case_status.html", view=view, case=view.case, fragment=True)


async def _decide(
    request: Request[Any, Any, Any],
    service: ReviewService,
    pool: asyncpg.Pool,
    application_id: str,
    decide: Any,
    *,
    form: FormMultiDict,
    open_form: str,
    done: str,
    ids: Mapping[str, str] | None = None,
) -> Template | Redirect:
    """Run a decision; on success back to the case page (303), on a refusal the case page again with
    the reason (and what was typed)."""
    lang = _lang(request)
    values = {key: form.getall(key) if key == "materials" else _form_value(form, key) for key in form}
    try:
        notification_id = await run(decide)
    except ValidationFailed as exc:
        return await _case_page(
            request,
            service,
            pool,
            application_id,
            status_code=422,
            errors=FormErrors.of(exc.errors, lang, ids),
            values=values,
            open_form=open_form,
            error_title=summary_title(exc, lang),
        )
    except (StateConflict, NotPermitted) as exc:
        status = 409 if isinstance(exc, StateConflict) else 403
        errors = FormErrors([{"field": "decision", "message": await _refusal(pool, exc, lang)}], {})
        return await _case_page(
            request,
            service,
            pool,
            application_id,
            status_code=status,
            errors=errors,
            values=values,
            open_form=open_form,
        )
    await settled(pool, notification_id)
    return Redirect(f"/review/cases/{application_id}?done={done}#status", status_code=303)


@post(
    "/cases/{application_id:str}/acceptance",
    name="review:acceptance",
    opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]),
    include_in_schema=False,
)
async def acceptance(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service, db_pool: Pool
) -> Template | Redirect:
    """受理通过 (materials ticked), 不予受理 (reason) or 退回补正 (reasons per section)."""
    clerk = clerk_of(request)
    form = await request.form()
    choice = _form_value(form, "decision")
    received = _ticked(form)
    at = now(request)
    if choice == "refuse":
        reason = _form_value(form, "reason")
        return await _decide(
            request,
            service,
            db_pool,
            application_id,
            lambda: service.refuse(clerk, application_id, reason, at),
            form=form,
            open_form="acceptance",
            done="refused",
            ids={"reason": "refuse-reason"},
        )
    if choice == "return":
        reasons = {code: _form_value(form, f"reasons.{code}") for code, _ in FORM_SECTIONS}
        return await _decide(
            request,
            service,
            db_pool,
            application_id,
            lambda: service.return_for_correction(clerk, application_id, reasons, received, at),
            form=form,
            open_form="acceptance",
            done="returned",
        )
    return await _decide(
        request,
        service,
        db_pool,
        application_id,
        lambda: service.accept(clerk, application_id, received, at),
        form=form,
        open_form="acceptance",
        done="accepted",
    )


@post(
    "/cases/{application_id:str}/approval",
    name="review:approval",
    opt=requires_roles(Role.CLERK, duties=[Duty.APPROVAL]),
    include_in_schema=False,
)
async def approval(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service, db_pool: Pool
) -> Template | Redirect:
    """审批通过 with the verified lines, or 审批不通过 with the reason."""
    clerk = clerk_of(request)
    form = await request.form()
    at = now(request)
    if _form_value(form, "decision") == "reject":
        reason = _form_value(form, "reason")
        return await _decide(
            request,
            service,
            db_pool,
            application_id,
            lambda: service.reject(clerk, application_id, reason, at),
            form=form,
            open_form="approval",
            done="rejected",
            ids={"reason": "reject-reason"},
        )

    entered = entered_on_form({k: v for k, v in form.items() if isinstance(v, str)})

    def approve() -> int:
        return service.approve(clerk, application_id, entered, at)

    return await _decide(
        request, service, db_pool, application_id, approve, form=form, open_form="approval", done="approved"
    )


@post(
    "/cases/{application_id:str}/withdrawal",
    name="review:withdrawal",
    opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]),
    include_in_schema=False,
)
async def withdrawal(
    request: Request[Any, Any, Any], application_id: FromPath[str], service: Service, db_pool: Pool
) -> Template | Redirect:
    """申请撤销 asked for at the window: who asked, and why."""
    clerk = clerk_of(request)
    form = await request.form()
    asked = _form_value(form, "requested_by")
    requested_by: Literal["applicant", "unit"] = "unit" if asked == "unit" else "applicant"
    reason = _form_value(form, "reason")
    at = now(request)
    if asked not in ("applicant", "unit"):
        message = t("review.withdrawal.who_required", _lang(request))
        errors = FormErrors([{"field": "requested_by", "message": message}], {"requested_by": message})
        return await _case_page(
            request,
            service,
            db_pool,
            application_id,
            status_code=422,
            errors=errors,
            values={"reason": reason},
            open_form="withdrawal",
        )
    return await _decide(
        request,
        service,
        db_pool,
        application_id,
        lambda: service.record_withdrawal(clerk, application_id, requested_by, reason, at),
        form=form,
        open_form="withdrawal",
        done="withdrawn",
        ids={"reason": "withdrawal-reason"},
    )


# ==================================================================================== units


UNIT_DUTY = requires_roles(Role.CLERK, duties=[Duty.UNIT_REGISTRATION])


@get("/units", name="review:units", opt=UNIT_DUTY, include_in_schema=False)
async def unit_queue(request: Request[Any, Any, Any], db_pool: Pool) -> Template:
    clerk = clerk_of(request)
    raw = request.query_params.get("state") or UnitState.PENDING.value
    state = UnitState(raw) if raw in {s.value for s in UnitState} else UnitState.PENDING
    try:
        number = int(request.query_params.get("page") or 1)
    except ValueError:
        number = 1
    found = await units(db_pool, clerk.district_code, state, number, today(request))
    return page(
        "review/units.html",
        found=found,
        state=state,
        states=list(UnitState),
    )


async def _unit_page(
    request: Request[Any, Any, Any],
    service: ReviewService,
    pool: asyncpg.Pool,
    credit_code: str,
    *,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: Mapping[str, Any] | None = None,
    error_title: str | None = None,
) -> Template:
    clerk = clerk_of(request)
    unit = await run(service.unit, clerk, normalise_credit_code(credit_code))
    contact = await run(unit_contact, service, unit)
    names = await clerk_names(pool, [unit.decision[1]] if unit.decision else [])
    submitted_on = unit.submitted_at.astimezone(SHANGHAI).date()
    return page(
        "review/unit.html",
        error_title=error_title,
        status_code=status_code,
        unit=unit,
        contact=contact,
        names=names,
        materials=UNIT_REGISTRATION_MATERIALS,
        material_field=material_field,
        errors=errors or FormErrors(),
        values=values or {},
        notice=request.query_params.get("done"),
        provisional=CALENDAR.provisional_between(submitted_on, today(request)),
        waiting=CALENDAR.working_days_between(submitted_on, today(request)),
    )


@get("/units/{credit_code:str}", name="review:unit", opt=UNIT_DUTY, include_in_schema=False)
async def unit_page(
    request: Request[Any, Any, Any], credit_code: FromPath[str], service: Service, db_pool: Pool
) -> Template:
    return await _unit_page(request, service, db_pool, credit_code)


@post("/units/{credit_code:str}", name="review:unit-decision", opt=UNIT_DUTY, include_in_schema=False)
async def unit_decision(
    request: Request[Any, Any, Any], credit_code: FromPath[str], service: Service, db_pool: Pool
) -> Template | Redirect:
    """审核通过 after ticking the materials, or 审核不通过 with the reason."""
    clerk = clerk_of(request)
    code = normalise_credit_code(credit_code)
    form = await request.form()
    at = now(request)
    values = {
        "materials": _ticked(form),
        "reason": _form_value(form, "reason"),
        "decision": _form_value(form, "decision"),
    }
    reject = _form_value(form, "decision") == "reject"
    lang = _lang(request)
    try:
        if reject:
            notification_id = await run(service.reject_unit, clerk, code, values["reason"], at)
        else:
            notification_id = await run(service.approve_unit, clerk, code, values["materials"], at)
    except ValidationFailed as exc:
        return await _unit_page(
            request,
            service,
            db_pool,
            code,
            status_code=422,
            errors=FormErrors.of(exc.errors, lang, {"reason": "unit-reason"}),
            values=values,
            error_title=summary_title(exc, lang),
        )
    except StateConflict as exc:
        errors = FormErrors([{"field": "decision", "message": await _refusal(db_pool, exc, lang)}], {})
        return await _unit_page(
            request, service, db_pool, code, status_code=409, errors=errors, values=values
        )
    await settled(db_pool, notification_id)
    return Redirect(f"/review/units/{code}?done={'rejected' if reject else 'approved'}", status_code=303)


# ==================================================================================== password desk

RESET_DUTY = requires_roles(Role.CLERK, duties=[Duty.PASSWORD_RESET])


@get("/password-resets", name="review:resets", opt=RESET_DUTY, include_in_schema=False)
async def reset_queue(request: Request[Any, Any, Any], db_pool: Pool) -> Template:
    """The desk's requests of this centre: those still missing materials first."""
    clerk = clerk_of(request)
    raw = request.query_params.get("state") or ResetState.AWAITING_MATERIALS.value
    states = [ResetState(raw)] if raw in {s.value for s in ResetState} else [ResetState.AWAITING_MATERIALS]
    try:
        number = int(request.query_params.get("page") or 1)
    except ValueError:
        number = 1
    found = await resets(db_pool, clerk.district_code, states, number)
    return _reset_list(request, found, raw)


@post("/password-resets/search", name="review:resets-search", opt=RESET_DUTY, include_in_schema=False)
async def reset_search(request: Request[Any, Any, Any], service: Service, db_pool: Pool) -> Template:
    """A person's requests found by ID number (posted: the number never goes into a URL)."""
    clerk = clerk_of(request)
    search = _form_value(await request.form(), "q").strip()
    fingerprints = id_search(service, search)
    if fingerprints is None:
        error = t("review.resets.search_invalid", _lang(request))
        return _reset_list(request, None, "", search=search, search_error=error, status_code=422)
    found = await resets(db_pool, clerk.district_code, list(ResetState), 1, fingerprints)
    return _reset_list(request, found, "", search=search)


def _reset_list(
    request: Request[Any, Any, Any],
    found: Page[ResetRow] | None,
    raw: str,
    *,
    search: str = "",
    search_error: str | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "review/resets.html",
        status_code=status_code,
        found=found,
        state=raw,
        states=list(ResetState),
        search=search,
        search_error=search_error,
    )


def _reset_form(
    kind: AccountKind,
    acting_for: ActingFor | None,
    *,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: Mapping[str, Any] | None = None,
) -> Template:
    return page(
        "review/reset_new.html",
        status_code=status_code,
        kind=kind,
        acting_for=acting_for,
        materials=reset_materials(kind, acting_for),
        material_field=material_field,
        errors=errors or FormErrors(),
        values=values or {},
    )


def _kind(raw: str) -> AccountKind:
    return "unit" if raw == "unit" else "applicant"


def _acting(raw: str) -> ActingFor:
    return "unit_hr" if raw == "unit_hr" else "self"


@get("/password-resets/new", name="review:reset-new", opt=RESET_DUTY, include_in_schema=False)
async def reset_new(request: Request[Any, Any, Any]) -> Template:
    kind = _kind(request.query_params.get("kind") or "unit")
    acting = _acting(request.query_params.get("acting_for") or "self")
    return _reset_form(kind, None if kind == "unit" else acting)


@post("/password-resets", name="review:reset-record", opt=RESET_DUTY, include_in_schema=False)
async def reset_record(
    request: Request[Any, Any, Any], service: Service, db_pool: Pool
) -> Template | Redirect:
    """Record a request at the window with the materials seen; complete ones are authorised at once."""
    clerk = clerk_of(request)
    form = await request.form()
    kind = _kind(_form_value(form, "kind"))
    acting = None if kind == "unit" else _acting(_form_value(form, "acting_for"))
    materials = _ticked(form)
    credit_code = _form_value(form, "credit_code")
    id_number = _form_value(form, "id_number")
    values = {"materials": materials, "credit_code": credit_code, "id_number": id_number}
    lang = _lang(request)
    at = now(request)
    try:
        request_id, notification_id = await run(
            lambda: service.record_reset_request(
                clerk,
                kind=kind,
                at=at,
                materials=materials,
                credit_code=credit_code,
                id_number=id_number,
                acting_for=acting,
            )
        )
    except ValidationFailed as exc:
        return _reset_form(
            kind, acting, status_code=422, errors=FormErrors.of(exc.errors, lang), values=values
        )
    except NotPermitted as exc:
        errors = FormErrors(
            [{"field": "credit_code", "message": exc.message.for_lang(lang)}],
            {"credit_code": exc.message.for_lang(lang)},
        )
        return _reset_form(kind, acting, status_code=403, errors=errors, values=values)
    await settled(db_pool, notification_id)
    return Redirect(f"/review/password-resets/{request_id}?done=recorded", status_code=303)


async def _reset_page(
    request: Request[Any, Any, Any],
    service: ReviewService,
    request_id: str,
    *,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: Mapping[str, Any] | None = None,
) -> Template:
    clerk = clerk_of(request)
    found = await run(reset_view, service, clerk, request_id)
    return page(
        "review/reset.html",
        status_code=status_code,
        request_record=found,
        material_field=material_field,
        errors=errors or FormErrors(),
        values=values or {"materials": list(found.ticked)},
        notice=request.query_params.get("done"),
    )


@get("/password-resets/{request_id:str}", name="review:reset", opt=RESET_DUTY, include_in_schema=False)
async def reset_page(
    request: Request[Any, Any, Any], request_id: FromPath[str], service: Service
) -> Template:
    return await _reset_page(request, service, request_id)


@post("/password-resets/{request_id:str}", name="review:reset-tick", opt=RESET_DUTY, include_in_schema=False)
async def reset_tick(
    request: Request[Any, Any, Any], request_id: FromPath[str], service: Service, db_pool: Pool
) -> Template | Redirect:
    clerk = clerk_of(request)
    form = await request.form()
    ticked = _ticked(form)
    lang = _lang(request)
    found = await run(reset_view, service, clerk, request_id)
    try:
        notification_id = await run(service.tick_reset_materials, clerk, found.id, ticked, now(request))
    except ValidationFailed as exc:
        return await _reset_page(
            request,
            service,
            request_id,
            status_code=422,
            errors=FormErrors.of(exc.errors, lang),
            values={"materials": ticked},
        )
    except StateConflict as exc:
        errors = FormErrors([{"field": "decision", "message": exc.message.for_lang(lang)}], {})
        return await _reset_page(request, service, request_id, status_code=409, errors=errors)
    await settled(db_pool, notification_id)
    return Redirect(f"/review/password-resets/{request_id}?done=ticked", status_code=303)


# ==================================================================================== clerks


@get("/clerks", name="review:clerks", opt=CLERK, include_in_schema=False)
async def clerk_directory(request: Request[Any, Any, Any], db_pool: Pool) -> Template:
    clerk = clerk_of(request)
    return page("review/clerks.html", clerks=await clerks(db_pool, clerk.district_code), duties=list(Duty))


router = Router(
    path="/review",
    route_handlers=[
        review_home,
        case_queue,
        case_search,
        case_page,
        case_status,
        acceptance,
        approval,
        withdrawal,
        unit_queue,
        unit_page,
        unit_decision,
        reset_queue,
        reset_search,
        reset_new,
        reset_record,
        reset_page,
        reset_tick,
        clerk_directory,
    ],
)
