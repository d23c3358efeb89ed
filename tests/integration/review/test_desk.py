"""Unit registrations, the password desk and the clerk directory on the real PostgreSQL and Kafka.

Accounts is being built next to review: its events (units registered, approved; clerks; reset codes
sent) are published with the test ``Bus``; review's decisions are read back from (the copy of) its
topic as accounts would consume them.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from services.review.domain.units import UnitRegistration
from services.review.service import SealedIdNumber
from shared.contracts.accounts import (
    ClerkDeactivated,
    PasswordResetIssued,
    UnitApproved,
)
from shared.contracts.envelope import Envelope
from shared.contracts.review import (
    REVIEW_TOPIC,
    PasswordResetAuthorised,
    UnitRegistrationApproved,
    UnitRegistrationRejected,
)
from shared.kernel.roles import Duty, Role
from shared.platform.integration import Received
from shared.platform.paging import PAGE_SIZE
from tests.support.identities import credit_code, id_number
from tests.support.review import (
    PUDONG,
    XUHUI,
    clerk_created,
    clerk_headers,
    sealing,
    unit_registered,
)
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]

UNIT_MATERIALS = [
    "introduction_letter",
    "business_licence",
    "credit_code_certificate",
    "social_insurance_registration",
]
UNIT_RESET = ["business_licence", "credit_code_certificate", "reset_request_form", "hr_id"]


async def eventually(check: Any, timeout: float = 30.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.2)


async def register_unit(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient, *, district: str = PUDONG
) -> tuple[str, str]:
    """A unit registered with accounts, as it reaches review's queue: (unit id, credit code)."""
    code = credit_code(int(uuid.uuid4().int % 10**8), district)
    payload = unit_registered(infra, code=code, district=district)
    await world[0].publish(payload, subject=payload.unit_id)
    clerk = clerk_headers(infra, "unit-clerk", district, Duty.UNIT_REGISTRATION)

    async def listed() -> bool:
        response = await client.get("/api/review/units", headers=clerk)
        return code in [u["credit_code"] for u in response.json()["items"]]

    await eventually(listed)
    return payload.unit_id, code


async def review_events(bus: Bus, subject: str, expect: int) -> list[Envelope]:
    return await bus.read(REVIEW_TOPIC, subject=subject, expect=expect)


async def test_a_unit_registration_is_approved_after_every_material_is_ticked(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    unit_id, code = await register_unit(infra, world, client)
    clerk = clerk_headers(infra, "unit-clerk", PUDONG, Duty.UNIT_REGISTRATION)
    incomplete = await client.post(
        f"/api/review/units/{code}/decision",
        json={"decision": "approve", "materials": UNIT_MATERIALS[:2]},
        headers=clerk,
    )
    assert incomplete.status_code == 422
    assert {e["field"] for e in incomplete.json()["errors"]} == {
        "materials.credit_code_certificate",
        "materials.social_insurance_registration",
    }
    approved = await client.post(
        f"/api/review/units/{code}/decision",
        json={"decision": "approve", "materials": UNIT_MATERIALS},
        headers=clerk,
    )
    assert approved.status_code == 200 and approved.json()["state"] == "decided"
    again = await client.post(
        f"/api/review/units/{code}/decision", json={"decision": "reject", "reason": "重复"}, headers=clerk
    )
    assert again.status_code == 409 and again.json()["code"] == "unit.already_decided"

    [envelope] = await review_events(bus, _unit_subject(code), 1)
    decision = UnitRegistrationApproved.model_validate(envelope.data)
    assert (decision.unit_id, decision.credit_code) == (unit_id, code)
    assert decision.materials_checked == UNIT_MATERIALS
    assert (decision.decision.clerk_id, decision.decision.district) == ("unit-clerk", PUDONG)

    # Accounts applies it and says so: the registration leaves the decided list for the approved one.
    await bus.publish(
        UnitApproved(
            unit_id=unit_id,
            credit_code=code,
            unit_name="上海注册测试有限公司",
            district=PUDONG,
            approved_at=datetime.now(UTC),
            clerk_id="unit-clerk",
        ),
        subject=unit_id,
    )

    async def settled() -> bool:
        response = await client.get("/api/review/units?state=approved", headers=clerk)
        return code in [u["credit_code"] for u in response.json()["items"]]

    await eventually(settled)


def _unit_subject(code: str) -> str:
    return str(UnitRegistration.create_id(code))


async def test_a_unit_registration_is_rejected_with_a_reason_and_another_district_cannot_see_it(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    _, code = await register_unit(infra, world, client)
    xuhui = clerk_headers(infra, "xuhui", XUHUI, Duty.UNIT_REGISTRATION)
    listed = await client.get("/api/review/units", headers=xuhui)
    assert code not in listed.text
    hidden = await client.post(
        f"/api/review/units/{code}/decision", json={"decision": "reject", "reason": "x"}, headers=xuhui
    )
    assert hidden.status_code == 404
    page = await client.get(f"/review/units/{code}", headers=xuhui)
    assert page.status_code == 404 and "上海注册测试有限公司" not in page.text

    pudong = clerk_headers(infra, "unit-clerk", PUDONG, Duty.UNIT_REGISTRATION)
    rejected = await client.post(
        f"/api/review/units/{code}/decision",
        json={"decision": "reject", "reason": "营业执照复印件不清晰，请重新提交。"},
        headers=pudong,
    )
    assert rejected.status_code == 200
    [envelope] = await review_events(bus, _unit_subject(code), 1)
    assert (
        UnitRegistrationRejected.model_validate(envelope.data).reason == "营业执照复印件不清晰，请重新提交。"
    )


async def test_the_unit_page_shows_the_sealed_hr_contact_to_the_units_district(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    _, code = await register_unit(infra, world, client)
    page = await client.get(
        f"/review/units/{code}", headers=clerk_headers(infra, "u", PUDONG, Duty.UNIT_REGISTRATION)
    )
    assert page.status_code == 200
    assert "李人事" in page.text and "hr@example.cn" in page.text


async def test_a_unit_password_reset_is_taken_only_in_the_units_district_and_authorised_when_complete(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    _, code = await register_unit(infra, world, client)
    body = {"kind": "unit", "credit_code": code, "materials": UNIT_RESET}
    elsewhere = await client.post(
        "/api/review/password-resets",
        json=body,
        headers=clerk_headers(infra, "x", XUHUI, Duty.PASSWORD_RESET),
    )
    unknown = await client.post(
        "/api/review/password-resets",
        json={**body, "credit_code": credit_code(99999999)},
        headers=clerk_headers(infra, "p", PUDONG, Duty.PASSWORD_RESET),
    )
    # Another district's unit gets the same answer as an unknown code: nothing about it is confirmed.
    assert elsewhere.status_code == unknown.status_code == 422
    assert elsewhere.json()["errors"] == unknown.json()["errors"]
    assert elsewhere.json()["errors"][0]["field"] == "credit_code"

    desk = clerk_headers(infra, "desk-clerk", PUDONG, Duty.PASSWORD_RESET)
    partial = await client.post(
        "/api/review/password-resets", json={**body, "materials": UNIT_RESET[:3]}, headers=desk
    )
    assert partial.status_code == 201, partial.text
    recorded = partial.json()
    assert (recorded["state"], recorded["missing"]) == ("awaiting_materials", ["hr_id"])
    request_id = recorded["request_id"]
    completed = await client.post(
        f"/api/review/password-resets/{request_id}/materials", json={"materials": UNIT_RESET}, headers=desk
    )
    assert completed.status_code == 200 and completed.json()["state"] == "authorised"
    twice = await client.post(
        f"/api/review/password-resets/{request_id}/materials", json={"materials": UNIT_RESET}, headers=desk
    )
    assert twice.status_code == 409

    [envelope] = await review_events(bus, request_id, 1)
    authorised = PasswordResetAuthorised.model_validate(envelope.data)
    assert (authorised.account_kind, authorised.unit_credit_code, authorised.applicant) == (
        "unit",
        code,
        None,
    )
    assert authorised.materials_checked == UNIT_RESET
    assert authorised.decision.district == PUDONG

    # Accounts sent the code: the desk's list follows it.
    await bus.publish(
        PasswordResetIssued(
            account_id=str(uuid.uuid4()),
            role=Role.UNIT,
            request_id=request_id,
            issued_at=datetime.now(UTC),
            expires_at=datetime.now(UTC),
        ),
        subject=request_id,
    )

    async def issued() -> bool:
        response = await client.get("/api/review/password-resets?state=issued", headers=desk)
        return request_id in [r["request_id"] for r in response.json()["items"]]

    await eventually(issued)


async def test_the_unit_registrations_list_is_paged_twenty_at_a_time_oldest_first(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    minhang = "310112"
    codes = [credit_code(int(uuid.uuid4().int % 10**8), minhang) for _ in range(PAGE_SIZE + 1)]
    for code in codes:
        payload = unit_registered(infra, code=code, district=minhang)
        await world[0].publish(payload, subject=payload.unit_id)
    clerk = clerk_headers(infra, "minhang-units", minhang, Duty.UNIT_REGISTRATION)

    async def all_listed() -> Any:
        first = (await client.get("/api/review/units", headers=clerk)).json()
        return first if first["total"] >= len(codes) else None

    first = await eventually(all_listed)
    second = (await client.get("/api/review/units?page=2", headers=clerk)).json()
    assert (first["page"], first["pages"], len(first["items"])) == (
        1,
        -(-first["total"] // PAGE_SIZE),
        PAGE_SIZE,
    )
    assert second["page"] == 2 and len(second["items"]) == min(PAGE_SIZE, first["total"] - PAGE_SIZE)
    listed = [u["credit_code"] for u in first["items"] + second["items"]]
    assert len(set(listed)) == len(listed)
    waited = [u["submitted_at"] for u in first["items"] + second["items"]]
    assert waited == sorted(waited)
    refused = await client.get("/api/review/units?page=0", headers=clerk)
    assert refused.status_code == 400 and "page" in refused.text


async def test_a_personal_password_reset_is_taken_in_any_district_with_the_id_number_sealed(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    person = id_number(date(1992, 8, 8), 321, address_code="320102")
    desk = clerk_headers(infra, "xuhui-desk", XUHUI, Duty.PASSWORD_RESET)
    bad = await client.post(
        "/api/review/password-resets",
        json={"kind": "applicant", "id_number": person[:-1] + "0"},
        headers=desk,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "id_number"
    recorded = await client.post(
        "/api/review/password-resets",
        json={
            "kind": "applicant",
            "id_number": person,
            "acting_for": "unit_hr",
            "materials": ["personal_id", "reset_request_form", "hr_id"],
        },
        headers=desk,
    )
    assert recorded.status_code == 201 and recorded.json()["state"] == "authorised"
    request_id = recorded.json()["request_id"]
    [envelope] = await review_events(bus, request_id, 1)
    assert person not in envelope.model_dump_json()  # sealed, never in clear on the topic
    authorised = PasswordResetAuthorised.model_validate(envelope.data)
    assert authorised.acting_for_applicant == "unit_hr"
    assert authorised.applicant is not None
    opened = sealing(infra).open(Received(envelope, authorised), authorised.applicant, SealedIdNumber)
    assert opened.id_number == person

    found = await client.post("/api/review/password-resets/search", json={"id_number": person}, headers=desk)
    assert [r["request_id"] for r in found.json()["items"]] == [request_id]
    assert found.json()["items"][0]["applicant_id_masked"] == person[:6] + "********" + person[-4:]


async def test_the_clerk_directory_follows_accounts_clerk_events_for_the_district_only(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    clerk_id = f"clerk-{uuid.uuid4().hex[:8]}"
    created = clerk_created(
        infra, clerk_id=clerk_id, username="pd0042", name="周审批", district=PUDONG, duties=[Duty.APPROVAL]
    )
    await bus.publish(created, subject=clerk_id)
    pudong = clerk_headers(infra, "someone", PUDONG, Duty.ACCEPTANCE)

    async def listed() -> list[dict[str, Any]]:
        response = await client.get("/api/review/clerks", headers=pudong)
        return [c for c in response.json() if c["clerk_id"] == clerk_id]

    [entry] = await eventually(listed)
    assert (entry["name"], entry["username"], entry["duties"], entry["active"]) == (
        "周审批",
        "pd0042",
        ["approval"],
        True,
    )
    xuhui = await client.get("/api/review/clerks", headers=clerk_headers(infra, "x", XUHUI, Duty.ACCEPTANCE))
    assert clerk_id not in xuhui.text

    await bus.publish(
        ClerkDeactivated(clerk_id=clerk_id, district=PUDONG, deactivated_at=datetime.now(UTC)),
        subject=clerk_id,
    )

    async def deactivated() -> bool:
        return [c["active"] for c in await listed()] == [False]

    await eventually(deactivated)
    page = await client.get("/review/clerks", headers=pudong)
    assert "周审批" in page.text and "已停用" in page.text
