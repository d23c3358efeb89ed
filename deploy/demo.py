"""Seed the demo data into a running stack and print how to sign in (``shared/demo.py`` is the cast).

    python -m deploy.demo [--timeout SECONDS]    # the stack must be running (deploy/run.sh does this)

``deploy/run.sh`` calls it once the services are healthy, unless ``--no-demo`` or ``JIFEN_DEMO=0``.
Each service plays its own part with its own ``seed-demo`` command (``python -m services.<name>
seed-demo``, run with that service's own environment, as the service itself is): accounts registers
the units and clerks and, once the demo unit is approved, its applicants; review approves the unit
and decides the applications that reach it; applications files them. The three run side by side,
each waiting for the others' events to reach it through Kafka, so the demo is made of the same
events people would produce. Documents renders the PDFs by itself. Everything is found again by
stable names, so running it twice creates nothing twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from deploy.common import REPO_ROOT, child_env, cli_parser, environment, log, venv_python
from deploy.environment import Contract, without_secrets
from deploy.gateway import gateway
from deploy.mailsink import where as mail_sink
from shared.demo import APPLICANTS, CLERKS, DEMO_PASSWORD, UNITS, Stage
from shared.kernel.districts import district_by_code
from shared.platform.seeding import DEFAULT_TIMEOUT_S

SEEDING_SERVICES = ("accounts", "review", "applications")
"""The services with a part to play (documents only renders what the others' events ask for)."""

STAGE_TEXT = {
    Stage.DRAFT: "填写中 draft",
    Stage.COMPLETED: "已完成, waiting for the unit",
    Stage.SUBMITTED: "等待受理 at the talent centre",
    Stage.ACCEPTED: "受理通过 → 等待审批",
    Stage.APPROVED: "审批通过, 积分通知书 rendered",
}


def seed(contract: Contract, timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """Run every service's ``seed-demo`` side by side; True when all of them finished."""
    started = time.monotonic()
    log("demo", "seeding the demo data (JIFEN_DEMO=0 or deploy/run.sh --no-demo skips this)")
    processes = {
        service: subprocess.Popen(
            [str(venv_python()), "-m", f"services.{service}", "seed-demo", "--timeout", str(timeout)],
            stdin=subprocess.DEVNULL,
            env=child_env({**without_secrets(os.environ), **contract.for_service(service)}),
            cwd=REPO_ROOT,
        )
        for service in SEEDING_SERVICES
    }
    failed: list[str] = []
    try:
        # Watched together: the first to fail stops the others (they would only wait for it in vain).
        while not failed and any(p.poll() is None for p in processes.values()):
            failed = [service for service, p in processes.items() if p.poll() not in (None, 0)]
            time.sleep(0.2)
        failed = failed or [service for service, p in processes.items() if p.returncode != 0]
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                process.wait()
    if failed:
        log("demo", f"WARNING: seeding failed in {', '.join(failed)} (see above); the stack keeps running")
        return False
    log("demo", f"demo data ready in {time.monotonic() - started:.1f}s")
    return True


def sign_ins() -> str:
    """The demo's sign-in table (a demo's passwords are meant to be read)."""
    portal = gateway.gateway_url().rstrip("/")
    lines = [
        f"Demo sign-ins (password {DEMO_PASSWORD} for every account), at {portal}/accounts/login:",
        "  units (统一社会信用代码) — /accounts/login/unit",
    ]
    for unit in UNITS:
        state = "approved" if unit.approved else "awaiting review in its district"
        lines.append(f"    {unit.credit_code}  {unit.name} ({_district(unit.district)}, {state})")
    lines.append("  applicants (身份证号码) — /accounts/login/applicant")
    for person in APPLICANTS:
        lines.append(f"    {person.id_number}  {person.name}: {STAGE_TEXT[person.stage]}")
    lines.append("  clerks (username) — /accounts/login/clerk")
    for clerk in CLERKS:
        duties = "、".join(duty.label.zh for duty in clerk.duties)
        lines.append(f"    {clerk.username:<11} {clerk.name} ({_district(clerk.district)}: {duties})")
    hours = environment().opening_hours
    lines += [
        f"Opening hours: the portal accepts changes {hours} Asia/Shanghai only (JIFEN_OPENING_HOURS);"
        " to try writes at any hour: JIFEN_OPENING_HOURS=00:00-23:59:59 bash deploy/run.sh",
    ]
    return "\n".join(lines)


def _district(code: str) -> str:
    found = district_by_code(code)
    return found.name.zh if found is not None else code


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser("python -m deploy.demo", __doc__)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds to wait per step")
    args = parser.parse_args(argv)
    if not seed(Contract.resolve(), args.timeout):
        return 1
    print(sign_ins(), flush=True)
    print(f"Mail sink: {mail_sink()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
