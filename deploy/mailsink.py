"""The local mail sink: an SMTP server (aiosmtpd) that keeps every message it receives as a file.

    python -m deploy.mailsink [--host H] [--port N] [--dir DIR]  # default JIFEN_SMTP_HOST/PORT, .run/mail

Nothing is relayed anywhere. The accounts service sends its mails here when the stack runs locally;
``/accounts/dev/mail`` and the tests read the folder (``shared.platform.mail.read_mailbox``). The
stack starts and stops it (``deploy/stack.py``, component ``mail``); ``start``/``stop``/``running_pid``
are its hooks.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from deploy.common import (
    LOCALHOST,
    REPO_ROOT,
    environment,
    live_pid,
    log,
    run_dir,
    spawn,
    stop_recorded,
    venv_python,
)

MODULE = "deploy.mailsink"


def mail_dir() -> Path:
    return environment().mail_sink_dir or run_dir() / "mail"


def _pid_file() -> Path:
    return run_dir() / "mail" / "mailsink.pid"


def _marker() -> str:
    return f"{venv_python()} -m {MODULE}"


def running_pid() -> int | None:
    return live_pid(_pid_file(), _marker())


def start() -> bool:
    """Start the sink unless it runs; True when this call started it."""
    if running_pid() is not None:
        return False
    spawn(
        [str(venv_python()), "-m", MODULE, "--port", str(environment().smtp_port), "--dir", str(mail_dir())],
        log_file=run_dir() / "logs" / "mailsink.log",
        cwd=REPO_ROOT,
        banner="starting the mail sink",
        pid_file=_pid_file(),
    )
    return True


def stop() -> bool:
    return stop_recorded(_pid_file(), _marker(), name="mail", what="mail sink", timeout=10)


def where() -> str:
    return f"smtp://{LOCALHOST}:{environment().smtp_port}, messages in {mail_dir()}"


def serve(host: str, port: int, folder: Path, stop_event: threading.Event) -> None:
    from aiosmtpd.controller import Controller

    from shared.platform.mail import MailboxHandler

    controller = Controller(MailboxHandler(folder), hostname=host, port=port)
    controller.start()
    log("mail", f"mail sink on smtp://{host}:{port}, storing into {folder}")
    try:
        stop_event.wait()
    finally:
        controller.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__)
    parser.add_argument("--host", default=environment().smtp_host)
    parser.add_argument("--port", type=int, default=environment().smtp_port)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    stop_event = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop_event.set())
    serve(args.host, args.port, args.dir or mail_dir(), stop_event)
    return 0


if __name__ == "__main__":
    sys.exit(main())
