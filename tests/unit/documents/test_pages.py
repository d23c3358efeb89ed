"""The verification form and the OpenAPI of the documents service, without servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.documents.app import create_app
from shared.platform.auth import TokenVerifier
from shared.platform.kit import MEMORY
from shared.platform.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(
        Settings.from_env("documents", {}),
        persistence=MEMORY,
        open_db_pool=False,
        token_verifier=TokenVerifier(None),
        csrf_secret="c" * 32,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_a_typed_code_goes_to_its_result_page_written_as_printed(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get(
        "/documents/verify", params={"code": " 7k2m q9xd 4tnb h8vr"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/documents/verify/7K2M-Q9XD-4TNB-H8VR"


@pytest.mark.parametrize(
    ("lang", "message"), [("zh-CN", "核验码格式不正确"), ("en", "That is not a verification code")]
)
async def test_something_that_cannot_be_a_code_is_shown_at_the_field_and_in_the_summary_with_what_was_typed(
    client: AsyncTestClient[Litestar], lang: str, message: str
) -> None:
    response = await client.get("/documents/verify", params={"code": "12<b>34", "lang": lang})
    assert response.status_code == 422
    assert response.text.count(message) == 2  # the error summary and the field
    assert 'value="12&lt;b&gt;34"' in response.text
    assert 'href="#code"' in response.text


async def test_a_result_address_that_cannot_hold_a_code_shows_the_form_saying_so(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/documents/verify/abc", params={"lang": "en"})
    assert response.status_code == 422  # not "no such notice": nothing was looked up
    assert response.text.count("That is not a verification code") == 2 and 'value="abc"' in response.text


async def test_the_verification_form_and_landing_page_need_no_sign_in(
    client: AsyncTestClient[Litestar],
) -> None:
    for path in ("/documents/", "/documents/verify"):
        response = await client.get(path)
        assert response.status_code == 200
        assert 'action="/documents/verify"' in response.text


async def test_downloads_need_a_sign_in(client: AsyncTestClient[Litestar]) -> None:
    for path in (
        "/documents/applications/a1/form",
        "/api/documents/files/6f1c0b3a-0000-4000-8000-000000000001",
    ):
        assert (await client.get(path)).status_code == 401


async def test_every_json_operation_is_named_and_the_verification_is_public(
    client: AsyncTestClient[Litestar],
) -> None:
    schema = (await client.get("/api/documents/schema/openapi.json")).json()
    operations = {
        operation["operationId"]: operation
        for path, methods in schema["paths"].items()
        if path.startswith("/api/documents/")
        for operation in methods.values()
    }
    assert {
        "VerifyNotice",
        "ListApplicationDocuments",
        "DownloadLatestForm",
        "DownloadLatestNotice",
        "DownloadDocument",
    } <= set(operations)
    assert operations["VerifyNotice"]["security"] == [{}]
