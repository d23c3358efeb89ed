"""Root fixtures.

``infra`` (session): PostgreSQL and Kafka up (started, or reused via pid files when deploy/test.sh or
``python -m deploy.stack up --infra-only`` already started them), database and topics provisioned;
returns a frozen :class:`deploy.testing.Infra`. Only tests that request it (or carry the ``infra``
marker) start servers; pure unit tests never do. Servers started by a bare ``pytest`` are left
running for the next run (``python -m deploy.stack down`` stops them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from deploy.testing import Infra


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def infra() -> Infra:
    from deploy.common import DeployError
    from deploy.testing import ensure_infra

    try:
        return ensure_infra()
    except DeployError as exc:  # a clear failure, not a 60-line traceback from deep inside
        pytest.fail(f"infrastructure could not be started: {exc}", pytrace=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the ``infra`` marker and the ``infra`` fixture together, both ways, so that
    ``-m "not infra"`` deselects every test that would start servers."""
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if fixturenames is None:
            continue
        if "infra" in fixturenames:
            item.add_marker(pytest.mark.infra)
        elif item.get_closest_marker("infra") is not None:
            fixturenames.insert(0, "infra")
