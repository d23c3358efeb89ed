"""One test run that owns what it starts: ``python -m deploy.testrun [pytest args]`` (deploy/test.sh).

The run brings PostgreSQL and Kafka up (reusing servers that are already running), runs pytest with the
environment contract, and afterwards stops only what it started. Its servers must not outlive it, even
when the run is killed with SIGKILL (a CI time limit, an impatient user):

- it asks Linux for a parent-death signal (``PR_SET_PDEATHSIG``): when deploy/test.sh dies, however,
  this process gets SIGTERM;
- it is a child subreaper (``PR_SET_CHILD_SUBREAPER``): whatever its children start, even detached in a
  session of its own (pg_ctl's postmaster, nginx, services started by tests), stays its descendant, so
  on SIGTERM it can stop all of them: its own servers gracefully, everything else with SIGTERM and
  then SIGKILL;
- it leaves the shell's process group (``setsid``), so a signal to the whole group (``timeout``, a CI
  runner) reaches deploy/test.sh and, through the parent-death signal, this process, which cleans up.

Before starting anything, ``stack.bring_up_infra`` stops the leftovers of deleted checkouts of this
project (servers of a clone removed while they ran, which nothing else could stop): see
:func:`deploy.common.stop_leftovers_of_deleted_checkouts`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from types import FrameType

from deploy.common import (
    CHECKOUT_VAR,
    REPO_ROOT,
    DeployError,
    log,
    process_table,
)

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
GRACE_S = 15.0


class Stopped(Exception):
    """SIGTERM/SIGINT (or the parent's death) arrived: stop everything and leave."""


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def descendants(root: int, *, spare: Iterable[int] = ()) -> list[int]:
    """Every live descendant of ``root``, leaving out the subtrees of ``spare``."""
    children: dict[int, list[int]] = {}
    for pid, (_, parent, _) in process_table().items():
        children.setdefault(parent, []).append(pid)
    spared = set(spare)
    found: list[int] = []
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        if pid in spared:
            continue
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def reap() -> None:
    """Collect the exit status of orphans reparented to us (a subreaper must, or they stay zombies)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def terminate(pids: list[int], grace: float) -> None:
    """SIGTERM ``pids``, wait up to ``grace`` seconds (reaping), SIGKILL what is left."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _any_alive(pids):
        reap()
        time.sleep(0.1)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    reap()


def _any_alive(pids: list[int]) -> bool:
    table = process_table()
    return any(pid in table and table[pid][0] != "Z" for pid in pids)


def run(pytest_args: list[str]) -> int:
    from deploy import stack

    me = os.getpid()
    started = stack.Started()
    infra_pids: list[int] = []
    try:
        contract = stack.bring_up_infra(started)
        infra_pids = [pid for name in started.components if (pid := stack.RUNNING_PIDS[name]()) is not None]
        pytest = subprocess.Popen(
            [sys.executable, "-m", "pytest", *pytest_args], env={**os.environ, **contract.for_tests()}
        )
        # Not pytest.wait(): orphans reparented to us must be reaped meanwhile.
        while (code := pytest.poll()) is None:
            time.sleep(0.5)
            _reap_orphans(pytest.pid)
        if code == 5:
            log("test", "pytest collected no tests (exit 5): treated as a failure")
        return code
    except DeployError as exc:
        log("test", f"ERROR: {exc}")
        return 1
    except Stopped as why:
        log("test", f"{why}: stopping the test run and everything it started")
        return 143
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up is not interrupted again
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        terminate(descendants(me, spare=infra_pids), GRACE_S)
        stack.stop_components(started.components)
        terminate(descendants(me), GRACE_S)


def _reap_orphans(keep: int) -> None:
    """Reap zombies among our children except ``keep`` (whose status ``Popen.poll`` collects)."""
    me = os.getpid()
    for pid, (state, parent, _) in process_table().items():
        if parent == me and pid != keep and state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def main(argv: list[str] | None = None) -> int:
    parent = os.getppid()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    if os.getppid() != parent:  # the shell died before the parent-death signal was armed
        return 143
    with contextlib.suppress(PermissionError):
        os.setsid()
    os.environ[CHECKOUT_VAR] = str(REPO_ROOT)  # inherited by pytest and everything it starts
    return run(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
