"""Cross-site request forgery defences for the cookie-authenticated pages (the JSON API is Bearer-only).

Two layers, both required for a state-changing request (anything but GET/HEAD/OPTIONS) outside the
excluded paths:

1. Litestar's double-submit token (``CSRFConfig``, see :func:`csrf_cookie`): the form field or the
   ``x-csrftoken`` header must match the signed cookie.
2. Where the request comes from (:func:`same_origin_middleware`), as browsers report it: a
   ``Sec-Fetch-Site`` of ``cross-site`` or ``same-site`` is refused; an ``Origin`` (or, when there is
   none, the ``Referer``'s origin) must be the portal's own (``settings.gateway_url``) or the origin the
   request was addressed to (scheme and ``Host``, as a service port reached directly). ``Origin: null``
   is refused. A request with neither header is not from a browser page and is left to the token.

With ``Secure`` cookies (behind TLS) the token cookie is named ``__Host-jifen_csrf_<service>`` with
``Path=/`` and no ``Domain``: a sibling subdomain, or plain-HTTP traffic, cannot plant one. Without TLS
it stays ``jifen_csrf`` on ``/<service>/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.platform import requestctx
from shared.platform.settings import Settings

CSRF_COOKIE = "jifen_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED_FETCH_SITES = frozenset({"cross-site", "same-site"})


def csrf_cookie(settings: Settings) -> tuple[str, str]:
    """The CSRF cookie's name and path for ``settings`` (``__Host-`` prefixed when Secure)."""
    if settings.cookie_secure:
        return f"__Host-{CSRF_COOKIE}_{settings.service}", "/"
    return CSRF_COOKIE, f"/{settings.service}/"


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` (lower-case), or None when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _addressed_origin(scope: Scope) -> str | None:
    host = requestctx.header(scope, "host")
    return f"{scope.get('scheme', 'http')}://{host}".lower() if host else None


def cross_origin_reason(scope: Scope, portal_origin: str | None) -> str | None:
    """Why this request must be refused as cross-origin, or None when it may proceed."""
    fetch_site = (requestctx.header(scope, "sec-fetch-site") or "").strip().lower()
    if fetch_site in REFUSED_FETCH_SITES:
        return f"Sec-Fetch-Site {fetch_site}"
    origin = requestctx.header(scope, "origin")
    if origin is None:
        referer = requestctx.header(scope, "referer")
        if referer is None:
            return None
        origin = origin_of(referer) or "null"
    claimed = origin.strip().lower()
    if claimed in {portal_origin, _addressed_origin(scope)} - {None}:
        return None
    return "foreign origin"


def same_origin_middleware(settings: Settings, exclude: Sequence[str]) -> Callable[[ASGIApp], ASGIApp]:
    """Refuse (403 ``csrf-failed``) a state-changing request that a browser says comes from elsewhere.

    ``exclude``: path regexes that are not cookie-authenticated (the Bearer-only API, probes)."""
    portal_origin = origin_of(settings.gateway_url)
    excluded = [re.compile(pattern) for pattern in exclude]

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] == ScopeType.HTTP
                and scope.get("method", "GET") not in SAFE_METHODS
                and not any(pattern.search(scope.get("path", "")) for pattern in excluded)
                and (reason := cross_origin_reason(scope, portal_origin)) is not None
            ):
                raise PermissionDeniedException(detail=f"CSRF origin check failed: {reason}")
            await app(scope, receive, send)

        return middleware

    return wrap
