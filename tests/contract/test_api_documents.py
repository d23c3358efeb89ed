"""The checked-in OpenAPI documents (``docs/openapi/``) are what the services serve."""

from __future__ import annotations

import json

from tools.api_docs import openapi_documents


def test_committed_openapi_documents_match_every_services_routes() -> None:
    for path, text in openapi_documents().items():
        assert path.exists(), f"{path} missing: run .venv/bin/python -m tools.api_docs"
        drifted = f"{path} drifted: run .venv/bin/python -m tools.api_docs"
        assert path.read_text(encoding="utf-8") == text, drifted


REFUSING_NOTHING = {"SignOut", "SignOutEverywhere", "SearchCases", "SearchPasswordResets"}
"""Commands with no refusal beyond a malformed body (a search is a POST only to keep an ID number out
of the address)."""


def test_every_command_documents_the_problems_it_refuses_with() -> None:
    undocumented = []
    for text in openapi_documents().values():
        for path, operations in json.loads(text)["paths"].items():
            for method, operation in operations.items():
                if method not in ("post", "put", "delete") or operation["operationId"] in REFUSING_NOTHING:
                    continue
                refusals = {int(code) for code in operation["responses"] if code != "400"} & {
                    401, 403, 404, 409, 422
                }
                problems = [
                    operation["responses"][str(code)]["content"] for code in refusals
                ]
                if not refusals or any("application/problem+json" not in c for c in problems):
                    undocumented.append(f"{method.upper()} {path} ({operation['operationId']})")
    assert undocumented == []
