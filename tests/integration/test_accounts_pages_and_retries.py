"""Accounts' pages and API under bad input and retries, on real PostgreSQL and Kafka: a form post
without a valid CSRF token is refused with a page; a refused form keeps what was typed; a retried
POST with the same ``Idempotency-Key`` gets the first answer and creates one thing (another body with
the key is refused); sign-in failures are throttled with a 429 and ``Retry-After`` that say nothing
about whether the account exists."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from services.accounts.signin import ACCOUNT_LIMIT
from shared.contracts.accounts import ACCOUNTS_TOPIC
from shared.platform.web import CSRF_COOKIE
from tests.integration.test_accounts_units_and_applicants import registered_unit
from tests.support.accounts import (
    PASSWORD,
    accounts_world,
    bearer,
    eventually,
    new_credit_code,
    new_id_number,
    unit_form,
)

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]

HTML = {"Accept": "text/html"}


def value_of(html: str, field: str) -> str | None:
    """The ``value`` of the input named ``field`` as the page sends it back (None: no value)."""
    found = re.search(rf'<input[^>]*\bname="{field}"[^>]*>', html)
    assert found, f"no input {field}"
    value = re.search(r'\bvalue="([^"]*)"', found.group(0))
    return value.group(1) if value else None


async def test_a_form_post_without_a_valid_csrf_token_is_refused_with_a_page(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        code = new_credit_code()
        form = unit_form(code, password_confirm=PASSWORD)
        assert (await client.get("/accounts/register")).status_code == 200
        missing = await client.post("/accounts/register", data=form, headers=HTML)
        forged = await client.post("/accounts/register", data={**form, "_csrf_token": "f" * 64}, headers=HTML)
        english = await client.post(
            "/accounts/login/unit",
            data={"login": code, "password": PASSWORD},
            headers={**HTML, "Accept-Language": "en"},
        )
        for refused in (missing, forged, english):
            assert refused.status_code == 403, refused.text
            assert refused.headers["content-type"].startswith("text/html")
            assert "<h1" in refused.text and "Traceback" not in refused.text
        assert "表单已失效" in missing.text and "刷新后重新提交" in missing.text
        assert "表单已失效" in forged.text
        assert 'lang="en"' in english.text
        # nothing was registered: with the token the same form is accepted
        done = await client.post(
            "/accounts/register",
            data={**form, "_csrf_token": client.cookies[CSRF_COOKIE]},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == "/accounts/unit?registered=1"


async def test_a_refused_registration_keeps_what_was_typed_and_names_each_field(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        client = world.client
        await client.get("/accounts/register")
        form = unit_form(
            new_credit_code(),
            mobile="1380013800",
            email="hr.example.com",
            unit_name="上海<测试>&科技",
            password_confirm=PASSWORD,
        )
        refused = await client.post(
            "/accounts/register", data={**form, "_csrf_token": client.cookies[CSRF_COOKIE]}
        )
        assert refused.status_code == 422
        html = refused.text
        for field in ("credit_code", "address", "hr_name", "mobile", "email"):
            assert value_of(html, field) == form[field], field
        assert value_of(html, "unit_name") == "上海&lt;测试&gt;&amp;科技"  # kept, escaped
        assert f'<option value="{form["district"]}" selected' in html
        assert value_of(html, "password") is None and PASSWORD not in html  # never sent back
        summary = html[html.index("jf-error-summary") : html.index("</form>")]
        assert summary.index('href="#mobile"') < summary.index('href="#email"')  # the form's order
        for field in ("mobile", "email"):
            assert f'id="{field}-error"' in html
            assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html), field
        assert 'id="credit_code-error"' not in html


async def test_a_retried_registration_with_the_same_idempotency_key_registers_one_unit(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        bus, client = world.bus, world.client
        code = new_credit_code()
        form = unit_form(code)
        key = {"Idempotency-Key": f"register-{uuid.uuid4().hex}"}
        first = await client.post("/api/accounts/units", json=form, headers=key)
        again = await client.post("/api/accounts/units", json=form, headers=key)
        assert first.status_code == again.status_code == 201, first.text
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        other = await client.post(
            "/api/accounts/units", json={**form, "unit_name": "另一家公司"}, headers=key
        )
        assert other.status_code == 422
        assert other.json()["type"] == "urn:jifen:problem:idempotency-key-reused"
        without = await client.post("/api/accounts/units", json=form)
        assert [e["code"] for e in without.json()["errors"]] == ["credit_code.already_registered"]
        found = await bus.read(ACCOUNTS_TOPIC, expect=2, subject=first.json()["id"], timeout=5)
        assert [e.type for e in found] == ["jifen.accounts.UnitRegistered.v1"]


async def test_a_retried_applicant_creation_with_the_same_idempotency_key_creates_one_account(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        bus, sink, client = world.bus, world.sink, world.client
        _, _, token = await registered_unit(client, bus)
        person = {
            "name": "赵六",
            "id_number": new_id_number("19910202"),
            "mobile": "13700137002",
            "email": f"zl-{uuid.uuid4().hex[:6]}@example.com",
        }
        headers = {**bearer(token), "Idempotency-Key": f"applicant-{uuid.uuid4().hex}"}
        first = await client.post("/api/accounts/applicants", json=person, headers=headers)
        again = await client.post("/api/accounts/applicants", json=person, headers=headers)
        assert first.status_code == again.status_code == 201, first.text
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        changed = await client.post(
            "/api/accounts/applicants", json={**person, "name": "赵七"}, headers=headers
        )
        assert changed.status_code == 422
        assert changed.json()["type"] == "urn:jifen:problem:idempotency-key-reused"

        async def listed() -> Any:
            found = (await client.get("/api/accounts/applicants", headers=bearer(token))).json()
            return found["items"] or None

        assert [i["applicant_id"] for i in await eventually(listed, "the list")] == [first.json()["id"]]
        assert len(await sink.wait_for(person["email"])) == 1
        found = await bus.read(ACCOUNTS_TOPIC, expect=2, subject=first.json()["id"], timeout=5)
        assert [e.type for e in found] == ["jifen.accounts.ApplicantRegistered.v1"]


def without_request_id(answer: Any) -> dict[str, Any]:
    body: dict[str, Any] = answer.json()
    return {k: v for k, v in body.items() if k not in ("request_id", "instance")}


async def test_sign_in_failures_are_throttled_alike_for_a_known_and_an_unknown_account(
    infra: Any, tmp_path: Path
) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        bus, client = world.bus, world.client
        _, known, _ = await registered_unit(client, bus, approve=False)
        unknown = new_credit_code()
        answers: dict[str, list[Any]] = {}
        for login in (known, unknown):
            answers[login] = [
                await client.post(
                    "/api/accounts/login",
                    json={"role": "unit", "login": login, "password": "Wrong-Password-1!"},
                )
                for _ in range(ACCOUNT_LIMIT.failures)
            ]
        for login, found in answers.items():
            assert [a.status_code for a in found] == [401] * (ACCOUNT_LIMIT.failures - 1) + [429], login
            throttled = found[-1]
            assert throttled.json()["type"] == "urn:jifen:problem:sign-in-throttled"
            retry = int(throttled.headers["retry-after"])
            assert 0 < retry <= ACCOUNT_LIMIT.lock.total_seconds()
        known_answers, unknown_answers = answers[known], answers[unknown]
        assert without_request_id(known_answers[0]) == without_request_id(unknown_answers[0])
        assert without_request_id(known_answers[-1]) == without_request_id(unknown_answers[-1])

        # locked: even the right password is refused until then, with the same answer
        right = await client.post(
            "/api/accounts/login", json={"role": "unit", "login": known, "password": PASSWORD}
        )
        assert right.status_code == 429 and "retry-after" in right.headers
        assert "access_token" not in right.text

        # the sign-in page says the same, as a page, keeping the login typed
        await client.get("/accounts/login/unit")
        page = await client.post(
            "/accounts/login/unit",
            data={"login": known, "password": PASSWORD, "_csrf_token": client.cookies[CSRF_COOKIE]},
            headers=HTML,
        )
        assert page.status_code == 429
        assert page.headers["content-type"].startswith("text/html")
        assert "retry-after" in page.headers
        assert "尝试次数过多" in page.text and "请于北京时间" in page.text and "以后再试" in page.text
        assert value_of(page.text, "login") == known and value_of(page.text, "password") is None
