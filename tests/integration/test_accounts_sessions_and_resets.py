"""Window password resets, revoked sessions and the clerk administrator on real PostgreSQL and Kafka:
the reset authorisation arrives as a real review event; a unit's reset from another district is
refused; the code comes by mail, works once and expires; every earlier session ends, in accounts and
in another service; an administrator creates, changes and deactivates clerks."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from litestar import Request, get

from services.accounts.domain.codes import CodeExpired
from services.accounts.service import AccountsService
from shared.contracts.accounts import ACCOUNTS_TOPIC
from shared.contracts.review import PasswordResetAuthorised
from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.platform.auth import Principal
from shared.platform.guards import requires_roles
from shared.platform.kit import keyring_of
from tests.integration.test_accounts_units_and_applicants import registered_unit, sign_in
from tests.support.accounts import (
    NOON,
    PASSWORD,
    WORKER,
    bearer,
    code_in,
    decision,
    eventually,
    mail_sink,
    new_id_number,
    unit_reset,
)
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(300)]

NEW_PASSWORD = "Jifen-New-2026!"


@get("/api/review/whoami", opt=requires_roles(*ACCOUNT_ROLES), sync_to_thread=False)
def whoami(request: Request[Principal, str, Any]) -> dict[str, str]:
    return {"account": request.user.account_id}


def review_with_probe() -> Any:
    from services.review.app import SERVICE

    return dataclasses.replace(SERVICE, routers=[*SERVICE.routers, whoami])


async def test_a_window_reset_sends_a_single_use_code_and_ends_every_session_in_every_service(
    infra: Any, tmp_path: Path
) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
            Running(infra, bus, "review", definition=review_with_probe()) as review,
        ):
            async with accounts.client(clock=lambda: NOON) as client, review.client() as other:
                unit_id, code, old_token = await registered_unit(client, bus)
                email = (await client.get("/api/accounts/units/me", headers=bearer(old_token))).json()[
                    "email"
                ]
                assert (await other.get("/api/review/whoami", headers=bearer(old_token))).status_code == 200

                # a unit's reset is taken only in the unit's district: Xuhui's desk is refused
                wrong = unit_reset(code, "310104")
                await bus.publish(wrong, subject=wrong.request_id)
                right = unit_reset(code, "310115")
                await bus.publish(right, subject=right.request_id)
                [approved, mail] = await sink.wait_for(email, count=2)  # the approval, then the reset
                assert "审核通过" in approved.subject
                assert "重置码" in mail.body and "Reset code" in mail.body
                reset_code = code_in(mail)
                await asyncio.sleep(1.1)  # token times are whole seconds: the reset comes strictly later

                weak = await client.post(
                    "/api/accounts/reset",
                    json={"role": "unit", "login": code, "code": reset_code, "password": "weak"},
                )
                assert weak.status_code == 422
                bad = await client.post(
                    "/api/accounts/reset",
                    json={"role": "unit", "login": code, "code": "ZZZZ-ZZZZ", "password": NEW_PASSWORD},
                )
                assert [e["code"] for e in bad.json()["errors"]] == ["code.wrong"]
                done = await client.post(
                    "/api/accounts/reset",
                    json={"role": "unit", "login": code, "code": reset_code, "password": NEW_PASSWORD},
                )
                assert done.status_code == 204, done.text
                reused = await client.post(
                    "/api/accounts/reset",
                    json={"role": "unit", "login": code, "code": reset_code, "password": "Another-Pass-2026"},
                )
                assert reused.status_code == 409
                assert reused.json()["code"] == "code.used"

                async def refused_here() -> bool:
                    answer = await client.get("/api/accounts/units/me", headers=bearer(old_token))
                    return answer.status_code == 401

                async def refused_there() -> bool:
                    review.assert_running()
                    return (
                        await other.get("/api/review/whoami", headers=bearer(old_token))
                    ).status_code == 401

                await eventually(refused_here, "accounts refusing the old token")
                await eventually(refused_there, "review refusing the old token")
                old = await client.post(
                    "/api/accounts/login", json={"role": "unit", "login": code, "password": PASSWORD}
                )
                assert old.status_code == 401
                new_token = await sign_in(client, "unit", code, NEW_PASSWORD)
                assert (await other.get("/api/review/whoami", headers=bearer(new_token))).status_code == 200

            assert len(sink.mails(email)) == 2, "the refused request sent nothing"
            published = sorted(await bus.read(ACCOUNTS_TOPIC, expect=6), key=lambda e: e.sequence)
            resets = [e for e in published if "PasswordReset" in e.type]
            assert [(e.type.split(".")[2], e.data["request_id"]) for e in resets] == [
                ("PasswordResetIssued", right.request_id),
                ("PasswordResetCompleted", right.request_id),
            ]
            revoked = [e.data for e in published if e.type.endswith("SessionsRevoked.v1")]
            assert [(r["account_id"], r["reason"]) for r in revoked] == [(unit_id, "password_reset")]
            assert all(reset_code not in e.model_dump_json() for e in published)


async def test_a_personal_reset_at_any_district_and_an_expired_code_is_refused(
    infra: Any, tmp_path: Path
) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
        ):
            async with accounts.client(clock=lambda: NOON) as client:
                _, _, unit_token = await registered_unit(client, bus)
                id_number = new_id_number("19920304")
                email = f"p-{uuid.uuid4().hex[:6]}@example.com"
                made = await client.post(
                    "/api/accounts/applicants",
                    json={"name": "王五", "id_number": id_number, "mobile": "13700137002", "email": email},
                    headers=bearer(unit_token),
                )
                applicant_id = made.json()["id"]
                [activation] = await sink.wait_for(email)
                await client.post(
                    "/api/accounts/activate",
                    json={"id_number": id_number, "code": code_in(activation), "password": PASSWORD},
                )
                keyring = keyring_of(accounts.settings)
                assert keyring is not None
                subject = uuid.uuid4().hex
                sealed = keyring.seal({"id_number": id_number}, context=f"PasswordResetAuthorised:{subject}")
                request = PasswordResetAuthorised(
                    request_id=subject,
                    account_kind="applicant",
                    applicant=sealed,
                    acting_for_applicant="unit_hr",
                    decision=decision("310104"),  # any district takes a personal request
                    materials_checked=[
                        "id_card",
                        "reset_form",
                        "unit_letter",
                        "agent_id",
                        "business_licence",
                    ],
                )
                await bus.publish(request, subject=subject)
                mails = await sink.wait_for(email, count=2)
                reset_code = code_in(mails[-1])

            service: AccountsService
            async with accounts.application() as service:
                later = datetime.now(UTC) + timedelta(hours=25)
                service.clock = lambda: later
                with pytest.raises(CodeExpired) as expired:
                    await anyio.to_thread.run_sync(
                        lambda: service.complete_reset(
                            Role.APPLICANT, id_number, code=reset_code, password=NEW_PASSWORD
                        )
                    )
                assert "过期" in expired.value.message.zh
            async with accounts.client(clock=lambda: NOON) as client:
                done = await client.post(
                    "/api/accounts/reset",
                    json={
                        "role": "applicant",
                        "login": id_number,
                        "code": reset_code,
                        "password": NEW_PASSWORD,
                    },
                )
                assert done.status_code == 204, done.text
                assert (await sign_in(client, "applicant", id_number, NEW_PASSWORD)).count(".") == 2
                assert applicant_id


async def test_an_administrator_manages_clerks_and_a_deactivated_clerk_is_signed_out_everywhere(
    infra: Any, tmp_path: Path
) -> None:
    with mail_sink(tmp_path / "mail") as sink:
        async with (
            Bus(infra) as bus,
            Running(infra, bus, "accounts", environ=sink.environ, **WORKER) as accounts,
        ):
            service: AccountsService
            admin_name = f"admin-{uuid.uuid4().hex[:6]}"
            async with accounts.application() as service:
                await anyio.to_thread.run_sync(
                    lambda: service.create_clerk(
                        username=admin_name,
                        name="管理员",
                        district="310115",
                        duties=[Duty.ADMINISTRATOR.value],
                        password=PASSWORD,
                        by="test",
                    )
                )
            async with accounts.client(clock=lambda: NOON) as client:
                admin = await sign_in(client, "clerk", admin_name)
                clerk_name = f"clerk-{uuid.uuid4().hex[:6]}"
                made = await client.post(
                    "/api/accounts/clerks",
                    json={
                        "username": clerk_name,
                        "name": "陈静",
                        "duties": ["acceptance"],
                        "password": PASSWORD,
                    },
                    headers=bearer(admin),
                )
                assert made.status_code == 201, made.text
                clerk_id = made.json()["id"]
                taken = await client.post(
                    "/api/accounts/clerks",
                    json={"username": clerk_name, "name": "x", "duties": ["bogus"], "password": "weak"},
                    headers=bearer(admin),
                )
                assert {e["code"] for e in taken.json()["errors"]} >= {"username.taken", "duties.required"}
                clerk = await sign_in(client, "clerk", clerk_name)
                me = (await client.get("/api/accounts/me", headers=bearer(clerk))).json()
                assert (me["district"], me["duties"]) == ("310115", ["acceptance"])
                forbidden = await client.get("/api/accounts/clerks", headers=bearer(clerk))
                assert forbidden.status_code == 403
                changed = await client.put(
                    f"/api/accounts/clerks/{clerk_id}",
                    json={"name": "陈静", "duties": ["acceptance", "approval"]},
                    headers=bearer(admin),
                )
                assert changed.status_code == 200

                async def listed() -> bool:
                    found = (await client.get("/api/accounts/clerks", headers=bearer(admin))).json()
                    return (clerk_name, ("acceptance", "approval")) in {
                        (c["username"], tuple(c["duties"])) for c in found["items"]
                    }

                await eventually(listed, "the clerk directory")
                await asyncio.sleep(1.1)
                off = await client.post(f"/api/accounts/clerks/{clerk_id}/deactivate", headers=bearer(admin))
                assert off.status_code == 200

                async def refused() -> bool:
                    return (await client.get("/api/accounts/me", headers=bearer(clerk))).status_code == 401

                await eventually(refused, "the deactivated clerk's token refused")
                again = await client.post(
                    "/api/accounts/login", json={"role": "clerk", "login": clerk_name, "password": PASSWORD}
                )
                assert again.status_code == 401
                self_off = await client.post(
                    f"/api/accounts/clerks/{clerk_id}/deactivate", headers=bearer(admin)
                )
                assert self_off.status_code == 409
            published = sorted(await bus.read(ACCOUNTS_TOPIC, expect=6), key=lambda e: e.sequence)
            kinds = [e.type.split(".")[2] for e in published]
            assert kinds == [
                "ClerkCreated",
                "ClerkCreated",
                "ClerkChanged",
                "ClerkDeactivated",
                "SessionsRevoked",
            ]
            assert published[-1].data["reason"] == "deactivated"
            assert all("陈静" not in e.model_dump_json() for e in published), "names travel sealed"
