"""Authorisation: declarative guards driven by ``handler.opt``, and scoping helpers for queries.

Usage::

    @get("/cases", guards=[authorize], opt=requires_roles(Role.CLERK, duties=[Duty.ACCEPTANCE]))
    async def list_cases(request: Request[Principal, str, Any]) -> ...:
        district = district_scope(request.user)      # a clerk only sees their district

- No principal (route not authenticated, or excluded from auth) -> 401.
- Wrong role, or a clerk without every listed duty -> 403. Roles and duties are the kernel's ``Role``
  and ``Duty`` (``shared.kernel.roles``); withdrawals recorded at the window need ``Duty.ACCEPTANCE``.
- ``district_scope`` / ``ensure_district`` / ``ensure_unit`` / ``ensure_account`` are plain functions so
  controllers, read-model queries and tests can use them the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.kernel.roles import Duty, Role
from shared.platform.auth import DUTIES, ROLES, Principal

logger = logging.getLogger("jifen.guards")


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The authenticated caller, or 401."""
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthorizedException("authentication required")
    return user


def _as_set(value: Any, name: str, known: frozenset[str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(f"opt[{name!r}] must be a collection of names")
    if unknown := frozenset(value) - known:
        raise TypeError(f"unknown {name} in opt: {sorted(unknown)}")
    return frozenset(value)


def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: the caller must hold one of ``opt["roles"]`` and (clerks) all of ``opt["duties"]``.

    Without ``roles`` in opt, any authenticated caller passes; the guard still demands a principal.
    """
    principal = principal_of(connection)
    roles = _as_set(handler.opt.get("roles"), "roles", ROLES)
    duties = _as_set(handler.opt.get("duties"), "duties", DUTIES)
    if roles and principal.role not in roles:
        raise PermissionDeniedException("role not allowed")
    if duties and (principal.role is not Role.CLERK or not duties <= principal.duties):
        raise PermissionDeniedException("duty not held")


def access_policy(public_paths: Sequence[str] = ()) -> Callable[[ASGIApp], ASGIApp]:
    """The app-wide access policy (a middleware after authentication): protected unless public.

    A route is public when its handler is marked ``exclude_from_auth=True`` or its path matches one
    of ``public_paths`` (the authentication middleware's exclusions). Every other route must name
    the roles it serves in ``opt["roles"]`` (``requires_roles(...)``; all of ``ROLES`` for "any
    signed-in user") and is then checked by ``authorize``, whether or not the handler lists that
    guard itself. A route that declares no roles is refused (403) and logged, so a forgotten policy
    fails closed instead of serving every role.

    It is a middleware rather than an app-wide guard because Litestar copies the route handler for
    every guard on every request, which cost more than the whole check.
    """
    pattern = re.compile("|".join(public_paths)) if public_paths else None

    def wrap(app: ASGIApp) -> ASGIApp:
        async def enforce_access_policy(scope: Scope, receive: Receive, send: Send) -> None:
            handler = scope.get("route_handler")
            if (
                scope["type"] == ScopeType.HTTP
                and isinstance(handler, BaseRouteHandler)
                and not handler.opt.get("exclude_from_auth")
                and scope.get("method") != "OPTIONS"  # like the authentication middleware
                and not (pattern is not None and pattern.search(scope.get("path", "")))
            ):
                if "roles" not in handler.opt:
                    logger.error("route %s declares no roles and is not public: refused", handler)
                    raise PermissionDeniedException("no access policy")
                authorize(ASGIConnection(scope), handler)
            await app(scope, receive, send)

        return enforce_access_policy

    return wrap


def requires_roles(*roles: Role, duties: Collection[Duty] = ()) -> dict[str, Any]:
    """``opt`` for a handler: ``@get(..., opt=requires_roles(Role.UNIT, Role.APPLICANT))``; a clerk route
    may name the duties it needs: ``requires_roles(Role.CLERK, duties=[Duty.APPROVAL])``."""
    opt: dict[str, Any] = {"roles": frozenset(roles)}
    if duties:
        opt["duties"] = frozenset(duties)
    return opt


# --------------------------------------------------------------------------- scoping helpers


def district_scope(principal: Principal) -> str:
    """The only district a clerk may see; every clerk query filters by it."""
    if principal.role is not Role.CLERK or not principal.district:
        raise PermissionDeniedException("not a district clerk")
    return principal.district


def ensure_district(principal: Principal, district: str | None) -> None:
    """403 unless ``principal`` is a clerk of ``district``."""
    if district_scope(principal) != district:
        raise PermissionDeniedException("outside the clerk's district")


def unit_scope(principal: Principal) -> str:
    """The unit whose applicants a unit account may see."""
    if principal.role is not Role.UNIT or not principal.unit_id:
        raise PermissionDeniedException("not a unit account")
    return principal.unit_id


def ensure_unit(principal: Principal, unit_id: str | None) -> None:
    """403 unless ``principal`` is the unit ``unit_id`` (a unit sees only its own applicants)."""
    if unit_scope(principal) != unit_id:
        raise PermissionDeniedException("another unit's data")


def ensure_account(principal: Principal, account_id: str) -> None:
    """403 unless an applicant is acting on their own account (a unit is checked with ``ensure_unit``)."""
    if principal.role is Role.APPLICANT and principal.account_id == account_id:
        return
    raise PermissionDeniedException("another applicant's data")
