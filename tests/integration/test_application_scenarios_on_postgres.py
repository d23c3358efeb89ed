"""The PointsApplication scenarios, rerun on PostgreSQL with the applications service's own role.

Each run gets a throw-away schema owned by ``jifen_applications``, so nothing collides with the
service's real tables or with other test runs.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import psycopg
import pytest

from deploy.testing import Infra
from services.applications.service import Saved
from shared.kernel.application_status import ApplicationKind
from tests.support.applications import InMemoryService, applicant_registered, unit_approved
from tests.support.identities import id_number
from tests.unit.applications.builders import APPLICANT_BIRTH_DATE, AT, UNIT
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


def test_twenty_starts_at_the_same_moment_each_get_an_application_with_its_own_number(
    postgres_env: dict[str, str],
) -> None:
    """Every start writes the day's one number sequence: concurrent starts must not run out of
    retries (20 units starting at once used to get 500s)."""
    service = InMemoryService(env=postgres_env)
    service.deliver(unit_approved())
    applicants = [uuid.uuid4() for _ in range(20)]
    for index, applicant in enumerate(applicants):
        number = id_number(APPLICANT_BIRTH_DATE, 100 + index)
        service.deliver(applicant_registered(service.sealing, applicant_id=applicant, id_number=number))
    together = threading.Barrier(len(applicants))

    def start(applicant: UUID) -> Saved:
        together.wait()
        return service.app.start(by=UNIT, applicant_id=applicant, kind=ApplicationKind.NEW, at=AT)

    try:
        with ThreadPoolExecutor(len(applicants)) as threads:
            started = list(threads.map(start, applicants))
        numbers = sorted(service.number(saved.application_id) for saved in started)
    finally:
        service.app.close()
    assert numbers == [f"JF20260316{n:05d}" for n in range(1, 21)]
