"""The review service on the real PostgreSQL and Kafka: a submission opens a case in the unit's district,
every decision is published once with the clerk, district and time, the four-eyes rule, duties and
districts hold (another district sees nothing), and a decision taken twice is applied once.

The applications service is being built next to review: its submissions are published with the test
``Bus`` as its relay would; clerks sign in with tokens signed as accounts does.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from services.review.domain.case import ReviewCase
from shared.contracts.envelope import Envelope
from shared.contracts.review import (
    REVIEW_TOPIC,
    ApplicationAccepted,
    ApplicationCaseOpened,
    ApplicationReturnedForCorrection,
    ApplicationScoreApproved,
)
from shared.kernel.application_status import ApplicationKind
from shared.kernel.roles import Duty
from shared.platform.auth import SESSION_COOKIE
from shared.platform.csrf import CSRF_COOKIE
from tests.support.identities import credit_code, id_number
from tests.support.review import MATERIALS, PUDONG, XUHUI, clerk_cookie, clerk_headers, submitted
from tests.support.world import Bus, Running

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]

ALL_MATERIALS = [m.code for m in MATERIALS]
UNIT_NAME = "上海测试科技有限公司"
ACCEPTOR = "clerk-accept-1"
APPROVER = "clerk-approve-2"


def headers(infra: Any, clerk_id: str, district: str = PUDONG, *duties: Duty) -> dict[str, str]:
    return clerk_headers(infra, clerk_id, district, *(duties or (Duty.ACCEPTANCE, Duty.APPROVAL)))


async def open_case(infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient, **kw: Any) -> str:
    """Publish a submission and wait until the case is in its district's queue."""
    bus, review = world
    payload = submitted(infra, **kw)
    await bus.publish(payload, subject=payload.application_id)
    await wait_listed(infra, review, client, payload.application_id, kw.get("district", PUDONG))
    return payload.application_id


async def wait_listed(
    infra: Any, review: Running, client: httpx.AsyncClient, application_id: str, district: str
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        review.assert_running()
        response = await client.get(
            f"/api/review/cases/{application_id}", headers=headers(infra, "reader", district)
        )
        if response.status_code == 200 and response.json()["case"] is not None:
            return dict(response.json())
        assert asyncio.get_running_loop().time() < deadline, response.text
        await asyncio.sleep(0.2)


async def published(bus: Bus, application_id: str, expect: int) -> list[Envelope]:
    """What review published about the case (the relay's subject is the case's id)."""
    return await bus.read(REVIEW_TOPIC, subject=str(ReviewCase.create_id(application_id)), expect=expect)


async def test_a_submission_opens_a_case_in_the_units_district_and_publishes_that_it_opened(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    application_id = await open_case(infra, world, client)
    detail = await wait_listed(infra, world[1], client, application_id, PUDONG)
    assert detail["stage"] == "AWAITING_ACCEPTANCE"
    assert [m["code"] for m in detail["materials"]] == ALL_MATERIALS
    assert detail["declared_total"] == 139 and detail["case"]["working_days_waiting"] == 0
    [envelope] = await published(bus, application_id, 1)
    opened = ApplicationCaseOpened.model_validate(envelope.data)
    assert opened.application_id == application_id
    assert (opened.decision.clerk_id, opened.decision.district) == ("system", PUDONG)

    queue = await client.get("/api/review/cases?queue=acceptance", headers=headers(infra, "c", PUDONG))
    assert application_id in [item["application_id"] for item in queue.json()["items"]]
    unknown = await client.get("/api/review/cases?queue=nope", headers=headers(infra, "c", PUDONG))
    assert unknown.status_code == 400 and [e["field"] for e in unknown.json()["errors"]] == ["queue"]


async def test_a_clerk_of_another_district_sees_nothing_of_the_case(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    other = headers(infra, "xuhui-clerk", XUHUI)
    for path in (f"/api/review/cases/{application_id}", f"/review/cases/{application_id}"):
        response = await client.get(path, headers=other)
        assert response.status_code == 404
        assert UNIT_NAME not in response.text and "********" not in response.text  # no data of the case
    refused = await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={"decision": "accept", "materials": ALL_MATERIALS},
        headers=other,
    )
    assert refused.status_code == 404
    queue = await client.get("/api/review/cases?queue=acceptance", headers=other)
    assert application_id not in [item["application_id"] for item in queue.json()["items"]]


async def test_a_clerk_without_the_duty_is_refused_without_data(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    approver_only = headers(infra, APPROVER, PUDONG, Duty.APPROVAL)
    refused = await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={"decision": "accept", "materials": ALL_MATERIALS},
        headers=approver_only,
    )
    assert refused.status_code == 403
    desk_only = headers(infra, "desk", PUDONG, Duty.PASSWORD_RESET)
    for path in (f"/api/review/cases/{application_id}", "/api/review/cases?queue=acceptance"):
        response = await client.get(path, headers=desk_only)
        assert response.status_code == 403 and UNIT_NAME not in response.text


async def test_acceptance_with_a_missing_item_is_refused_with_every_missing_item_at_once(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    refused = await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={"decision": "accept", "materials": ["stamped_form"]},
        headers=headers(infra, ACCEPTOR),
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert {e["field"] for e in problem["errors"]} == {
        "materials.applicant_id",
        "materials.labour_contract",
        "materials.degree_certificate",
    }
    detail = await wait_listed(infra, world[1], client, application_id, PUDONG)
    assert detail["stage"] == "AWAITING_ACCEPTANCE"


async def test_acceptance_then_approval_by_another_clerk_publishes_both_decisions_with_the_verified_score(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    application_id = await open_case(infra, world, client)
    accepted = await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={"decision": "accept", "materials": ALL_MATERIALS},
        headers=headers(infra, ACCEPTOR),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["stage"] == "AWAITING_APPROVAL"

    same_clerk = await client.post(
        f"/api/review/cases/{application_id}/approval",
        json={"decision": "approve"},
        headers=headers(infra, ACCEPTOR),
    )
    assert same_clerk.status_code == 403
    assert same_clerk.json()["code"] == "four_eyes.same_clerk"

    approved = await client.post(
        f"/api/review/cases/{application_id}/approval",
        json={"decision": "approve", "lines": {"education": {"points": 90, "reason": "学位证书不在目录内"}}},
        headers=headers(infra, APPROVER),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["stage"] == "APPROVED"

    envelopes = await published(bus, application_id, 3)
    assert [e.type for e in envelopes] == [
        "jifen.review.ApplicationCaseOpened.v1",
        "jifen.review.ApplicationAccepted.v1",
        "jifen.review.ApplicationScoreApproved.v1",
    ]
    acceptance = ApplicationAccepted.model_validate(envelopes[1].data)
    assert acceptance.materials_received == ALL_MATERIALS
    assert (acceptance.decision.clerk_id, acceptance.decision.district) == (ACCEPTOR, PUDONG)
    approval = ApplicationScoreApproved.model_validate(envelopes[2].data)
    assert approval.decision.clerk_id == APPROVER
    assert approval.verified_total == 129  # 30 + 90 + 9: the education line adjusted from 100
    education = next(line for line in approval.lines if line.indicator == "education")
    assert (education.declared_points, education.verified_points) == (100, 90)
    assert education.reason == "学位证书不在目录内"


async def test_an_adjusted_line_without_a_reason_is_refused_at_that_line(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={"decision": "accept", "materials": ALL_MATERIALS},
        headers=headers(infra, ACCEPTOR),
    )
    refused = await client.post(
        f"/api/review/cases/{application_id}/approval",
        json={"decision": "approve", "lines": {"age": {"points": 20}, "education": {"points": 120}}},
        headers=headers(infra, APPROVER),
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"lines.age.reason", "lines.education.points"}


async def test_a_decision_taken_twice_is_applied_once_and_the_second_is_told_who_took_it(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    application_id = await open_case(infra, world, client)
    body = {"decision": "accept", "materials": ALL_MATERIALS}
    first, second = await asyncio.gather(
        client.post(
            f"/api/review/cases/{application_id}/acceptance", json=body, headers=headers(infra, "one")
        ),
        client.post(
            f"/api/review/cases/{application_id}/acceptance", json=body, headers=headers(infra, "two")
        ),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409], (first.text, second.text)
    conflict = first if first.status_code == 409 else second
    winner = "one" if conflict is second else "two"
    assert conflict.json()["code"] == "case.already_decided"
    assert winner in conflict.json()["decided_by"] and winner not in conflict.json()["detail"]
    again = await client.post(
        f"/api/review/cases/{application_id}/acceptance", json=body, headers=headers(infra, winner)
    )
    assert again.status_code == 409  # the same clerk's double click
    envelopes = await published(bus, application_id, 2)
    await asyncio.sleep(1.0)
    envelopes = await published(bus, application_id, 2)
    assert [e.type for e in envelopes].count("jifen.review.ApplicationAccepted.v1") == 1


async def test_the_case_page_shows_the_declared_answers_by_their_labels_not_their_codes(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    client.cookies.set(SESSION_COOKIE, clerk_cookie(infra, ACCEPTOR, PUDONG, Duty.ACCEPTANCE))
    page = await client.get(f"/review/cases/{application_id}")
    assert page.status_code == 200
    assert "硕士研究生" in page.text and "MASTER" not in page.text  # 文化程度
    assert "已婚" in page.text  # 婚姻状况
    assert "工作 · 上海某科技有限公司" in page.text  # the resume period's kind, then where
    client.cookies.clear()


async def test_a_case_page_opened_without_a_session_goes_to_the_clerk_sign_in_and_the_api_stays_401(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = await client.get(f"/review/cases/{application_id}?tab=materials", headers=browser)
    assert page.status_code == 303
    assert page.headers["location"] == (
        f"/accounts/login/clerk?next=/review/cases/{application_id}%3Ftab%3Dmaterials"
    )
    api = await client.get(f"/api/review/cases/{application_id}", headers=browser)
    assert api.status_code == 401 and UNIT_NAME not in api.text
    assert api.headers["content-type"].startswith("application/problem+json")


async def test_a_double_submitted_page_form_shows_the_case_with_the_decision_already_taken(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    application_id = await open_case(infra, world, client)
    client.cookies.set(SESSION_COOKIE, clerk_cookie(infra, ACCEPTOR, PUDONG, Duty.ACCEPTANCE))
    page = await client.get(f"/review/cases/{application_id}")
    assert page.status_code == 200
    form = {"decision": "accept", "materials": ALL_MATERIALS, "_csrf_token": client.cookies[CSRF_COOKIE]}
    done = await client.post(f"/review/cases/{application_id}/acceptance", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/review/cases/{application_id}?done=accepted#status"
    again = await client.post(f"/review/cases/{application_id}/acceptance", data=form)
    assert again.status_code == 409
    assert "text/html" in again.headers["content-type"]
    assert "已于" in again.text and "受理通过" in again.text  # the case page, naming the decision
    client.cookies.clear()


async def test_return_for_correction_publishes_the_reasons_per_section_and_what_was_missing(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    application_id = await open_case(infra, world, client)
    returned = await client.post(
        f"/api/review/cases/{application_id}/acceptance",
        json={
            "decision": "return",
            "materials": ["stamped_form", "applicant_id"],
            "reasons": {
                "resume": "2019 年简历时间不连续。",
                "scoring_claims": "学历证书与学信网信息不一致。",
            },
        },
        headers=headers(infra, ACCEPTOR),
    )
    assert returned.status_code == 200 and returned.json()["stage"] == "RETURNED_FOR_CORRECTION"
    envelopes = await published(bus, application_id, 2)
    decision = ApplicationReturnedForCorrection.model_validate(envelopes[-1].data)
    assert [(r.section, r.reason) for r in decision.reasons] == [
        ("resume", "2019 年简历时间不连续。"),
        ("scoring_claims", "学历证书与学信网信息不一致。"),
    ]
    assert decision.missing_materials == ["labour_contract", "degree_certificate"]

    # The corrected application comes back as submission 2: a new round of the same case.
    resubmission = submitted(infra, application_id=application_id, submission=2)
    await bus.publish(resubmission, subject=application_id)
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        detail = await wait_listed(infra, world[1], client, application_id, PUDONG)
        if detail["stage"] == "AWAITING_ACCEPTANCE" and detail["case"]["submission"] == 2:
            break
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.2)
    assert len(await published(bus, application_id, 3)) == 3  # opened again


async def test_refusal_rejection_and_withdrawal_are_each_published_with_their_reason(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    bus, _ = world
    refused_id = await open_case(infra, world, client)
    refused = await client.post(
        f"/api/review/cases/{refused_id}/acceptance",
        json={"decision": "refuse", "reason": "单位为外省市驻沪办事机构，不属于申办范围。"},
        headers=headers(infra, ACCEPTOR),
    )
    assert refused.json()["stage"] == "NOT_ACCEPTED"

    rejected_id = await open_case(infra, world, client)
    await client.post(
        f"/api/review/cases/{rejected_id}/acceptance",
        json={"decision": "accept", "materials": ALL_MATERIALS},
        headers=headers(infra, ACCEPTOR),
    )
    no_reason = await client.post(
        f"/api/review/cases/{rejected_id}/approval",
        json={"decision": "reject"},
        headers=headers(infra, APPROVER),
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    rejected = await client.post(
        f"/api/review/cases/{rejected_id}/approval",
        json={"decision": "reject", "reason": "社保缴费基数与个税申报不符。"},
        headers=headers(infra, APPROVER),
    )
    assert rejected.json()["stage"] == "REJECTED"

    withdrawn_id = await open_case(infra, world, client)
    withdrawn = await client.post(
        f"/api/review/cases/{withdrawn_id}/withdrawal",
        json={"requested_by": "unit", "reason": "单位需修改申报的紧缺专业。"},
        headers=headers(infra, ACCEPTOR),
    )
    assert withdrawn.json()["stage"] == "WITHDRAWN"

    expected = {
        refused_id: ("jifen.review.ApplicationNotAccepted.v1", "单位为外省市驻沪办事机构，不属于申办范围。"),
        rejected_id: ("jifen.review.ApplicationScoreRejected.v1", "社保缴费基数与个税申报不符。"),
        withdrawn_id: ("jifen.review.ApplicationWithdrawalRecorded.v1", "单位需修改申报的紧缺专业。"),
    }
    for application_id, (kind, reason) in expected.items():
        last = (await published(bus, application_id, 3 if application_id == rejected_id else 2))[-1]
        assert (last.type, last.data["reason"]) == (kind, reason)
        assert last.data["decision"]["district"] == PUDONG
    assert (await published(bus, withdrawn_id, 2))[-1].data["requested_by"] == "unit"


async def test_search_by_id_number_finds_the_case_without_the_number_in_any_list(
    infra: Any, world: tuple[Bus, Running], client: httpx.AsyncClient
) -> None:
    person = id_number(date(1988, 2, 29), 456)
    application_id = await open_case(infra, world, client, applicant_id_number=person)
    found = await client.post(
        "/api/review/cases/search", json={"queue": "acceptance", "q": person}, headers=headers(infra, "c")
    )
    assert [item["application_id"] for item in found.json()["items"]] == [application_id]
    assert found.json()["items"][0]["applicant_id_masked"] == person[:6] + "********" + person[-4:]
    assert person not in found.text
    assert person not in await _dump_review_tables(infra, world[1])  # not in the lists, nor the events
    by_url = await client.get(f"/api/review/cases?queue=acceptance&q={person}", headers=headers(infra, "c"))
    assert by_url.json()["items"] == []  # an ID number is searched in a body only, never from a URL

    client.cookies.set(SESSION_COOKIE, clerk_cookie(infra, ACCEPTOR, PUDONG, Duty.ACCEPTANCE))
    await client.get("/review/cases?queue=acceptance")
    page = await client.post(
        "/review/cases/search",
        data={"queue": "acceptance", "q": person, "_csrf_token": client.cookies[CSRF_COOKIE]},
    )
    client.cookies.clear()
    assert page.status_code == 200 and f"/review/cases/{application_id}" in page.text


async def _dump_review_tables(infra: Any, review: Running) -> str:
    import asyncpg

    conn = await asyncpg.connect(infra.admin_dsn)
    try:
        dumped: list[str] = []
        for table in ("review_cases", "review_resets", "review_events"):
            rows = await conn.fetch(f'SELECT * FROM "{review.schema}".{table}')
            dumped.extend(str(dict(r)) for r in rows)
    finally:
        await conn.close()
    return "\n".join(dumped)


async def test_the_working_day_clock_across_2026_into_2027_is_marked_provisional(
    infra: Any, world: tuple[Bus, Running]
) -> None:
    december = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    async with world[1].http(clock=lambda: december) as client:
        application_id = await open_case(infra, world, client, at=december)
        accepted = await client.post(
            f"/api/review/cases/{application_id}/acceptance",
            json={"decision": "accept", "materials": ALL_MATERIALS},
            headers=headers(infra, ACCEPTOR),
        )
        assert accepted.status_code == 200
        case = (await wait_listed(infra, world[1], client, application_id, PUDONG))["case"]
        # Dec 16-18, 21-25, 28-31 (12), [1 Jan 2027], 4-8 Jan (17), 11-13 Jan: 20 working days.
        assert (case["scoring_deadline"], case["working_days_left"]) == ("2027-01-13", 20)
        assert case["provisional"] is True and case["overdue"] is False
        page = await client.get(f"/review/cases/{application_id}", headers=headers(infra, ACCEPTOR))
        assert page.status_code == 200 and "暂定" in page.text
    async with world[1].http(clock=lambda: datetime(2027, 1, 14, 2, 0, tzinfo=UTC)) as later:
        case = (await wait_listed(infra, world[1], later, application_id, PUDONG))["case"]
        assert case["overdue"] is True and case["working_days_left"] == -1 and case["provisional"] is True
        overdue = await later.get("/api/review/cases?queue=approval&overdue=1", headers=headers(infra, "c"))
        assert application_id in [item["application_id"] for item in overdue.json()["items"]]
    async with world[1].http(clock=lambda: datetime(2027, 1, 13, 2, 0, tzinfo=UTC)) as on_the_day:
        on_time = await on_the_day.get(
            "/api/review/cases?queue=approval&overdue=1", headers=headers(infra, "c")
        )
        assert application_id not in [item["application_id"] for item in on_time.json()["items"]]


async def test_a_queue_filters_by_kind_unit_and_working_days_waiting_and_sorts_longest_waiting_first(
    infra: Any, world: tuple[Bus, Running]
) -> None:
    today = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Monday 16 March 2026
    unit = credit_code(777, PUDONG)
    async with world[1].http(clock=lambda: today) as client:
        old = await open_case(infra, world, client, unit_code=unit, at=datetime(2026, 3, 2, 2, tzinfo=UTC))
        renewal = await open_case(
            infra,
            world,
            client,
            unit_code=unit,
            kind=ApplicationKind.RENEWAL,
            at=datetime(2026, 3, 12, 2, tzinfo=UTC),
        )
        reader = headers(infra, "c")

        async def items(query: str = "") -> list[dict[str, Any]]:
            found = await client.get(
                f"/api/review/cases?queue=acceptance&unit={unit}&{query}", headers=reader
            )
            return list(found.json()["items"])

        async def ids(query: str) -> list[str]:
            return [item["application_id"] for item in await items(query)]

        assert await ids("sort=waiting") == [old, renewal]
        assert await ids("sort=newest") == [renewal, old]
        assert await ids("kind=RENEWAL") == [renewal]
        assert await ids("waiting=10") == [old]  # 2 March: 10 working days by 16 March; 12 March: 2
        assert {i["application_id"]: i["working_days_waiting"] for i in await items()} == {
            old: 10,
            renewal: 2,
        }
