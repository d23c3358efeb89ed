"""``python -m services.applications [web|worker|all]`` (default all)."""

from __future__ import annotations

from services.applications.app import create_app
from services.applications.worker import run_worker
from shared.platform.runner import main

if __name__ == "__main__":
    raise SystemExit(main("applications", create_app, run_worker))
