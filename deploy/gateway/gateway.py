"""The nginx gateway on 127.0.0.1:8080, run as a plain child process with its own prefix.

    python -m deploy.gateway ensure    # render .run/nginx/nginx.conf, check it, start (or reuse) nginx
    python -m deploy.gateway stop
    python -m deploy.gateway render [--output FILE]   # only render the template (for inspection)

Everything nginx writes lives under ``.run/nginx/`` (``nginx.pid``, ``logs/``, temp folders). When
running as root nginx's workers drop to ``nobody``; if that user cannot reach the repository's
``.run`` folder, the temp folders go to a /var/tmp folder it owns.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deploy.common import (
    LOCALHOST,
    DeployError,
    cli_parser,
    file_lock,
    gateway_port,
    kill_leftovers,
    live_pid,
    log,
    log_ready,
    port_bindable,
    private_dir_for,
    process_cmdline,
    read_pid,
    run_cli,
    run_dir,
    running_text,
    service_port,
    spawn,
    stop_recorded,
    wait_for_port,
)
from shared.contracts.topics import SERVICES

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
WORKER_USER = "nobody"
_PLACEHOLDER = re.compile(r"\$\{(JIFEN_[A-Z0-9_]+)\}")


@dataclass(frozen=True)
class GatewayPaths:
    base: Path
    conf: Path
    pid_file: Path
    logs: Path

    @classmethod
    def default(cls) -> GatewayPaths:
        base = run_dir() / "nginx"
        return cls(base=base, conf=base / "nginx.conf", pid_file=base / "nginx.pid", logs=base / "logs")


def gateway_url() -> str:
    return f"http://{LOCALHOST}:{gateway_port()}/"


def template_values(paths: GatewayPaths, temp_dir: Path) -> dict[str, str]:
    values = {
        "JIFEN_GATEWAY_LISTEN": f"{LOCALHOST}:{gateway_port()}",
        "JIFEN_GATEWAY_RUN_DIR": str(paths.base),
        "JIFEN_GATEWAY_TEMP_DIR": str(temp_dir),
        "JIFEN_GATEWAY_LOGIN_RATE": os.environ.get("JIFEN_GATEWAY_LOGIN_RATE", "30r/m"),
        "JIFEN_GATEWAY_LOGIN_BURST": os.environ.get("JIFEN_GATEWAY_LOGIN_BURST", "20"),
        "JIFEN_GATEWAY_RESET_RATE": os.environ.get("JIFEN_GATEWAY_RESET_RATE", "10r/m"),
        "JIFEN_GATEWAY_RESET_BURST": os.environ.get("JIFEN_GATEWAY_RESET_BURST", "10"),
    }
    for service in SERVICES:
        values[f"JIFEN_{service.upper()}_UPSTREAM"] = f"{LOCALHOST}:{service_port(service)}"
    return values


def render(values: Mapping[str, str], template: Path = TEMPLATE) -> str:
    """Fill ``${JIFEN_*}`` placeholders; an unknown placeholder is an error (nginx $vars untouched)."""
    text = template.read_text()
    missing = sorted({m for m in _PLACEHOLDER.findall(text) if m not in values})
    if missing:
        raise DeployError(f"nginx template placeholders without a value: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise DeployError("nginx not installed (run deploy/setup.sh)")
    return found


def _nginx_argv(paths: GatewayPaths) -> list[str]:
    # -e: the error log before the config is read (else nginx opens its compiled-in /var/log path)
    return [nginx_binary(), "-p", str(paths.base), "-c", str(paths.conf), "-e", str(paths.logs / "error.log")]


def prepare(paths: GatewayPaths | None = None) -> GatewayPaths:
    """Render the config and create the folders; validate with ``nginx -t``."""
    paths = paths or GatewayPaths.default()
    paths.logs.mkdir(parents=True, exist_ok=True)
    temp_root = private_dir_for(WORKER_USER, paths.base / "tmp", "nginx")
    paths.conf.write_text(render(template_values(paths, temp_root)))
    result = subprocess.run([*_nginx_argv(paths), "-t", "-q"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DeployError(f"nginx -t failed for {paths.conf}:\n{(result.stdout + result.stderr).strip()}")
    return paths


def running_pid(paths: GatewayPaths | None = None) -> int | None:
    paths = paths or GatewayPaths.default()
    return live_pid(paths.pid_file, str(paths.conf))


def _clear_stale(paths: GatewayPaths) -> None:
    """The master is gone (e.g. SIGKILLed) but its pid file is left: its workers do not notice and keep
    serving on the port, so kill them (they share the master's process group, see common.spawn)."""
    stale = read_pid(paths.pid_file)
    if stale is None:
        return
    if process_cmdline(stale) is None:  # the master is dead (or an unreaped zombie): its group is ours
        kill_leftovers(stale, "nginx:", name="gateway")
    paths.pid_file.unlink(missing_ok=True)


@dataclass(frozen=True)
class GatewayState:
    url: str
    started: bool


def ensure() -> GatewayState:
    with file_lock("gateway"):
        paths = GatewayPaths.default()
        pid = running_pid(paths)
        if pid is not None:
            return GatewayState(url=gateway_url(), started=False)
        _clear_stale(paths)
        if not port_bindable(gateway_port()):
            raise DeployError(
                f"port {LOCALHOST}:{gateway_port()} is in use by something other than this project's "
                f"gateway (no live pid in {paths.pid_file}); stop it or set JIFEN_GATEWAY_PORT"
            )
        prepare(paths)
        log_file = paths.logs / "nginx.out"
        proc = spawn(_nginx_argv(paths), log_file=log_file, cwd=paths.base)
        wait_for_port(
            gateway_port(), pid=proc.pid, timeout=15, name="nginx", log_file=paths.logs / "error.log"
        )
        log("gateway", f"nginx pid {proc.pid} listening on {gateway_url()}")
        return GatewayState(url=gateway_url(), started=True)


def stop() -> bool:
    with file_lock("gateway"):
        paths = GatewayPaths.default()
        if running_pid(paths) is None:
            _clear_stale(paths)
            return False
        return stop_recorded(paths.pid_file, str(paths.conf), name="gateway", what="nginx", timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser("python -m deploy.gateway", __doc__)
    parser.add_argument("command", choices=["ensure", "stop", "render", "status"])
    parser.add_argument("--output", type=Path, help="for `render`: write here instead of stdout")
    args = parser.parse_args(argv)

    def command() -> None:
        if args.command == "ensure":
            state = ensure()
            log_ready("gateway", state.url, state.started)
        elif args.command == "stop":
            if not stop():
                log("gateway", "nginx not running")
        elif args.command == "render":
            paths = GatewayPaths.default()
            text = render(template_values(paths, paths.base / "tmp"))
            if args.output:
                args.output.write_text(text)
            else:
                sys.stdout.write(text)
        elif args.command == "status":
            print(f"gateway: {running_text(running_pid())} ({gateway_url()})")

    return run_cli("gateway", command)


if __name__ == "__main__":
    sys.exit(main())
