"""``Idempotency-Key`` on POST: a retried request gets the first answer and creates nothing twice.

An API client that sends ``Idempotency-Key: <key>`` with a POST (a network error, a timeout, a
double click in a client app) may send the same request again with the same key. The first request
runs; its answer (status, headers, body) is kept for 24 hours in the service's
``idempotency_keys`` table, keyed by the caller (the authenticated account, or anonymous), the
path and the key; a repeat replays it with ``Idempotent-Replayed: true``:

* the same key with a different request (method, path, query, content type or body) is a 422
  problem ``idempotency-key-reused``: a key names one request;
* a repeat while the first is still running is a 409 problem ``idempotency-key-in-progress`` with
  ``Retry-After``;
* an answer of 5xx is not kept, so the request can be retried for real;
* a malformed key (not 8-128 of ``A-Z a-z 0-9 . _ : -``) is a 400 problem.

Requests without the header, and pages (browser forms, which never send it; they are protected by
their own rules), pass straight through.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any

import asyncpg
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from shared.platform import requestctx
from shared.platform.auth import Principal
from shared.platform.problems import PROBLEM_MEDIA_TYPE, problem_body

log = logging.getLogger("jifen.idempotency")

HEADER = "idempotency-key"
REPLAYED_HEADER = "idempotent-replayed"
KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
TTL = "24 hours"
_NOT_REPLAYED = ("x-request-id", "set-cookie")

DDL = (
    "CREATE TABLE IF NOT EXISTS idempotency_keys ("
    " caller text NOT NULL, key text NOT NULL, request_hash text NOT NULL,"
    " status int NOT NULL DEFAULT 0, headers jsonb, body bytea,"
    " created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (caller, key))"
)


def idempotency_middleware(app: ASGIApp) -> ASGIApp:
    """Litestar middleware (after authentication, so the caller is known)."""
    prepared: set[int] = set()

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        key = requestctx.header(scope, HEADER)
        pool: asyncpg.Pool | None = getattr(scope["app"].state, "db_pool", None)
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "POST" or key is None or pool is None:
            await app(scope, receive, send)
            return
        if not KEY.match(key):
            await _problem(scope, send, 400, "idempotency-key-invalid")
            return
        limit = int(getattr(scope["app"], "request_max_body_size", None) or 2 * 1024 * 1024)
        body, complete = await _read_body(receive, limit)
        if not complete:  # too large: the handler answers 413 without us keeping anything
            await app(scope, _replay(body, receive), send)
            return
        user = scope.get("user")
        caller = f"{user.account_id if isinstance(user, Principal) else '-'}|{scope.get('path', '')}"
        digest = _request_hash(scope, body)
        async with pool.acquire() as conn:
            if id(pool) not in prepared:
                await conn.execute(DDL)
                prepared.add(id(pool))
            first = await conn.fetchval(
                "INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3)"
                " ON CONFLICT (caller, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
                " status = 0, headers = NULL, body = NULL, created_at = now()"
                f"  WHERE idempotency_keys.created_at < now() - interval '{TTL}'"
                " RETURNING true",
                caller,
                key,
                digest,
            )
            if not first:
                row = await conn.fetchrow(
                    "SELECT request_hash, status, headers, body FROM idempotency_keys"
                    " WHERE caller = $1 AND key = $2",
                    caller,
                    key,
                )
        if not first:
            if row is None or row["request_hash"] != digest:
                await _problem(scope, send, 422, "idempotency-key-reused")
            elif row["status"] == 0:
                await _problem(scope, send, 409, "idempotency-key-in-progress", retry_after="1")
            else:
                await _send_stored(send, row["status"], row["headers"], row["body"])
            return
        await _run_first(app, scope, _replay(body, receive), send, pool, caller, key)

    return middleware


async def _run_first(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, pool: asyncpg.Pool, caller: str, key: str
) -> None:
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start["status"] = int(message["status"])
            raw = message.get("headers", [])
            start["headers"] = [[bytes(k).decode("latin-1"), bytes(v).decode("latin-1")] for k, v in raw]
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))
        await send(message)

    kept = False
    try:
        await app(scope, receive, capture)
        status = start.get("status", 500)
        if status < 500:
            # The replay gets its own request id; a cookie is never handed to a second request.
            headers = [h for h in start.get("headers", []) if h[0].lower() not in _NOT_REPLAYED]
            async with pool.acquire() as conn:
                await conn.execute(
                    "UPDATE idempotency_keys SET status = $3, headers = $4, body = $5"
                    " WHERE caller = $1 AND key = $2",
                    caller,
                    key,
                    status,
                    headers,
                    b"".join(chunks),
                )
            kept = True
    finally:
        if not kept:
            async with pool.acquire() as conn:
                await conn.execute("DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2", caller, key)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, and whether it is all of it (False once ``limit`` is passed)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), False
        chunk = bytes(message.get("body", b""))
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(parts), False
        if not message.get("more_body", False):
            return b"".join(parts), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields the buffered body first, then whatever is left of the real one."""
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _request_hash(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (
        str(scope.get("method", "")).encode(),
        str(scope.get("path", "")).encode(),
        bytes(scope.get("query_string", b"")),
        (requestctx.header(scope, "content-type") or "").encode("latin-1"),
        body,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def _send_stored(send: Send, status: int, headers: Any, body: bytes) -> None:
    raw = [(str(k).encode("latin-1"), str(v).encode("latin-1")) for k, v in (headers or [])]
    raw.append((REPLAYED_HEADER.encode(), b"true"))
    await send(HTTPResponseStartEvent(type="http.response.start", status=status, headers=raw))
    await send(HTTPResponseBodyEvent(type="http.response.body", body=body or b"", more_body=False))


async def _problem(scope: Scope, send: Send, status: int, slug: str, retry_after: str | None = None) -> None:
    lang = requestctx.language(scope)
    body = problem_body(
        status=status,
        slug=slug,
        lang=lang,
        instance=scope.get("path", ""),
        request_id=requestctx.request_id(scope),
    )
    headers = [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-language", lang.encode())]
    if retry_after:
        headers.append((b"retry-after", retry_after.encode()))
    await send(HTTPResponseStartEvent(type="http.response.start", status=status, headers=headers))
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(HTTPResponseBodyEvent(type="http.response.body", body=payload, more_body=False))
