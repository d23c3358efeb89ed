"""Units and applicants end to end on real PostgreSQL and Kafka: registration, the review decision
arriving as a real review event, applicant creation and activation by mail, sign-in, the change of
employer, and what accounts publishes (personal data only sealed)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from shared.contracts.accounts import (
    ACCOUNTS_TOPIC,
    ApplicantPersonalData,
    ApplicantRegistered,
    UnitContact,
    UnitRegistered,
)
from shared.contracts.review import UnitRegistrationRejected
from shared.platform.kit import keyring_of
from tests.support.accounts import (
    NOON,
    PASSWORD,
    WORKER,
    approval,
    bearer,
    code_in,
    decision,
    eventually,
    mail_sink,
    new_credit_code,
    new_id_number,
    unit_form,
)
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]


async def sign_in(client: Any, role: str, login: str, password: str = PASSWORD) -> str:
    answer = await client.post(
        "/api/accounts/login", json={"role": role, "login": login, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def registered_unit(
    client: Any, bus: Bus, district: str = "310115", approve: bool = True
) -> tuple[str, str, str]:
    """(unit id, credit code, token) of a new unit, approved by a review event unless told otherwise."""
    code = new_credit_code(district)
    created = await client.post("/api/accounts/units", json=unit_form(code, district))
    assert created.status_code == 201, created.text
    unit_id = created.json()["id"]
    token = await sign_in(client, "unit", code)
    if approve:
        await bus.publish(approval(unit_id, code, district), subject=unit_id)

        async def approved() -> bool:
            answer = await client.get("/api/accounts/units/me", headers=bearer(token))
            return bool(answer.json()["status"] == "APPROVED")

        await eventually(approved, "the approval")
    return unit_id, code, token


async def test_a_unit_registers_is_approved_by_review_and_its_applicant_activates_by_mail(
    infra: Any, tmp_path: Path
) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
        ):
            async with accounts.client(clock=lambda: NOON) as client:
                code = new_credit_code()
                form = unit_form(code)
                created = await client.post("/api/accounts/units", json=form)
                assert created.status_code == 201, created.text
                unit_id = created.json()["id"]

                again = await client.post("/api/accounts/units", json=form)
                assert again.status_code == 422
                assert [e["code"] for e in again.json()["errors"]] == ["credit_code.already_registered"]

                token = await sign_in(client, "unit", code)
                own = (await client.get("/api/accounts/units/me", headers=bearer(token))).json()
                assert (own["status"], own["status_label"]) == ("PENDING_REVIEW", "待审核")

                applicant = {
                    "name": "张三",
                    "id_number": new_id_number(),
                    "mobile": "13700137000",
                    "email": f"zs-{uuid.uuid4().hex[:6]}@example.com",
                }
                early = await client.post("/api/accounts/applicants", json=applicant, headers=bearer(token))
                assert early.status_code == 403
                assert early.json()["code"] == "unit.not_approved"

                # a decision from another district's centre is not applied
                await bus.publish(approval(unit_id, code, "310101"), subject=unit_id)
                await bus.publish(approval(unit_id, code, "310115"), subject=unit_id)

                async def approved() -> bool:
                    answer = await client.get("/api/accounts/units/me", headers=bearer(token))
                    return bool(answer.json()["status"] == "APPROVED")

                await eventually(approved, "the approval")

                made = await client.post("/api/accounts/applicants", json=applicant, headers=bearer(token))
                assert made.status_code == 201, made.text
                applicant_id = made.json()["id"]
                twice = await client.post("/api/accounts/applicants", json=applicant, headers=bearer(token))
                assert twice.status_code == 422
                assert [e["code"] for e in twice.json()["errors"]] == ["id_number.already_registered"]

                async def listing() -> Any:
                    found = (await client.get("/api/accounts/applicants", headers=bearer(token))).json()
                    return found if found["items"] else None

                listed = await eventually(listing, "the unit's list")
                assert [(i["applicant_id"], i["status"]) for i in listed["items"]] == [
                    (applicant_id, "AWAITING_ACTIVATION")
                ]
                assert (
                    listed["items"][0]["id_number_masked"]
                    == applicant["id_number"][:6] + "********" + applicant["id_number"][-4:]
                )

                [mail] = await sink.wait_for(applicant["email"])
                assert mail.body.index("您好") < mail.body.index("Dear"), "Chinese first"
                activation_code = code_in(mail)

                wrong = await client.post(
                    "/api/accounts/activate",
                    json={"id_number": applicant["id_number"], "code": "AAAA-AAAA", "password": PASSWORD},
                )
                assert wrong.status_code == 422
                assert [e["code"] for e in wrong.json()["errors"]] == ["code.wrong"]
                weak = await client.post(
                    "/api/accounts/activate",
                    json={"id_number": applicant["id_number"], "code": activation_code, "password": "short"},
                )
                assert weak.status_code == 422
                assert "password.too_short" in [e["code"] for e in weak.json()["errors"]]
                done = await client.post(
                    "/api/accounts/activate",
                    json={
                        "id_number": applicant["id_number"],
                        "code": activation_code.lower(),
                        "password": PASSWORD,
                    },
                )
                assert done.status_code == 200, done.text
                reused = await client.post(
                    "/api/accounts/activate",
                    json={"id_number": applicant["id_number"], "code": activation_code, "password": PASSWORD},
                )
                assert reused.status_code == 409
                assert reused.json()["code"] == "applicant.already_activated"

                personal = await sign_in(client, "applicant", applicant["id_number"])
                me = (await client.get("/api/accounts/me", headers=bearer(personal))).json()
                assert (me["role"], me["unit_id"]) == ("applicant", unit_id)

            envelopes = sorted(await bus.read(ACCOUNTS_TOPIC, expect=4), key=lambda e: e.sequence)
            types = [e.type.split(".")[2] for e in envelopes]
            assert types == ["UnitRegistered", "UnitApproved", "ApplicantRegistered", "ApplicantActivated"]
            for envelope in envelopes:
                text = envelope.model_dump_json()
                for secret in (
                    applicant["id_number"],
                    applicant["email"],
                    form["mobile"],
                    form["hr_name"],
                    activation_code,
                    PASSWORD,
                ):
                    assert secret not in text
            keyring = keyring_of(accounts.settings)
            assert keyring is not None
            unit_event = UnitRegistered.model_validate(envelopes[0].data)
            contact = UnitContact.model_validate(
                keyring.open(unit_event.contact, context=f"UnitRegistered:{envelopes[0].subject}")
            )
            assert (contact.hr_name, contact.mobile) == (form["hr_name"], form["mobile"])
            registered = ApplicantRegistered.model_validate(envelopes[2].data)
            person = ApplicantPersonalData.model_validate(
                keyring.open(registered.personal, context=f"ApplicantRegistered:{envelopes[2].subject}")
            )
            assert (person.name, person.id_number) == ("张三", applicant["id_number"])
            assert registered.unit_id == unit_id


async def test_a_unit_sees_only_its_own_applicants_and_an_applicant_moves_to_an_approved_unit(
    infra: Any, tmp_path: Path
) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
        ):
            async with accounts.client(clock=lambda: NOON) as client:
                first_id, _, first = await registered_unit(client, bus)
                second_id, second_code, second = await registered_unit(client, bus, district="310104")
                _, pending_code, _ = await registered_unit(client, bus, approve=False)
                person = {
                    "name": "李四",
                    "id_number": new_id_number("19880808"),
                    "mobile": "13700137001",
                    "email": f"ls-{uuid.uuid4().hex[:6]}@example.com",
                }
                made = await client.post("/api/accounts/applicants", json=person, headers=bearer(first))
                applicant_id = made.json()["id"]

                theirs = await client.get(f"/api/accounts/applicants/{applicant_id}", headers=bearer(second))
                assert theirs.status_code == 404
                assert (await client.get("/api/accounts/applicants", headers=bearer(second))).json()[
                    "items"
                ] == []
                mine = await client.get(f"/api/accounts/applicants/{applicant_id}", headers=bearer(first))
                assert mine.status_code == 200

                [mail] = await sink.wait_for(person["email"])
                activated = await client.post(
                    "/api/accounts/activate",
                    json={"id_number": person["id_number"], "code": code_in(mail), "password": PASSWORD},
                )
                assert activated.status_code == 200
                token = await sign_in(client, "applicant", person["id_number"])

                unknown = await client.post(
                    "/api/accounts/me/employer",
                    json={"credit_code": new_credit_code()},
                    headers=bearer(token),
                )
                assert unknown.status_code == 422
                assert [e["code"] for e in unknown.json()["errors"]] == ["credit_code.no_approved_unit"]
                unapproved = await client.post(
                    "/api/accounts/me/employer", json={"credit_code": pending_code}, headers=bearer(token)
                )
                assert [e["code"] for e in unapproved.json()["errors"]] == ["credit_code.no_approved_unit"]
                moved = await client.post(
                    "/api/accounts/me/employer",
                    json={"credit_code": second_code.lower()},
                    headers=bearer(token),
                )
                assert moved.status_code == 200, moved.text

                async def listed_by_second() -> bool:
                    found = await client.get("/api/accounts/applicants", headers=bearer(second))
                    return [i["applicant_id"] for i in found.json()["items"]] == [applicant_id]

                await eventually(listed_by_second, "the new unit's list")
                assert (await client.get("/api/accounts/applicants", headers=bearer(first))).json()[
                    "items"
                ] == []
                renewed = await sign_in(client, "applicant", person["id_number"])
                assert (await client.get("/api/accounts/me", headers=bearer(renewed))).json()[
                    "unit_id"
                ] == second_id

            changes = [
                e
                for e in await bus.read(ACCOUNTS_TOPIC, expect=9)
                if e.type.endswith("ApplicantChangedUnit.v1")
            ]
            assert [(c.data["previous_unit_id"], c.data["unit_id"]) for c in changes] == [
                (first_id, second_id)
            ]


async def test_a_rejected_unit_sees_the_reason_corrects_and_resubmits(infra: Any, tmp_path: Path) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
        ):
            async with accounts.client(clock=lambda: NOON) as client:
                unit_id, code, token = await registered_unit(client, bus, approve=False)
                await bus.publish(
                    UnitRegistrationRejected(
                        unit_id=unit_id, credit_code=code, decision=decision(), reason="营业执照复印件缺失"
                    ),
                    subject=unit_id,
                )

                async def rejected() -> Any:
                    own = (await client.get("/api/accounts/units/me", headers=bearer(token))).json()
                    return own if own["status"] == "REJECTED" else None

                own = await eventually(rejected, "the rejection")
                assert own["rejection_reason"] == "营业执照复印件缺失"
                fixed = await client.post(
                    "/api/accounts/units/me/resubmit",
                    json={
                        "unit_name": "上海测试科技有限公司（更正）",
                        "address": "上海市浦东新区世纪大道1号",
                        "hr_name": "王敏",
                        "mobile": "13800138000",
                        "email": "hr@example.com",
                    },
                    headers=bearer(token),
                )
                assert fixed.status_code == 200, fixed.text
                assert (fixed.json()["status"], fixed.json()["unit_name"]) == (
                    "PENDING_REVIEW",
                    "上海测试科技有限公司（更正）",
                )
                details = await client.put(
                    "/api/accounts/units/me/details",
                    json={
                        "address": "上海市浦东新区世纪大道2号",
                        "hr_name": "李强",
                        "mobile": "bad",
                        "email": "x",
                    },
                    headers=bearer(token),
                )
                assert details.status_code == 422
                assert [e["field"] for e in details.json()["errors"]] == ["mobile", "email"]
            published = sorted(await bus.read(ACCOUNTS_TOPIC, expect=3), key=lambda e: e.sequence)
            types = [e.type.split(".")[2] for e in published]
            assert types == ["UnitRegistered", "UnitRejected", "UnitResubmitted"]
