"""The JSON API's credential and code forms: an empty field is named as required at that field (a
400 problem), never answered as a failed sign-in or a wrong code, and what was not empty is not
blamed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

pytestmark = pytest.mark.anyio


def required_fields(response: Any) -> set[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["type"] == "urn:jifen:problem:validation-error"
    assert all(error["message"] == "此项为必填项" for error in body["errors"]), body
    return {error["field"] for error in body["errors"] if error["code"] == "required"}


@pytest.mark.parametrize(
    ("path", "body", "empty"),
    [
        ("/login", {"role": "unit", "login": "", "password": ""}, {"login", "password"}),
        ("/login", {"role": "clerk", "login": "pd-accept", "password": ""}, {"password"}),
        ("/activate", {"id_number": "", "code": "", "password": "x"}, {"id_number", "code"}),
        ("/reset", {"role": "applicant", "login": "x", "code": "", "password": ""}, {"code", "password"}),
        ("/token", {"refresh_token": ""}, {"refresh_token"}),
    ],
)
async def test_an_empty_credential_or_code_is_required_at_its_field_not_a_failed_sign_in(
    client: AsyncTestClient[Litestar], path: str, body: dict[str, str], empty: set[str]
) -> None:
    assert required_fields(await client.post(f"/api/accounts{path}", json=body)) == empty
