"""The accounts JSON API (``/api/accounts/``): Bearer tokens, RFC 9457 problems with per-field
errors, ``Idempotency-Key`` on every POST (the platform's middleware), OpenAPI with operation ids
and examples. Everything the pages do, an API client can do."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Request, Router, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from pydantic import BaseModel, ConfigDict, Field

from services.accounts import readmodels
from services.accounts.http.common import (
    accounts_web,
    caller,
    guard_code_attempts,
    now,
    read_own_write,
    run,
    sign_in,
    token_for,
)
from services.accounts.service import SIGN_IN_FAILED, AccountsService, SignInFailed
from shared.kernel.errors import NotVisible
from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.kernel.text import Text
from shared.platform.auth import load_public_key
from shared.platform.guards import district_scope, requires_roles
from shared.platform.opening_hours import within_opening_hours
from shared.platform.problems import ProblemError, problem_responses
from shared.platform.settings import Settings

Service = NamedDependency[AccountsService]
ANY_ACCOUNT = requires_roles(*ACCOUNT_ROLES)
ADMIN = requires_roles(Role.CLERK, duties=[Duty.ADMINISTRATOR])

CREDIT_CODE = "91310115MA1H7GKX3F"
ID_NUMBER = "310101199001011237"


def _examples(**example: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


# ------------------------------------------------------------------------------ models


Entered = Annotated[str, Field(min_length=1)]
"""A credential or code: empty is 'required' at its field, not a failed sign-in or a wrong code."""


class UnitRegistrationForm(BaseModel):
    model_config = _examples(
        credit_code=CREDIT_CODE,
        unit_name="上海示例科技有限公司",
        district="310115",
        address="上海市浦东新区世纪大道100号",
        hr_name="王敏",
        mobile="13800138000",
        email="hr@example.com",
        password="Jifen-Unit-2025",
    )
    credit_code: str
    unit_name: str
    district: str = Field(description="GB/T 2260 code of the registered district (3101xx)")
    address: str
    hr_name: str
    mobile: str
    email: str
    password: str = Field(description="10-128 characters, 3 of 4 classes, not the credit code")


class UnitDetailsForm(BaseModel):
    model_config = _examples(
        address="上海市浦东新区世纪大道200号", hr_name="李强", mobile="13900139000", email="hr2@example.com"
    )
    address: str
    hr_name: str
    mobile: str
    email: str


class UnitResubmissionForm(UnitDetailsForm):
    model_config = _examples(
        unit_name="上海示例科技有限公司",
        address="上海市浦东新区世纪大道100号",
        hr_name="王敏",
        mobile="13800138000",
        email="hr@example.com",
    )
    unit_name: str


class UnitView(BaseModel):
    unit_id: str
    credit_code: str
    unit_name: str
    district: str
    status: str
    status_label: str
    rejection_reason: str | None
    address: str
    hr_name: str
    mobile: str
    email: str


class Created(BaseModel):
    id: str


class ApplicantForm(BaseModel):
    model_config = _examples(
        name="张三", id_number=ID_NUMBER, mobile="13700137000", email="zhangsan@example.com"
    )
    name: str
    id_number: str
    mobile: str
    email: str


class ApplicantView(BaseModel):
    applicant_id: str
    unit_id: str
    name: str
    id_number_masked: str
    mobile: str
    email: str
    status: str
    registered_at: datetime
    activated_at: datetime | None = None


class ApplicantPage(BaseModel):
    items: list[ApplicantView]
    page: int
    pages: int
    total: int


class ActivationForm(BaseModel):
    model_config = _examples(id_number=ID_NUMBER, code="ABCD-EFGH", password="Zhang-San-2025!")
    id_number: Entered
    code: Entered
    password: Entered


class EmployerForm(BaseModel):
    model_config = _examples(credit_code=CREDIT_CODE)
    credit_code: str


class PasswordChangeForm(BaseModel):
    model_config = _examples(current_password="Jifen-Unit-2025", new_password="Jifen-Unit-2026")
    current_password: Entered
    new_password: Entered


class ResetForm(BaseModel):
    model_config = _examples(role="unit", login=CREDIT_CODE, code="ABCD-EFGH", password="Jifen-Unit-2026")
    role: Literal["unit", "applicant"]
    login: Entered = Field(description="the credit code (unit) or the ID number (applicant)")
    code: Entered
    password: Entered


class LoginForm(BaseModel):
    model_config = _examples(role="unit", login=CREDIT_CODE, password="Jifen-Unit-2025")
    role: Literal["unit", "applicant", "clerk"]
    login: Entered = Field(description="credit code (unit), ID number (applicant) or username (clerk)")
    password: Entered


class RefreshForm(BaseModel):
    model_config = _examples(refresh_token="q2-3tT...")
    refresh_token: Entered


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    refresh_token: str
    role: str
    account_id: str


class Me(BaseModel):
    account_id: str
    role: str
    unit_id: str | None = None
    district: str | None = None
    duties: list[str] = []


class ClerkForm(BaseModel):
    model_config = _examples(
        username="pd-clerk-01", name="陈静", duties=["acceptance"], password="Clerk-Pudong-2025"
    )
    username: str
    name: str
    duties: list[str]
    password: str


class ClerkChange(BaseModel):
    model_config = _examples(name="陈静", duties=["acceptance", "approval"])
    name: str
    duties: list[str]


class ClerkView(BaseModel):
    clerk_id: str
    username: str
    name: str
    district: str
    duties: list[str]
    active: bool


class ClerkPage(BaseModel):
    items: list[ClerkView]
    page: int
    pages: int
    total: int


class Jwks(BaseModel):
    keys: list[dict[str, str]]


FIELD_ERRORS = "Field errors, each at its field (a credit code or ID number already registered is one)"
REFUSED: dict[str, dict[int, str]] = {
    "RegisterUnit": {422: FIELD_ERRORS},
    "ChangeUnitDetails": {403: "Not a unit's account", 422: FIELD_ERRORS},
    "ResubmitUnit": {409: "Only a unit whose registration was not approved resubmits", 422: FIELD_ERRORS},
    "CreateApplicant": {403: "The unit is not approved yet", 422: FIELD_ERRORS},
    "ResendActivation": {404: "No such applicant of this unit", 409: "The account is already activated"},
    "ActivateAccount": {409: "Already activated", 422: "A wrong or expired code, or the password policy"},
    "ChangeEmployer": {409: "Already with that unit", 422: "No approved unit has the credit code"},
    "SignIn": {401: "The login or password is wrong (one answer for both, never which)"},
    "RefreshToken": {401: "The refresh token is spent, revoked or expired: sign in again"},
    "ChangePassword": {422: "The current password is wrong, or the new one breaks the policy"},
    "CompletePasswordReset": {422: "A wrong or expired code, or the password policy"},
    "CreateClerk": {403: "Not an administrator of the district", 422: FIELD_ERRORS},
    "ChangeClerk": {404: "No such clerk in the district", 409: "The clerk is deactivated", 422: FIELD_ERRORS},
    "DeactivateClerk": {404: "No such clerk in the district", 409: "Already deactivated, or oneself"},
}
"""The refusals each command answers with (RFC 9457 problems), for its OpenAPI ``responses``."""


# ------------------------------------------------------------------------------ units


def unit_view(service: AccountsService, unit_id: str, lang: str) -> UnitView:
    unit = service.unit(unit_id)
    return UnitView(
        unit_id=str(unit.id),
        credit_code=unit.credit_code,
        unit_name=unit.unit_name,
        district=unit.district_code,
        status=unit.status.value,
        status_label=unit.status.label.for_lang(lang),
        rejection_reason=unit.rejection_reason,
        address=unit.contact.address,
        hr_name=unit.contact.hr_name,
        mobile=unit.contact.mobile,
        email=unit.contact.email,
    )


def _lang(request: Request[Any, Any, Any]) -> str:
    from shared.platform import requestctx

    return requestctx.language(request.scope)


@post(
    "/units",
    operation_id="RegisterUnit",
    summary="单位注册: register a unit (it then awaits review at its district's talent centre)",
    exclude_from_auth=True,
    security=[{}],
    guards=[within_opening_hours],
    status_code=201,
    responses=problem_responses(REFUSED["RegisterUnit"]),
)
async def register_unit(service: Service, data: JSONBody[UnitRegistrationForm]) -> Created:
    saved = await run(service.register_unit, **data.model_dump())
    return Created(id=saved.id)


@get(
    "/units/me",
    operation_id="GetOwnUnit",
    summary="The signed-in unit's registration, status and details",
    opt=requires_roles(Role.UNIT),
)
async def get_own_unit(request: Request[Any, Any, Any], service: Service) -> UnitView:
    return await run(unit_view, service, caller(request).account_id, _lang(request))


@put(
    "/units/me/details",
    operation_id="ChangeUnitDetails",
    summary="Change the HR contact or address (the credit code and district never change)",
    opt=requires_roles(Role.UNIT),
    guards=[within_opening_hours],
    responses=problem_responses(REFUSED["ChangeUnitDetails"]),
)
async def change_unit_details(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[UnitDetailsForm]
) -> UnitView:
    unit_id = caller(request).account_id
    await run(service.change_unit_details, unit_id, **data.model_dump())
    return await run(unit_view, service, unit_id, _lang(request))


@post(
    "/units/me/resubmit",
    operation_id="ResubmitUnit",
    summary="A rejected unit corrects its registration and asks for review again",
    opt=requires_roles(Role.UNIT),
    guards=[within_opening_hours],
    status_code=200,
    responses=problem_responses(REFUSED["ResubmitUnit"]),
)
async def resubmit_unit(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[UnitResubmissionForm]
) -> UnitView:
    unit_id = caller(request).account_id
    await run(service.resubmit_unit, unit_id, **data.model_dump())
    return await run(unit_view, service, unit_id, _lang(request))


# ------------------------------------------------------------------------------ applicants


def _applicant_view(row: dict[str, Any]) -> ApplicantView:
    return ApplicantView(**{key: row[key] for key in ApplicantView.model_fields if key in row})


@post(
    "/applicants",
    operation_id="CreateApplicant",
    summary="帮助申请人注册个人账号: an approved unit creates an applicant's account (code sent by e-mail)",
    opt=requires_roles(Role.UNIT),
    guards=[within_opening_hours],
    status_code=201,
    responses=problem_responses(REFUSED["CreateApplicant"]),
)
async def create_applicant(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[ApplicantForm]
) -> Created:
    saved = await run(service.create_applicant, caller(request).account_id, **data.model_dump())
    await read_own_write(request, readmodels.UnitApplicants.name, saved.notification_id)
    return Created(id=saved.id)


@get(
    "/applicants",
    operation_id="ListUnitApplicants",
    summary="The unit's own applicants, newest first (paginated)",
    opt=requires_roles(Role.UNIT),
)
async def list_applicants(request: Request[Any, Any, Any], page: FromQuery[int] = 1) -> ApplicantPage:
    found = await readmodels.unit_applicants(request.app.state.db_pool, caller(request).account_id, page=page)
    return ApplicantPage(
        items=[_applicant_view(row) for row in found.rows],
        page=found.page,
        pages=found.pages,
        total=found.total,
    )


@get(
    "/applicants/{applicant_id:str}",
    operation_id="GetApplicant",
    summary="One applicant: a unit sees only its own; an applicant only themselves",
    opt=requires_roles(Role.UNIT, Role.APPLICANT),
)
async def get_applicant(
    request: Request[Any, Any, Any], service: Service, applicant_id: FromPath[str]
) -> ApplicantView:
    who = caller(request)
    if who.role is Role.UNIT:
        applicant = await run(service.applicant_of_unit, who.account_id, applicant_id)
    elif who.account_id == applicant_id:
        applicant = await run(service.applicant, applicant_id)
    else:
        raise NotVisible(Text("未找到该申请人。", "No such applicant."))
    return ApplicantView(
        applicant_id=str(applicant.id),
        unit_id=applicant.unit_id,
        name=applicant.name,
        id_number_masked=applicant.id_number_masked,
        mobile=applicant.mobile,
        email=applicant.email,
        status=applicant.status.value,
        registered_at=applicant.registered_at,
        activated_at=applicant.activated_at,
    )


@post(
    "/applicants/{applicant_id:str}/activation",
    operation_id="ResendActivation",
    summary="Send a new activation code (the earlier one stops working)",
    opt=requires_roles(Role.UNIT),
    status_code=202,
    responses=problem_responses(REFUSED["ResendActivation"]),
)
async def resend_activation(
    request: Request[Any, Any, Any], service: Service, applicant_id: FromPath[str]
) -> Created:
    saved = await run(service.reissue_activation, caller(request).account_id, applicant_id)
    return Created(id=saved.id)


@post(
    "/activate",
    operation_id="ActivateAccount",
    summary="The applicant sets their own password with the activation code from the e-mail",
    exclude_from_auth=True,
    security=[{}],
    status_code=200,
    responses=problem_responses(REFUSED["ActivateAccount"]),
)
async def activate(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[ActivationForm]
) -> Created:
    async def attempt() -> Any:
        return await run(service.activate, id_number=data.id_number, code=data.code, password=data.password)

    saved = await guard_code_attempts(
        request, f"applicant:{service.account_id_for(Role.APPLICANT, data.id_number)}", attempt
    )
    return Created(id=saved.id)


@post(
    "/me/employer",
    operation_id="ChangeEmployer",
    summary="修改单位组织机构代码: the applicant moves their account to another approved unit",
    opt=requires_roles(Role.APPLICANT),
    guards=[within_opening_hours],
    status_code=200,
    responses=problem_responses(REFUSED["ChangeEmployer"]),
)
async def change_employer(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[EmployerForm]
) -> Created:
    saved = await run(service.change_employer, caller(request).account_id, data.credit_code)
    return Created(id=saved.id)


# ------------------------------------------------------------------------------ sign-in and sessions


async def _pair(
    request: Request[Any, Any, Any], service: AccountsService, role: Role, account_id: str, family: Any = None
) -> TokenPair:
    signed_in = await run(service.signed_in, role, account_id)
    issued = token_for(request.app.state, signed_in)
    refresh = await accounts_web(request.app.state).refresh.issue(account_id, role, now(), family)
    return TokenPair(
        access_token=issued.token,
        expires_in=issued.max_age,
        refresh_token=refresh,
        role=role.value,
        account_id=account_id,
    )


@post(
    "/login",
    operation_id="SignIn",
    summary="Sign in: an access token (short-lived) and a refresh token",
    exclude_from_auth=True,
    security=[{}],
    status_code=200,
    responses=problem_responses(REFUSED["SignIn"]),
)
async def login(request: Request[Any, Any, Any], service: Service, data: JSONBody[LoginForm]) -> TokenPair:
    signed_in = await sign_in(request, service, Role(data.role), data.login, data.password)
    return await _pair(request, service, signed_in.role, signed_in.account_id)


@post(
    "/token",
    operation_id="RefreshToken",
    summary="A new token pair for a refresh token (rotated: the old one is spent)",
    exclude_from_auth=True,
    security=[{}],
    status_code=200,
    responses=problem_responses(REFUSED["RefreshToken"]),
)
async def refresh_token(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[RefreshForm]
) -> TokenPair:
    grant = await accounts_web(request.app.state).refresh.spend(data.refresh_token, now())
    if grant is None:
        raise SignInFailed(
            Text(
                "刷新令牌无效或已失效，请重新登录。",
                "The refresh token is not valid any more; sign in again.",
            )
        )
    try:
        return await _pair(request, service, grant.role, grant.account_id, grant.family)
    except Exception as exc:  # a deactivated clerk, a deleted account
        raise SignInFailed(SIGN_IN_FAILED) from exc


@post(
    "/logout",
    operation_id="SignOut",
    summary="Sign out: the refresh token (and its rotations) stop working",
    opt=ANY_ACCOUNT,
    status_code=204,
)
async def logout(request: Request[Any, Any, Any], data: JSONBody[RefreshForm]) -> None:
    await accounts_web(request.app.state).refresh.revoke(
        data.refresh_token, caller(request).account_id, now()
    )


@post(
    "/me/sessions/end",
    operation_id="SignOutEverywhere",
    summary="End every session of the account, in every service",
    opt=ANY_ACCOUNT,
    status_code=204,
)
async def end_sessions(request: Request[Any, Any, Any], service: Service) -> None:
    who = caller(request)
    await run(service.sign_out_everywhere, who.role, who.account_id)


@post(
    "/me/password",
    operation_id="ChangePassword",
    summary="Change the password; every earlier session ends (sign in again)",
    opt=ANY_ACCOUNT,
    status_code=204,
    responses=problem_responses(REFUSED["ChangePassword"]),
)
async def change_password(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[PasswordChangeForm]
) -> None:
    who = caller(request)
    await run(
        service.change_password,
        who.role,
        who.account_id,
        current=data.current_password,
        new=data.new_password,
    )


@get("/me", operation_id="GetMe", summary="Who the token belongs to", opt=ANY_ACCOUNT)
async def me(request: Request[Any, Any, Any]) -> Me:
    who = caller(request)
    return Me(
        account_id=who.account_id,
        role=who.role.value,
        unit_id=who.unit_id,
        district=who.district,
        duties=sorted(d.value for d in who.duties),
    )


@post(
    "/reset",
    operation_id="CompletePasswordReset",
    summary="Set a new password with the reset code sent after a window request (every session ends)",
    exclude_from_auth=True,
    security=[{}],
    status_code=204,
    responses=problem_responses(REFUSED["CompletePasswordReset"]),
)
async def complete_reset(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[ResetForm]
) -> None:
    role = Role(data.role)

    async def attempt() -> Any:
        return await run(service.complete_reset, role, data.login, code=data.code, password=data.password)

    await guard_code_attempts(
        request, f"reset:{role.value}:{service.account_id_for(role, data.login)}", attempt
    )


def jwk_of(settings: Settings) -> dict[str, str]:
    """The Ed25519 public key as an RFC 8037 JWK, with its RFC 7638 thumbprint as ``kid``."""
    from cryptography.hazmat.primitives import serialization

    if settings.jwt_public_key_file is None:
        raise ProblemError(503, "service-unavailable")
    key = load_public_key(settings.jwt_public_key_file.read_bytes())
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    thumbprint = hashlib.sha256(
        json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")).encode()
    )
    kid = base64.urlsafe_b64encode(thumbprint.digest()).decode().rstrip("=")
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "alg": "EdDSA", "use": "sig", "kid": kid}


@get(
    "/.well-known/jwks.json",
    operation_id="GetJwks",
    summary="The public key that verifies every Jifen token",
    exclude_from_auth=True,
    security=[{}],
    sync_to_thread=False,
)
def jwks(state: State) -> Jwks:
    return Jwks(keys=[jwk_of(state.settings)])


# ------------------------------------------------------------------------------ clerks


def _clerk_view(row: dict[str, Any]) -> ClerkView:
    return ClerkView(**{key: row[key] for key in ClerkView.model_fields})


@get(
    "/clerks",
    operation_id="ListClerks",
    summary="The clerks of the administrator's district (paginated)",
    opt=ADMIN,
)
async def list_clerks(request: Request[Any, Any, Any], page: FromQuery[int] = 1) -> ClerkPage:
    found = await readmodels.district_clerks(
        request.app.state.db_pool, district_scope(caller(request)), page=page
    )
    return ClerkPage(
        items=[_clerk_view(r) for r in found.rows], page=found.page, pages=found.pages, total=found.total
    )


@post(
    "/clerks",
    operation_id="CreateClerk",
    summary="Create a clerk account in the administrator's district",
    opt=ADMIN,
    status_code=201,
    responses=problem_responses(REFUSED["CreateClerk"]),
)
async def create_clerk(
    request: Request[Any, Any, Any], service: Service, data: JSONBody[ClerkForm]
) -> Created:
    who = caller(request)
    saved = await run(
        service.create_clerk,
        username=data.username,
        name=data.name,
        district=district_scope(who),
        duties=data.duties,
        password=data.password,
        by=who.account_id,
    )
    await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
    return Created(id=saved.id)


@put(
    "/clerks/{clerk_id:str}",
    operation_id="ChangeClerk",
    summary="Change a clerk's name or duties",
    opt=ADMIN,
    responses=problem_responses(REFUSED["ChangeClerk"]),
)
async def change_clerk(
    request: Request[Any, Any, Any], service: Service, clerk_id: FromPath[str], data: JSONBody[ClerkChange]
) -> Created:
    who = caller(request)
    saved = await run(
        service.change_clerk,
        district_scope(who),
        clerk_id,
        name=data.name,
        duties=data.duties,
        by=who.account_id,
    )
    await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
    return Created(id=saved.id)


@post(
    "/clerks/{clerk_id:str}/deactivate",
    operation_id="DeactivateClerk",
    summary="Deactivate a clerk: no more sign-in, every session ends",
    opt=ADMIN,
    status_code=200,
    responses=problem_responses(REFUSED["DeactivateClerk"]),
)
async def deactivate_clerk(
    request: Request[Any, Any, Any], service: Service, clerk_id: FromPath[str]
) -> Created:
    who = caller(request)
    saved = await run(service.deactivate_clerk, district_scope(who), clerk_id, by=who.account_id)
    await read_own_write(request, readmodels.ClerkDirectory.name, saved.notification_id)
    return Created(id=saved.id)


router = Router(
    path="/api/accounts",
    tags=["accounts"],
    route_handlers=[
        register_unit, get_own_unit, change_unit_details, resubmit_unit,
        create_applicant, list_applicants, get_applicant, resend_activation, activate, change_employer,
        login, refresh_token, logout, end_sessions, change_password, me, complete_reset, jwks,
        list_clerks, create_clerk, change_clerk, deactivate_clerk,
    ],
)  # fmt: skip
