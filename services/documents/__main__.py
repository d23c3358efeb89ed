"""``python -m services.documents [web|worker|all]`` (default all)."""

from __future__ import annotations

from services.documents.app import create_app
from services.documents.worker import run_worker
from shared.platform.runner import main

if __name__ == "__main__":
    raise SystemExit(main("documents", create_app, run_worker))
