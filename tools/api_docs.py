"""Write the checked-in API documents: every service's OpenAPI and the AsyncAPI of every topic.

    python -m tools.api_docs

writes ``docs/openapi/<service>.json`` (from each service's app, built from its definition) and
``docs/asyncapi.json`` with ``docs/schemas/*.json`` (``shared.contracts.asyncapi``). Contract tests
fail when the committed files drift from the code; run this after changing a route or a contract.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path

from shared.contracts import asyncapi
from shared.contracts.topics import SERVICES
from shared.platform.auth import TokenVerifier
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def openapi_documents() -> dict[Path, str]:
    """Each service's OpenAPI document, by path, as committed text."""
    documents: dict[Path, str] = {}
    with tempfile.TemporaryDirectory() as run_dir:
        for service in SERVICES:
            create_app = importlib.import_module(f"services.{service}.app").create_app
            app = create_app(
                Settings(service=service, run_dir=Path(run_dir)),
                persistence=MEMORY,
                token_verifier=TokenVerifier(None),
                csrf_secret="docs" * 8,
                open_db_pool=False,
                readiness_checks={},
            )
            schema = app.openapi_schema.to_schema()
            documents[DOCS / "openapi" / f"{service}.json"] = (
                json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            )
    return documents


def render() -> dict[Path, str]:
    """Every generated document, by path."""
    return {**asyncapi.render(), **openapi_documents()}


def main() -> int:
    for path, text in render().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(DOCS.parent), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
