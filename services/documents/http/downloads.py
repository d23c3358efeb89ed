"""Serving a stored PDF to someone allowed to have it (the same for pages and the API).

URLs, derived from the ids in ``DocumentRendered`` (the applications pages link to them):

* ``/documents/applications/<application_id>/form`` and ``.../notice``: the latest version;
* ``/documents/files/<document_id>``: one version;
* the same under ``/api/documents/`` for API clients (Bearer tokens only).

Whoever may not see a document, or asks for one that does not exist, gets the same 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

import asyncpg
from litestar import Request, Response
from litestar.datastructures import State

from services.documents.domain.access import Viewer, may_download
from services.documents.domain.kinds import DocumentKind, file_names
from services.documents.readmodels import IndexedDocument, document_by_id, latest_document
from services.documents.storage import DirectoryStore, DocumentStore, PostgresStore
from shared.kernel.errors import NotVisible
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.auth import Principal
from shared.platform.guards import requires_roles
from shared.platform.settings import Settings

PDF = "application/pdf"
DOWNLOADERS = requires_roles(Role.APPLICANT, Role.UNIT, Role.CLERK)
"""Who may ask at all; whether they may have this document is ``may_download``'s answer."""
NOT_FOUND = Text("没有找到这份文书，或您无权查看。", "The document was not found, or you may not see it.")


def store_of(state: State) -> DocumentStore:
    """The configured store (one per app)."""
    store: DocumentStore | None = getattr(state, "document_store", None)
    if store is None:
        settings: Settings = state.settings
        if settings.documents_dir is not None:
            store = DirectoryStore(settings.documents_dir)
        else:

            async def pool() -> asyncpg.Pool:
                found: asyncpg.Pool = state.db_pool
                return found

            store = PostgresStore(pool)
        state.document_store = store
    return store


def viewer_of(principal: Principal) -> Viewer:
    return Viewer(principal.role, principal.account_id, principal.unit_id, principal.district)


def content_disposition(kind: DocumentKind, application_number: str, version: int) -> str:
    """RFC 6266: the Chinese name as ``filename*`` (RFC 8187, UTF-8) and an ASCII ``filename`` for
    clients that do not read it."""
    chinese, ascii_name = file_names(kind, application_number, version)
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese, safe='')}"


async def send(request: Request[Principal, Any, Any], document: IndexedDocument | None) -> Response[bytes]:
    """The PDF of ``document`` for the caller, or a 404 that says nothing more."""
    if document is None or not may_download(viewer_of(request.user), document.owners):
        raise NotVisible(NOT_FOUND)
    content = await store_of(request.app.state).get(document.document_id)
    if content is None:
        raise NotVisible(NOT_FOUND)
    return Response(
        content,
        media_type=PDF,
        headers={
            "content-disposition": content_disposition(
                document.kind, document.application_number, document.version
            ),
            "cache-control": "private, no-store",
            "etag": f'"{document.sha256}"',
        },
    )


async def latest(
    request: Request[Principal, Any, Any], application_id: str, kind: DocumentKind
) -> Response[bytes]:
    return await send(request, await latest_document(request.app.state.db_pool, application_id, kind))


async def by_id(request: Request[Principal, Any, Any], document_id: UUID) -> Response[bytes]:
    return await send(request, await document_by_id(request.app.state.db_pool, document_id))


def file_url(document_id: UUID) -> str:
    return f"/documents/files/{document_id}"
