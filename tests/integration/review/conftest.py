"""One review service per test module (its worker and web app on a throw-away schema and the test
bus), and a client that serves its app in the test's event loop (``Running.http``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.support.world import Bus, Running


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
async def world(infra: Any) -> AsyncIterator[tuple[Bus, Running]]:
    async with Bus(infra) as bus, Running(infra, bus, "review") as review:
        yield bus, review


@pytest.fixture
async def client(world: tuple[Bus, Running]) -> AsyncIterator[httpx.AsyncClient]:
    async with world[1].http() as client:
        yield client
