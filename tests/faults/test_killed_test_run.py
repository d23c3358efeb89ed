"""A run of deploy/test.sh killed with SIGKILL takes its servers with it, and the next run starts.

Each run here is a real ``bash deploy/test.sh`` in a throw-away copy of this checkout, on ports of its
own (so the servers of this run and of other checkouts on the machine are not touched), running one
test that starts PostgreSQL, Kafka and nginx, plus a detached process standing in for a service a test
started, and then waits to be killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.common import pid_alive, port_bindable
from deploy.kafka.broker import KafkaPaths
from deploy.testing import Infra
from tests.integration.test_services_boot import free_port

pytestmark = pytest.mark.infra

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 240
HOLD_ARGS = ("tests/test_hold.py", "-q", "-p", "no:cacheprovider")

HOLD_TEST = '''
import json, os, subprocess, sys, time
from pathlib import Path

from deploy.gateway import gateway
from deploy.kafka import broker
from deploy.postgres import cluster


def test_hold(infra):
    gateway.ensure()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    pids = {
        "postgres": cluster.running_pid(),
        "kafka": broker.running_pid(),
        "gateway": gateway.running_pid(),
        "sleeper": sleeper.pid,
        "supervisor": os.getppid(),
    }
    Path(os.environ["JIFEN_HOLD_FILE"]).write_text(json.dumps(pids))
    time.sleep(float(os.environ["JIFEN_HOLD_SECONDS"]))
'''


def make_checkout(target: Path) -> Path:
    """A copy of this checkout's files (tracked and new), sharing its .venv and Kafka jars."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in listed:
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(REPO / ".venv")
    (target / ".run" / "kafka").mkdir(parents=True)
    (target / ".run" / "kafka" / "libs").symlink_to(KafkaPaths.default().libs.resolve())
    (target / "tests" / "test_hold.py").write_text(HOLD_TEST)
    return target


@pytest.fixture
def ports() -> dict[str, str]:
    kafka = free_port()
    names = ("PG", "GATEWAY", "ACCOUNTS", "APPLICATIONS", "REVIEW", "DOCUMENTS")
    chosen = {f"JIFEN_{name}_PORT": str(free_port()) for name in names}
    return {**chosen, "JIFEN_KAFKA_PORT": str(kafka), "JIFEN_KAFKA_CONTROLLER_PORT": str(free_port())}


class Run:
    def __init__(self, checkout: Path, ports: dict[str, str], hold_seconds: float) -> None:
        self.hold_file = checkout / ".run" / "hold.json"
        self.log = checkout.parent / f"{checkout.name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_") and k != "DATABASE_URL"}
        env.update(ports, JIFEN_HOLD_FILE=str(self.hold_file), JIFEN_HOLD_SECONDS=str(hold_seconds))
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                ["bash", str(checkout / "deploy" / "test.sh"), *HOLD_ARGS],
                cwd=checkout,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def held(self) -> dict[str, int]:
        """The pids the holding test recorded, once it holds."""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not self.hold_file.exists():
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the run did not reach the holding test"
            time.sleep(0.5)
        pids: dict[str, int] = json.loads(self.hold_file.read_text())
        assert all(pids.values()), pids
        return pids

    def finish(self) -> int:
        return self.process.wait(timeout=RUN_TIMEOUT_S)


def wait_gone(pids: dict[str, int], ports: dict[str, str], timeout: float = 60) -> list[str]:
    """The names of ``pids`` still alive (and ports still bound) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [name for name, pid in pids.items() if pid_alive(pid)]
        bound = [name for name, port in ports.items() if not port_bindable(int(port))]
        if (not alive and not bound) or time.monotonic() > deadline:
            return alive + bound
        time.sleep(0.5)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[list[dict[str, int]]]:
    """The pids the runs of a test recorded: killed afterwards if a failed assertion left them. The
    copies' PostgreSQL data and nginx temp folders (in /var/tmp: the workers' users cannot reach
    pytest's tmp_path) are removed too."""
    recorded: list[dict[str, int]] = []
    yield recorded
    for pids in recorded:
        for pid in pids.values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
    for copy in ("clone", "deleted", "fresh"):
        for kind, preferred in (("postgres", "postgres"), ("nginx", "nginx/tmp")):
            digest = hashlib.sha256(str(tmp_path / copy / ".run" / preferred).encode()).hexdigest()[:10]
            shutil.rmtree(Path("/var/tmp") / f"jifen-{kind}-{digest}", ignore_errors=True)


def test_a_sigkilled_test_run_takes_its_servers_with_it_and_the_next_run_starts(
    infra: Infra, tmp_path: Path, ports: dict[str, str], held: list[dict[str, int]]
) -> None:
    checkout = make_checkout(tmp_path / "clone")
    run = Run(checkout, ports, hold_seconds=600)
    pids = run.held()
    held.append(pids)
    run.process.send_signal(signal.SIGKILL)  # the shell running deploy/test.sh, nothing else
    assert wait_gone(pids, ports) == [], run.log.read_text(errors="replace")[-3000:]

    following = Run(checkout, ports, hold_seconds=0)
    assert following.finish() == 0, following.log.read_text(errors="replace")[-3000:]
    held.append(following.held())
    assert wait_gone(held[-1], ports) == []
    assert not port_bindable(infra.pg_port), "this run's own PostgreSQL is untouched"


def test_the_next_run_stops_what_a_deleted_checkout_left_running(
    infra: Infra, tmp_path: Path, ports: dict[str, str], held: list[dict[str, int]]
) -> None:
    deleted = make_checkout(tmp_path / "deleted")
    run = Run(deleted, ports, hold_seconds=600)
    pids = run.held()
    held.append(pids)
    # Shell and supervisor both SIGKILLed (nothing could clean up), then the clone removed.
    os.kill(pids.pop("supervisor"), signal.SIGKILL)
    run.process.send_signal(signal.SIGKILL)
    run.finish()
    time.sleep(1)
    assert all(pid_alive(pid) for pid in pids.values()), "the servers outlived their run"
    shutil.rmtree(deleted)

    following = Run(make_checkout(tmp_path / "fresh"), ports, hold_seconds=0)
    assert following.finish() == 0, following.log.read_text(errors="replace")[-3000:]
    assert [name for name, pid in pids.items() if pid_alive(pid)] == []
    assert not port_bindable(infra.pg_port), "this run's own PostgreSQL is untouched"
