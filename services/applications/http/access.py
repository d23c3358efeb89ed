"""Who is using a page, and the sign-in round trip that loses nothing.

The application pages resolve their caller themselves instead of leaving it to the authentication
middleware, because a session can expire while someone is typing a long form: the middleware would
refuse the post before anything could keep what was typed. So the pages' routes are excluded from
the middleware and each handler starts with ``viewer(request, roles)`` (reading) or
``editor(request, roles, form)`` (a post), which

* find the signed-in caller the platform's way (a valid, unrevoked token: ``optional_principal``);
* refuse another role with 403, exactly as the platform's guard would;
* with nobody signed in, raise the platform's ``SignInRequired`` (``shared.platform.signin``): the
  browser goes to the sign-in page of the page's role (of its roles, the one this browser last
  used; else the page that lets the user choose) with ``next`` = this page, and for a post first
  keep the posted fields (``KeptInput``): a row in the service's ``kept_input`` table under a
  random key that only this browser holds (an HttpOnly cookie on ``/applications/``), for two hours.
  Back on the page, signed in, the handler shows the kept fields instead of the saved ones (once), with
  a notice; the save still carries the version the user started from, so the stale-save rule applies.

Nothing personal goes into a URL or a log: the kept fields stay in the database, the cookie holds only
the key, and ``next`` is the page's path.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException

from services.applications.domain.status import Actor
from shared.kernel.roles import Role
from shared.platform.auth import Principal, optional_principal
from shared.platform.signin import SignInRequired, requested

KEPT_COOKIE = "jifen_kept_input"
ROLE_COOKIE = "jifen_signed_in_role"
"""Which sign-in page to offer after a session ended (a hint, never trusted for access)."""
KEPT_FOR = "2 hours"
KEPT_DDL = (
    "CREATE TABLE IF NOT EXISTS kept_input ("
    " key text NOT NULL, path text NOT NULL, fields jsonb NOT NULL,"
    " kept_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (key, path))"
)
PAGES = "/applications/"

EDITORS: frozenset[Role] = frozenset({Role.APPLICANT, Role.UNIT})


def actor_of(principal: Principal) -> Actor:
    """The domain's actor for a signed-in caller: a unit acts as its unit (the token's ``unit_id``),
    anyone else as their account."""
    if principal.role is Role.UNIT:
        if not principal.unit_id:
            raise PermissionDeniedException("not a unit account")
        return Actor(Role.UNIT, principal.unit_id)
    return Actor(principal.role, principal.account_id)


HOME_OF: dict[Role, str] = {Role.UNIT: "/applications/unit", Role.APPLICANT: "/applications/mine"}
"""Each editor's page of applications: where the area sends them, and the navigation item an
application's own pages belong to."""


@dataclass(frozen=True)
class Viewer:
    principal: Principal
    actor: Actor

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def home(self) -> str | None:
        return HOME_OF.get(self.role)


def viewer(request: Request[Any, Any, Any], roles: Collection[Role] = EDITORS) -> Viewer:
    """The signed-in caller of a page (``SignInRequired`` if none, 403 for another role)."""
    principal = optional_principal(request)
    if principal is None:
        raise SignInRequired(roles, hint=request.cookies.get(ROLE_COOKIE), next_path=requested(request))
    if principal.role not in roles:
        raise PermissionDeniedException("role not allowed")
    return Viewer(principal, actor_of(principal))


async def editor(
    request: Request[Any, Any, Any], fields: Mapping[str, str], roles: Collection[Role] = EDITORS
) -> Viewer:
    """The signed-in caller of a post; with nobody signed in, the posted ``fields`` are kept first."""
    principal = optional_principal(request)
    if principal is None:
        key = request.cookies.get(KEPT_COOKIE) or secrets.token_urlsafe(24)
        await keep_input(request.app.state.db_pool, key, request.url.path, fields)
        kept = Cookie(
            key=KEPT_COOKIE,
            value=key,
            path=PAGES,
            max_age=2 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.cookie_secure,
        )
        raise SignInRequired(
            roles, hint=request.cookies.get(ROLE_COOKIE), next_path=request.url.path, cookies=[kept]
        )
    if principal.role not in roles:
        raise PermissionDeniedException("role not allowed")
    return Viewer(principal, actor_of(principal))


async def keep_input(pool: asyncpg.Pool, key: str, path: str, fields: Mapping[str, str]) -> None:
    kept = {name: value for name, value in fields.items() if name != "_csrf_token"}
    async with pool.acquire() as conn:
        await conn.execute(KEPT_DDL)
        await conn.execute(f"DELETE FROM kept_input WHERE kept_at < now() - interval '{KEPT_FOR}'")
        await conn.execute(
            "INSERT INTO kept_input (key, path, fields) VALUES ($1, $2, $3)"
            " ON CONFLICT (key, path) DO UPDATE SET fields = EXCLUDED.fields, kept_at = now()",
            key,
            path,
            json.loads(json.dumps(kept)),
        )


async def kept_input(request: Request[Any, Any, Any]) -> dict[str, str] | None:
    """The fields this browser posted to this page when its session had ended (once; then gone)."""
    key = request.cookies.get(KEPT_COOKIE)
    if not key:
        return None
    try:
        async with request.app.state.db_pool.acquire() as conn:
            fields = await conn.fetchval(
                "DELETE FROM kept_input WHERE key = $1 AND path = $2"
                f" AND kept_at >= now() - interval '{KEPT_FOR}' RETURNING fields",
                key,
                request.url.path,
            )
    except asyncpg.UndefinedTableError:
        return None
    return None if fields is None else {str(k): str(v) for k, v in dict(fields).items()}


_R = TypeVar("_R", bound=Response[Any])


def remember_role(response: _R, who: Viewer) -> _R:
    """Note which sign-in page this browser uses (a hint for the next sign-in, not for access)."""
    response.cookies.append(
        Cookie(key=ROLE_COOKIE, value=who.role.value, path=PAGES, max_age=30 * 24 * 3600, samesite="lax")
    )
    return response
