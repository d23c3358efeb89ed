"""The checked-in OpenAPI documents (``docs/openapi/``) are what the services serve."""

from __future__ import annotations

from tools.api_docs import openapi_documents


def test_committed_openapi_documents_match_every_services_routes() -> None:
    for path, text in openapi_documents().items():
        assert path.exists(), f"{path} missing: run .venv/bin/python -m tools.api_docs"
        drifted = f"{path} drifted: run .venv/bin/python -m tools.api_docs"
        assert path.read_text(encoding="utf-8") == text, drifted
