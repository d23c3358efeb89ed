"""``python -m services.review [web|worker|all]`` (default all)."""

from __future__ import annotations

from services.review.app import create_app
from services.review.worker import run_worker
from shared.platform.runner import main

if __name__ == "__main__":
    raise SystemExit(main("review", create_app, run_worker))
