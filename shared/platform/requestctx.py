"""Per-request facts kept in the ASGI scope: the request id and the negotiated language.

They are computed lazily and cached in ``scope["state"]`` because not every response passes through
the route middleware: Litestar answers 404/405 from the router and errors raised by middleware at
the application level, and those responses must still carry the request id and speak the user's
language. Everything that needs either value calls these helpers with the scope.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from shared.platform.i18n import LANG_COOKIE, LANG_QUERY, negotiate, normalize_lang

REQUEST_ID_HEADER = "x-request-id"
CLIENT_REQUEST_ID_HEADER = "x-client-request-id"

_STATE_REQUEST_ID = "jifen_request_id"
_STATE_LANG = "jifen_lang"
_STATE_STARTED = "jifen_started"

# nginx's $request_id is 32 hex chars; accept any short token-like id, never arbitrary text in logs.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _state(scope: Any) -> dict[str, Any]:
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


_STATE_HEADERS = "jifen_headers"


def header(scope: Any, name: str) -> str | None:
    """The first value of request header ``name`` (lower-case), decoded as latin-1.

    The request's headers are read into a dictionary once per request (several parts of the
    platform ask for several headers on every request)."""
    state = _state(scope)
    headers: dict[str, str] | None = state.get(_STATE_HEADERS)
    if headers is None:
        headers = {}
        for key, value in scope.get("headers", ()):
            headers.setdefault(bytes(key).decode("latin-1").lower(), bytes(value).decode("latin-1"))
        state[_STATE_HEADERS] = headers
    return headers.get(name)


def _cookie(scope: Any, name: str) -> str | None:
    """One cookie's value. A plain split, not ``http.cookies``: that parser gives up on the whole
    header at the first cookie it dislikes, which would lose ours because of someone else's."""
    raw = header(scope, "cookie")
    for part in (raw or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"')
    return None


def query_param(scope: Any, name: str) -> str | None:
    raw = scope.get("query_string", b"")
    values = parse_qs(raw.decode("latin-1")).get(name) if raw else None
    return values[0] if values else None


def request_id(scope: Any) -> str:
    """The id of this request: the gateway's ``X-Request-Id`` when well-formed, else a new one."""
    state = _state(scope)
    value = state.get(_STATE_REQUEST_ID)
    if value is None:
        incoming = header(scope, REQUEST_ID_HEADER)
        value = incoming if incoming and _VALID_ID.match(incoming) else uuid.uuid4().hex
        state[_STATE_REQUEST_ID] = value
        state.setdefault(_STATE_STARTED, time.perf_counter())
    return str(value)


def correlation_id(scope: Any) -> str:
    """The id that ties this request to the messages it causes: the request id. A request is where a
    correlation starts, so a client-sent ``X-Correlation-Id`` is never taken (the gateway drops it)."""
    return request_id(scope)


def client_request_id(scope: Any) -> str | None:
    """The id the client itself sent, as the gateway passes it on (``X-Client-Request-Id``) when it is
    token-like: for the log, to find a client's request, never to correlate anything."""
    incoming = header(scope, CLIENT_REQUEST_ID_HEADER)
    return incoming if incoming and _VALID_ID.match(incoming) else None


def started_at(scope: Any) -> float:
    request_id(scope)
    return float(_state(scope)[_STATE_STARTED])


def language(scope: Any) -> str:
    """The language to answer in (see ``shared.platform.i18n.negotiate``)."""
    state = _state(scope)
    value = state.get(_STATE_LANG)
    if value is None:
        value = negotiate(
            query=query_param(scope, LANG_QUERY),
            cookie=_cookie(scope, LANG_COOKIE),
            accept_language=header(scope, "accept-language"),
        )
        state[_STATE_LANG] = value
    return str(value)


def language_switched_to(scope: Any) -> str | None:
    """The language chosen by a ``?lang=`` switch link on this request, if any."""
    return normalize_lang(query_param(scope, LANG_QUERY))
