"""Read models of the documents service and their queries.

``DocumentIndex`` keeps one row per stored PDF (who may download it, its name, hash and version) and
one row per notice for the public verification, keyed by the SHA-256 of its code (the table never
holds a code that could be read back and used).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.documents.domain.access import Owners
from services.documents.domain.documents import RenderedDocument
from services.documents.domain.kinds import DocumentKind
from shared.platform.projections import ReadModel, on


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class DocumentIndex(ReadModel):
    name = "documents-index"
    ddl = (
        "CREATE TABLE IF NOT EXISTS document_index ("
        " document_id uuid PRIMARY KEY, application_id text NOT NULL, application_number text NOT NULL,"
        " kind text NOT NULL, version integer NOT NULL, sha256 text NOT NULL, size_bytes integer NOT NULL,"
        " applicant_id text NOT NULL, unit_id text NOT NULL, district text NOT NULL,"
        " document_date timestamptz NOT NULL, rendered_at timestamptz NOT NULL,"
        " UNIQUE (application_id, kind, version))",
        "CREATE TABLE IF NOT EXISTS notice_verification ("
        " code_sha256 text PRIMARY KEY, document_id uuid NOT NULL, application_id text NOT NULL,"
        " version integer NOT NULL, holder_name_masked text NOT NULL, verified_total integer NOT NULL,"
        " pass_mark integer NOT NULL, district text NOT NULL, document_date timestamptz NOT NULL,"
        " superseded boolean NOT NULL DEFAULT false)",
    )
    tables = ("document_index", "notice_verification")

    @on(RenderedDocument.Recorded)
    async def recorded(self, conn: asyncpg.Connection, event: RenderedDocument.Recorded) -> None:
        await conn.execute(
            "INSERT INTO document_index (document_id, application_id, application_number, kind, version,"
            " sha256, size_bytes, applicant_id, unit_id, district, document_date, rendered_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
            event.originator_id,
            event.application_id,
            event.application_number,
            event.kind,
            event.version,
            event.sha256,
            event.size_bytes,
            event.applicant_id,
            event.unit_id,
            event.district,
            event.document_date,
            event.rendered_at,
        )
        if event.verification_code is None:
            return
        await conn.execute(
            "INSERT INTO notice_verification (code_sha256, document_id, application_id, version,"
            " holder_name_masked, verified_total, pass_mark, district, document_date)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            code_digest(event.verification_code),
            event.originator_id,
            event.application_id,
            event.version,
            event.holder_name_masked or "",
            event.verified_total or 0,
            event.pass_mark or 0,
            event.district,
            event.document_date,
        )
        await conn.execute(
            "UPDATE notice_verification SET superseded = true WHERE application_id = $1 AND version < $2",
            event.application_id,
            event.version,
        )


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    document_id: UUID
    application_id: str
    application_number: str
    kind: DocumentKind
    version: int
    sha256: str
    size_bytes: int
    owners: Owners
    document_date: datetime
    rendered_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> IndexedDocument:
        return cls(
            document_id=row["document_id"],
            application_id=row["application_id"],
            application_number=row["application_number"],
            kind=DocumentKind(row["kind"]),
            version=row["version"],
            sha256=row["sha256"],
            size_bytes=row["size_bytes"],
            owners=Owners(row["applicant_id"], row["unit_id"], row["district"]),
            document_date=row["document_date"],
            rendered_at=row["rendered_at"],
        )


@dataclass(frozen=True, slots=True)
class Verification:
    holder_name_masked: str
    verified_total: int
    pass_mark: int
    district: str
    document_date: datetime
    version: int
    superseded: bool


async def _fetch(pool: asyncpg.Pool, query: str, *args: Any) -> list[Any]:
    async with pool.acquire() as conn:
        try:
            return list(await conn.fetch(query, *args))
        except asyncpg.UndefinedTableError:  # the worker has not created the tables yet
            return []


_COLUMNS = (
    "document_id, application_id, application_number, kind, version, sha256, size_bytes,"
    " applicant_id, unit_id, district, document_date, rendered_at"
)


async def document_by_id(pool: asyncpg.Pool, document_id: UUID) -> IndexedDocument | None:
    rows = await _fetch(pool, f"SELECT {_COLUMNS} FROM document_index WHERE document_id = $1", document_id)
    return IndexedDocument.from_row(rows[0]) if rows else None


async def documents_of_application(pool: asyncpg.Pool, application_id: str) -> list[IndexedDocument]:
    """Every stored version, newest first within each kind (forms before notices)."""
    rows = await _fetch(
        pool,
        f"SELECT {_COLUMNS} FROM document_index WHERE application_id = $1 ORDER BY kind, version DESC",
        application_id,
    )
    return [IndexedDocument.from_row(row) for row in rows]


async def latest_document(
    pool: asyncpg.Pool, application_id: str, kind: DocumentKind
) -> IndexedDocument | None:
    rows = await _fetch(
        pool,
        f"SELECT {_COLUMNS} FROM document_index WHERE application_id = $1 AND kind = $2"
        " ORDER BY version DESC LIMIT 1",
        application_id,
        kind.value,
    )
    return IndexedDocument.from_row(rows[0]) if rows else None


async def verification(pool: asyncpg.Pool, code: str) -> Verification | None:
    rows = await _fetch(
        pool,
        "SELECT holder_name_masked, verified_total, pass_mark, district, document_date, version, superseded"
        " FROM notice_verification WHERE code_sha256 = $1",
        code_digest(code),
    )
    if not rows:
        return None
    row = rows[0]
    return Verification(
        row["holder_name_masked"],
        row["verified_total"],
        row["pass_mark"],
        row["district"],
        row["document_date"],
        row["version"],
        row["superseded"],
    )
