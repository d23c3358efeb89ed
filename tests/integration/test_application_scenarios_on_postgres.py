"""The PointsApplication scenarios, rerun on PostgreSQL with the applications service's own role.

Each run gets a throw-away schema owned by ``jifen_applications``, so nothing collides with the
service's real tables or with other test runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from deploy.testing import Infra
from tests.unit.applications.test_application_scenarios import SCENARIOS, PointsApplicationScenarios


@pytest.fixture
def postgres_env(infra: Infra) -> Iterator[dict[str, str]]:
    creds = infra.db("applications")
    schema = f"t_scenarios_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(infra.admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{creds.user}"')
    try:
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": creds.database,
            "POSTGRES_HOST": creds.host,
            "POSTGRES_PORT": str(creds.port),
            "POSTGRES_USER": creds.user,
            "POSTGRES_PASSWORD": creds.password,
            "POSTGRES_SCHEMA": schema,
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "2",
        }
    finally:
        with psycopg.connect(infra.admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_on_postgresql(postgres_env: dict[str, str], scenario: str) -> None:
    getattr(PointsApplicationScenarios(postgres_env), scenario)()
