"""Every service serves the AsyncAPI document and a developers' page that browses it without JavaScript,
and each service's OpenAPI document gets a Swagger UI page made of the app's own files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from shared.contracts.asyncapi import build_asyncapi
from shared.platform.auth import TokenVerifier
from shared.platform.settings import Settings
from shared.platform.web import create_service_app

pytestmark = pytest.mark.anyio


def an_app(tmp_path: Path) -> Litestar:
    return create_service_app(
        Settings(service="review", run_dir=tmp_path),
        route_handlers=[],
        token_verifier=TokenVerifier(None),
        csrf_secret="d" * 32,
        open_db_pool=False,
        readiness_checks={},
    )


async def test_the_asyncapi_document_is_served_and_browsable_in_both_languages(tmp_path: Path) -> None:
    async with AsyncTestClient(app=an_app(tmp_path)) as client:
        document = await client.get("/api/review/asyncapi.json")
        zh = await client.get("/review/developers")
        en = await client.get("/review/developers?lang=en")
    assert document.status_code == 200 and document.json() == build_asyncapi()
    assert zh.status_code == 200 and "开发者文档" in zh.text and "For developers" in en.text
    for topic in ("jifen.applications.status.v1", "jifen.review.events.v1", "jifen.accounts.events.v1"):
        assert topic in zh.text
    assert "jifen.applications.ApplicationStatusChanged.v1" in zh.text
    assert "<code>applicant_id_masked</code>" in zh.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", zh.text), "no inline script"
    for service in ("accounts", "applications", "review", "documents"):
        assert f'href="/api/{service}/schema/"' in zh.text


async def test_the_swagger_page_loads_only_the_apps_own_files(tmp_path: Path) -> None:
    async with AsyncTestClient(app=an_app(tmp_path)) as client:
        page = await client.get("/api/review/schema/")
        script = await client.get("/review/static/vendor/swagger-ui/swagger-ui-bundle.js")
        spec = await client.get("/api/review/schema/openapi.json")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-spec-url="/api/review/schema/openapi.json"' in page.text
    assert re.findall(r'src="([^"]+)"', page.text) == [
        "/review/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/review/static/js/openapi.js",
    ]
    assert script.status_code == 200 and spec.json()["openapi"].startswith("3.1")
