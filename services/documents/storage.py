"""Where the PDFs are kept: in the service's PostgreSQL schema (default) or in a directory
(``JIFEN_DOCUMENTS_DIR``). Either way a stored file is never replaced and survives restarts.

Files are keyed by their deterministic document id, so storing a document rendered again (a crash
between storing and recording it) finds the copy already there and keeps it: ``put`` returns what
is stored, and the caller records that.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import asyncpg

FILES_DDL = (
    "CREATE TABLE IF NOT EXISTS document_files ("
    " document_id uuid PRIMARY KEY, sha256 text NOT NULL, size_bytes integer NOT NULL,"
    " content bytea NOT NULL, stored_at timestamptz NOT NULL DEFAULT now())"
)


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    size_bytes: int


def digest(content: bytes) -> Stored:
    return Stored(hashlib.sha256(content).hexdigest(), len(content))


class DocumentStore(Protocol):
    async def put(self, document_id: UUID, content: bytes) -> Stored:
        """Keep ``content`` as the document (unless a copy is kept already); what is kept."""
        ...

    async def get(self, document_id: UUID) -> bytes | None: ...


class PostgresStore:
    """``document_files`` in the service's schema (the pool's search path)."""

    def __init__(self, pool: Callable[[], Awaitable[asyncpg.Pool]]) -> None:
        self._pool = pool
        self._ready = False

    async def _ensure(self, conn: asyncpg.Connection) -> None:
        if not self._ready:
            await conn.execute(FILES_DDL)
            self._ready = True

    async def put(self, document_id: UUID, content: bytes) -> Stored:
        stored = digest(content)
        async with (await self._pool()).acquire() as conn:
            await self._ensure(conn)
            row = await conn.fetchrow(
                "INSERT INTO document_files (document_id, sha256, size_bytes, content)"
                " VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (document_id) DO UPDATE SET document_id = EXCLUDED.document_id"
                " RETURNING sha256, size_bytes",
                document_id,
                stored.sha256,
                stored.size_bytes,
                content,
            )
        # The conflict branch updates nothing but lets RETURNING give the row that was kept.
        assert row is not None
        return Stored(row["sha256"], row["size_bytes"])

    async def get(self, document_id: UUID) -> bytes | None:
        async with (await self._pool()).acquire() as conn:
            try:
                content = await conn.fetchval(
                    "SELECT content FROM document_files WHERE document_id = $1", document_id
                )
            except asyncpg.UndefinedTableError:  # nothing rendered yet
                return None
        return bytes(content) if content is not None else None


class DirectoryStore:
    """``<directory>/<document id>.pdf``, written to a temporary file, synced and renamed into place
    (a crash leaves either no file or the whole file)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, document_id: UUID) -> Path:
        return self.directory / f"{document_id}.pdf"

    async def put(self, document_id: UUID, content: bytes) -> Stored:
        return await asyncio.to_thread(self._put, document_id, content)

    def _put(self, document_id: UUID, content: bytes) -> Stored:
        path = self._path(document_id)
        if path.exists():
            return digest(path.read_bytes())
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".rendering-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, path)  # fails if another copy got there first: keep that one
        except FileExistsError:
            return digest(path.read_bytes())
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        directory_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)
        return digest(content)

    async def get(self, document_id: UUID) -> bytes | None:
        path = self._path(document_id)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None


def worker_pool(settings: Any, schema: str) -> Callable[[], Awaitable[asyncpg.Pool]]:
    """A small pool for the worker's store, opened on first use (in the worker's event loop)."""
    from shared.platform.db import create_pool

    opened: list[asyncpg.Pool] = []

    async def pool() -> asyncpg.Pool:
        if not opened:
            opened.append(await create_pool(settings, purpose="files", min_size=0, max_size=2, schema=schema))
        return opened[0]

    return pool
