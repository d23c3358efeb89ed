"""What the test suite gets from the infrastructure (see tests/conftest.py's ``infra`` fixture).

:func:`ensure_infra` starts or reuses PostgreSQL and Kafka (idempotent; pid files), provisions the
database and the contract's topics, makes sure the JWT key pair exists, and describes all of it in a
frozen :class:`Infra`. Tests that need throw-away topics call :func:`deploy.kafka.topics.create_topics`
(or ``create_topics_async``); throw-away schemas can be made with ``Infra.admin_dsn``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from deploy.postgres.provision import ServiceCredentials, service_credentials


@dataclass(frozen=True)
class Infra:
    admin_dsn: str
    """Administrator on the ``jifen`` database (create/drop throw-away schemas, inspect anything)."""
    pg_host: str
    pg_port: int
    pg_database: str
    databases: Mapping[str, ServiceCredentials]
    """Per service: role, password, schema and DSN (``infra.databases["accounts"].dsn``)."""
    kafka_bootstrap: str
    run_dir: Path
    jwt_private_key_file: Path
    jwt_public_key_file: Path
    personal_data_key_file: Path
    env: Mapping[str, str]
    """The JIFEN_* environment contract for these servers (what deploy/stack.py gives services)."""

    def db(self, service: str) -> ServiceCredentials:
        return self.databases[service]


def ensure_infra() -> Infra:
    """Start/reuse PostgreSQL + Kafka and describe them. JIFEN_* variables that are not already set
    are put into ``os.environ`` (so ``Settings.from_env`` sees the same servers)."""
    from deploy.common import run_dir
    from deploy.environment import Contract
    from deploy.kafka import broker
    from deploy.keys import ensure_keys
    from deploy.postgres import cluster as postgres
    from shared.contracts.topics import SERVICES

    pg = postgres.ensure()
    kafka = broker.ensure()
    keys = ensure_keys()
    env = Contract(pg.admin, kafka.bootstrap, keys).for_tests()
    for key, value in env.items():
        os.environ.setdefault(key, value)
    return Infra(
        admin_dsn=pg.admin.dsn(),
        pg_host=pg.admin.host,
        pg_port=pg.admin.port,
        pg_database=pg.admin.database,
        databases=MappingProxyType({s: service_credentials(s, pg.admin) for s in SERVICES}),
        kafka_bootstrap=kafka.bootstrap,
        run_dir=run_dir(),
        jwt_private_key_file=keys.private_key_file,
        jwt_public_key_file=keys.public_key_file,
        personal_data_key_file=keys.personal_data_keyring,
        env=MappingProxyType(env),
    )
