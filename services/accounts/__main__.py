"""``python -m services.accounts [web|worker|all]`` (default all)."""

from __future__ import annotations

from services.accounts.app import create_app
from services.accounts.worker import run_worker
from shared.platform.runner import main

if __name__ == "__main__":
    raise SystemExit(main("accounts", create_app, run_worker))
