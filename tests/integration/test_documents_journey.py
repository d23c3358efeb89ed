"""An application submitted, resubmitted and approved yields its form (two versions) and its notice as
PDFs, on real Kafka and PostgreSQL: the documents worker consumes what the applications relay would
publish (the test ``Bus``), renders, stores, publishes ``DocumentRendered``, and the web app serves the
files to the applicant, their unit and the district's clerks only, and confirms the notice publicly."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from shared.contracts.documents import DOCUMENTS_TOPIC, DocumentRendered
from shared.kernel.roles import Duty, Role
from shared.platform.integration import Sealing
from shared.platform.kit import keyring_of
from tests.support import documents as fixtures
from tests.support.pdf import compact, page_images, pages_text, qr_codes
from tests.support.world import Bus, Running, token_issuer

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]

Client = AsyncTestClient[Litestar]


async def eventually(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 30.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def rendered(bus: Bus, application_id: str, expect: int) -> list[DocumentRendered]:
    envelopes = await bus.read(DOCUMENTS_TOPIC, expect=expect, timeout=60)
    found = [DocumentRendered.model_validate(e.data) for e in envelopes]
    return [event for event in found if event.application_id == application_id]


async def test_submitted_and_approved_application_yields_both_pdfs_for_the_right_people_only(
    infra: Any,
) -> None:
    application_id = str(uuid.uuid4())
    issuer = token_issuer(infra)

    def bearer(
        role: Role, account: str, *, unit: str | None = None, district: str | None = None
    ) -> dict[str, str]:
        duties = [Duty.ACCEPTANCE] if role is Role.CLERK else []
        token = issuer.issue(account_id=account, role=role, unit_id=unit, district=district, duties=duties)
        return {"Authorization": f"Bearer {token.token}"}

    applicant = bearer(Role.APPLICANT, fixtures.APPLICANT_ID, unit=fixtures.UNIT_ID)
    unit = bearer(Role.UNIT, "unit-account", unit=fixtures.UNIT_ID)
    clerk = bearer(Role.CLERK, "clerk-1", district=fixtures.DISTRICT)
    outsiders = {
        "another unit": bearer(Role.UNIT, "other-unit-account", unit="another-unit"),
        "another district's clerk": bearer(Role.CLERK, "clerk-2", district="310104"),
        "a colleague": bearer(Role.APPLICANT, "another-applicant", unit=fixtures.UNIT_ID),
    }

    async with Bus(infra) as bus, Running(infra, bus, "documents") as documents:
        sealing = Sealing(keyring_of(documents.settings))
        first = fixtures.submitted(sealing, application_id=application_id)
        await bus.publish(first, subject=application_id)
        second = fixtures.submitted(
            sealing, application_id=application_id, submission=2, form=fixtures.full_form(resume_entries=10)
        )
        await bus.publish(second, subject=application_id, aggregate_version=2)
        await bus.publish(fixtures.approved(second), subject=application_id, aggregate_version=3)

        events = await rendered(bus, application_id, expect=3)
        documents.assert_running()
        by_kind = {(e.kind, e.version): e for e in events}
        assert sorted(by_kind) == [("application_form", 1), ("application_form", 2), ("points_notice", 1)]
        notice = by_kind[("points_notice", 1)]
        assert notice.verification_code is not None

        async with documents.client() as client:
            form_url = f"/documents/applications/{application_id}/form"
            latest = await eventually(lambda: _ok(client, form_url, applicant), "the form to be downloadable")
            assert hashlib.sha256(latest.content).hexdigest() == by_kind[("application_form", 2)].sha256
            disposition = latest.headers["content-disposition"]
            assert f'filename="application-form_{first.application_number}_v2.pdf"' in disposition
            assert (
                "filename*=UTF-8''" + quote(f"积分申请表_{first.application_number}_第2版.pdf") in disposition
            )
            assert latest.headers["content-type"] == "application/pdf"

            version_one = by_kind[("application_form", 1)]
            for headers in (applicant, unit, clerk):
                for url, event in (
                    (f"/documents/files/{version_one.document_id}", version_one),
                    (f"/api/documents/files/{notice.document_id}", notice),
                    (f"/api/documents/applications/{application_id}/notice", notice),
                ):
                    response = await eventually(partial(_ok, client, url, headers), url)
                    assert hashlib.sha256(response.content).hexdigest() == event.sha256
            for who, headers in outsiders.items():
                for url in (
                    form_url,
                    f"/documents/files/{notice.document_id}",
                    f"/api/documents/applications/{application_id}/documents",
                    f"/api/documents/files/{version_one.document_id}",
                ):
                    response = await client.get(url, headers=headers)
                    assert response.status_code == 404, (who, url)
            assert (await client.get(form_url)).status_code == 401
            # a browser opening it without a session: the sign-in page that lets the user choose
            browser = await client.get(form_url, headers={"Accept": "text/html"}, follow_redirects=False)
            assert browser.status_code == 303
            assert browser.headers["location"] == f"/accounts/login?next={form_url}"

            listing = await client.get(
                f"/api/documents/applications/{application_id}/documents", headers=unit
            )
            assert [(d["kind"], d["version"]) for d in listing.json()] == [
                ("application_form", 2),
                ("application_form", 1),
                ("points_notice", 1),
            ]

            notice_pdf = (
                await client.get(f"/documents/files/{notice.document_id}", headers=applicant)
            ).content
            assert compact(notice.verification_code) in compact(pages_text(notice_pdf)[0])
            [qr] = qr_codes(page_images(notice_pdf)[0])
            assert qr.endswith(f"/documents/verify/{notice.verification_code}")

            verified = await client.get(f"/api/documents/verify/{notice.verification_code.lower()}")
            assert verified.status_code == 200
            assert verified.json() | {"issued_on": None} == {
                "genuine": True,
                "holder_name_masked": "张*",
                "verified_total": second.declared_total,
                "pass_mark": 120,
                "reaches_pass_mark": True,
                "issued_on": None,
                "district": fixtures.DISTRICT,
                "district_name": "浦东新区",
                "version": 1,
                "superseded": False,
            }
            assert verified.json()["issued_on"] == "2026-04-20"
            page = await client.get(f"/documents/verify/{notice.verification_code}")
            assert page.status_code == 200
            for expected in (
                "该积分通知书真实有效",
                "张*",
                "浦东新区",
                "2026-04-20",
                str(second.declared_total),
            ):
                assert expected in page.text
            assert "张伟" not in page.text

            unknown = "0000-0000-0000-0000"
            assert (await client.get(f"/api/documents/verify/{unknown}")).status_code == 404
            not_found = await client.get(f"/documents/verify/{unknown}")
            assert not_found.status_code == 404 and "没有找到这份积分通知书" in not_found.text
            malformed = await client.get("/api/documents/verify/abc")
            assert malformed.status_code == 422
            assert [(e["field"], e["code"]) for e in malformed.json()["errors"]] == [
                ("code", "documents.code_malformed")
            ]


async def _ok(client: Client, url: str, headers: dict[str, str]) -> Any:
    response = await client.get(url, headers=headers)
    return response if response.status_code == 200 else None
