"""Accounts pages (``/accounts/``): the portal home, sign-in for the three user types, unit
registration and the unit's pages, applicant activation and employer change, password change and
window resets, the clerk administrator's pages, and the development mailbox.

Every form works without JavaScript (post, redirect, get); a refused form is shown again with every
problem at its field and in the error summary, with what was typed kept (passwords are never sent
back). The session is an HttpOnly cookie; every form carries the CSRF token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from services.accounts import readmodels
from services.accounts.domain.password import DEFAULT_POLICY
from services.accounts.domain.unit_registration import UnitRegistrationStatus
from services.accounts.http.common import (
    caller,
    guard_code_attempts,
    read_own_write,
    role_of,
    run,
    sign_in,
    token_for,
)
from services.accounts.service import AccountsService, SignInFailed
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.districts import SHANGHAI_DISTRICTS, district_label
from shared.kernel.errors import DomainError, FieldError, ValidationFailed
from shared.kernel.moments import SHANGHAI
from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.platform import requestctx
from shared.platform.auth import clear_session_cookie, optional_principal, set_session_cookie
from shared.platform.forms import FormErrors
from shared.platform.guards import district_scope, requires_roles
from shared.platform.i18n import t
from shared.platform.mail import read_mailbox
from shared.platform.opening_hours import OpeningHours, open_now, within_opening_hours
from shared.platform.problems import ProblemError, catalogue_text
from shared.platform.settings import Settings
from shared.platform.signin import NEXT, safe_next, with_next
from shared.platform.web import page

Service = NamedDependency[AccountsService]
AnyRequest = Request[Any, Any, Any]
ANY_ACCOUNT = requires_roles(*ACCOUNT_ROLES)
UNIT = requires_roles(Role.UNIT)
APPLICANT = requires_roles(Role.APPLICANT)
CLERK = requires_roles(Role.CLERK)
ADMIN = requires_roles(Role.CLERK, duties=[Duty.ADMINISTRATOR])
PORTAL_HOME = {Role.APPLICANT: "/applications/mine", Role.CLERK: "/review/"}
"""Where the portal home sends a signed-in applicant or clerk (a unit: see ``_home_of``)."""


def lang_of(request: AnyRequest) -> str:
    return requestctx.language(request.scope)


async def form_of(request: AnyRequest, *fields: str) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, "") or "") for name in fields}


async def handle_form(
    request: AnyRequest,
    template: str,
    values: Mapping[str, Any],
    action: Callable[[], Awaitable[Response[Any]]],
    **context: Any,
) -> Response[Any] | Template:
    """Run ``action``; on refusal render ``template`` again with the problems and the typed values.

    Too many failed attempts (sign-in, a code) are a 429 with ``Retry-After`` on the same page, saying
    when to try again, with the login typed kept.
    """
    codes: set[str] = set()
    headers: dict[str, str] = {}
    refusal: str | None = None
    refusal_title: str | None = None
    try:
        return await action()
    except ValidationFailed as exc:
        errors = FormErrors.of(exc.errors, lang_of(request), page_order=values)  # fields in page order
        codes = exc.codes
        status = 422
    except DomainError as exc:
        errors = FormErrors()
        refusal = exc.message.for_lang(lang_of(request))
        status = 409
    except ProblemError as exc:
        if exc.status != 429 or exc.detail_key is None:
            raise
        errors, status, headers = FormErrors(), 429, exc.headers
        refusal = t(exc.detail_key, lang_of(request), **exc.params)
        refusal_title = t(f"problem.{exc.slug}.title", lang_of(request))
    kept = {k: v for k, v in values.items() if "password" not in k}
    response = page(
        template,
        status_code=status,
        errors=errors.summary,
        field_errors=errors.by_field,
        refusal=refusal,
        refusal_title=refusal_title,
        codes=codes,
        values=kept,
        **context,
    )
    response.headers.update(headers)
    return response


def signed_in_redirect(state: State, to: str, issued: Any) -> Redirect:
    response = Redirect(to, status_code=303)
    settings: Settings = state.settings
    set_session_cookie(response, issued, secure=settings.cookie_secure)
    return response


def _districts(lang: str) -> list[dict[str, str]]:
    return [{"value": d.code, "text": d.name.for_lang(lang)} for d in SHANGHAI_DISTRICTS]


def _duties(lang: str) -> list[dict[str, str]]:
    return [{"value": d.value, "text": d.label.for_lang(lang)} for d in Duty]


def _policy(lang: str) -> list[str]:
    return [rule.for_lang(lang) for rule in DEFAULT_POLICY.rules()]


# ------------------------------------------------------------------------------ portal


@get("/", name="accounts:home", exclude_from_auth=True, include_in_schema=False)
async def portal_home(
    request: AnyRequest, service: Service, signed_out: FromQuery[int] = 0
) -> Template | Redirect:
    """The portal home (the gateway sends ``/`` here): for a visitor what the system is, the opening
    hours, where each kind of user signs in, the simulator and verify-a-notice; a signed-in user goes
    to their own home (303): an approved unit to its applications dashboard (a unit still under
    review to its registration status), an applicant to their application, a clerk to the queues."""
    who = optional_principal(request)
    if who is not None:
        return Redirect(await _home_of(service, who.role, who.account_id), status_code=303)
    state = request.app.state
    hours: OpeningHours = state.opening_hours
    return page(
        "accounts/home.html",
        hours=hours.label(),
        open_now=open_now(request),
        signed_out=signed_out == 1,
    )


async def _home_of(service: AccountsService, role: Role, account_id: str) -> str:
    """Where the portal home sends a signed-in user (and where signing in ends without ``next``)."""
    if role is Role.UNIT:
        unit = await run(service.unit, account_id)
        return "/applications/unit" if unit.is_approved else "/accounts/unit"
    return PORTAL_HOME[role]


@get("/login", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def sign_in_choice(next_path: Annotated[str | None, QueryParameter(name=NEXT)] = None) -> Template:
    """One sign-in page for the three user types (each link keeps where to return to)."""
    return page("accounts/login_choice.html", roles=list(ACCOUNT_ROLES), next=safe_next(next_path))


@get(
    "/login/{role:str}",
    name="accounts:login",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def sign_in_form(
    role: FromPath[str], next_path: Annotated[str | None, QueryParameter(name=NEXT)] = None
) -> Template:
    """Where each kind of user signs in (``/accounts/login/unit|applicant|clerk``); ``?next=`` is
    where to go after signing in (a safe local page only: ``shared.platform.signin``)."""
    chosen = role_of(role)
    if chosen is None:
        raise NotFoundException()
    return page(
        "accounts/login.html",
        role=chosen,
        roles=list(ACCOUNT_ROLES),
        next=safe_next(next_path),
        values={},
        errors=[],
        field_errors={},
    )


@post("/login/{role:str}", exclude_from_auth=True, include_in_schema=False)
async def sign_in_post(
    request: AnyRequest, service: Service, role: FromPath[str]
) -> Response[Any] | Template:
    chosen = role_of(role)
    if chosen is None:
        raise NotFoundException()
    values = await form_of(request, "login", "password", NEXT)
    back = safe_next(values.pop(NEXT))

    async def action() -> Response[Any]:
        if missing := _missing_sign_in_fields(chosen, values):
            raise ValidationFailed(missing)
        try:
            signed_in = await sign_in(request, service, chosen, values["login"], values["password"])
        except SignInFailed as exc:
            raise ValidationFailed([FieldError("login", exc.code, exc.message)], exc.message) from None
        home = back or await _home_of(service, signed_in.role, signed_in.account_id)
        return signed_in_redirect(request.app.state, home, token_for(request.app.state, signed_in))

    return await handle_form(
        request, "accounts/login.html", values, action, role=chosen, roles=list(ACCOUNT_ROLES), next=back
    )


def _missing_sign_in_fields(role: Role, values: Mapping[str, str]) -> list[FieldError]:
    """A field error at each empty field (nothing to check, so not a failed attempt either)."""
    missing = []
    if not values["login"].strip():
        message = catalogue_text(f"accounts.login.required.{role.value}")
        missing.append(FieldError("login", "login.required", message))
    if not values["password"]:
        message = catalogue_text("accounts.login.password_required")
        missing.append(FieldError("password", "password.required", message))
    return missing


@post("/sessions/end", opt=ANY_ACCOUNT, include_in_schema=False)
async def end_all_sessions(request: AnyRequest, service: Service) -> Redirect:
    """退出所有登录: every session of the account ends, here and in every other service."""
    who = caller(request)
    await run(service.sign_out_everywhere, who.role, who.account_id)
    response = Redirect(f"/accounts/login/{who.role.value}?ended=1", status_code=303)
    clear_session_cookie(response)
    return response


# ------------------------------------------------------------------------------ units

REGISTRATION_FIELDS = (
    "credit_code",
    "unit_name",
    "district",
    "address",
    "hr_name",
    "mobile",
    "email",
    "password",
    "password_confirm",
)


@get("/register", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def registration_form(request: AnyRequest) -> Template:
    lang = lang_of(request)
    return page(
        "accounts/register.html",
        values={},
        errors=[],
        field_errors={},
        districts=_districts(lang),
        policy=_policy(lang),
    )


@post("/register", exclude_from_auth=True, include_in_schema=False, guards=[within_opening_hours])
async def registration_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    values = await form_of(request, *REGISTRATION_FIELDS)
    lang = lang_of(request)

    async def action() -> Response[Any]:
        await run(service.register_unit, **values)
        signed_in = await run(service.sign_in, Role.UNIT, values["credit_code"], values["password"])
        return signed_in_redirect(
            request.app.state, "/accounts/unit?registered=1", token_for(request.app.state, signed_in)
        )

    return await handle_form(
        request, "accounts/register.html", values, action, districts=_districts(lang), policy=_policy(lang)
    )


@get("/unit", opt=UNIT, include_in_schema=False)
async def unit_home(
    request: AnyRequest,
    service: Service,
    page_number: FromQuery[int] = 1,
    registered: FromQuery[int] = 0,
    created: FromQuery[int] = 0,
) -> Template:
    """The unit's home: its review status (and what to bring to the centre), its applicants."""
    unit = await run(service.unit, caller(request).account_id)
    applicants = None
    if unit.is_approved:
        applicants = await readmodels.unit_applicants(
            request.app.state.db_pool, str(unit.id), page=page_number
        )
    return page(
        "accounts/unit_home.html",
        unit=unit,
        statuses=UnitRegistrationStatus,
        applicants=applicants,
        registered=registered,
        created=created,
        district=district_label(unit.district_code).for_lang(lang_of(request)),
    )


DETAIL_FIELDS = ("address", "hr_name", "mobile", "email")


def _contact_values(unit: Any) -> dict[str, str]:
    contact = unit.contact
    return {
        "unit_name": unit.unit_name,
        "address": contact.address,
        "hr_name": contact.hr_name,
        "mobile": contact.mobile,
        "email": contact.email,
    }


@get("/unit/details", opt=UNIT, include_in_schema=False)
async def unit_details_form(request: AnyRequest, service: Service) -> Template:
    unit = await run(service.unit, caller(request).account_id)
    resubmit = unit.status is UnitRegistrationStatus.REJECTED
    return page(
        "accounts/unit_details.html",
        unit=unit,
        resubmit=resubmit,
        values=_contact_values(unit),
        errors=[],
        field_errors={},
    )


@post("/unit/details", opt=UNIT, include_in_schema=False, guards=[within_opening_hours])
async def unit_details_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    unit_id = caller(request).account_id
    unit = await run(service.unit, unit_id)
    resubmit = unit.status is UnitRegistrationStatus.REJECTED
    values = await form_of(request, "unit_name", *DETAIL_FIELDS)

    async def action() -> Response[Any]:
        if resubmit:
            await run(service.resubmit_unit, unit_id, **values)
            return Redirect("/accounts/unit?resubmitted=1", status_code=303)
        await run(service.change_unit_details, unit_id, **{k: values[k] for k in DETAIL_FIELDS})
        return Redirect("/accounts/unit?changed=1", status_code=303)

    return await handle_form(
        request, "accounts/unit_details.html", values, action, unit=unit, resubmit=resubmit
    )


APPLICANT_FIELDS = ("name", "id_number", "mobile", "email")


@get("/unit/applicants/new", opt=UNIT, include_in_schema=False)
async def applicant_form(request: AnyRequest, service: Service) -> Template:
    unit = await run(service.unit, caller(request).account_id)
    return page("accounts/applicant_new.html", unit=unit, values={}, errors=[], field_errors={})


@post("/unit/applicants/new", opt=UNIT, include_in_schema=False, guards=[within_opening_hours])
async def applicant_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    unit_id = caller(request).account_id
    unit = await run(service.unit, unit_id)
    values = await form_of(request, *APPLICANT_FIELDS)

    async def action() -> Response[Any]:
        saved = await run(service.create_applicant, unit_id, **values)
        await read_own_write(request, readmodels.UnitApplicants.name, saved.notification_id)
        return Redirect("/accounts/unit?created=1#applicants", status_code=303)

    return await handle_form(request, "accounts/applicant_new.html", values, action, unit=unit)


@post("/unit/applicants/{applicant_id:str}/activation", opt=UNIT, include_in_schema=False)
async def applicant_reissue(request: AnyRequest, service: Service, applicant_id: FromPath[str]) -> Redirect:
    await run(service.reissue_activation, caller(request).account_id, applicant_id)
    return Redirect("/accounts/unit?reissued=1#applicants", status_code=303)


# ------------------------------------------------------------------------------ applicants


@get("/activate", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def activation_form(
    request: AnyRequest, next_path: Annotated[str | None, QueryParameter(name=NEXT)] = None
) -> Template:
    return page(
        "accounts/activate.html",
        values={},
        errors=[],
        field_errors={},
        policy=_policy(lang_of(request)),
        next=safe_next(next_path),
    )


@post("/activate", exclude_from_auth=True, include_in_schema=False)
async def activation_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    values = await form_of(request, "id_number", "code", "password", "password_confirm", NEXT)
    back = safe_next(values.pop(NEXT))

    async def action() -> Response[Any]:
        async def attempt() -> Any:
            return await run(
                service.activate,
                id_number=values["id_number"],
                code=values["code"],
                password=values["password"],
                password_confirm=values["password_confirm"],
            )

        key = f"applicant:{service.account_id_for(Role.APPLICANT, values['id_number'])}"
        await guard_code_attempts(request, key, attempt)
        return Redirect(with_next("/accounts/login/applicant?activated=1", back), status_code=303)

    return await handle_form(
        request, "accounts/activate.html", values, action, policy=_policy(lang_of(request)), next=back
    )


@get("/me", opt=APPLICANT, include_in_schema=False)
async def applicant_home(request: AnyRequest, service: Service, moved: FromQuery[int] = 0) -> Template:
    applicant = await run(service.applicant, caller(request).account_id)
    unit = await run(service.unit, applicant.unit_id)
    return page("accounts/applicant_home.html", applicant=applicant, unit=unit, moved=moved)


@get("/me/employer", opt=APPLICANT, include_in_schema=False)
async def employer_form(request: AnyRequest, service: Service) -> Template:
    applicant = await run(service.applicant, caller(request).account_id)
    unit = await run(service.unit, applicant.unit_id)
    return page("accounts/employer.html", unit=unit, values={}, errors=[], field_errors={})


@post("/me/employer", opt=APPLICANT, include_in_schema=False, guards=[within_opening_hours])
async def employer_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    applicant_id = caller(request).account_id
    applicant = await run(service.applicant, applicant_id)
    unit = await run(service.unit, applicant.unit_id)
    values = await form_of(request, "credit_code")

    async def action() -> Response[Any]:
        await run(service.change_employer, applicant_id, values["credit_code"])
        # the token names the unit: a fresh one for the new employer
        signed_in = await run(service.signed_in, Role.APPLICANT, applicant_id)
        return signed_in_redirect(
            request.app.state, "/accounts/me?moved=1", token_for(request.app.state, signed_in)
        )

    return await handle_form(request, "accounts/employer.html", values, action, unit=unit)


# ------------------------------------------------------------------------------ passwords


@get("/password", opt=ANY_ACCOUNT, include_in_schema=False, sync_to_thread=False)
def password_form(request: AnyRequest) -> Template:
    return page(
        "accounts/password.html", values={}, errors=[], field_errors={}, policy=_policy(lang_of(request))
    )


@post("/password", opt=ANY_ACCOUNT, include_in_schema=False)
async def password_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    who = caller(request)
    values = await form_of(request, "current_password", "new_password", "new_password_confirm")

    async def action() -> Response[Any]:
        await run(
            service.change_password,
            who.role,
            who.account_id,
            current=values["current_password"],
            new=values["new_password"],
            confirm=values["new_password_confirm"],
        )
        response = Redirect(f"/accounts/login/{who.role.value}?changed=1", status_code=303)
        clear_session_cookie(response)
        return response

    return await handle_form(
        request, "accounts/password.html", values, action, policy=_policy(lang_of(request))
    )


RESET_FIELDS = ("role", "login", "code", "password", "password_confirm")


@get("/reset", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def reset_form(
    request: AnyRequest, next_path: Annotated[str | None, QueryParameter(name=NEXT)] = None
) -> Template:
    return page(
        "accounts/reset.html",
        values={"role": "unit"},
        errors=[],
        field_errors={},
        policy=_policy(lang_of(request)),
        next=safe_next(next_path),
    )


@post("/reset", exclude_from_auth=True, include_in_schema=False)
async def reset_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    values = await form_of(request, *RESET_FIELDS, NEXT)
    back = safe_next(values.pop(NEXT))
    role = role_of(values["role"]) or Role.UNIT

    async def action() -> Response[Any]:
        async def attempt() -> Any:
            return await run(
                service.complete_reset,
                role,
                values["login"],
                code=values["code"],
                password=values["password"],
                password_confirm=values["password_confirm"],
            )

        await guard_code_attempts(
            request, f"reset:{role.value}:{service.account_id_for(role, values['login'])}", attempt
        )
        return Redirect(with_next(f"/accounts/login/{role.value}?reset=1", back), status_code=303)

    return await handle_form(
        request, "accounts/reset.html", values, action, policy=_policy(lang_of(request)), next=back
    )


# ------------------------------------------------------------------------------ clerks


@get("/clerk", opt=CLERK, include_in_schema=False)
async def clerk_home(request: AnyRequest, service: Service) -> Template:
    who = caller(request)
    clerk = await run(service.clerk, who.account_id)
    return page(
        "accounts/clerk_home.html",
        clerk=clerk,
        district=district_label(clerk.district).for_lang(lang_of(request)),
        duties=[d for d in Duty if d in clerk.duties],
        is_admin=Duty.ADMINISTRATOR in who.duties,
    )


@get("/clerks", opt=ADMIN, include_in_schema=False)
async def clerk_list(
    request: AnyRequest, page_number: FromQuery[int] = 1, done: FromQuery[str] = ""
) -> Template:
    district = district_scope(caller(request))
    clerks = await readmodels.district_clerks(request.app.state.db_pool, district, page=page_number)
    return page(
        "accounts/clerks.html",
        clerks=clerks,
        district=district_label(district).for_lang(lang_of(request)),
        duties={d.value: d for d in Duty},
        done=done,
    )


CLERK_FIELDS = ("username", "name", "duties", "password", "password_confirm")
"""In the order of the page (the error summary follows it); ``duties`` are ticked boxes."""


@get("/clerks/new", opt=ADMIN, include_in_schema=False, sync_to_thread=False)
def clerk_new_form(request: AnyRequest) -> Template:
    lang = lang_of(request)
    return page(
        "accounts/clerk_form.html",
        clerk=None,
        values={"duties": []},
        errors=[],
        field_errors={},
        duties=_duties(lang),
        policy=_policy(lang),
    )


@post("/clerks/new", opt=ADMIN, include_in_schema=False)
async def clerk_new_post(request: AnyRequest, service: Service) -> Response[Any] | Template:
    who = caller(request)
    form = await request.form()
    values: dict[str, Any] = {
        name: [str(d) for d in form.getall(name, [])] if name == "duties" else str(form.get(name, "") or "")
        for name in CLERK_FIELDS
    }
    lang = lang_of(request)

    async def action() -> Response[Any]:
        saved = await run(
            service.create_clerk,
            username=values["username"],
            name=values["name"],
            district=district_scope(who),
            duties=values["duties"],
            password=values["password"],
            password_confirm=values["password_confirm"],
            by=who.account_id,
        )
        await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
        return Redirect("/accounts/clerks?done=created", status_code=303)

    return await handle_form(
        request,
        "accounts/clerk_form.html",
        values,
        action,
        clerk=None,
        duties=_duties(lang),
        policy=_policy(lang),
    )


@get("/clerks/{clerk_id:str}", opt=ADMIN, include_in_schema=False)
async def clerk_edit_form(request: AnyRequest, service: Service, clerk_id: FromPath[str]) -> Template:
    clerk = await run(service.clerk_of_district, district_scope(caller(request)), clerk_id)
    return page(
        "accounts/clerk_form.html",
        clerk=clerk,
        values={"name": clerk.name, "duties": [d.value for d in clerk.duties]},
        errors=[],
        field_errors={},
        duties=_duties(lang_of(request)),
    )


@post("/clerks/{clerk_id:str}", opt=ADMIN, include_in_schema=False)
async def clerk_edit_post(
    request: AnyRequest, service: Service, clerk_id: FromPath[str]
) -> Response[Any] | Template:
    who = caller(request)
    district = district_scope(who)
    clerk = await run(service.clerk_of_district, district, clerk_id)
    form = await request.form()
    values: dict[str, Any] = {
        "name": str(form.get("name", "") or ""),
        "duties": [str(d) for d in form.getall("duties", [])],
    }

    async def action() -> Response[Any]:
        saved = await run(
            service.change_clerk,
            district,
            clerk_id,
            name=values["name"],
            duties=values["duties"],
            by=who.account_id,
        )
        await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
        return Redirect("/accounts/clerks?done=changed", status_code=303)

    return await handle_form(
        request, "accounts/clerk_form.html", values, action, clerk=clerk, duties=_duties(lang_of(request))
    )


@post("/clerks/{clerk_id:str}/deactivate", opt=ADMIN, include_in_schema=False)
async def clerk_deactivate(
    request: AnyRequest, service: Service, clerk_id: FromPath[str]
) -> Response[Any] | Template:
    who = caller(request)
    district = district_scope(who)
    clerk = await run(service.clerk_of_district, district, clerk_id)

    async def action() -> Response[Any]:
        saved = await run(service.deactivate_clerk, district, clerk_id, by=who.account_id)
        await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
        return Redirect("/accounts/clerks?done=deactivated", status_code=303)

    return await handle_form(
        request,
        "accounts/clerk_form.html",
        {"name": clerk.name, "duties": [d.value for d in clerk.duties]},
        action,
        clerk=clerk,
        duties=_duties(lang_of(request)),
    )


# ------------------------------------------------------------------------------ development


@get("/dev/mail", exclude_from_auth=True, include_in_schema=False, sync_to_thread=True)
def dev_mailbox(settings: NamedDependency[Settings]) -> Template:
    """The local mail sink's messages (only where one is configured: ``JIFEN_MAIL_SINK_DIR``)."""
    if settings.mail_sink_dir is None:
        raise NotFoundException()
    return page("accounts/dev_mail.html", mails=list(reversed(read_mailbox(settings.mail_sink_dir))))


@get(
    "/design-system",
    name="accounts:design-system",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def design_system(state: State) -> Template:
    """Every shared UI component with example data (chrome from the catalogue, statuses, kinds and roles
    with the kernel's labels), for review."""
    hours: OpeningHours = state.opening_hours
    now = state.clock().astimezone(SHANGHAI).replace(second=0, microsecond=0)
    status = ApplicationStatus
    timeline = [
        {"status": status.AWAITING_ACCEPTANCE, "time": now, "actor": Role.SYSTEM, "reason": None},
        {
            "status": status.UNIT_APPROVED,
            "time": now - timedelta(hours=2),
            "actor": Role.UNIT,
            "reason": None,
        },
        {
            "status": status.RETURNED_BY_UNIT,
            "time": now - timedelta(days=1),
            "actor": Role.UNIT,
            "reason": "returned",
        },
        {"status": status.DRAFT, "time": now - timedelta(days=3), "actor": Role.APPLICANT, "reason": None},
    ]
    return page(
        "accounts/design_system.html",
        timeline=timeline,
        hours=hours.label(),
        statuses=list(ApplicationStatus),
        kinds=ApplicationKind,
    )


router = Router(
    path="/accounts",
    route_handlers=[
        portal_home, sign_in_choice, sign_in_form, sign_in_post, end_all_sessions,
        registration_form, registration_post, unit_home, unit_details_form, unit_details_post,
        applicant_form, applicant_post, applicant_reissue,
        activation_form, activation_post, applicant_home, employer_form, employer_post,
        password_form, password_post, reset_form, reset_post,
        clerk_home, clerk_list, clerk_new_form, clerk_new_post, clerk_edit_form, clerk_edit_post,
        clerk_deactivate,
        dev_mailbox, design_system,
    ],
)  # fmt: skip
