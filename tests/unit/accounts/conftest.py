"""The accounts web app in memory at noon in Shanghai (within opening hours), for page and API tests
that need no database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from shared.platform.auth import TokenVerifier
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings

NOON = datetime(2026, 3, 16, 4, 0, tzinfo=UTC)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    from services.accounts.app import create_app

    app = create_app(
        Settings(service="accounts", run_dir=tmp_path),
        persistence=MEMORY,
        token_verifier=TokenVerifier(None),
        csrf_secret="a" * 32,
        open_db_pool=False,
        readiness_checks={},
        clock=lambda: NOON,
    )
    async with AsyncTestClient(app=app) as client:
        yield client
