"""PostgreSQL for Jifen: an existing server (``DATABASE_URL``) or a private cluster, then provisioning.

Admin connection:
  * ``DATABASE_URL`` set -> that server (if it does not accept the connection: an error, never a
    fallback to the private cluster); the admin user in it must be able to create databases and
    roles. Host/port come from it; the application database is ``JIFEN_PG_DATABASE`` if set, else the
    URL's database unless that is a maintenance database (postgres/template*), else ``jifen``.
  * otherwise a private cluster under ``.run/postgres/`` (initdb/pg_ctl run as the ``postgres`` OS
    user when we are root), listening only on 127.0.0.1:55432 with no Unix socket, superuser
    ``postgres`` with password ``JIFEN_PG_ADMIN_PASSWORD`` (default ``jifen-admin-dev``, fixed at
    initdb time). A cluster started earlier is reused (``postmaster.pid``).

Provisioning (idempotent, serialised by an advisory lock): database ``jifen``; per service a login role
``jifen_<service>`` (password ``JIFEN_<SERVICE>_DB_PASSWORD``, default ``jifen-<service>-dev``) owning
schema ``<service>`` with ``search_path = <service>``; PUBLIC loses every right on the database and on
schema ``public``; the four roles get CONNECT only. So a role can use its own schema and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from deploy.common import (
    LOCALHOST,
    PG_PORT,
    DeployError,
    as_user,
    cli_parser,
    file_lock,
    give_to,
    live_pid,
    log,
    log_ready,
    port_bindable,
    port_open,
    private_dir_for,
    read_pid,
    run_cli,
    run_dir,
    running_text,
    stop_pid,
    tail_section,
)
from shared.contracts.topics import SERVICES

PG_USER = "postgres"
DEFAULT_DATABASE = "jifen"
DEFAULT_ADMIN_PASSWORD = "jifen-admin-dev"
MAINTENANCE_DATABASES = frozenset({"", "postgres", "template0", "template1"})
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
    from urllib.parse import quote, urlencode

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


def service_role(service: str) -> str:
    return f"jifen_{service}"


def service_password(service: str) -> str:
    return os.environ.get(f"JIFEN_{service.upper()}_DB_PASSWORD", f"jifen-{service}-dev")


def service_credentials(service: str, admin: AdminConnection) -> ServiceCredentials:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; expected one of {SERVICES}")
    return ServiceCredentials(
        service=service,
        user=service_role(service),
        password=service_password(service),
        schema=service,
        host=admin.host,
        port=admin.port,
        database=admin.database,
    )


# ----------------------------------------------------------------------------- admin resolution


def local_admin() -> AdminConnection:
    return AdminConnection(
        host=LOCALHOST,
        port=PG_PORT,
        user=PG_USER,
        password=os.environ.get("JIFEN_PG_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD),
        database=os.environ.get("JIFEN_PG_DATABASE", DEFAULT_DATABASE),
        managed=True,
    )


def admin_from_url(url: str) -> AdminConnection:
    params = conninfo_to_dict(url)
    url_db = str(params.pop("dbname", "") or "")
    database = os.environ.get("JIFEN_PG_DATABASE") or (
        url_db if url_db not in MAINTENANCE_DATABASES else DEFAULT_DATABASE
    )
    host = str(params.pop("host", "") or LOCALHOST)
    port = int(params.pop("port", 5432) or 5432)
    user = str(params.pop("user", "") or os.environ.get("PGUSER", PG_USER))
    password = params.pop("password", None)
    return AdminConnection(
        host=host,
        port=port,
        user=user,
        password=None if password is None else str(password),
        database=database,
        maintenance_database=url_db if url_db in MAINTENANCE_DATABASES - {""} else "postgres",
        managed=False,
        extra=tuple(sorted((str(k), str(v)) for k, v in params.items())),
    )


def unreachable_reason(dsn: str, timeout: int = 3) -> str | None:
    """None when ``dsn`` accepts a connection, else libpq's reason (refused, timeout, bad password...)."""
    try:
        with psycopg.connect(dsn, connect_timeout=timeout, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def resolve_admin(*, check: bool = True) -> AdminConnection:
    """``DATABASE_URL`` if set, else the private cluster's admin. With ``check``, a ``DATABASE_URL``
    that does not accept the admin connection is an error (never a silent switch to another server)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return local_admin()
    try:
        admin = admin_from_url(url)
    except (psycopg.Error, ValueError) as exc:
        raise DeployError(f"DATABASE_URL is not a valid PostgreSQL URL/conninfo: {exc}") from exc
    if check:
        reason = unreachable_reason(admin.maintenance_dsn)
        if reason is not None:
            raise DeployError(
                f"DATABASE_URL is set but PostgreSQL at {admin.host}:{admin.port} (user {admin.user}, "
                f"database {admin.maintenance_database}) does not accept the connection: {reason}\n"
                "Fix DATABASE_URL, or unset it to use the private cluster under .run/postgres/."
            )
    return admin


# ----------------------------------------------------------------------------- private cluster


def pg_bindir() -> Path:
    """The newest installed server's bin dir (Debian: /usr/lib/postgresql/<v>/bin)."""
    override = os.environ.get("JIFEN_PG_BINDIR")
    if override:
        return Path(override)
    candidates = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise DeployError(
        "PostgreSQL server binaries not found (apt-get install postgresql, or run deploy/setup.sh)"
    )


def cluster_dir() -> Path:
    """``.run/postgres`` when the postgres user can reach it, else a /var/tmp folder it owns."""
    return private_dir_for(PG_USER, run_dir() / "postgres", "postgres")


def _paths() -> tuple[Path, Path, Path]:
    base = cluster_dir()
    return base, base / "data", base / "postgres.log"


def _server_options() -> str:
    # Passed on every start so the port/address can never drift from the pid-file's cluster.
    return " ".join(
        [
            f"-c port={PG_PORT}",
            f"-c listen_addresses={LOCALHOST}",
            "-c unix_socket_directories=''",
            "-c max_connections=200",
            "-c synchronous_commit=off",  # dev/test cluster: faster commits, no corruption risk
            "-c log_min_messages=warning",
            "-c log_connections=off",
            "-c timezone=UTC",
        ]
    )


def running_pid() -> int | None:
    # Marker = this cluster's data folder (on the postmaster's command line): a stale postmaster.pid
    # whose pid now belongs to some other postgres process (another clone's backend) is not ours.
    _, data, _ = _paths()
    return live_pid(data / "postmaster.pid", str(data))


def _run(argv: list[str], what: str, log_file: Path | None = None) -> None:
    result = subprocess.run(
        as_user(PG_USER, argv),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        start_new_session=True,  # the postmaster forked by pg_ctl must not get the terminal's Ctrl-C
    )
    if result.returncode != 0:
        details = (result.stdout + result.stderr).strip()
        if log_file is not None:
            details += "\n" + tail_section(log_file)
        raise DeployError(f"{what} failed (exit {result.returncode}):\n{details}")


def _initdb(data: Path, base: Path) -> None:
    bindir = pg_bindir()
    log("postgres", f"initdb {data}")
    password = os.environ.get("JIFEN_PG_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
    # The password file must be readable by the postgres user: put it in the cluster folder it owns.
    fd, pwfile = tempfile.mkstemp(prefix=".pw-", dir=base)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")
        give_to(PG_USER, Path(pwfile))
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                PG_USER,
                f"--pwfile={pwfile}",
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
            "initdb",
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(pwfile)


def start_cluster() -> bool:
    """Start (initialising if needed) the private cluster. Returns True if this call started it."""
    base, data, log_file = _paths()
    pid = running_pid()
    if pid is not None:
        return False
    if not port_bindable(PG_PORT):
        raise DeployError(
            f"port {LOCALHOST}:{PG_PORT} is already in use by a server that is not this project's "
            f"cluster ({data}). Stop that server, or point DATABASE_URL at a PostgreSQL you want to use."
        )
    lock = data / "postmaster.pid"
    if lock.exists():
        # No live postmaster of this data folder (running_pid) and the port is free: the file is left
        # from a killed server. PostgreSQL refuses to start while the pid in it exists, which includes
        # a zombie not yet reaped and an unrelated process that got the pid later (after a reboot).
        # Live old backends are still caught by PostgreSQL's own shared-memory interlock.
        log("postgres", f"removing stale {lock} (pid {read_pid(lock)} is not this cluster's postmaster)")
        lock.unlink(missing_ok=True)
    if not (data / "PG_VERSION").exists():
        if data.exists() and any(data.iterdir()):
            raise DeployError(f"{data} exists but is not a PostgreSQL cluster; remove it")
        _initdb(data, base)
    log("postgres", f"starting private cluster on {LOCALHOST}:{PG_PORT} ({data})")
    started = time.monotonic()
    _run(
        [
            str(pg_bindir() / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log_file),
            "-w",
            "-t",
            "60",
            "-o",
            _server_options(),
            "start",
        ],
        "pg_ctl start",
        log_file,
    )
    log("postgres", f"ready in {time.monotonic() - started:.1f}s")
    return True


def stop_cluster() -> bool:
    """Stop the private cluster if it runs. Returns True if it was running."""
    _, data, log_file = _paths()
    pid = running_pid()
    if pid is None:
        return False
    log("postgres", f"stopping private cluster (pid {pid})")
    try:
        _run(
            [str(pg_bindir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"],
            "pg_ctl stop",
            log_file,
        )
    except DeployError as exc:
        log("postgres", f"{exc}; falling back to signals")
        stop_pid(pid, marker=str(data), timeout=30, name="postgres")
    return True


# ----------------------------------------------------------------------------- provisioning


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


# ----------------------------------------------------------------------------- entry points


@dataclass(frozen=True)
class PostgresState:
    admin: AdminConnection
    started: bool
    """True when this call started the private cluster (so the caller should stop it later)."""


def ensure() -> PostgresState:
    """PostgreSQL reachable and provisioned; starts the private cluster if needed."""
    with file_lock("postgres"):
        admin = resolve_admin()
        started = False
        if admin.managed:
            started = start_cluster()
            if not port_open(PG_PORT):
                raise DeployError(f"private cluster is running but {LOCALHOST}:{PG_PORT} does not accept")
        provision(admin)
        return PostgresState(admin=admin, started=started)


def stop() -> bool:
    with file_lock("postgres"):
        return stop_cluster()


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser("python -m deploy.postgres", __doc__)
    parser.add_argument("command", choices=["ensure", "stop", "provision", "status", "dsn"])
    args = parser.parse_args(argv)

    def command() -> None:
        if args.command == "ensure":
            state = ensure()
            admin = state.admin
            log_ready("postgres", f"{admin.host}:{admin.port}/{admin.database}", state.started)
        elif args.command == "stop":
            if not stop():
                log("postgres", "private cluster not running")
        elif args.command == "provision":
            # The server may still be starting (docker compose): wait for it instead of checking once.
            admin = resolve_admin(check=False)
            _wait_reachable(admin.maintenance_dsn, 60)
            provision(admin)
            log("postgres", f"provisioned {admin.host}:{admin.port}/{admin.database}")
        elif args.command == "status":
            print(f"private cluster: {running_text(running_pid())} ({cluster_dir()})")
        elif args.command == "dsn":
            print(resolve_admin().dsn())

    return run_cli("postgres", command)


def _wait_reachable(dsn: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while unreachable_reason(dsn) is not None:
        if time.monotonic() > deadline:
            raise DeployError("PostgreSQL at DATABASE_URL is not reachable")
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
