"""The application's pages: its overview (task list, status timeline, declared score, print buttons),
承诺与授权, one page per question group, check your answers (核对) with 完成, and the unit's 单位退回 and
单位审核通过 (with its confirmation).

In the GOV.UK manner, working without JavaScript: a page posts to itself; a failed save re-renders it
with every problem at its field and in the error summary and everything typed kept; a saved page
continues to the next. Adding or removing a row of a repeating group is a submit button that
re-renders without saving. HTMX only enhances: the scoring pages re-score the declared points as the
user types (``…/preview``).

Every post carries the version it was based on; a stale save re-renders the page with what changed
(who, when, which fields, their values now) and the user's own input, based on the current version so
that saving again is a deliberate choice. Outside opening hours a post is not saved and says so,
with the input kept. Who may use a page: ``http/access.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

import anyio
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.applications.domain.application import PointsApplication
from services.applications.domain.changes import Change
from services.applications.domain.completeness import claims_for_calculator
from services.applications.domain.errors import StaleVersionError
from services.applications.domain.moments import application_date
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import ETHNIC_GROUPS
from services.applications.domain.sections.resume import MAX_ONLINE_ENTRIES
from services.applications.domain.status import Action, allowed_transition
from services.applications.http import forms
from services.applications.http.access import (
    EDITORS,
    Viewer,
    editor,
    kept_input,
    remember_role,
    viewer,
)
from services.applications.http.forms import SCORING_PARTS, ScoringPart, Values, field_id
from services.applications.http.labels import choice_items, level_items
from services.applications.http.views import (
    SCORING_PAGES,
    SECTION_PAGES,
    changed_fields,
    next_page,
    next_step_key,
    page_url,
    print_buttons,
    section_rows,
    steps_ahead,
    task_list,
    timeline,
)
from services.applications.scoring import ScoreView, declared_score, score
from services.applications.service import PLEDGE_TEXT_VERSION, ApplicationsService
from shared.kernel.errors import DomainError, FieldError, StateConflict, ValidationFailed
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.id_number import Sex
from shared.kernel.points.claims import NO_DEDUCTIONS, ScoringClaims
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform import requestctx
from shared.platform.clock import Clock
from shared.platform.forms import FormErrors
from shared.platform.opening_hours import open_now
from shared.platform.web import page

Service = NamedDependency[ApplicationsService]


# --------------------------------------------------------------------------------------------------
# Helpers


def _now(request: Request[Any, Any, Any]) -> datetime:
    clock: Clock = request.app.state.clock
    return clock()


def _lang(request: Request[Any, Any, Any]) -> str:
    return requestctx.language(request.scope)


async def _posted(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {name: str(value) for name, value in form.items()}


async def _load(service: ApplicationsService, application_id: UUID, who: Viewer) -> PointsApplication:
    return await anyio.to_thread.run_sync(service.application, application_id, who.actor)


def _version(fields: Mapping[str, str]) -> int:
    try:
        return int(fields.get("based_on_version", ""))
    except ValueError:
        return 0


@dataclass(frozen=True)
class Notices:
    """What a page says above its form, besides field errors."""

    kept: bool = False
    closed: bool = False
    problem: Text | None = None
    conflict: tuple[Change, ...] = ()
    conflict_fields: list[dict[str, str]] = field(default_factory=list)
    """The changed fields' labels and values now (``views.changed_fields``)."""


def _render(
    request: Request[Any, Any, Any],
    template: str,
    who: Viewer,
    application: PointsApplication,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    lang = _lang(request)
    errors: list[FieldError] = context.pop("field_errors", [])
    section: SectionName | None = context.get("section")
    ids = {e.path: field_id(e.path, section) for e in errors}
    form_errors = FormErrors.of(errors, lang, ids, page_order=context.get("values") or ())
    response = page(
        template,
        status_code=status_code,
        application=application,
        who=who,
        nav_current=who.home,  # an application's pages belong to the editor's list of them
        overview_url=page_url(application.id),
        errors=form_errors.by_field,
        error_summary=form_errors.summary,
        notices=context.pop("notices", Notices()),
        section_name=lambda code: SectionName(code).label,
        editable=application.is_editable,
        **context,
    )
    remember_role(response, who)
    return response


# --------------------------------------------------------------------------------------------------
# Overview


@get("/{application_id:uuid}", name="applications:overview", include_in_schema=False, exclude_from_auth=True)
async def overview(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template:
    """The application: status and what to do next, the task list, the declared score, the timeline."""
    who = viewer(request)
    application = await _load(service, application_id, who)
    on = application_date(_now(request))
    return _render(
        request,
        "applications/overview.html",
        who,
        application,
        tasks=task_list(application, on),
        score=declared_score(application, on),
        steps=timeline(application),
        ahead=steps_ahead(application.status),
        next_step=next_step_key(application, who.role),
        buttons=print_buttons(application),
        can_start=application.is_editable,
    )


# --------------------------------------------------------------------------------------------------
# 承诺与授权


def _pledge_context(application: PointsApplication) -> dict[str, Any]:
    return {
        "pledges": application.pledges,
        "parties": (Role.APPLICANT, Role.UNIT),
        "text_version": PLEDGE_TEXT_VERSION,
        "based_on_version": application.version,
        "section": SectionName.PLEDGE,
        "values": {},
    }


@get(
    "/{application_id:uuid}/pledge",
    name="applications:pledge",
    include_in_schema=False,
    exclude_from_auth=True,
)
async def pledge_page(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template:
    who = viewer(request)
    application = await _load(service, application_id, who)
    return _render(request, "applications/pledge.html", who, application, **_pledge_context(application))


@post("/{application_id:uuid}/pledge", include_in_schema=False, exclude_from_auth=True)
async def accept_pledge(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template | Redirect:
    fields = await _posted(request)
    who = await editor(request, fields)
    application = await _load(service, application_id, who)
    context = _pledge_context(application)
    if not open_now(request):
        return _render(
            request,
            "applications/pledge.html",
            who,
            application,
            status_code=409,
            notices=Notices(closed=True),
            **context,
        )
    if fields.get("accept") != "yes":
        error = FieldError("accept", "required", Text("请勾选接受承诺与授权", "Tick the box to accept"), "")
        return _render(
            request,
            "applications/pledge.html",
            who,
            application,
            status_code=422,
            field_errors=[error],
            **context,
        )
    try:
        await anyio.to_thread.run_sync(
            lambda: service.accept_pledge(
                application_id,
                by=who.actor,
                based_on_version=_version(fields),
                text_version=fields.get("text_version", PLEDGE_TEXT_VERSION),
                at=_now(request),
            )
        )
    except DomainError as error:
        return _render(
            request,
            "applications/pledge.html",
            who,
            application,
            status_code=409,
            notices=Notices(problem=error.message),
            **context,
        )
    return Redirect(next_page(application_id, "pledge"), status_code=303)


# --------------------------------------------------------------------------------------------------
# The question-group pages


@dataclass(frozen=True)
class FormPage:
    """One page of the form: where it lives, which section (and part) it saves, how its fields are
    written from the saved section and read back, and what else its template needs."""

    slug: str
    section: SectionName
    template: str
    groups: tuple[str, ...]
    values_of: Callable[[ApplicationsService, PointsApplication], Values]
    read: Callable[[ApplicationsService, PointsApplication, Values], tuple[Any, list[FieldError]]]
    part: ScoringPart | None = None
    extra: Callable[[Request[Any, Any, Any], PointsApplication, Values], dict[str, Any]] = lambda *_: {}


def _registered(service: ApplicationsService, application: PointsApplication) -> Any:
    return service.registered_personal_data(service.applicant_of(application))


def _personal_values(service: ApplicationsService, application: PointsApplication) -> Values:
    if application.personal_info is not None:
        return forms.personal_info_values(application.personal_info)
    registered = _registered(service, application)  # prefilled from the unit's registration
    return {"name": registered.name, "mobile": registered.mobile}


def _read_personal(service: ApplicationsService, application: PointsApplication, values: Values) -> Any:
    return forms.read_personal_info(values, _registered(service, application).id_number)


def _personal_extra(
    request: Request[Any, Any, Any], application: PointsApplication, values: Values
) -> dict[str, Any]:
    return {
        "id_number_masked": application.applicant_id_masked,
        "marital_items": choice_items(MaritalStatus),
        "education_items": choice_items(EducationAttainment),
        "sex_items": choice_items(Sex),
        "ethnic_items": [{"value": name, "text": name} for name in sorted(ETHNIC_GROUPS, key=_ethnic_order)],
    }


def _ethnic_order(name: str) -> tuple[int, str]:
    return (0 if name == "汉族" else 1, name)


def _resume_extra(
    request: Request[Any, Any, Any], application: PointsApplication, values: Values
) -> dict[str, Any]:
    return {
        "rows": forms.row_count(values, "entries", minimum=1),
        "max_entries": MAX_ONLINE_ENTRIES,
        "can_add": forms.resume_rows_allowed(values),
        "kind_items": choice_items(ResumeEntryKind),
    }


def _family_extra(
    request: Request[Any, Any, Any], application: PointsApplication, values: Values
) -> dict[str, Any]:
    personal = application.personal_info
    return {
        "rows": forms.row_count(values, "children"),
        "married": personal is not None and personal.marital_status is MaritalStatus.MARRIED,
        "marital_known": personal is not None,
    }


def _investment_extra(
    request: Request[Any, Any, Any], application: PointsApplication, values: Values
) -> dict[str, Any]:
    return {"years": forms.investment_years_shown()}


def _claims(service: ApplicationsService, application: PointsApplication) -> ScoringClaims:
    """The saved scoring claims, or empty ones born on the registered birth date."""
    return application.scoring_claims or ScoringClaims(
        birth_date=service.applicant_of(application).birth_date
    )


def _scoring_page(part: ScoringPart) -> FormPage:
    def values_of(service: ApplicationsService, application: PointsApplication) -> Values:
        return part.write(_claims(service, application))

    def read(service: ApplicationsService, application: PointsApplication, values: Values) -> Any:
        return forms.read_scoring(values, part, _claims(service, application))

    def extra(
        request: Request[Any, Any, Any], application: PointsApplication, values: Values
    ) -> dict[str, Any]:
        on = application_date(_now(request))
        return {
            "part": part.name,
            "parts": [(p.name, page_url(application.id, SCORING_PAGES[p.name])) for p in SCORING_PARTS],
            "rows": {group: forms.row_count(values, group) for group in part.groups},
            "score": declared_score(application, on),
            "preview_url": page_url(application.id, SCORING_PAGES[part.name] + "/preview"),
            **level_items(),
        }

    return FormPage(
        slug=SCORING_PAGES[part.name],
        section=SectionName.SCORING_CLAIMS,
        template=f"applications/scoring_{part.name}.html",
        groups=part.groups,
        values_of=values_of,
        read=read,
        part=part,
        extra=extra,
    )


def _deductions_extra(
    request: Request[Any, Any, Any], application: PointsApplication, values: Values
) -> dict[str, Any]:
    return {"rows": {group: forms.row_count(values, group) for group in forms.INCIDENT_GROUPS}}


def _section_values(
    write: Callable[[Any], Values], getter: Callable[[PointsApplication], Any]
) -> Callable[[ApplicationsService, PointsApplication], Values]:
    def values_of(service: ApplicationsService, application: PointsApplication) -> Values:
        saved = getter(application)
        return {} if saved is None else write(saved)

    return values_of


def _plain(read: Callable[[Values], tuple[Any, list[FieldError]]]) -> Callable[..., Any]:
    return lambda service, application, values: read(values)


FORM_PAGES: tuple[FormPage, ...] = (
    FormPage(
        "personal-info",
        SectionName.PERSONAL_INFO,
        "applications/personal_info.html",
        (),
        _personal_values,
        _read_personal,
        extra=_personal_extra,
    ),
    FormPage(
        "resume",
        SectionName.RESUME,
        "applications/resume.html",
        forms.RESUME_GROUPS,
        _section_values(forms.resume_values, lambda a: a.resume),
        _plain(forms.read_resume),
        extra=_resume_extra,
    ),
    FormPage(
        "family",
        SectionName.FAMILY,
        "applications/family.html",
        forms.FAMILY_GROUPS,
        _section_values(forms.family_values, lambda a: a.family),
        _plain(forms.read_family),
        extra=_family_extra,
    ),
    FormPage(
        "investment",
        SectionName.INVESTMENT,
        "applications/investment.html",
        (),
        _section_values(forms.investment_values, lambda a: a.investment),
        _plain(forms.read_investment),
        extra=_investment_extra,
    ),
    *(_scoring_page(part) for part in SCORING_PARTS),
    FormPage(
        "deductions",
        SectionName.DEDUCTIONS,
        "applications/deductions.html",
        forms.INCIDENT_GROUPS,
        _section_values(forms.deductions_values, lambda a: a.deductions),
        _plain(forms.read_deductions),
        extra=_deductions_extra,
    ),
)


def _form_response(
    request: Request[Any, Any, Any],
    spec: FormPage,
    who: Viewer,
    application: PointsApplication,
    values: Values,
    *,
    based_on_version: int,
    status_code: int = 200,
    field_errors: list[FieldError] | None = None,
    notices: Notices | None = None,
) -> Template:
    return _render(
        request,
        spec.template,
        who,
        application,
        status_code=status_code,
        section=spec.section,
        values=values,
        based_on_version=based_on_version,
        action_url=page_url(application.id, spec.slug),
        field_errors=field_errors or [],
        notices=notices or Notices(),
        correction=application.correction_reasons.get(spec.section.value, ""),
        **spec.extra(request, application, values),
    )


def _show_route(spec: FormPage) -> Any:
    @get(
        f"/{{application_id:uuid}}/{spec.slug}",
        name=f"applications:{spec.slug}",
        include_in_schema=False,
        exclude_from_auth=True,
    )
    async def show(
        request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
    ) -> Template:
        who = viewer(request)
        application = await _load(service, application_id, who)
        kept = await kept_input(request)
        if kept is not None:
            return _form_response(
                request,
                spec,
                who,
                application,
                kept,
                based_on_version=_version(kept),
                notices=Notices(kept=True),
            )
        values = await anyio.to_thread.run_sync(spec.values_of, service, application)
        return _form_response(request, spec, who, application, values, based_on_version=application.version)

    return show


def _save_route(spec: FormPage) -> Any:
    @post(f"/{{application_id:uuid}}/{spec.slug}", include_in_schema=False, exclude_from_auth=True)
    async def save(
        request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
    ) -> Template | Redirect:
        fields = await _posted(request)
        who = await editor(request, fields)
        application = await _load(service, application_id, who)
        action = fields.get("action", "save")
        row_action = action if action.startswith(("add:", "remove:")) else ""
        values = forms.renumbered(fields, spec.groups, row_action)
        based_on = _version(fields)

        def again(status_code: int, **extra: Any) -> Template:
            return _form_response(
                request,
                spec,
                who,
                application,
                values,
                based_on_version=based_on,
                status_code=status_code,
                **extra,
            )

        if row_action:
            return again(200)
        if not open_now(request):
            return again(409, notices=Notices(closed=True))
        data, errors = await anyio.to_thread.run_sync(spec.read, service, application, values)
        if errors:
            return again(422, field_errors=errors)
        try:
            await anyio.to_thread.run_sync(
                lambda: service.save_section(
                    application_id,
                    spec.section,
                    data,
                    by=who.actor,
                    based_on_version=based_on,
                    at=_now(request),
                    part=spec.part.name if spec.part else "",
                )
            )
        except StaleVersionError as stale:
            application = await _load(service, application_id, who)
            based_on = stale.current_version
            paths = [path for change in stale.changes for path in change.fields]
            theirs = changed_fields(
                spec.section, application.section_record(spec.section), paths, _lang(request)
            )
            return again(409, notices=Notices(conflict=stale.changes, conflict_fields=theirs))
        except ValidationFailed as invalid:
            placed = spec.part.place_errors(invalid.errors, values) if spec.part else list(invalid.errors)
            return again(422, field_errors=placed)
        except StateConflict as conflict:
            return again(409, notices=Notices(problem=conflict.message))
        return Redirect(next_page(application_id, spec.slug), status_code=303)

    return save


def _preview_route(spec: FormPage) -> Any:
    """HTMX: the declared score with what is typed on this scoring page (nothing is saved)."""

    @post(f"/{{application_id:uuid}}/{spec.slug}/preview", include_in_schema=False, exclude_from_auth=True)
    async def preview(
        request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
    ) -> Template:
        fields = await _posted(request)
        who = viewer(request)
        application = await _load(service, application_id, who)
        values = forms.renumbered(fields, spec.groups)
        claims, errors = await anyio.to_thread.run_sync(spec.read, service, application, values)
        on = application_date(_now(request))
        view = await anyio.to_thread.run_sync(_preview_score, application, claims, errors, on)
        return page("applications/_score.html", score=view, live=True)

    return preview


def _preview_score(
    application: PointsApplication, claims: ScoringClaims | None, errors: list[FieldError], on: date
) -> ScoreView | None:
    """The score with the typed claims, or the saved one while they do not score (one calculation)."""
    if claims is not None and not errors:
        probe = claims_for_calculator(replace(application.form, scoring_claims=claims))
        if probe is not None:
            with contextlib.suppress(DomainError):  # a contradiction the save reports at its field
                return score(probe, application.deductions or NO_DEDUCTIONS, on)
    return declared_score(application, on)


FORM_ROUTES = [
    route
    for spec in FORM_PAGES
    for route in (
        _show_route(spec),
        _save_route(spec),
        *((_preview_route(spec),) if spec.part is not None else ()),
    )
]


# --------------------------------------------------------------------------------------------------
# 核对 (check your answers), 完成, 单位退回, 单位审核通过


def _check_context(
    request: Request[Any, Any, Any], application: PointsApplication, who: Viewer
) -> dict[str, Any]:
    on = application_date(_now(request))
    problems = application.problems(on)
    lang = _lang(request)
    linked = [
        {
            "href": page_url(application.id, _page_of(problem))
            + "#"
            + field_id(problem.path, _section_of(problem)),
            "message": problem.message.for_lang(lang),
            "section": problem.section,
        }
        for problem in problems
    ]
    vetoed = any(problem.code.startswith("deductions.veto") for problem in problems)
    return {
        "section_rows": lambda name: section_rows(name, application.section_record(name), lang),
        "tasks": task_list(application, on, problems),
        "problems": linked,
        "vetoed": vetoed,
        "score": None if vetoed else declared_score(application, on),
        "materials": application.materials_checklist(on),
        "based_on_version": application.version,
        "can_complete": _can(application, Action.COMPLETE, who.role),
        "can_submit": _can(application, Action.APPROVE_AT_UNIT, who.role),
    }


def _return_context(
    request: Request[Any, Any, Any], application: PointsApplication, who: Viewer
) -> dict[str, Any]:
    """单位退回's page: the version the reason is based on, how long the reason may be, and why it
    cannot be returned now (no form is offered then)."""
    return {
        "based_on_version": application.version,
        "reason_max_length": REASON_MAX_LENGTH,
        "refused": _refusal(application, Action.RETURN_TO_APPLICANT, who.role),
    }


def _submit_context(
    request: Request[Any, Any, Any], application: PointsApplication, who: Viewer
) -> dict[str, Any]:
    """单位审核通过's confirmation: the version and the declared score it states, or why it cannot be
    submitted now (no confirmation is offered then)."""
    refused = _refusal(application, Action.APPROVE_AT_UNIT, who.role)
    return {
        "based_on_version": application.version,
        "score": None if refused else declared_score(application, application_date(_now(request))),
        "refused": refused,
    }


def _refusal(application: PointsApplication, action: Action, role: Role) -> Text | None:
    """Why ``role`` cannot take ``action`` in the application's status, if it cannot."""
    try:
        allowed_transition(application.status, action, role)
    except DomainError as refused:
        return refused.message
    return None


def _can(application: PointsApplication, action: Action, role: Role) -> bool:
    return _refusal(application, action, role) is None


def _section_of(problem: FieldError) -> SectionName | None:
    try:
        return SectionName(problem.section)
    except ValueError:
        return None


def _page_of(problem: FieldError) -> str:
    section = _section_of(problem)
    if section is SectionName.SCORING_CLAIMS:
        first = problem.field.split(".", 1)[0].split("[", 1)[0]
        part = {
            "social_insurance": "social_insurance",
            "shortage_major": "bonus",
            "public_service": "bonus",
            "key_areas": "bonus",
            "awards": "bonus",
            "spouse": "bonus",
            "startup_founder": "direct_routes",
            "innovation_intermediary": "direct_routes",
        }.get(first, "education")
        return SCORING_PAGES[part]
    return SECTION_PAGES[section] if section is not None else ""


@get(
    "/{application_id:uuid}/check", name="applications:check", include_in_schema=False, exclude_from_auth=True
)
async def check_answers(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template:
    who = viewer(request)
    application = await _load(service, application_id, who)
    context = await anyio.to_thread.run_sync(_check_context, request, application, who)
    return _render(request, "applications/check.html", who, application, **context)


async def _status_command(
    request: Request[Any, Any, Any],
    service: ApplicationsService,
    application_id: UUID,
    command: Callable[[ApplicationsService, Viewer, int, Mapping[str, str], datetime], Any],
    template: str = "applications/check.html",
    roles: frozenset[Role] = EDITORS,
    context_of: Callable[
        [Request[Any, Any, Any], PointsApplication, Viewer], dict[str, Any]
    ] = _check_context,
) -> Template | Redirect:
    fields = await _posted(request)
    who = await editor(request, fields, roles)
    application = await _load(service, application_id, who)

    async def again(status_code: int, **extra: Any) -> Template:
        context = await anyio.to_thread.run_sync(context_of, request, application, who)
        context.update(extra)
        return _render(request, template, who, application, status_code=status_code, values=fields, **context)

    if not open_now(request):
        return await again(409, notices=Notices(closed=True))
    try:
        await anyio.to_thread.run_sync(lambda: command(service, who, _version(fields), fields, _now(request)))
    except StaleVersionError as stale:
        application = await _load(service, application_id, who)
        return await again(409, notices=Notices(conflict=stale.changes))
    except ValidationFailed as invalid:
        # Field errors are the error summary; the refusal's own message only when there are none.
        notices = Notices() if invalid.errors else Notices(problem=invalid.message)
        return await again(422, field_errors=list(invalid.errors), notices=notices)
    except StateConflict as conflict:
        return await again(409, notices=Notices(problem=conflict.message))
    return Redirect(page_url(application_id), status_code=303)


@post("/{application_id:uuid}/complete", include_in_schema=False, exclude_from_auth=True)
async def complete(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template | Redirect:
    """完成: the form goes to the unit to check."""
    return await _status_command(
        request,
        service,
        application_id,
        lambda s, who, version, _, at: s.complete(
            application_id, by=who.actor, based_on_version=version, at=at
        ),
    )


@get(
    "/{application_id:uuid}/return",
    name="applications:return",
    include_in_schema=False,
    exclude_from_auth=True,
)
async def return_page(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template:
    who = viewer(request, {Role.UNIT})
    application = await _load(service, application_id, who)
    return _render(
        request,
        "applications/return.html",
        who,
        application,
        values={},
        **_return_context(request, application, who),
    )


@post("/{application_id:uuid}/return", include_in_schema=False, exclude_from_auth=True)
async def return_to_applicant(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template | Redirect:
    """单位退回, with the reason shown to the applicant."""
    return await _status_command(
        request,
        service,
        application_id,
        lambda s, who, version, fields, at: s.return_to_applicant(
            application_id, by=who.actor, based_on_version=version, reason=fields.get("reason", ""), at=at
        ),
        template="applications/return.html",
        roles=frozenset({Role.UNIT}),
        context_of=_return_context,
    )


@get(
    "/{application_id:uuid}/submit",
    name="applications:submit",
    include_in_schema=False,
    exclude_from_auth=True,
)
async def submit_page(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template:
    """单位审核通过's confirmation: after it nothing can be changed online."""
    who = viewer(request, {Role.UNIT})
    application = await _load(service, application_id, who)
    context = await anyio.to_thread.run_sync(_submit_context, request, application, who)
    return _render(request, "applications/submit.html", who, application, values={}, **context)


@post("/{application_id:uuid}/submit", include_in_schema=False, exclude_from_auth=True)
async def submit(
    request: Request[Any, Any, Any], service: Service, application_id: FromPath[UUID]
) -> Template | Redirect:
    """单位审核通过: submitted to the talent centre, locked online."""
    return await _status_command(
        request,
        service,
        application_id,
        lambda s, who, version, _, at: s.submit(
            application_id, by=who.actor, based_on_version=version, at=at
        ),
        template="applications/submit.html",
        roles=frozenset({Role.UNIT}),
        context_of=_submit_context,
    )


router = Router(
    path="/applications",
    route_handlers=[
        overview,
        pledge_page,
        accept_pledge,
        *FORM_ROUTES,
        check_answers,
        complete,
        return_page,
        return_to_applicant,
        submit_page,
        submit,
    ],
)
