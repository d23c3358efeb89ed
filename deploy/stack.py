"""Run the whole Jifen stack on this machine, without containers.

    python -m deploy.stack up               # postgres, kafka (+topics), keys, nginx, mail sink, services,
                                            # the demo data (--no-demo / JIFEN_DEMO=0: none); prints the
                                            # portal URL and the demo sign-ins, blocks until Ctrl-C/SIGTERM,
                                            # then stops everything *it* started
    python -m deploy.stack up --infra-only  # postgres + kafka (+topics) + keys, then return (left running)
    python -m deploy.stack down             # stop everything recorded in pid files
    python -m deploy.stack status
    python -m deploy.stack env              # `export JIFEN_...` lines:  eval "$(python -m deploy.stack env)"

``--record FILE`` (with ``up --infra-only``) writes which components this call started; ``down
--record FILE`` then stops only those (so a script never stops servers that were already running;
deploy/test.sh does the same in-process, see deploy/testrun.py). ``--strict`` (or
``JIFEN_STACK_STRICT=1``) makes a service that fails to start fatal; by default it is reported as a
warning and the rest of the stack keeps running.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from deploy import demo, mailsink
from deploy.common import (
    LOCALHOST,
    REPO_ROOT,
    DeployError,
    cli_parser,
    environment,
    exited,
    live_pid,
    log,
    run_cli,
    run_dir,
    service_port,
    spawn,
    stop_leftovers_of_deleted_checkouts,
    stop_recorded,
    tail,
    venv_python,
)
from deploy.environment import Contract, export_lines, without_secrets
from deploy.gateway import gateway
from deploy.kafka import broker
from deploy.keys import ensure_keys
from deploy.postgres import cluster as postgres
from shared.contracts.topics import SERVICES

COMPONENT_ORDER = ("postgres", "kafka", "gateway", "mail", *SERVICES)  # start order; stop is the reverse


# ----------------------------------------------------------------------------- services


def _service_pid_file(service: str) -> Path:
    return run_dir() / "services" / f"{service}.pid"


def _service_log(service: str) -> Path:
    return run_dir() / "logs" / f"{service}.log"


def _service_marker(service: str) -> str:
    # The interpreter path names this checkout's .venv: another clone's service is never "ours".
    return f"{venv_python()} -m services.{service}"


def service_running(service: str) -> int | None:
    return live_pid(_service_pid_file(service), _service_marker(service))


def healthy(service: str, timeout: float = 1.0) -> bool:
    url = f"http://{LOCALHOST}:{service_port(service)}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start_service(service: str, contract: Contract) -> int:
    """Start ``service`` with the inherited environment minus every secret, plus its own."""
    proc = spawn(
        [str(venv_python()), "-m", f"services.{service}"],
        log_file=_service_log(service),
        env={**without_secrets(os.environ), **contract.for_service(service)},
        cwd=REPO_ROOT,
        banner=f"starting {service}",
        pid_file=_service_pid_file(service),
    )
    return proc.pid


def stop_service(service: str) -> bool:
    return stop_recorded(
        _service_pid_file(service),
        _service_marker(service),
        name=service,
        what="service",
        timeout=20,
        group=True,
    )


def wait_healthy(pids: dict[str, int], timeout: float) -> dict[str, str]:
    """Poll every service's /healthz until healthy, dead or timed out. Returns {service: problem}."""
    pending = dict(pids)
    problems: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while pending:
        for service, pid in list(pending.items()):
            if healthy(service):
                log(service, f"healthy on port {service_port(service)} (pid {pid})")
                del pending[service]
                continue
            code = exited(pid)
            if code is not None:
                problems[service] = (
                    f"exited with code {code}; last lines of {_service_log(service)}:\n"
                    f"{tail(_service_log(service), 15)}"
                )
                del pending[service]
        if not pending:
            break
        if time.monotonic() > deadline:
            for service in pending:
                problems[service] = (
                    f"no healthy GET /healthz within {timeout:.0f}s (see {_service_log(service)})"
                )
            break
        time.sleep(0.3)
    return problems


# ----------------------------------------------------------------------------- components


@dataclass
class Started:
    """What one `up` call started (and must therefore stop)."""

    components: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        if name not in self.components:
            self.components.append(name)


STOPPERS: dict[str, Callable[[], bool]] = {
    "postgres": postgres.stop,
    "kafka": broker.stop,
    "gateway": gateway.stop,
    "mail": mailsink.stop,
    **{service: functools.partial(stop_service, service) for service in SERVICES},
}
RUNNING_PIDS: dict[str, Callable[[], int | None]] = {
    "postgres": postgres.running_pid,
    "kafka": broker.running_pid,
    "gateway": gateway.running_pid,
    "mail": mailsink.running_pid,
    **{service: functools.partial(service_running, service) for service in SERVICES},
}


def stop_components(names: list[str]) -> None:
    for name in sorted(set(names), key=COMPONENT_ORDER.index, reverse=True):
        try:
            STOPPERS[name]()
        except Exception as exc:  # keep stopping the rest
            log("stack", f"stopping {name} failed: {exc!r}")


def running_components() -> set[str]:
    """Components of this checkout that are running now (by their pid files)."""
    return {name for name, running_pid in RUNNING_PIDS.items() if running_pid() is not None}


def bring_up_infra(started: Started) -> Contract:
    """PostgreSQL, Kafka (+topics) and the JWT keys, after stopping what deleted checkouts left running."""
    stop_leftovers_of_deleted_checkouts()
    t0 = time.monotonic()
    pg = postgres.ensure()
    if pg.started:
        started.add("postgres")
    t_pg = time.monotonic() - t0
    kafka = broker.ensure()
    if kafka.started:
        started.add("kafka")
    t_kafka = time.monotonic() - t0 - t_pg
    keys = ensure_keys()
    log(
        "stack",
        f"infrastructure ready in {time.monotonic() - t0:.1f}s "
        f"(postgres {t_pg:.1f}s, kafka+topics {t_kafka:.1f}s)",
    )
    return Contract(pg.admin, kafka.bootstrap, keys)


def up(*, infra_only: bool, strict: bool, record: Path | None, seed_demo: bool = False) -> int:
    started = Started()
    before = running_components()
    try:
        contract = bring_up_infra(started)
        if infra_only:
            if record is not None:
                record.parent.mkdir(parents=True, exist_ok=True)
                record.write_text(json.dumps({"started": started.components}) + "\n")
            log(
                "stack",
                "infrastructure is up (left running; `.venv/bin/python -m deploy.stack down` stops it)",
            )
            return 0
        if gateway.ensure().started:
            started.add("gateway")
        if mailsink.start():
            started.add("mail")
        pids: dict[str, int] = {}
        for service in SERVICES:
            pid = service_running(service)
            if pid is not None:
                log(service, f"already running (pid {pid})")
                continue
            pids[service] = start_service(service, contract)
            started.add(service)
        problems = wait_healthy(pids, environment().service_start_timeout)
        for service, problem in problems.items():
            log(service, f"WARNING: service did not start: {problem}")
        if problems and strict:
            raise DeployError(f"services failed to start: {', '.join(problems)}")
        seeded = seed_demo and not problems and demo.seed(contract)
    except (DeployError, KeyboardInterrupt) as exc:
        if isinstance(exc, DeployError):
            log("stack", f"ERROR: {exc}")
        else:
            log("stack", "interrupted; stopping what this call started")
        # Also what was started but not yet recorded (Ctrl-C in the middle of a start/provisioning).
        stop_components([*started.components, *(running_components() - before)])
        return 1

    print(f"Jifen portal: {gateway.gateway_url()}", flush=True)
    mail_page = f"{gateway.gateway_url().rstrip('/')}/accounts/dev/mail"
    print(f"Mail sink: {mailsink.where()}; read them at {mail_page}", flush=True)
    if seeded:
        print(demo.sign_ins(), flush=True)
    stop_event = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log("stack", f"received {signal.Signals(signum).name}; stopping")
        stop_event.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    reported: set[str] = set()
    while not stop_event.wait(1.0):
        for service, pid in pids.items():
            if service in reported or service in problems or (code := exited(pid)) is None:
                continue
            reported.add(service)
            log(service, f"WARNING: exited (code {code}); see {_service_log(service)}")
    stop_components(started.components)
    log("stack", "stopped")
    return 0


def down(record: Path | None) -> int:
    if record is not None:
        try:
            names = json.loads(record.read_text())["started"]
        except FileNotFoundError:
            log("stack", f"{record} not found; nothing to stop")
            return 0
        stop_components(list(names))
        record.unlink(missing_ok=True)
        return 0
    stop_components(list(COMPONENT_ORDER))
    return 0


def status() -> int:
    pg_pid = postgres.running_pid()
    print(f"postgres  {'running pid ' + str(pg_pid) if pg_pid else 'stopped'}  ({postgres.cluster_dir()})")
    kafka_pid = broker.running_pid()
    kafka_state = f"running pid {kafka_pid}" if kafka_pid else "stopped"
    print(f"kafka     {kafka_state}  ({environment().kafka_bootstrap})")
    gw_pid = gateway.running_pid()
    print(f"gateway   {'running pid ' + str(gw_pid) if gw_pid else 'stopped'}  ({gateway.gateway_url()})")
    mail_pid = mailsink.running_pid()
    print(f"mail      {'running pid ' + str(mail_pid) if mail_pid else 'stopped'}  ({mailsink.where()})")
    for service in SERVICES:
        pid = service_running(service)
        state = (
            f"running pid {pid}" + (" healthy" if healthy(service) else " NOT healthy") if pid else "stopped"
        )
        print(f"{service:<9} {state}  (port {service_port(service)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser("python -m deploy.stack", __doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="start the stack")
    p_up.add_argument(
        "--infra-only", action="store_true", help="only postgres + kafka + keys; return at once"
    )
    p_up.add_argument(
        "--strict",
        action="store_true",
        default=environment().stack_strict,
        help="a service that fails to start is fatal",
    )
    p_up.add_argument("--record", type=Path, help="write the components this call started to FILE (JSON)")
    p_up.add_argument(
        "--no-demo",
        dest="demo",
        action="store_false",
        default=environment().demo,
        help="do not seed the demo data (also JIFEN_DEMO=0); see deploy/demo.py",
    )
    p_down = sub.add_parser("down", help="stop what pid files record (or only what --record FILE lists)")
    p_down.add_argument("--record", type=Path)
    sub.add_parser("status")
    sub.add_parser("env", help="print export lines of the environment contract")
    args = parser.parse_args(argv)
    if args.command == "up":
        return up(infra_only=args.infra_only, strict=args.strict, record=args.record, seed_demo=args.demo)
    if args.command == "down":
        return down(args.record)
    if args.command == "status":
        return status()
    return run_cli("stack", lambda: print(export_lines(Contract.resolve().for_tests())))


if __name__ == "__main__":
    sys.exit(main())
