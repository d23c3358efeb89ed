"""Ed25519 JWTs: issued by accounts, verified locally everywhere; guards read roles and duties from opt."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from jwt.utils import base64url_encode
from litestar import Litestar, Request, get
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.testing import AsyncTestClient

from shared.kernel.roles import Duty, Role
from shared.platform.auth import (
    SESSION_COOKIE,
    Principal,
    TokenIssuer,
    TokenVerifier,
    generate_keypair,
    load_private_key,
    load_public_key,
)
from shared.platform.guards import (
    authorize,
    district_scope,
    ensure_account,
    ensure_district,
    ensure_unit,
    requires_roles,
)
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings
from shared.platform.web import create_service_app

pytestmark = pytest.mark.anyio

PRIVATE_PEM, PUBLIC_PEM = generate_keypair()
OTHER_PRIVATE_PEM, _ = generate_keypair()
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def issuer(private_pem: bytes = PRIVATE_PEM, now: datetime = NOW) -> TokenIssuer:
    return TokenIssuer(load_private_key(private_pem), clock=lambda: now)


def verifier(now: datetime = NOW) -> TokenVerifier:
    return TokenVerifier(load_public_key(PUBLIC_PEM), clock=lambda: now)


# --------------------------------------------------------------------------- tokens


def test_a_token_carries_the_role_unit_district_and_duties_and_is_signed_with_eddsa() -> None:
    issued = issuer().issue(
        account_id="clerk-7", role=Role.CLERK, district="310115", duties=[Duty.APPROVAL, Duty.ACCEPTANCE]
    )
    assert jwt.get_unverified_header(issued.token)["alg"] == "EdDSA"
    principal = verifier().verify(issued.token)
    assert principal == Principal(
        account_id="clerk-7",
        role=Role.CLERK,
        district="310115",
        duties=frozenset({Duty.APPROVAL, Duty.ACCEPTANCE}),
        token_id=issued.token_id,
        expires_at=NOW + timedelta(minutes=20),
        issued_at=NOW.replace(microsecond=0),
    )
    claims = jwt.decode(issued.token, options={"verify_signature": False})
    assert {"sub", "role", "district", "duties", "exp", "iat", "jti", "iss", "aud"} <= set(claims)


def test_each_token_has_its_own_id() -> None:
    first = issuer().issue(account_id="u1", role=Role.UNIT, unit_id="unit-1")
    second = issuer().issue(account_id="u1", role=Role.UNIT, unit_id="unit-1")
    assert first.token_id != second.token_id


def test_an_expired_token_is_rejected() -> None:
    issued = issuer().issue(account_id="p1", role=Role.APPLICANT, ttl=timedelta(minutes=5))
    verifier(NOW + timedelta(minutes=4)).verify(issued.token)
    with pytest.raises(NotAuthorizedException):
        verifier(NOW + timedelta(minutes=6)).verify(issued.token)


def test_clock_skew_within_the_leeway_is_tolerated_and_only_the_injected_clock_counts() -> None:
    """iat/nbf are judged by the verifier's (injectable) clock with its leeway, never by PyJWT's wall
    clock without leeway: an issuer a few seconds ahead must not lock users out."""
    wall = datetime.now(UTC).replace(microsecond=0)
    ahead = issuer(now=wall + timedelta(seconds=5)).issue(account_id="p1", role=Role.APPLICANT)
    assert verifier(wall).verify(ahead.token).account_id == "p1"
    # A fixed clock in the future (tests, simulations): issuer and verifier agree, so it is valid.
    later = wall + timedelta(days=30)
    assert verifier(later).verify(issuer(now=later).issue(account_id="p1", role=Role.APPLICANT).token)
    # Beyond the leeway, a token from the future is refused.
    with pytest.raises(NotAuthorizedException):
        early = issuer(now=wall + timedelta(minutes=5)).issue(account_id="p", role=Role.APPLICANT)
        verifier(wall).verify(early.token)


def test_a_token_issued_in_the_future_without_nbf_is_rejected() -> None:
    claims: dict[str, Any] = {
        "sub": "x", "role": "applicant", "jti": "j", "iss": "jifen-accounts", "aud": "jifen",
        "iat": int((NOW + timedelta(minutes=5)).timestamp()),
        "nbf": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(minutes=20)).timestamp()),
    }
    token = jwt.encode(claims, load_private_key(PRIVATE_PEM), algorithm="EdDSA")
    with pytest.raises(NotAuthorizedException):
        verifier().verify(token)


def test_a_token_signed_with_another_key_is_rejected() -> None:
    issued = issuer(OTHER_PRIVATE_PEM).issue(account_id="p1", role=Role.APPLICANT)
    with pytest.raises(NotAuthorizedException):
        verifier().verify(issued.token)


def test_a_tampered_token_is_rejected() -> None:
    header, payload, signature = issuer().issue(account_id="p1", role=Role.APPLICANT).token.split(".")
    claims = jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False})
    claims["role"] = "clerk"
    forged_payload = base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(NotAuthorizedException):
        verifier().verify(f"{header}.{forged_payload}.{signature}")


def _forged(alg: str, claims: dict[str, Any]) -> str:
    """``alg=none`` (no signature), or the classic algorithm-confusion forgery: HS256 keyed with the
    (public) verification key."""
    segments = [base64url_encode(json.dumps(part).encode()) for part in ({"alg": alg, "typ": "JWT"}, claims)]
    signing_input = b".".join(segments)
    signature = b""
    if alg == "HS256":
        signature = base64url_encode(hmac.new(PUBLIC_PEM, signing_input, hashlib.sha256).digest())
    return b".".join([signing_input, signature]).decode()


def test_an_unsigned_or_symmetric_token_is_rejected() -> None:
    claims: dict[str, Any] = {
        "sub": "x",
        "role": "clerk",
        "district": "310115",
        "exp": int((NOW + timedelta(minutes=5)).timestamp()),
        "iat": int(NOW.timestamp()),
        "jti": "j",
        "iss": "jifen-accounts",
        "aud": "jifen",
    }
    for token in (_forged("none", claims), _forged("HS256", claims)):
        with pytest.raises(NotAuthorizedException):
            verifier().verify(token)


def test_without_a_public_key_every_token_is_rejected() -> None:
    with pytest.raises(NotAuthorizedException):
        TokenVerifier(None).verify(issuer().issue(account_id="p1", role=Role.APPLICANT).token)


def test_unknown_roles_and_clerks_without_a_district_cannot_be_issued() -> None:
    with pytest.raises(ValueError):
        issuer().issue(account_id="a", role="admin")  # type: ignore[arg-type]  # not a Role, on purpose
    with pytest.raises(ValueError):
        issuer().issue(account_id="a", role=Role.SYSTEM)
    with pytest.raises(ValueError):
        issuer().issue(account_id="a", role=Role.CLERK)


def raw_token(**changes: Any) -> str:
    """A token signed with the right key whose claims the test chooses (as another issuer might)."""
    claims: dict[str, Any] = {
        "sub": "x", "role": "applicant", "jti": "j", "iss": "jifen-accounts", "aud": "jifen",
        "iat": int(NOW.timestamp()), "exp": int((NOW + timedelta(minutes=20)).timestamp()),
    } | changes  # fmt: skip
    return jwt.encode(claims, load_private_key(PRIVATE_PEM), algorithm="EdDSA")


def test_the_role_claim_is_a_kernel_role_and_duties_are_kernel_duties() -> None:
    principal = verifier().verify(raw_token(role="clerk", district="310115", duties=["acceptance"]))
    assert (principal.role, principal.duties) == (Role.CLERK, frozenset({Duty.ACCEPTANCE}))
    assert verifier().verify(raw_token()).role is Role.APPLICANT


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "person"},
        {"role": "system"},
        {"role": ["applicant"]},
        {"role": "clerk", "district": "310115", "duties": ["withdrawal"]},
    ],
    ids=["old-person-role", "system-is-no-account", "not-a-string", "unknown-duty"],
)
def test_a_token_with_a_role_or_duty_outside_the_kernel_vocabulary_is_rejected(
    changes: dict[str, Any],
) -> None:
    with pytest.raises(NotAuthorizedException):
        verifier().verify(raw_token(**changes))


def test_unknown_duties_cannot_be_issued() -> None:
    with pytest.raises(ValueError, match="unknown duties"):
        issuer().issue(
            account_id="c", role=Role.CLERK, district="310115", duties=["withdrawal"]  # type: ignore[list-item]
        )


def test_the_issuer_and_verifier_read_the_key_files_named_in_settings(tmp_path: Path) -> None:
    (tmp_path / "jwt.pem").write_bytes(PRIVATE_PEM)
    (tmp_path / "jwt.pub.pem").write_bytes(PUBLIC_PEM)
    settings = Settings(
        service="accounts",
        jwt_private_key_file=tmp_path / "jwt.pem",
        jwt_public_key_file=tmp_path / "jwt.pub.pem",
        jwt_ttl_seconds=300,
    )
    issued = TokenIssuer.from_settings(settings).issue(account_id="u1", role=Role.UNIT, unit_id="unit-1")
    assert issued.max_age == 300
    principal = TokenVerifier.from_pem_file(settings.jwt_public_key_file).verify(issued.token)
    assert principal.unit_id == "unit-1"
    with pytest.raises(ValueError):
        TokenIssuer.from_settings(Settings(service="review"))


def test_the_issued_token_never_appears_in_its_repr() -> None:
    issued = issuer().issue(account_id="p1", role=Role.APPLICANT)
    assert issued.token not in repr(issued)


# --------------------------------------------------------------------------- middleware and guards


@get("/api/applications/mine", guards=[authorize], opt=requires_roles(Role.APPLICANT, Role.UNIT))
async def mine(request: Request[Principal, str, Any]) -> dict[str, str]:
    return {"account": request.user.account_id, "role": request.user.role}


@get("/api/applications/cases", guards=[authorize], opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]))
async def cases(request: Request[Principal, str, Any]) -> dict[str, str]:
    return {"district": district_scope(request.user)}


@get("/applications/dashboard", guards=[authorize], opt=requires_roles(Role.UNIT))
async def dashboard(request: Request[Principal, str, Any]) -> dict[str, str]:
    return {"unit": request.user.unit_id or ""}


@get("/applications/public", exclude_from_auth=True, guards=[authorize])
async def public_but_guarded() -> None:
    return None


@get("/api/applications/forgotten")
async def forgotten_policy() -> dict[str, str]:
    """Neither public nor declaring roles: must not serve anybody."""
    return {"secret": "yes"}


@get("/api/applications/clerks-only", opt=requires_roles(Role.CLERK))
async def roles_without_guard() -> dict[str, str]:
    """Declares its roles but forgets ``guards=[authorize]``: the roles must still be enforced."""
    return {"secret": "yes"}


@get("/api/applications/schemata", opt=requires_roles(Role.CLERK))
async def looks_like_the_schema() -> dict[str, str]:
    """Shares a prefix with the OpenAPI path, which is public; this route is not."""
    return {"secret": "yes"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_service_app(
        Settings(service="applications", run_dir=tmp_path),
        route_handlers=[mine, cases, dashboard, public_but_guarded, forgotten_policy,
                        roles_without_guard, looks_like_the_schema],
        token_verifier=TokenVerifier(load_public_key(PUBLIC_PEM)),
        csrf_secret="s" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def live_token(**claims: Any) -> str:
    return TokenIssuer(load_private_key(PRIVATE_PEM)).issue(**claims).token


async def test_a_valid_bearer_token_authenticates_an_api_call(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get(
        "/api/applications/mine", headers=bearer(live_token(account_id="p1", role=Role.APPLICANT))
    )
    assert response.status_code == 200
    assert response.json() == {"account": "p1", "role": "applicant"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
    ids=["missing", "garbage", "wrong-scheme", "empty"],
)
async def test_missing_or_invalid_credentials_give_401(
    client: AsyncTestClient[Litestar], headers: dict[str, str]
) -> None:
    response = await client.get("/api/applications/mine", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "urn:jifen:problem:unauthenticated"


async def test_an_expired_token_gives_401(client: AsyncTestClient[Litestar]) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    token = issuer(now=past).issue(account_id="p1", role=Role.APPLICANT).token
    assert (await client.get("/api/applications/mine", headers=bearer(token))).status_code == 401


async def test_a_token_from_another_key_gives_401(client: AsyncTestClient[Litestar]) -> None:
    token = TokenIssuer(load_private_key(OTHER_PRIVATE_PEM)).issue(account_id="p1", role=Role.APPLICANT).token
    assert (await client.get("/api/applications/mine", headers=bearer(token))).status_code == 401


async def test_the_wrong_role_gives_403(client: AsyncTestClient[Litestar]) -> None:
    token = live_token(account_id="c1", role=Role.CLERK, district="310115", duties=[Duty.ACCEPTANCE])
    response = await client.get("/api/applications/mine", headers=bearer(token))
    assert response.status_code == 403
    assert response.json()["type"] == "urn:jifen:problem:forbidden"


async def test_a_clerk_needs_the_duty_named_by_the_handler(client: AsyncTestClient[Litestar]) -> None:
    without = live_token(account_id="c1", role=Role.CLERK, district="310115", duties=[Duty.APPROVAL])
    assert (await client.get("/api/applications/cases", headers=bearer(without))).status_code == 403
    with_duty = live_token(account_id="c1", role=Role.CLERK, district="310115", duties=[Duty.ACCEPTANCE])
    response = await client.get("/api/applications/cases", headers=bearer(with_duty))
    assert response.status_code == 200
    assert response.json() == {"district": "310115"}


async def test_pages_accept_the_session_cookie(client: AsyncTestClient[Litestar]) -> None:
    client.cookies.set(SESSION_COOKIE, live_token(account_id="u1", role=Role.UNIT, unit_id="unit-9"))
    response = await client.get("/applications/dashboard")
    assert response.status_code == 200
    assert response.json() == {"unit": "unit-9"}


async def test_the_json_api_ignores_the_session_cookie(client: AsyncTestClient[Litestar]) -> None:
    """A cookie must never authorise an API call: that is why the API needs no CSRF token."""
    client.cookies.set(SESSION_COOKIE, live_token(account_id="p1", role=Role.APPLICANT))
    assert (await client.get("/api/applications/mine")).status_code == 401


async def test_public_pages_know_a_signed_in_visitor(tmp_path: Path) -> None:
    from services.accounts.app import create_app

    app = create_app(
        Settings(service="accounts", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(load_public_key(PUBLIC_PEM)),
        csrf_secret="s" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        anonymous = await client.get("/accounts/login")
        client.cookies.set(SESSION_COOKIE, live_token(account_id="u1", role=Role.UNIT, unit_id="unit-9"))
        signed_in = await client.get("/accounts/login")
    assert "已登录" not in anonymous.text
    assert "已登录：用人单位" in signed_in.text


async def test_a_guard_on_a_route_excluded_from_auth_still_demands_a_principal(
    client: AsyncTestClient[Litestar],
) -> None:
    assert (await client.get("/applications/public")).status_code == 401


async def test_a_route_that_declares_no_roles_serves_nobody(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/api/applications/forgotten")).status_code == 401
    assert (await client.options("/api/applications/forgotten")).status_code == 204
    for claims in ({"account_id": "p1", "role": Role.APPLICANT},
                   {"account_id": "c1", "role": Role.CLERK, "district": "310115"}):
        response = await client.get("/api/applications/forgotten", headers=bearer(live_token(**claims)))
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_declared_roles_are_enforced_without_an_explicit_guard(
    client: AsyncTestClient[Litestar],
) -> None:
    applicant = bearer(live_token(account_id="p1", role=Role.APPLICANT))
    assert (await client.get("/api/applications/clerks-only", headers=applicant)).status_code == 403
    clerk = bearer(live_token(account_id="c1", role=Role.CLERK, district="310115"))
    assert (await client.get("/api/applications/clerks-only", headers=clerk)).status_code == 200


async def test_only_the_openapi_path_itself_is_public(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/api/applications/schema/openapi.json")).status_code == 200
    assert (await client.get("/api/applications/schemata")).status_code == 401


def test_unanchored_public_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="anchored"):
        create_service_app(
            Settings(service="applications", run_dir=tmp_path), route_handlers=[],
            public_paths=["/applications/login"], csrf_secret="s" * 32, open_db_pool=False,
        )


@pytest.mark.parametrize("service", ["accounts", "applications", "review", "documents"])
def test_every_route_of_every_service_is_public_or_declares_its_roles(service: str, tmp_path: Path) -> None:
    """Catches a forgotten access policy at test time (the app-wide guard refuses it at run time)."""
    import importlib
    import re

    from litestar.routes import HTTPRoute

    module = importlib.import_module(f"services.{service}.app")
    app = module.create_app(
        Settings(service=service, run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(load_public_key(PUBLIC_PEM)),
        csrf_secret="s" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    schema = re.compile(rf"^/api/{service}/schema(/|$)")
    undeclared = [
        f"{route.path} {sorted(handler.http_methods)}"
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if not handler.opt.get("exclude_from_auth")
        and handler.http_methods != {"OPTIONS"}  # Litestar's generated Allow answer
        and "roles" not in handler.opt
        and not schema.match(route.path)
    ]
    assert undeclared == []


# --------------------------------------------------------------------------- scoping helpers


CLERK = Principal(account_id="c1", role=Role.CLERK, district="310115", duties=frozenset({Duty.APPROVAL}))
UNIT = Principal(account_id="u1", role=Role.UNIT, unit_id="unit-1")
APPLICANT = Principal(account_id="p1", role=Role.APPLICANT, unit_id="unit-1")


def test_a_clerk_only_sees_their_own_district() -> None:
    assert district_scope(CLERK) == "310115"
    ensure_district(CLERK, "310115")
    with pytest.raises(PermissionDeniedException):
        ensure_district(CLERK, "310104")
    with pytest.raises(PermissionDeniedException):
        district_scope(UNIT)


def test_a_unit_only_sees_its_own_applicants() -> None:
    ensure_unit(UNIT, "unit-1")
    with pytest.raises(PermissionDeniedException):
        ensure_unit(UNIT, "unit-2")
    with pytest.raises(PermissionDeniedException):
        ensure_unit(APPLICANT, "unit-1")


def test_an_applicant_only_acts_on_their_own_account() -> None:
    ensure_account(APPLICANT, "p1")
    with pytest.raises(PermissionDeniedException):
        ensure_account(APPLICANT, "p2")
    with pytest.raises(PermissionDeniedException):
        ensure_account(UNIT, "u1")
