"""The one Litestar app factory every service's ``app.py`` calls.

``create_service_app(settings, route_handlers=[...])`` adds, the same way for all four services:

- ``/healthz`` and ``/readyz`` (``shared.platform.health``);
- OpenAPI for the service's JSON API at ``/api/<service>/schema`` (``openapi.json``; no UI renderer,
  because the stock renderers load their scripts from CDNs, which this network cannot reach);
- request ids: the gateway's ``X-Request-Id`` (or a new one) is echoed on every response and bound
  into every log line, and each request leaves one access line in the JSON log;
- RFC 9457 problem details for every error (``shared.platform.problems``);
- JWT authentication (Ed25519, verified locally) with path exclusions for health, schema and static
  files and ``exclude_from_auth=True`` on public handlers; an app-wide guard
  (``shared.platform.guards.access_policy``) refuses any other route that does not declare its
  roles in ``opt``, and checks the roles and duties of those that do;
- CSRF protection for cookie-authenticated forms under ``/<service>/`` (the JSON API only accepts
  Bearer tokens, so it needs none);
- Jinja templates (the service's ``http/templates`` first, then ``shared/ui/templates``), the shared
  static files under ``/<service>/static/``, the HTMX plugin and the message catalogues;
- the read-side asyncpg pool (``app.state.db_pool``, the service's role and schema), created in the
  lifespan without connecting, so the process starts (and ``/readyz`` says why it is not ready) even
  while PostgreSQL is down.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar import Litestar, MediaType, Request, get, post
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, Cookie, State
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.exceptions import ClientException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, ControllerRouterHandler, Message, Receive, Scope, Send

from shared.kernel.moments import shanghai_time
from shared.kernel.text import Text
from shared.platform import requestctx
from shared.platform.apidocs import SwaggerPage
from shared.platform.auth import (
    API_PREFIX,
    Principal,
    TokenVerifier,
    auth_middleware,
    clear_session_cookie,
    optional_principal,
    signed_in_middleware,
)
from shared.platform.clock import Clock, utcnow
from shared.platform.csrf import CSRF_COOKIE, csrf_cookie, same_origin_middleware
from shared.platform.developers import developer_handlers
from shared.platform.guards import access_policy
from shared.platform.health import ReadinessCheck, health_handlers
from shared.platform.i18n import LANG_COOKIE, LANG_QUERY, SUPPORTED_LANGS, t
from shared.platform.idempotency import idempotency_middleware
from shared.platform.logging import correlation_id_var, request_id_var
from shared.platform.navigation import navigation
from shared.platform.opening_hours import OpeningHours
from shared.platform.problems import DEFAULT_ERROR_MAP, ErrorMap, exception_handlers
from shared.platform.settings import REPO_ROOT, Settings
from shared.platform.signin import sign_in_url, with_next
from shared.platform.tracing import Trace, traced

VERSION = "0.1.0"
SYSTEM_NAME_KEY = "system.name"

UI_DIR = REPO_ROOT / "shared" / "ui"
SHARED_TEMPLATES = UI_DIR / "templates"
SHARED_STATIC = UI_DIR / "static"

CSRF_HEADER = "x-csrftoken"

# Same policy as the gateway's (deploy/gateway): no inline scripts or styles, nothing off-origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
)

access_logger = logging.getLogger("jifen.access")

Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


# --------------------------------------------------------------------------- request context


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    """Bind the request and correlation ids into the logging context for the handler's duration,
    and make them the trace of every event the request stores (``shared.platform.tracing``)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = requestctx.request_id(scope)
        correlation_id = requestctx.correlation_id(scope)
        rid = request_id_var.set(request_id)
        cid = correlation_id_var.set(correlation_id)
        try:
            with traced(Trace(correlation_id, request_id)):
                await app(scope, receive, send)
        finally:
            request_id_var.reset(rid)
            correlation_id_var.reset(cid)

    return middleware


def reject_control_characters(app: ASGIApp) -> ASGIApp:
    """A 400 for a path or query with a NUL or another control character (``%00`` would otherwise
    reach the file system or PostgreSQL, which refuse it with an unhandled error)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and (
            _CONTROL.search(scope.get("path", "")) or b"%00" in scope.get("query_string", b"")
        ):
            raise ClientException(status_code=400, detail="control character in the request path")
        await app(scope, receive, send)

    return middleware


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})
_REQUEST_ID_KEY = requestctx.REQUEST_ID_HEADER.encode("latin-1")


async def before_send(message: Message, scope: Scope) -> None:
    """On every response start (router 404s and middleware errors included): echo the request id,
    add security and language headers, remember a language switch, write the access log line."""
    if scope["type"] != ScopeType.HTTP or message["type"] != "http.response.start":
        return
    # The raw header list, read once: this runs on every response of every service.
    raw: list[tuple[bytes, bytes]] = [
        (k, v) for k, v in message.get("headers", ()) if bytes(k).lower() != _REQUEST_ID_KEY
    ]
    names = {bytes(k).lower(): bytes(v) for k, v in raw}
    rid = requestctx.request_id(scope)
    raw.append((_REQUEST_ID_KEY, rid.encode("latin-1")))

    def add(name: bytes, value: str) -> None:
        if name not in names:
            raw.append((name, value.encode("latin-1")))

    add(b"x-content-type-options", "nosniff")
    add(b"referrer-policy", "same-origin")
    path = scope.get("path", "")
    if names.get(b"content-type", b"").startswith(b"text/html"):
        add(b"content-security-policy", CONTENT_SECURITY_POLICY)
        add(b"content-language", requestctx.language(scope))
        add(b"cache-control", "no-store")
    elif path.startswith(API_PREFIX):  # personal data in API JSON must not sit in shared caches either
        add(b"cache-control", "no-store")
    if switched := requestctx.language_switched_to(scope):
        cookie = Cookie(key=LANG_COOKIE, value=switched, path="/", max_age=365 * 24 * 3600, samesite="lax")
        raw.append((b"set-cookie", cookie.to_header(header="").encode("latin-1")))
    message["headers"] = raw
    status = int(message["status"])
    client_id = requestctx.client_request_id(scope)
    duration_ms = round((time.perf_counter() - requestctx.started_at(scope)) * 1000, 1)
    level = logging.DEBUG if path in _QUIET_PATHS and status < 400 else logging.INFO
    access_logger.log(
        level,
        "%s %s %s",
        scope.get("method", ""),
        path,
        status,
        extra={
            "request_id": rid,
            "correlation_id": requestctx.correlation_id(scope),
            "method": scope.get("method", ""),
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            **({"client_request_id": client_id} if client_id else {}),
        },
    )


# --------------------------------------------------------------------------- templates


def _lang(context: Mapping[str, Any]) -> str:
    request = context.get("request")
    return requestctx.language(request.scope) if request is not None else "zh-CN"


def _t(context: Mapping[str, Any], /, key: str, **params: Any) -> str:
    return t(key, _lang(context), **params)


def _label(context: Mapping[str, Any], /, text: Text) -> str:
    """A domain or kernel label (``Text``: a status, a kind, a role) in the request's language."""
    return text.for_lang(_lang(context))


def _with_query(context: Mapping[str, Any], name: str, value: str) -> str:
    """The current page's URL with ``?<name>=<value>`` (other query parameters kept)."""
    request = context["request"]
    params = [(k, v) for k, v in request.query_params.multi_items() if k != name]
    params.append((name, value))
    return f"{request.url.path}?{urlencode(params)}"


def _lang_switch_url(context: Mapping[str, Any], /, target: str) -> str:
    return _with_query(context, LANG_QUERY, target)


def _page_url(context: Mapping[str, Any], /, number: int, param: str = "page", anchor: str = "") -> str:
    """The current list's page ``number`` (its filters kept), for ``components/display.html``'s
    ``pagination``."""
    return _with_query(context, param, str(number)) + (f"#{anchor}" if anchor else "")


def _static(context: Mapping[str, Any], /, path: str) -> str:
    settings: Settings = context["request"].app.state.settings
    return f"/{settings.service}/static/{path.lstrip('/')}"


def _principal(context: Mapping[str, Any], /) -> Principal | None:
    request = context.get("request")
    return optional_principal(request) if request is not None else None


def _request_id(context: Mapping[str, Any], /) -> str:
    request = context.get("request")
    return requestctx.request_id(request.scope) if request is not None else ""


def _navigation(context: Mapping[str, Any], /, current: str | None = None) -> list[dict[str, Any]]:
    """The portal's navigation for the signed-in caller, the current section (or ``current``) marked."""
    request = context.get("request")
    if request is None:
        return []
    query = dict(request.query_params)
    items = navigation(optional_principal(request), request.url.path, query, current)
    return [
        {"href": item.href, "text": t(item.text_key, _lang(context)), "current": item.current}
        for item in items
    ]


def _sign_out_action(context: Mapping[str, Any], /) -> str:
    """This service's sign-out address (the form carries this service's CSRF token)."""
    settings: Settings = context["request"].app.state.settings
    return f"/{settings.service}/sign-out"


def _opening_hours(context: Mapping[str, Any], /) -> str:
    hours: OpeningHours = context["request"].app.state.opening_hours
    return hours.label()


def configure_templates(engine: JinjaTemplateEngine) -> None:
    """Template globals: ``t(key)``, ``label(text)``, ``lang()``, ``lang_switch_url(lang)``, ``page_url(n)``,
    ``static(path)``, ``principal()``, ``request_id()``, ``navigation()``, ``sign_out_action()``,
    ``opening_hours()``, ``supported_langs``, and ``sign_in_url(role, next)`` / ``with_next(address,
    next)`` (``shared.platform.signin``); the filter ``shanghai`` shows an instant on Shanghai's
    clock."""
    env = engine.engine
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.globals["supported_langs"] = SUPPORTED_LANGS
    env.globals["sign_in_url"] = sign_in_url
    env.globals["with_next"] = with_next
    env.filters["shanghai"] = shanghai_time
    engine.register_template_callable("t", _t)
    engine.register_template_callable("label", _label)
    engine.register_template_callable("lang", _lang)
    engine.register_template_callable("lang_switch_url", _lang_switch_url)
    engine.register_template_callable("page_url", _page_url)
    engine.register_template_callable("static", _static)
    engine.register_template_callable("principal", _principal)
    engine.register_template_callable("request_id", _request_id)
    engine.register_template_callable("navigation", _navigation)
    engine.register_template_callable("sign_out_action", _sign_out_action)
    engine.register_template_callable("opening_hours", _opening_hours)


def page(template_name: str, status_code: int = 200, **context: Any) -> Template:
    """A full HTML page response."""
    return Template(
        template_name=template_name, context=context, status_code=status_code, media_type=MediaType.HTML
    )


# --------------------------------------------------------------------------- service info


@dataclass(frozen=True)
class ServiceInfo:
    """What ``GET /api/<service>/`` reports."""

    service: str
    name: str
    version: str
    openapi: str


def service_info_handler(service: str) -> HTTPRouteHandler:
    """``GET /api/<service>/``: the service's name and version (public; used by smoke tests)."""

    @get(
        f"/api/{service}/",
        operation_id="GetServiceInfo",
        summary="Service name and version",
        tags=["service"],
        exclude_from_auth=True,
        security=[{}],
        sync_to_thread=False,
    )
    def service_info(request: Request[Any, Any, Any]) -> ServiceInfo:
        return ServiceInfo(
            service=service,
            name=t(SYSTEM_NAME_KEY, requestctx.language(request.scope)),
            version=str(request.app.state.version),
            openapi=f"/api/{service}/schema/openapi.json",
        )

    return service_info


def sign_out_handler(service: str) -> HTTPRouteHandler:
    """``POST /<service>/sign-out``: one sign-out on every service's pages.

    The session is one HttpOnly cookie on ``/`` shared by every service, so clearing it ends the
    browser's session everywhere. Each service answers it itself because the form must carry that
    service's CSRF token (the token cookie is per service). Public: an expired session still gets
    the cookie cleared and the portal home."""

    @post(f"/{service}/sign-out", exclude_from_auth=True, include_in_schema=False, status_code=303)
    async def sign_out() -> Redirect:
        response = Redirect("/accounts/?signed_out=1", status_code=303)
        clear_session_cookie(response)
        return response

    return sign_out


# --------------------------------------------------------------------------- secrets and lifespan


def load_or_create_secret(path: Path) -> str:
    """A stable secret kept in ``path`` (created 0600 on first use).

    The CSRF secret must survive restarts: Litestar reuses an existing CSRF cookie without
    re-checking it, so a new secret would make every later form post of that browser fail.
    """
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def csrf_secret_for(settings: Settings) -> str:
    path = settings.csrf_secret_file or settings.run_dir / "secrets" / f"csrf-{settings.service}.key"
    try:
        return load_or_create_secret(path)
    except FileExistsError:  # another process created it between our check and open
        return load_or_create_secret(path)


@asynccontextmanager
async def db_pool_lifespan(app: Litestar) -> AsyncIterator[None]:
    """``app.state.db_pool``: the read-side asyncpg pool (no connection is opened until first use),
    and ``app.state.revocations``, the not-before marks every authenticated request is checked
    against (``shared.platform.sessions``)."""
    from shared.platform.db import create_pool  # eventsourcing import stays out of unit tests
    from shared.platform.sessions import RevocationList

    settings: Settings = app.state.settings
    # ``db_schema`` in the initial state points the pool at a throw-away schema (tests).
    schema = getattr(app.state, "db_schema", None) or settings.schema
    pool = await create_pool(settings, purpose="web", min_size=0, max_size=5, schema=schema)
    app.state.db_pool = pool
    app.state.revocations = RevocationList(pool)
    try:
        yield
    finally:
        try:
            await asyncio.wait_for(pool.close(), timeout=5)
        except TimeoutError:
            pool.terminate()


def _provide_db_pool(state: State) -> Any:
    return state.db_pool


def _provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


# --------------------------------------------------------------------------- the factory


def create_service_app(
    settings: Settings,
    *,
    route_handlers: Sequence[ControllerRouterHandler],
    lifespan: Sequence[Lifespan] = (),
    public_paths: Sequence[str] = (),
    readiness_checks: dict[str, ReadinessCheck] | None = None,
    token_verifier: TokenVerifier | None = None,
    csrf_secret: str | None = None,
    clock: Clock = utcnow,
    open_db_pool: bool = True,
    max_body_size: int = 2 * 1024 * 1024,
    version: str = VERSION,
    state: Mapping[str, Any] | None = None,
    error_map: ErrorMap = DEFAULT_ERROR_MAP,
    dependencies: Mapping[str, Provide] | None = None,
) -> Litestar:
    """Build a service's Litestar app.

    Args:
        settings: the service's settings (``Settings.from_env(name)``).
        route_handlers: the service's controllers and page handlers (pages under ``/<service>/``,
            JSON under ``/api/<service>/``).
        lifespan: extra lifespan context managers, entered after the database pool.
        public_paths: extra path regexes that need no authentication, anchored with ``^`` (handlers
            can instead pass ``exclude_from_auth=True``). Every other route must declare its roles
            (``shared.platform.guards.access_policy``).
        readiness_checks: replaces the PostgreSQL + Kafka checks of ``/readyz`` (tests).
        token_verifier: defaults to the public key in ``settings.jwt_public_key_file``.
        csrf_secret: defaults to ``settings.csrf_secret_file`` (or a generated file in ``run_dir``).
        clock: "now" for the opening hours (tests pass a fixed clock).
        open_db_pool: create ``app.state.db_pool`` in the lifespan (off for unit tests).
        max_body_size: request body limit in bytes (413 beyond it); the gateway enforces the same.
        version: reported by the info endpoints and OpenAPI.
        state: extra initial ``app.state`` values.
        error_map: how domain errors are answered (``shared.platform.problems``).
        dependencies: extra app-wide dependencies (the service kit provides ``service``).
    """
    service = settings.service
    if unanchored := [p for p in public_paths if not p.startswith("^")]:
        # An unanchored pattern matches anywhere in the path and would open unrelated routes.
        raise ValueError(f"public paths must be anchored with '^': {unanchored}")
    verifier = token_verifier or TokenVerifier.from_pem_file(settings.jwt_public_key_file)
    service_templates = REPO_ROOT / "services" / service / "http" / "templates"
    static_path = f"/{service}/static"
    api_prefix = f"/api/{service}"
    schema_path = f"{api_prefix}/schema"

    unauthenticated = [
        "^/healthz$",
        "^/readyz$",
        f"^{schema_path}(/|$)",
        f"^{static_path}/",
        *public_paths,
    ]

    template_config = TemplateConfig(
        directory=[service_templates, SHARED_TEMPLATES],
        engine=JinjaTemplateEngine,
        engine_callback=configure_templates,
    )
    # Bearer-only JSON API (see shared.platform.auth), probes and files need no CSRF defences.
    csrf_exempt = ["^/api/", "^/healthz$", "^/readyz$", f"^{static_path}/"]
    cookie_name, cookie_path = csrf_cookie(settings)
    csrf_config = CSRFConfig(
        secret=csrf_secret or csrf_secret_for(settings),
        cookie_name=cookie_name,
        cookie_path=cookie_path,
        header_name=CSRF_HEADER,
        cookie_secure=settings.cookie_secure,
        cookie_httponly=False,
        cookie_samesite="lax",
        exclude=csrf_exempt,
    )
    openapi_config = OpenAPIConfig(
        title=f"Jifen {service} API",
        version=version,
        description=f"{t(SYSTEM_NAME_KEY, 'zh-CN')}: {service} service JSON API.",
        path=schema_path,
        render_plugins=[
            JsonRenderPlugin(path="/openapi.json"),
            SwaggerPage(static_path=static_path, title=f"Jifen {service} API"),
        ],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT (EdDSA), issued by the accounts service",
                )
            }
        ),
        security=[{"BearerToken": []}],
    )
    static_router = create_static_files_router(
        path=static_path,
        directories=[SHARED_STATIC],
        opt={"exclude_from_auth": True, "exclude_from_csrf": True},
        include_in_schema=False,
        name="static",
        # Short: the file names carry no content hash yet, so a deploy must show up soon.
        cache_control=CacheControlHeader(max_age=300, public=True),
    )

    initial_state: dict[str, Any] = {
        "settings": settings,
        "token_verifier": verifier,
        "opening_hours": OpeningHours.parse(settings.opening_hours),
        "clock": clock,
        "version": version,
        **(state or {}),
    }
    lifespans: list[Lifespan] = [db_pool_lifespan] if open_db_pool else []
    lifespans.extend(lifespan)

    return Litestar(
        route_handlers=[
            *health_handlers(settings, readiness_checks),
            static_router,
            service_info_handler(service),
            *developer_handlers(service),
            sign_out_handler(service),
            *route_handlers,
        ],
        middleware=[
            reject_control_characters,
            request_context_middleware,
            signed_in_middleware,
            same_origin_middleware(settings, csrf_exempt),
            auth_middleware(verifier, unauthenticated),
            # Every route is protected unless marked public; non-public routes must declare their roles.
            access_policy(unauthenticated),
            idempotency_middleware,
        ],
        exception_handlers=exception_handlers(error_map),
        before_send=[before_send],
        csrf_config=csrf_config,
        template_config=template_config,
        openapi_config=openapi_config,
        plugins=[HTMXPlugin()],
        dependencies={
            "settings": Provide(_provide_settings, sync_to_thread=False),
            "db_pool": Provide(_provide_db_pool, sync_to_thread=False),
            **(dependencies or {}),
        },
        lifespan=lifespans,
        state=State(initial_state),
        request_max_body_size=max_body_size,
        logging_config=None,
        debug=False,
    )


__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "VERSION",
    "create_service_app",
    "page",
]
