"""Which PostgreSQL server Jifen uses, and the lifecycle of the private cluster.

Admin connection:
  * ``DATABASE_URL`` set -> that server (if it does not accept the connection: an error, never a
    fallback to the private cluster); the admin user in it must be able to create databases and
    roles. Host/port come from it; the application database is ``JIFEN_PG_DATABASE`` if set, else the
    URL's database unless that is a maintenance database (postgres/template*), else ``jifen``.
  * otherwise a private cluster under ``.run/postgres/`` (initdb/pg_ctl run as the ``postgres`` OS
    user when we are root), listening only on 127.0.0.1:``JIFEN_PG_PORT`` with no Unix socket,
    superuser ``postgres`` with password ``JIFEN_PG_ADMIN_PASSWORD`` (fixed at initdb time). A cluster
    started earlier is reused (``postmaster.pid``).

:func:`ensure` starts what is needed and then provisions it (:mod:`deploy.postgres.provision`).
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

import psycopg
from psycopg.conninfo import conninfo_to_dict

from deploy.common import (
    LOCALHOST,
    DeployError,
    as_user,
    child_env,
    cli_parser,
    environment,
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
from deploy.postgres.provision import AdminConnection, provision, unreachable_reason, wait_reachable

PG_USER = "postgres"
"""The OS user that runs the private cluster, and its superuser (initdb -U)."""
MAINTENANCE_DATABASES = frozenset({"", "postgres", "template0", "template1"})


# ----------------------------------------------------------------------------- admin resolution


def local_admin() -> AdminConnection:
    env = environment()
    return AdminConnection(
        host=LOCALHOST,
        port=env.pg_port,
        user=PG_USER,
        password=env.pg_admin_password,
        database=env.pg_database,
        managed=True,
    )


def admin_from_url(url: str) -> AdminConnection:
    params = conninfo_to_dict(url)
    url_db = str(params.pop("dbname", "") or "")
    env = environment()
    # JIFEN_PG_DATABASE when set, else the URL's own database unless that is a maintenance one.
    database = (
        url_db
        if "pg_database" not in env.model_fields_set and url_db not in MAINTENANCE_DATABASES
        else env.pg_database
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


def resolve_admin(*, check: bool = True) -> AdminConnection:
    """``DATABASE_URL`` if set, else the private cluster's admin. With ``check``, a ``DATABASE_URL``
    that does not accept the admin connection is an error (never a silent switch to another server)."""
    url = environment().database_url
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
    override = environment().pg_bindir
    if override:
        return override
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
            f"-c port={environment().pg_port}",
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
        env=child_env(),
    )
    if result.returncode != 0:
        details = (result.stdout + result.stderr).strip()
        if log_file is not None:
            details += "\n" + tail_section(log_file)
        raise DeployError(f"{what} failed (exit {result.returncode}):\n{details}")


def _initdb(data: Path, base: Path) -> None:
    bindir = pg_bindir()
    log("postgres", f"initdb {data}")
    password = environment().pg_admin_password
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
    port = environment().pg_port
    if not port_bindable(port):
        raise DeployError(
            f"port {LOCALHOST}:{port} is already in use by a server that is not this project's "
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
    log("postgres", f"starting private cluster on {LOCALHOST}:{port} ({data})")
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
            if not port_open(admin.port):
                raise DeployError(f"private cluster is running but {LOCALHOST}:{admin.port} does not accept")
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
            wait_reachable(admin.maintenance_dsn, 60)
            provision(admin)
            log("postgres", f"provisioned {admin.host}:{admin.port}/{admin.database}")
        elif args.command == "status":
            print(f"private cluster: {running_text(running_pid())} ({cluster_dir()})")
        elif args.command == "dsn":
            print(resolve_admin().dsn())

    return run_cli("postgres", command)


if __name__ == "__main__":
    sys.exit(main())
