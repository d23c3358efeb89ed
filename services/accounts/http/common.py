"""What the JSON API and the pages share: running commands off the event loop, signing in (with
throttling), issuing tokens, and the caller's own account."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio
from litestar import Request
from litestar.datastructures import State

from services.accounts.service import AccountsService, SignedIn, SignInFailed
from services.accounts.signin import ACCOUNT_LIMIT, ADDRESS_LIMIT, RefreshTokens, Throttle
from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.moments import shanghai_time
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.auth import IssuedToken, Principal, TokenIssuer
from shared.platform.clock import utcnow
from shared.platform.problems import ProblemError
from shared.platform.projections import wait_for
from shared.platform.settings import Settings

T = TypeVar("T")


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A synchronous (eventsourcing) command or query, in a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))


def client_address(request: Request[Any, Any, Any]) -> str:
    """The caller's address: the gateway's ``X-Real-IP``, else the socket's peer."""
    return request.headers.get("x-real-ip") or (request.client.host if request.client else "-")


@dataclass
class AccountsWeb:
    """Per web process: the token issuer, the throttle and the refresh tokens (built on first use)."""

    issuer: TokenIssuer
    throttle: Throttle
    refresh: RefreshTokens


def accounts_web(state: State) -> AccountsWeb:
    found: AccountsWeb | None = getattr(state, "accounts_web", None)
    if found is None:
        settings: Settings = state.settings
        issuer: TokenIssuer | None = getattr(state, "token_issuer", None)
        found = AccountsWeb(
            issuer or TokenIssuer.from_settings(settings),
            Throttle(state.db_pool),
            RefreshTokens(state.db_pool, timedelta(seconds=settings.refresh_ttl_seconds)),
        )
        state.accounts_web = found
    return found


def now() -> datetime:
    return utcnow().astimezone(UTC)


def too_many_attempts(until: datetime) -> ProblemError:
    local = shanghai_time(until, "%H:%M")
    seconds = max(1, int((until - now()).total_seconds()))
    return ProblemError(
        429,
        "sign-in-throttled",
        detail_key="problem.sign-in-throttled.detail",
        params={"time": local},
        headers={"Retry-After": str(seconds)},
    )


async def sign_in(
    request: Request[Any, Any, Any], service: AccountsService, role: Role, login: str, password: str
) -> SignedIn:
    """Check the password (throttled per account and per address); ``SignInFailed`` or a 429."""
    web = accounts_web(request.app.state)
    account_key = f"account:{role.value}:{service.account_id_for(role, login)}"
    address_key = f"address:{client_address(request)}"
    at = now()
    until = await web.throttle.locked_until([account_key, address_key], at)
    if until is not None:
        raise too_many_attempts(until)
    try:
        signed_in = await run(service.sign_in, role, login, password)
    except SignInFailed:
        until = await web.throttle.failed({account_key: ACCOUNT_LIMIT, address_key: ADDRESS_LIMIT}, at)
        if until is not None:
            raise too_many_attempts(until) from None
        raise
    await web.throttle.succeeded(account_key)
    return signed_in


async def guard_code_attempts(request: Request[Any, Any, Any], key: str, attempt: Callable[[], Any]) -> Any:
    """Run a code check (activation, reset) under the same throttle: wrong codes count as failures."""
    web = accounts_web(request.app.state)
    keys = {f"code:{key}": ACCOUNT_LIMIT, f"address:{client_address(request)}": ADDRESS_LIMIT}
    at = now()
    until = await web.throttle.locked_until(list(keys), at)
    if until is not None:
        raise too_many_attempts(until)
    try:
        return await attempt()
    except ValidationFailed as exc:
        if any(error.code == "code.wrong" for error in exc.errors):
            until = await web.throttle.failed(keys, at)
            if until is not None:
                raise too_many_attempts(until) from None
        raise


def token_for(state: State, signed_in: SignedIn) -> IssuedToken:
    return accounts_web(state).issuer.issue(
        account_id=signed_in.account_id,
        role=signed_in.role,
        unit_id=signed_in.unit_id,
        district=signed_in.district,
        duties=signed_in.duties,
    )


async def read_own_write(
    request: Request[Any, Any, Any], read_model: str, notification_id: int | None
) -> None:
    """After a command, wait (briefly) until ``read_model`` has seen it, so the next page shows it."""
    if notification_id is not None:
        await wait_for(request.app.state.db_pool, read_model, notification_id)


def caller(request: Request[Any, Any, Any]) -> Principal:
    user = request.user
    assert isinstance(user, Principal)
    return user


def field_error(field: str, code: str, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, code, Text(zh, en))])


def role_of(value: str) -> Role | None:
    try:
        role = Role(value)
    except ValueError:
        return None
    return role if role is not Role.SYSTEM else None
