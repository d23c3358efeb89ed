"""``python -m services.documents [web|worker|all|rebuild ...]`` (default all)."""

from __future__ import annotations

from services.documents.app import SERVICE
from shared.platform.kit import main

if __name__ == "__main__":
    raise SystemExit(main(SERVICE))
