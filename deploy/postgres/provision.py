"""What goes into the PostgreSQL server the services use: database, roles, schemas and grants.

Provisioning (idempotent, serialised by an advisory lock): database ``jifen``; per service a login role
``jifen_<service>`` (password ``JIFEN_<SERVICE>_DB_PASSWORD``, default ``jifen-<service>-dev``) owning
schema ``<service>`` with ``search_path = <service>``; PUBLIC loses every right on the database and on
schema ``public``; the four roles get CONNECT only. So a role can use its own schema and nothing else.

Which server that is (``DATABASE_URL`` or the private cluster) is :mod:`deploy.postgres.cluster`'s job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import psycopg
from psycopg import sql

from deploy.common import LOCALHOST, DeployError, log
from shared.contracts.topics import SERVICES
from shared.platform.settings import ServiceEnvironment

_PROVISION_LOCK_KEY = 0x4A1FE2  # pg_advisory_lock key: "jifen provisioning"


@dataclass(frozen=True)
class AdminConnection:
    """How to reach the PostgreSQL server as an administrator, and which database the services use."""

    host: str
    port: int
    user: str
    password: str | None
    database: str
    """The application database (``jifen``)."""
    maintenance_database: str = "postgres"
    """Where to connect to create ``database``."""
    managed: bool = True
    """True for the private cluster under .run/postgres; False for an external ``DATABASE_URL``."""
    extra: tuple[tuple[str, str], ...] = ()
    """Other libpq parameters from DATABASE_URL (sslmode, ...)."""

    def dsn(self, database: str | None = None) -> str:
        """Admin DSN (URL form) for ``database`` (default: the application database)."""
        params: dict[str, Any] = dict(self.extra)
        params.update(host=self.host, port=self.port, user=self.user, dbname=database or self.database)
        if self.password is not None:
            params["password"] = self.password
        return make_url(params)

    @property
    def maintenance_dsn(self) -> str:
        return self.dsn(self.maintenance_database)


@dataclass(frozen=True)
class ServiceCredentials:
    service: str
    user: str
    password: str
    schema: str
    host: str
    port: int
    database: str

    @property
    def dsn(self) -> str:
        return make_url(
            {
                "host": self.host,
                "port": self.port,
                "user": self.user,
                "password": self.password,
                "dbname": self.database,
            }
        )


def make_url(params: dict[str, Any]) -> str:
    """A ``postgresql://`` URL (what asyncpg, psycopg and eventsourcing all accept)."""
    params = dict(params)
    user = quote(str(params.pop("user", "")), safe="")
    password = params.pop("password", None)
    host = str(params.pop("host", LOCALHOST))
    port = params.pop("port", None)
    dbname = quote(str(params.pop("dbname", "")), safe="")
    auth = (
        f"{user}:{quote(str(password), safe='')}@" if password is not None else (f"{user}@" if user else "")
    )
    netloc = f"{auth}{host}" + (f":{port}" if port else "")
    query = ("?" + urlencode({k: str(v) for k, v in params.items()})) if params else ""
    return f"postgresql://{netloc}/{dbname}{query}"


def service_credentials(service: str, admin: AdminConnection) -> ServiceCredentials:
    """The service's own login (``JIFEN_<SERVICE>_DB_USER`` / ``_DB_PASSWORD``) on ``admin``'s server."""
    own = ServiceEnvironment.read(service)
    return ServiceCredentials(
        service=service,
        user=own.db_user,
        password=own.db_password,
        schema=service,
        host=admin.host,
        port=admin.port,
        database=admin.database,
    )


def unreachable_reason(dsn: str, timeout: int = 3) -> str | None:
    """None when ``dsn`` accepts a connection, else libpq's reason (refused, timeout, bad password...)."""
    try:
        with psycopg.connect(dsn, connect_timeout=timeout, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def wait_reachable(dsn: str, timeout: float) -> None:
    """Wait until ``dsn`` accepts a connection (a server still starting, e.g. under docker compose)."""
    deadline = time.monotonic() + timeout
    while unreachable_reason(dsn) is not None:
        if time.monotonic() > deadline:
            raise DeployError("PostgreSQL at DATABASE_URL is not reachable")
        time.sleep(1)


def provision(admin: AdminConnection) -> None:
    """Create/refresh database, roles, schemas and grants. Safe to run any number of times."""
    with psycopg.connect(admin.maintenance_dsn, autocommit=True, connect_timeout=10) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_PROVISION_LOCK_KEY,))
        try:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (admin.database,)
            ).fetchone()
            if not exists:
                log("postgres", f"creating database {admin.database}")
                conn.execute(
                    sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                        sql.Identifier(admin.database)
                    )
                )
            for service in SERVICES:
                creds = service_credentials(service, admin)
                role = sql.Identifier(creds.user)
                has_role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (creds.user,)).fetchone()
                verb = sql.SQL("ALTER ROLE" if has_role else "CREATE ROLE")
                conn.execute(
                    sql.SQL("{} {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                        verb, role, sql.Literal(creds.password)
                    )
                )
            if admin.managed:
                # Our own cluster: service roles have no business in the maintenance databases.
                for maintenance in ("postgres", "template1"):
                    conn.execute(
                        sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(
                            sql.Identifier(maintenance)
                        )
                    )
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_PROVISION_LOCK_KEY,))

    with psycopg.connect(admin.dsn(), autocommit=True, connect_timeout=10) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_PROVISION_LOCK_KEY,))
        try:
            db = sql.Identifier(admin.database)
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
            conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
            for service in SERVICES:
                creds = service_credentials(service, admin)
                role, schema = sql.Identifier(creds.user), sql.Identifier(creds.schema)
                conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, role))
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, role))
                conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, role))
                conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema))
                conn.execute(
                    sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(role, db, schema)
                )
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_PROVISION_LOCK_KEY,))
