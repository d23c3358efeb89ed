"""Small process/port/path helpers shared by the deploy scripts (postgres, kafka, gateway, stack).

Everything the local scripts create lives under the repository's ignored ``.run/`` folder (override
with ``JIFEN_RUN_DIR``). Servers are remembered by pid files; a pid file is trusted only while the
process it names is alive *and* its command line still contains the expected marker, so a recycled
pid is never signalled.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import hashlib
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from shared.platform.settings import LOCALHOST as LOCALHOST
from shared.platform.settings import REPO_ROOT as REPO_ROOT
from shared.platform.settings import Environment, ServiceEnvironment


def environment() -> Environment:
    """The ``JIFEN_*`` contract as the environment sets it now (defaults: shared.platform.settings).

    A second checkout on the same machine (a helper's worktree, a release candidate next to the
    working copy) moves every port with the ``JIFEN_*_PORT`` variables, so that two stacks never meet
    on one port."""
    return Environment.read()


def service_port(service: str) -> int:
    """``JIFEN_<SERVICE>_PORT`` if set, else the service's default (8001..8004)."""
    return ServiceEnvironment.read(service).port


def gateway_port() -> int:
    """``JIFEN_GATEWAY_PORT`` if set, else 8080."""
    return environment().gateway_port


# Children started by this Python process: kept referenced so Popen never warns about them.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class DeployError(RuntimeError):
    """A deploy step failed in a way the user has to fix; the message says how."""


def log(component: str, message: str) -> None:
    print(f"[{component}] {message}", file=sys.stderr, flush=True)


def run_dir() -> Path:
    """The absolute ``.run`` folder (``JIFEN_RUN_DIR`` overrides it)."""
    path = environment().run_dir.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def venv_python() -> Path:
    candidate = REPO_ROOT / ".venv" / "bin" / "python"
    return candidate if candidate.exists() else Path(sys.executable)


# ----------------------------------------------------------------------------- locking


@contextlib.contextmanager
def file_lock(name: str) -> Iterator[None]:
    """An exclusive inter-process lock (``.run/locks/<name>.lock``): serialises concurrent ensures."""
    lock_dir = run_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ----------------------------------------------------------------------------- processes


def process_cmdline(pid: int) -> str | None:
    """The process's command line joined by spaces, or None when it does not exist (or is a zombie)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    if not raw:  # zombie or kernel thread
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def pid_alive(pid: int, marker: str | None = None) -> bool:
    cmdline = process_cmdline(pid)
    if cmdline is None:
        return False
    return marker is None or marker in cmdline


def read_pid(pid_file: Path) -> int | None:
    try:
        text = pid_file.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    first = text.splitlines()[0] if text else ""
    return int(first) if first.isdigit() else None


def live_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in ``pid_file`` if that process is running and looks like ``marker``; else None."""
    pid = read_pid(pid_file)
    if pid is not None and pid_alive(pid, marker):
        return pid
    return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = pid_file.with_suffix(pid_file.suffix + ".tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(pid_file)


def spawn(
    argv: Sequence[str],
    *,
    log_file: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    banner: str | None = None,
    pid_file: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a long-running child in its own session (Ctrl-C in the terminal does not reach it;
    the owner stops it explicitly), with stdout+stderr appended to ``log_file`` (after a
    ``==== <time> <banner> ====`` line when given); its pid goes to ``pid_file`` when given."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        if banner is not None:
            out.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {banner} ====\n".encode())
            out.flush()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=child_env(env),
            cwd=cwd,
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    if pid_file is not None:
        write_pid(pid_file, proc.pid)
    return proc


def exited(pid: int) -> int | None:
    """Exit code if ``pid`` (a child we spawned, or any process) is gone, else None."""
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll()
    return None if pid_alive(pid) else -1


def stop_pid(pid: int, *, marker: str, timeout: float, name: str, group: bool = False) -> bool:
    """SIGTERM ``pid`` (its whole process group when ``group``), wait up to ``timeout`` s, then SIGKILL.

    Returns True if a process was signalled. Does nothing when the pid no longer matches ``marker``.
    """
    if not pid_alive(pid, marker):
        return False

    def send(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)

    send(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if exited(pid) is not None:
            _reap(pid)
            return True
        time.sleep(0.1)
    log(name, f"pid {pid} did not stop within {timeout:.0f}s; sending SIGKILL")
    send(signal.SIGKILL)
    for _ in range(50):
        if not pid_alive(pid):
            break
        time.sleep(0.1)
    _reap(pid)
    return True


def stop_recorded(
    pid_file: Path, marker: str, *, name: str, what: str, timeout: float, group: bool = False
) -> bool:
    """Stop the process ``pid_file`` names (if it is alive and matches ``marker``) and remove the
    pid file. Returns True if such a process was running."""
    pid = live_pid(pid_file, marker)
    if pid is not None:
        log(name, f"stopping {what} pid {pid}")
        stop_pid(pid, marker=marker, timeout=timeout, group=group, name=name)
    pid_file.unlink(missing_ok=True)
    return pid is not None


def process_table() -> dict[int, tuple[str, int, int]]:
    """pid -> (state, parent pid, process group) of every process, from ``/proc/<pid>/stat``."""
    table: dict[int, tuple[str, int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        table[int(entry.name)] = (fields[0], int(fields[1]), int(fields[2]))
    return table


def group_members(pgid: int, prefix: str) -> list[int]:
    """Live processes in process group ``pgid`` whose command line starts with ``prefix``.

    A process group id cannot be reused while any member is alive, so members of the group a killed
    leader of ours started are still ours (e.g. nginx workers left behind by a SIGKILLed master)."""
    return [
        pid
        for pid, (_, _, group) in process_table().items()
        if group == pgid and (cmdline := process_cmdline(pid)) is not None and cmdline.startswith(prefix)
    ]


def kill_leftovers(pgid: int, prefix: str, *, name: str) -> bool:
    """SIGKILL what is left of process group ``pgid`` (members starting with ``prefix``)."""
    members = group_members(pgid, prefix)
    if not members:
        return False
    log(name, f"killing processes left behind by a dead {name} (pids {', '.join(map(str, members))})")
    for member in members:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(member, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and group_members(pgid, prefix):
        time.sleep(0.05)
    return True


def _reap(pid: int) -> None:
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)


def tail(path: Path, lines: int = 40) -> str:
    try:
        data = path.read_bytes()[-64_000:]
    except FileNotFoundError:
        return f"(no log at {path})"
    return "\n".join(data.decode(errors="replace").splitlines()[-lines:])


def tail_section(path: Path) -> str:
    """``--- last lines of <path> ---`` and the tail, for error messages."""
    return f"--- last lines of {path} ---\n{tail(path)}"


# ----------------------------------------------------------------------------- ownership and leftovers

CHECKOUT_VAR = "JIFEN_CHECKOUT"
"""Set in the environment of every server the scripts start (and of a test run's processes): the
checkout the server belongs to, so that the leftovers of a deleted checkout can be recognised."""


def child_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: ours) with :data:`CHECKOUT_VAR` naming this checkout."""
    return {**(os.environ if env is None else env), CHECKOUT_VAR: str(REPO_ROOT)}


def checkout_marker_argument() -> str:
    """The same mark for nginx, which overwrites its environment with its process title: an ``env``
    directive given with ``-g`` stays visible in the master's command line."""
    return f"env {CHECKOUT_VAR}={REPO_ROOT};"


def _process_checkout(pid: int) -> str | None:
    """The checkout a process was started for (its environment, or nginx's ``-g`` mark), if any."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    prefix = f"{CHECKOUT_VAR}=".encode()
    for item in environ.split(b"\0"):
        if item.startswith(prefix):
            return item[len(prefix) :].decode(errors="replace")
    cmdline = process_cmdline(pid) or ""
    marker = f"{CHECKOUT_VAR}="
    if cmdline.startswith("nginx: master") and marker in cmdline:
        return cmdline.split(marker, 1)[1].split(";", 1)[0]
    return None


def leftovers_of_deleted_checkouts() -> list[int]:
    """Processes started for a checkout of this project that no longer exists (a clone deleted while
    its servers ran on): nobody can stop them with that checkout's scripts any more. Processes of
    checkouts that exist (other worktrees' servers) are never included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        checkout = _process_checkout(int(entry.name))
        if checkout and not Path(checkout, "deploy", "common.py").exists():
            found.append(int(entry.name))
    return found


def stop_leftovers_of_deleted_checkouts(timeout: float = 20) -> list[int]:
    """Stop what :func:`leftovers_of_deleted_checkouts` finds (PostgreSQL with a fast shutdown, the
    rest with SIGTERM, then SIGKILL after ``timeout``). Returns the pids that were signalled."""
    pids = leftovers_of_deleted_checkouts()
    if not pids:
        return []
    log("leftovers", f"stopping servers of deleted checkouts (pids {', '.join(map(str, pids))})")
    for pid in pids:
        fast = signal.SIGINT if _exe_name(pid) == "postgres" else signal.SIGTERM
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, fast)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(pid_alive(pid) for pid in pids):
        time.sleep(0.2)
    for pid in pids:
        if pid_alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    return pids


def _exe_name(pid: int) -> str:
    try:
        return Path(os.readlink(f"/proc/{pid}/exe")).name
    except OSError:
        return ""


# ----------------------------------------------------------------------------- ports


def port_open(port: int, host: str = LOCALHOST, timeout: float = 0.5) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((host, port))
        except OSError:
            return False
        return True


def port_bindable(port: int, host: str = LOCALHOST) -> bool:
    """False when something (anything) is already bound to host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
        return True


def wait_for_port(port: int, *, pid: int, timeout: float, name: str, log_file: Path) -> None:
    """Poll 127.0.0.1:port every 0.2 s until it accepts; fail fast (with the log tail) if ``pid`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        code = exited(pid)
        if code is not None:
            raise DeployError(
                f"{name} (pid {pid}) exited with code {code} before {LOCALHOST}:{port} opened.\n"
                + tail_section(log_file)
            )
        time.sleep(0.2)
    raise DeployError(
        f"{name} (pid {pid}) did not open {LOCALHOST}:{port} within {timeout:.0f}s.\n"
        + tail_section(log_file)
    )


# ----------------------------------------------------------------------------- users and folders


def is_root() -> bool:
    return os.geteuid() == 0


def traversable_by(user: str, path: Path) -> bool:
    """Can ``user`` reach (search every ancestor of) ``path`` and write in it? Checked as that user."""
    if not is_root():
        return os.access(path, os.W_OK | os.X_OK)
    result = subprocess.run(
        ["runuser", "-u", user, "--", "test", "-w", str(path), "-a", "-x", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def give_to(user: str, path: Path) -> None:
    """Make ``user`` the owner of ``path`` when running as root (a no-op otherwise)."""
    if is_root():
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def owned_dir(path: Path, user: str, mode: int = 0o700) -> Path:
    """Create ``path`` (as root: owned by ``user`` with ``mode``)."""
    path.mkdir(parents=True, exist_ok=True)
    if is_root():
        give_to(user, path)
        os.chmod(path, mode)
    return path


def private_dir_for(user: str, preferred: Path, kind: str) -> Path:
    """``preferred`` (created owned by ``user``) when ``user`` can reach it; otherwise a folder under
    /var/tmp owned by that user, named after a hash of the preferred path so it stays stable."""
    owned_dir(preferred, user)
    if traversable_by(user, preferred):
        return preferred
    digest = hashlib.sha256(str(preferred).encode()).hexdigest()[:10]
    fallback = Path("/var/tmp") / f"jifen-{kind}-{digest}"
    owned_dir(fallback, user)
    # Leave a pointer so people looking in .run/ find the data.
    with contextlib.suppress(OSError):
        (preferred / "LOCATION").write_text(f"{fallback}\n")
    return fallback


def as_user(user: str, argv: Sequence[str]) -> list[str]:
    """Prefix ``argv`` with ``runuser -u user --`` when running as root."""
    return ["runuser", "-u", user, "--", *argv] if is_root() else list(argv)


# ----------------------------------------------------------------------------- command lines


def cli_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """The scripts' argument parser: ``prog`` and the module docstring (newlines kept) as help."""
    return argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def run_cli(component: str, command: Callable[[], object]) -> int:
    """Run a script's command: exit code 0, or 1 with a :class:`DeployError` logged (no traceback)."""
    try:
        command()
    except DeployError as exc:
        log(component, f"ERROR: {exc}")
        return 1
    return 0


def log_ready(component: str, where: str, started: bool) -> None:
    log(component, f"ready: {where}" + (" (started)" if started else " (already running)"))


def running_text(pid: int | None) -> str:
    return f"running, pid {pid}" if pid else "stopped"
