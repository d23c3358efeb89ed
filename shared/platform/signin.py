"""The sign-in round trip: a page opened without a session goes to sign-in and comes back.

Every service's pages answer the same way (``shared.platform.problems`` calls ``redirect_to_sign_in``):

- a page visit (GET or HEAD a browser navigates to, not under ``/api/``, not an HTMX fragment) that
  the authentication middleware refuses (401: no session, an expired or revoked one) is sent (303)
  to the sign-in page with ``?next=<the path and query asked for>``; an HTMX request (a fragment of
  the page) is answered 401 with ``HX-Redirect`` there, coming back to the page the browser shows;
  the JSON API keeps its 401 problem;
- which sign-in tab: the roles the route serves (its ``opt["roles"]``, or the ones a page that finds
  its caller itself raises ``SignInRequired`` with): a single role is its tab, several are the page
  that lets the user choose (unless a hint, such as the role this browser last used, names one of
  them);
- accounts' sign-in pages carry ``next`` through tabs, a refused sign-in (a hidden field),
  activation and password reset, and after signing in go to ``next`` when ``safe_next`` accepts it,
  else to the user's home.

``next`` is only ever a local path of the portal's own pages: anything that a browser could read as
another site (``//host``, ``https://…``, ``/\\host``), a path climbing out with ``..``, a control
character or another prefix is dropped, never followed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect

from shared.kernel.roles import ACCOUNT_ROLES, Role

SIGN_IN_PATH = "/accounts/login"
NEXT = "next"
PORTAL_PAGES = ("/accounts/", "/applications/", "/review/", "/documents/")
"""The services' page areas behind the gateway: the only places ``next`` may lead."""
MAX_NEXT_LENGTH = 2000
"""Longer than any page address of the portal; a longer ``next`` is not a page, only a payload."""
PAGE_VISIT_METHODS = frozenset({"GET", "HEAD"})
HX_REDIRECT = "HX-Redirect"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SignInRequired(NotAuthorizedException):
    """Nobody is signed in on a page that finds its caller itself: sign in, then come back.

    ``roles`` are the roles the page serves (they choose the sign-in tab), ``hint`` a role this
    browser is known to use, ``next_path`` where to come back (default: ``return_address``),
    ``cookies`` set on the redirect (applications keeps a posted form's fields under one). Unlike the
    middleware's 401 it is answered with the redirect for any method: the page raising it knows a
    browser is at the other end.
    """

    def __init__(
        self,
        roles: Collection[Role],
        *,
        hint: str | None = None,
        next_path: str | None = None,
        cookies: Sequence[Cookie] = (),
    ) -> None:
        super().__init__("sign-in required")
        self.roles = frozenset(roles)
        self.hint = hint
        self.next_path = next_path
        self.cookies = tuple(cookies)


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a local address of the portal's pages to return to, else None."""
    if not value or len(value) > MAX_NEXT_LENGTH:
        return None
    decoded = unquote(value)
    if "\\" in decoded or _CONTROL.search(decoded):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or "//" in path:
        return None
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    return value if path.startswith(PORTAL_PAGES) else None


def with_next(address: str, next_path: str | None) -> str:
    """``address`` with ``next=<next_path>`` added when that is a safe return address."""
    safe = safe_next(next_path)
    if safe is None:
        return address
    separator = "&" if "?" in address else "?"
    return f"{address}{separator}{urlencode({NEXT: safe}, safe='/')}"


def sign_in_url(role: Role | str | None = None, next_path: str | None = None) -> str:
    """The sign-in page of ``role`` (None: the page that lets the user choose), returning to
    ``next_path`` when it is safe."""
    base = SIGN_IN_PATH if role is None else f"{SIGN_IN_PATH}/{Role(role).value}"
    return with_next(base, next_path)


def sign_in_role(roles: Collection[Role], hint: str | None = None) -> Role | None:
    """The sign-in tab for a page serving ``roles``: the only one, else the hinted one of them, else
    None (the user chooses)."""
    serving = [role for role in ACCOUNT_ROLES if role in roles]
    if len(serving) == 1:
        return serving[0]
    return next((role for role in serving if role.value == hint), None)


def requested(request: Request[Any, Any, Any]) -> str:
    """The path and query the request asked for, as the browser sent them."""
    scope = request.scope
    raw = scope.get("raw_path")
    # Some servers (Litestar's test client) leave the query on raw_path, which ASGI says holds none.
    path = raw.decode("latin-1").split("?")[0] if isinstance(raw, bytes) and raw else quote(scope["path"])
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def return_address(request: Request[Any, Any, Any]) -> str | None:
    """Where to come back to after signing in from this request: the page the browser shows for an
    HTMX request (``HX-Current-URL``), the page itself for a visit, the page the form was on (the
    same-origin ``Referer``) for a post; None when none is safe."""
    if is_htmx(request):
        return _same_origin_page(request, request.headers.get("hx-current-url"))
    if request.method in PAGE_VISIT_METHODS:
        return safe_next(requested(request))
    return _same_origin_page(request, request.headers.get("referer"))


def _same_origin_page(request: Request[Any, Any, Any], address: str | None) -> str | None:
    """The safe local path and query of ``address`` when it is on the host the request came to."""
    if not address:
        return None
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    if parts.netloc != request.headers.get("host", ""):
        return None
    return safe_next(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """An HTMX request of a page (for a fragment), not a JSON API call."""
    return bool(request.headers.get("hx-request")) and not request.scope.get("path", "").startswith("/api/")


def route_roles(request: Request[Any, Any, Any]) -> frozenset[Role]:
    """The roles the matched route serves (``opt["roles"]``; none when it declares none)."""
    handler = request.scope.get("route_handler")
    roles = getattr(handler, "opt", {}).get("roles") or ()
    return frozenset(role for role in roles if isinstance(role, Role))


def sign_in_address(request: Request[Any, Any, Any]) -> str:
    """Where this request's caller signs in (the tab of the route's roles), coming back here."""
    return sign_in_url(sign_in_role(route_roles(request)), return_address(request))


def is_page_visit(request: Request[Any, Any, Any], wants_html: bool) -> bool:
    """A browser opening a page: GET/HEAD outside ``/api/``, asking for HTML (or a navigation), not
    an HTMX request for a fragment (following a redirect there would put the sign-in page inside the
    page)."""
    return (
        request.method in PAGE_VISIT_METHODS
        and not request.scope.get("path", "").startswith("/api/")
        and not is_htmx(request)
        and (wants_html or request.headers.get("sec-fetch-mode") == "navigate")
    )


def redirect_to_sign_in(
    request: Request[Any, Any, Any], exc: Exception, wants_html: bool
) -> Response[Any] | None:
    """The way to sign-in for ``exc`` (see the module docstring), or None to answer it as a problem.

    An HTMX request gets a 401 with ``HX-Redirect`` (HTMX navigates the whole page there, whatever
    the status) rather than a 303: the XMLHttpRequest would follow that itself and put the sign-in
    page inside the page's fragment."""
    if isinstance(exc, SignInRequired):
        role = sign_in_role(exc.roles, exc.hint)
        back = exc.next_path if exc.next_path is not None else return_address(request)
        if is_htmx(request):  # the page the browser shows, not the fragment's address
            back = return_address(request) or back
        response = _to(sign_in_url(role, back), htmx=is_htmx(request))
        response.cookies.extend(exc.cookies)
        return response
    if isinstance(exc, NotAuthorizedException) and is_htmx(request):
        return _to(sign_in_address(request), htmx=True)
    if isinstance(exc, NotAuthorizedException) and is_page_visit(request, wants_html):
        return _to(sign_in_address(request), htmx=False)
    return None


def _to(address: str, *, htmx: bool) -> Response[Any]:
    if htmx:
        return Response(content=b"", status_code=401, headers={HX_REDIRECT: address})
    return Redirect(address, status_code=303)
