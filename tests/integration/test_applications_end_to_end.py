"""The applications service end to end on the real PostgreSQL and Kafka: its worker and web app on a
throw-away schema, accounts' directory and review's decisions arriving through (copies of) their real
topics, commands through the JSON API and the pages, and every status transition read back from the
public status topic: one message per transition, in order, the ID number masked.

Journeys: draft to 审批通过; 单位退回; 退回补正 and resubmission; 不予受理; 撤销 and resubmission; a change of
employer before and after submission; the stale save; opening hours; a session that ends while typing.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.applications.domain.sections.names import SectionName
from shared.contracts.applications import (
    ApplicationApproved,
    ApplicationStatusChanged,
    ApplicationSubmitted,
    SubmittedForm,
)
from shared.contracts.topics import STATUS_TOPIC, events_topic
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.id_number import mask_id_number
from shared.kernel.points.claims import PublicServiceClaim, SocialInsuranceClaim
from shared.kernel.points.limits import MAX_BASE_MULTIPLE, MAX_MONTHS, MAX_YEARS
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.records import to_record
from shared.kernel.roles import Role
from shared.platform.integration import Sealing
from shared.platform.sealing import Keyring
from tests.support import applications as upstream
from tests.support.identities import id_number
from tests.support.world import Bus, Running, token_issuer
from tests.unit.applications.builders import (
    AT,
    OTHER_UNIT_CREDIT_CODE,
    OTHER_UNIT_ID,
    OTHER_UNIT_NAME,
    PLEDGE_VERSION,
    UNIT_ID,
    UNIT_NAME,
    deductions,
    family,
    no_investment,
    personal_info,
    resume,
    scoring_claims,
)

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(300)]

S = ApplicationStatus
API = "/api/applications"
APPLICATIONS_TOPIC = events_topic("applications")

SECTIONS: dict[SectionName, Any] = {
    SectionName.PERSONAL_INFO: personal_info(),
    SectionName.RESUME: resume(),
    SectionName.FAMILY: family(),
    SectionName.INVESTMENT: no_investment(),
    SectionName.SCORING_CLAIMS: scoring_claims(),
    SectionName.DEDUCTIONS: deductions(),
}


@dataclass
class World:
    infra: Any
    bus: Bus
    service: Running
    sealing: Sealing
    numbers: dict[str, int] = field(default_factory=dict)

    def token(self, role: Role, account: str, unit: UUID = UNIT_ID) -> str:
        issued = token_issuer(self.infra).issue(
            account_id=account, role=role, unit_id=str(unit), ttl=timedelta(hours=2)
        )
        return issued.token

    @contextlib.asynccontextmanager
    async def client(
        self, clock: Callable[[], datetime] = lambda: AT
    ) -> AsyncIterator[AsyncTestClient[Litestar]]:
        """The web app at ``clock``'s time (the journeys' data are valid on 2026-03-16)."""
        async with self.service.client(clock=clock) as client:
            yield client


@pytest.fixture(scope="module")
async def world(infra: Any) -> AsyncIterator[World]:
    async with Bus(infra) as bus, Running(infra, bus, "applications") as service:
        sealing = Sealing(Keyring.from_file(infra.personal_data_key_file))
        await bus.publish(upstream.unit_approved(), subject=str(UNIT_ID))
        await bus.publish(upstream.other_unit_approved(), subject=str(OTHER_UNIT_ID))
        yield World(infra, bus, service, sealing)


@dataclass
class Person:
    """One applicant of the unit, registered through accounts' topic, with their tokens."""

    world: World
    applicant_id: UUID
    id_number: str
    applicant_token: str
    unit_token: str

    @property
    def masked(self) -> str:
        return mask_id_number(self.id_number)


_people = iter(range(1, 10_000))


async def person(world: World) -> Person:
    """A new applicant registered with the unit (unique, so the journeys do not meet)."""
    n = next(_people)
    applicant_id = uuid.uuid4()
    number = id_number(personal_info().resident_id.birth_date, 100 + n)  # type: ignore[union-attr]
    await world.bus.publish(
        upstream.applicant_registered(world.sealing, applicant_id=applicant_id, id_number=number),
        subject=str(applicant_id),
    )
    who = Person(
        world,
        applicant_id,
        number,
        world.token(Role.APPLICANT, str(applicant_id)),
        world.token(Role.UNIT, f"unit-account-{n}"),
    )
    deadline = asyncio.get_running_loop().time() + 30
    async with world.service.application() as app:
        while await asyncio.to_thread(app.applicant, applicant_id) is None:
            world.service.assert_running()
            assert asyncio.get_running_loop().time() < deadline, "the registration never arrived"
            await asyncio.sleep(0.2)
    return who


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    """The JSON API as one caller uses it."""

    def __init__(self, client: AsyncTestClient[Litestar], token: str) -> None:
        self.client = client
        self.headers = bearer(token)

    async def call(self, method: str, path: str, expect: Any = 200, **body: Any) -> Any:
        response = await self.client.request(method, f"{API}{path}", headers=self.headers, json=body or None)
        assert response.status_code == expect, response.text
        return response.json()

    async def get(self, application_id: UUID | str) -> Any:
        return await self.call("GET", f"/applications/{application_id}")


async def filled(api_unit: Api, api_applicant: Api, who: Person) -> dict[str, Any]:
    """Started by the unit, both pledges, every section saved by the applicant."""
    view = await api_unit.call("POST", "/applications", 201, applicant_id=str(who.applicant_id), kind="NEW")
    app = view["application_id"]
    view = await api_unit.call(
        "POST", f"/applications/{app}/pledge", based_on_version=view["version"], text_version=PLEDGE_VERSION
    )
    view = await api_applicant.call(
        "POST", f"/applications/{app}/pledge", based_on_version=view["version"], text_version=PLEDGE_VERSION
    )
    for section, data in SECTIONS.items():
        if section is SectionName.PERSONAL_INFO:
            data = replace(data, id_number=who.id_number)
        view = await api_applicant.call(
            "PUT",
            f"/applications/{app}/{section.value.replace('_', '-')}",
            based_on_version=view["version"],
            **{section.value: to_record(data)},
        )
    view = await api_applicant.get(app)
    assert view["problems"] == [] and view["status"] == "DRAFT"
    return dict(view)


async def submitted(api_unit: Api, api_applicant: Api, who: Person) -> dict[str, Any]:
    view = await filled(api_unit, api_applicant, who)
    app = view["application_id"]
    view = await api_applicant.call("POST", f"/applications/{app}/complete", based_on_version=view["version"])
    view = await api_unit.call("POST", f"/applications/{app}/submit", based_on_version=view["version"])
    assert view["status"] == "UNIT_APPROVED" and not view["editable"]
    return dict(view)


async def status_becomes(api: Api, application_id: UUID | str, status: ApplicationStatus) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        view = await api.call("GET", f"/applications/{application_id}")
        if view["status"] == status.value:
            return dict(view)
        assert asyncio.get_running_loop().time() < deadline, f"still {view['status']}, never {status}"
        await asyncio.sleep(0.2)


async def status_messages(world: World, application_id: str, count: int) -> list[ApplicationStatusChanged]:
    """The application's ``count`` transitions, after the start (from no status to 填写中) that the
    status topic carries first."""
    envelopes = await world.bus.read(STATUS_TOPIC, subject=application_id, expect=count + 1)
    start, *changes = [ApplicationStatusChanged.model_validate(e.data) for e in envelopes]
    assert (start.previous_status, start.new_status) == (None, ApplicationStatus.DRAFT)
    assert len(changes) == count, [c.new_status for c in changes]
    return changes


def assert_masked_trail(
    changes: list[ApplicationStatusChanged], who: Person, statuses: list[ApplicationStatus]
) -> None:
    """One message per transition, in order, chained, with the masked ID number only."""
    assert [c.new_status for c in changes] == statuses
    assert [c.previous_status for c in changes][1:] == statuses[:-1]
    for change in changes:
        assert change.applicant_id_masked == who.masked
        assert who.id_number not in change.model_dump_json()


async def decide(world: World, payload: Any) -> None:
    await world.bus.publish(payload, subject=f"case-{payload.application_id}")


# --------------------------------------------------------------------------------------------------


async def test_a_whole_application_goes_from_draft_to_approved_as_review_decides_through_its_topic(
    world: World,
) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await submitted(unit, applicant, who)
        app, number = view["application_id"], view["application_number"]
        declared = (await unit.get(app))["declared_score"]["total"]
        at = AT + timedelta(hours=1)
        await decide(world, upstream.case_opened(UUID(app), number, at))
        await status_becomes(unit, app, S.AWAITING_ACCEPTANCE)
        await decide(world, upstream.accepted(UUID(app), number, at + timedelta(hours=1)))
        await status_becomes(unit, app, S.AWAITING_APPROVAL)
        await decide(
            world,
            upstream.score_approved(UUID(app), number, declared, at + timedelta(days=3)),
        )
        done = await status_becomes(applicant, app, S.APPROVED)
        await world.bus.publish(upstream.document_rendered(UUID(app), number, "points_notice"), subject=app)
        done = await documents_listed(applicant, app, 1)
    assert done["verified_score"] == declared
    assert done["documents"] == [
        {"kind": "points_notice", "version": 1, "href": f"/documents/applications/{app}/notice"}
    ]
    assert [step["status"] for step in done["timeline"]][:3] == ["APPROVED", "AWAITING_APPROVAL", "ACCEPTED"]
    changes = await status_messages(world, app, 6)
    assert_masked_trail(
        changes,
        who,
        [S.COMPLETED, S.UNIT_APPROVED, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.AWAITING_APPROVAL, S.APPROVED],
    )
    assert [c.actor.role for c in changes] == [
        Role.APPLICANT,
        Role.UNIT,
        Role.SYSTEM,
        Role.CLERK,
        Role.SYSTEM,
        Role.CLERK,
    ]
    published = await world.bus.read(APPLICATIONS_TOPIC, subject=app, expect=2)
    assert [e.type.rsplit(".", 2)[-2] for e in published] == ["ApplicationSubmitted", "ApplicationApproved"]
    submission, approval = published
    payload = ApplicationSubmitted.model_validate(submission.data)
    assert payload.submission == 1 and payload.declared_total == declared
    assert who.id_number not in submission.model_dump_json()
    form = SubmittedForm.model_validate(
        world.sealing.keyring.open(payload.form, context=f"ApplicationSubmitted:{app}")  # type: ignore[union-attr]
    )
    assert form.personal_info.id_number == who.id_number
    assert ApplicationApproved.model_validate(approval.data).verified_total == payload.declared_total


async def documents_listed(api: Api, application_id: str, count: int) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while len((view := await api.get(application_id))["documents"]) < count:
        assert asyncio.get_running_loop().time() < deadline, view["documents"]
        await asyncio.sleep(0.2)
    return dict(view)


async def test_the_unit_returns_a_finished_form_and_the_applicant_finishes_it_again(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await filled(unit, applicant, who)
        app = view["application_id"]
        view = await applicant.call("POST", f"/applications/{app}/complete", based_on_version=view["version"])
        refused = await unit.call(
            "POST", f"/applications/{app}/return", 422, based_on_version=view["version"], reason="  "
        )
        assert refused["errors"][0]["field"] == "reason"
        view = await unit.call(
            "POST",
            f"/applications/{app}/return",
            based_on_version=view["version"],
            reason="请补充2019年的工作经历",
        )
        assert view["status"] == "RETURNED_BY_UNIT" and view["editable"]
        again = await applicant.call(
            "POST", f"/applications/{app}/complete", based_on_version=view["version"]
        )
    assert again["status"] == "COMPLETED"
    changes = await status_messages(world, app, 3)
    assert_masked_trail(changes, who, [S.COMPLETED, S.RETURNED_BY_UNIT, S.COMPLETED])
    assert changes[1].reason == "请补充2019年的工作经历"


async def test_a_return_for_correction_shows_its_reasons_per_section_and_the_unit_submits_again(
    world: World,
) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await submitted(unit, applicant, who)
        app, number = view["application_id"], view["application_number"]
        await decide(world, upstream.case_opened(UUID(app), number))
        await status_becomes(unit, app, S.AWAITING_ACCEPTANCE)
        await decide(world, upstream.returned_for_correction(UUID(app), number))
        view = await status_becomes(applicant, app, S.RETURNED_FOR_CORRECTION)
        assert view["correction_reasons"] == {"resume": upstream.RESUME_REASON}
        resume_state = next(s for s in view["sections"] if s["section"] == "resume")
        assert (resume_state["state"], resume_state["correction_reason"]) == (
            "has_problems",
            upstream.RESUME_REASON,
        )
        view = await applicant.call(
            "PUT", f"/applications/{app}/resume", based_on_version=view["version"], resume=to_record(resume())
        )
        view = await applicant.call("POST", f"/applications/{app}/complete", based_on_version=view["version"])
        view = await unit.call("POST", f"/applications/{app}/submit", based_on_version=view["version"])
        await decide(world, upstream.case_opened(UUID(app), number, AT + timedelta(days=1)))
        await status_becomes(unit, app, S.AWAITING_ACCEPTANCE)
    changes = await status_messages(world, app, 7)
    assert_masked_trail(
        changes,
        who,
        [
            S.COMPLETED,
            S.UNIT_APPROVED,
            S.AWAITING_ACCEPTANCE,
            S.RETURNED_FOR_CORRECTION,
            S.COMPLETED,
            S.UNIT_APPROVED,
            S.AWAITING_ACCEPTANCE,
        ],
    )
    assert changes[3].reason == f"个人简历：{upstream.RESUME_REASON}"
    submissions = [
        ApplicationSubmitted.model_validate(e.data).submission
        for e in await world.bus.read(APPLICATIONS_TOPIC, subject=app, expect=2)
    ]
    assert submissions == [1, 2]


async def test_an_application_not_accepted_is_decided_and_cannot_be_edited(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await submitted(unit, applicant, who)
        app, number = view["application_id"], view["application_number"]
        await decide(world, upstream.case_opened(UUID(app), number))
        await status_becomes(unit, app, S.AWAITING_ACCEPTANCE)
        await decide(world, upstream.not_accepted(UUID(app), number))
        view = await status_becomes(unit, app, S.NOT_ACCEPTED)
        locked = await applicant.call(
            "PUT",
            f"/applications/{app}/resume",
            409,
            based_on_version=view["version"],
            resume=to_record(resume()),
        )
        assert locked["code"] == "application.editing_locked"
        again = await unit.call("POST", "/applications", 201, applicant_id=str(who.applicant_id), kind="NEW")
    assert again["application_id"] != app  # decided: a new application gets a new number
    changes = await status_messages(world, app, 4)
    assert_masked_trail(changes, who, [S.COMPLETED, S.UNIT_APPROVED, S.AWAITING_ACCEPTANCE, S.NOT_ACCEPTED])


async def test_a_withdrawal_recorded_at_the_window_reopens_the_form_for_resubmission(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await submitted(unit, applicant, who)
        app, number = view["application_id"], view["application_number"]
        locked = await unit.call(
            "PUT",
            f"/applications/{app}/resume",
            409,
            based_on_version=view["version"],
            resume=to_record(resume()),
        )
        assert "申请撤销" in locked["detail"] or "withdrawal" in locked["detail"]
        await decide(world, upstream.case_opened(UUID(app), number))
        await status_becomes(unit, app, S.AWAITING_ACCEPTANCE)
        await decide(world, upstream.withdrawal_recorded(UUID(app), number))
        view = await status_becomes(unit, app, S.WITHDRAWN)
        assert view["editable"]
        view = await unit.call("POST", f"/applications/{app}/complete", based_on_version=view["version"])
        view = await unit.call("POST", f"/applications/{app}/submit", based_on_version=view["version"])
    assert view["status"] == "UNIT_APPROVED"
    changes = await status_messages(world, app, 6)
    assert_masked_trail(
        changes,
        who,
        [S.COMPLETED, S.UNIT_APPROVED, S.AWAITING_ACCEPTANCE, S.WITHDRAWN, S.COMPLETED, S.UNIT_APPROVED],
    )


async def test_a_change_of_employer_moves_an_unsubmitted_application_and_explains_a_submitted_one(
    world: World,
) -> None:
    draft_owner, submitted_owner = await person(world), await person(world)
    other_unit_token = world.token(Role.UNIT, "other-unit-account", OTHER_UNIT_ID)
    async with world.client() as client:
        unit = Api(client, draft_owner.unit_token)
        other = Api(client, other_unit_token)
        draft = await filled(unit, Api(client, draft_owner.applicant_token), draft_owner)
        sent = await submitted(unit, Api(client, submitted_owner.applicant_token), submitted_owner)
        for who in (draft_owner, submitted_owner):
            await world.bus.publish(
                upstream.applicant_changed_unit(who.applicant_id, AT + timedelta(days=1)),
                subject=str(who.applicant_id),
            )
        moved = await eventually_view(other, draft["application_id"])
        assert moved["unit_id"] == str(OTHER_UNIT_ID) and moved["sections"][0]["state"] == "in_progress"
        await unit.call("GET", f"/applications/{draft['application_id']}", 404)  # gone from the old unit
        await unit.call("GET", f"/applications/{sent['application_id']}")  # submitted: stays
        await other.call("GET", f"/applications/{sent['application_id']}", 404)
        old_list = await dashboard_rows(unit, submitted_owner.applicant_id, note="moved_away")
        new_list = await dashboard_rows(other, submitted_owner.applicant_id, note="filed_elsewhere")
    assert old_list["other_unit_name"] == OTHER_UNIT_NAME
    assert new_list["other_unit_name"] == UNIT_NAME and new_list["action"] is None
    assert [c.new_status for c in await status_messages(world, sent["application_id"], 2)] == [
        S.COMPLETED,
        S.UNIT_APPROVED,
    ]


async def eventually_view(api: Api, application_id: str) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        response = await api.client.get(f"{API}/applications/{application_id}", headers=api.headers)
        if response.status_code == 200:
            return dict(response.json())
        assert asyncio.get_running_loop().time() < deadline, response.text
        await asyncio.sleep(0.2)


async def dashboard_rows(api: Api, applicant_id: UUID, note: str) -> dict[str, Any]:
    """The unit's dashboard row of ``applicant_id`` with ``note``, once the read model has it."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        page = await api.call("GET", "/unit/applications")
        rows = [r for r in page["items"] if r["applicant_id"] == str(applicant_id) and r["note"] == note]
        if rows:
            return dict(rows[0])
        assert asyncio.get_running_loop().time() < deadline, page
        await asyncio.sleep(0.2)


async def test_a_stale_save_is_refused_with_what_changed_and_nothing_is_overwritten(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await filled(unit, applicant, who)
        app, seen = view["application_id"], view["version"]
        changed = replace(
            resume(), entries=(*resume().entries[:3], replace(resume().entries[3], post="架构师"))
        )
        hr = await unit.call(
            "PUT", f"/applications/{app}/resume", based_on_version=seen, resume=to_record(changed)
        )
        stale = await applicant.call(
            "PUT", f"/applications/{app}/resume", 409, based_on_version=seen, resume=to_record(resume())
        )
        assert stale["code"] == "application.stale_version" and stale["current_version"] == hr["version"]
        [change] = stale["changes"]
        assert (change["by_role"], change["section"], change["fields"]) == (
            "unit",
            "resume",
            ["entries[3].post"],
        )
        assert (await applicant.get(app))["version"] == hr["version"]  # nothing was saved
        stale_complete = await applicant.call(
            "POST", f"/applications/{app}/complete", 409, based_on_version=seen
        )
        assert stale_complete["code"] == "application.stale_version"
        # on the page: the applicant's input kept, what changed shown, based on the new version
        response = await client.post(
            f"/applications/{app}/resume",
            data={
                "based_on_version": str(seen),
                "entries.0.kind": "SCHOOL",
                "entries.0.start_month-year": "2008",
                "entries.0.start_month-month": "9",
                "entries.0.end_month-year": "2012",
                "entries.0.end_month-month": "6",
                "entries.0.organisation": "复旦大学",
            },
            headers={"x-csrftoken": await csrf(client, who, app)},
        )
    assert response.status_code == 409
    assert "架构师" in response.text and "复旦大学" in response.text
    assert f'name="based_on_version" value="{hr["version"]}"' in response.text


def signed_in(client: AsyncTestClient[Litestar], token: str | None) -> None:
    """The browser's session cookie (``None``: the session has ended)."""
    if token is None:
        client.cookies.delete("jifen_session")
    else:
        client.cookies.set("jifen_session", token)


async def csrf(client: AsyncTestClient[Litestar], who: Person, app: str) -> str:
    """Sign the browser in as the applicant; the CSRF token its page hands it (cookie = header)."""
    signed_in(client, who.applicant_token)
    await client.get(f"/applications/{app}")
    return str(client.cookies.get("jifen_csrf"))


async def test_writes_by_units_and_applicants_wait_for_opening_hours_and_reading_stays_open(
    world: World,
) -> None:
    who = await person(world)
    closed = datetime(2026, 3, 16, 22, 0, tzinfo=AT.tzinfo)
    async with world.client() as client:
        view = await filled(Api(client, who.unit_token), Api(client, who.applicant_token), who)
        app = view["application_id"]
    async with world.client(clock=lambda: closed) as client:
        applicant = Api(client, who.applicant_token)
        refused = await applicant.call(
            "POST", f"/applications/{app}/complete", 403, based_on_version=view["version"]
        )
        assert (
            refused["type"] == "urn:jifen:problem:outside-opening-hours" and "8:00–22:00" in refused["detail"]
        )
        assert (await applicant.get(app))["status"] == "DRAFT"  # reading is always open
        page = await client.post(
            f"/applications/{app}/investment",
            data={
                "based_on_version": str(view["version"]),
                "has_investment": "yes",
                "enterprise_name": "上海某公司",
            },
            headers={"x-csrftoken": await csrf(client, who, app)},
        )
    assert page.status_code == 409 and "8:00–22:00" in page.text and "上海某公司" in page.text
    async with world.client(clock=lambda: closed - timedelta(seconds=1)) as client:
        done = await Api(client, who.applicant_token).call(
            "POST", f"/applications/{app}/complete", based_on_version=view["version"]
        )
    assert done["status"] == "COMPLETED"
    assert [c.new_status for c in await status_messages(world, app, 1)] == [S.COMPLETED]


async def test_a_session_that_ends_while_typing_loses_nothing(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        view = await filled(Api(client, who.unit_token), Api(client, who.applicant_token), who)
        app = view["application_id"]
        token = await csrf(client, who, app)
        signed_in(client, None)  # the session ends while the applicant types
        typed = {
            "based_on_version": str(view["version"]),
            "has_investment": "yes",
            "enterprise_name": "上海某创业有限公司",
            "share_percent": "40",
        }
        expired = await client.post(
            f"/applications/{app}/investment",
            data=typed,
            headers={"x-csrftoken": token},
            follow_redirects=False,
        )
        assert expired.status_code == 303
        assert expired.headers["location"] == f"/accounts/login/applicant?next=/applications/{app}/investment"
        assert "上海某创业有限公司" not in expired.headers["location"]
        signed_in(client, who.applicant_token)  # signed in again
        back = await client.get(f"/applications/{app}/investment")
        again = await client.get(f"/applications/{app}/investment")
    assert back.status_code == 200
    assert 'value="上海某创业有限公司"' in back.text and 'value="40"' in back.text
    assert "登录已过期" in back.text or "session had ended" in back.text
    assert "上海某创业有限公司" not in again.text  # shown once, then the saved answers again


async def test_another_unit_sees_a_404_and_a_clerk_a_403(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        view = await filled(Api(client, who.unit_token), Api(client, who.applicant_token), who)
        app = view["application_id"]
        other = Api(client, world.token(Role.UNIT, "stranger", OTHER_UNIT_ID))
        stranger = Api(client, world.token(Role.APPLICANT, str(uuid.uuid4())))
        await other.call("GET", f"/applications/{app}", 404)
        await stranger.call("GET", f"/applications/{app}", 404)
        clerk = token_issuer(world.infra).issue(account_id="clerk-1", role=Role.CLERK, district="310115")
        assert (await client.get(f"{API}/applications/{app}", headers=bearer(clerk.token))).status_code == 403
        signed_in(client, clerk.token)
        page = await client.get(f"/applications/{app}")
    assert page.status_code == 403


async def test_the_unit_dashboard_pages_filters_and_searches_with_what_waits_for_the_unit_first(
    world: World,
) -> None:
    unit_id = uuid.uuid4()
    credit = OTHER_UNIT_CREDIT_CODE
    await world.bus.publish(
        upstream.unit_approved(unit_id, credit, "上海大雇主有限公司", "310104"), subject=str(unit_id)
    )
    people = []
    for n in range(25):
        applicant_id = uuid.uuid4()
        number = id_number(personal_info().resident_id.birth_date, 500 + n)  # type: ignore[union-attr]
        await world.bus.publish(
            upstream.applicant_registered(
                world.sealing,
                applicant_id=applicant_id,
                unit_id=unit_id,
                name=f"员工{n:02d}",
                id_number=number,
            ),
            subject=str(applicant_id),
        )
        people.append(
            Person(
                world,
                applicant_id,
                number,
                world.token(Role.APPLICANT, str(applicant_id), unit_id),
                world.token(Role.UNIT, "big-unit", unit_id),
            )
        )
    async with world.client() as client:
        unit = Api(client, people[0].unit_token)
        deadline = asyncio.get_running_loop().time() + 30
        while (await unit.call("GET", "/unit/applications"))["total"] < 25:
            assert asyncio.get_running_loop().time() < deadline, "the directory never arrived"
            await asyncio.sleep(0.2)
        finished = await filled(unit, Api(client, people[7].applicant_token), people[7])
        await Api(client, people[7].applicant_token).call(
            "POST",
            f"/applications/{finished['application_id']}/complete",
            based_on_version=finished["version"],
        )
        started = await unit.call(
            "POST", "/applications", 201, applicant_id=str(people[3].applicant_id), kind="NEW"
        )
        # Both the completion and the new start must have reached the read model (the row of 员工07
        # can come first by its update time alone, before its 已完成 arrives).
        first = await eventually_rows(unit, "", lambda page: len(page["action_counts"]) == 2)
        second = await unit.call("GET", "/unit/applications?page=2")
        waiting = await unit.call("GET", "/unit/applications?needs_action=true")
        found = await unit.call("GET", "/unit/applications?q=员工03")
        by_number = await unit.call("GET", f"/unit/applications?q={started['application_number']}")
        drafts = await unit.call("GET", "/unit/applications?status=DRAFT")
        none_yet = await unit.call("GET", "/unit/applications?status=NONE")
        tail = await unit.call("GET", f"/unit/applications?q={people[12].id_number[-4:]}")
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (25, 2, 20, 5)
    assert [r["action"] for r in first["items"][:2]] == ["check", "pledge"]  # 已完成 first, then the draft
    assert first["action_counts"] == {"check": 1, "pledge": 1}
    assert [r["name"] for r in waiting["items"]] == ["员工07", "员工03"]
    assert [r["name"] for r in found["items"]] == ["员工03"] == [r["name"] for r in by_number["items"]]
    assert [r["name"] for r in drafts["items"]] == ["员工03"] and none_yet["total"] == 23
    assert [r["name"] for r in tail["items"]] == ["员工12"]
    assert first["items"][0]["kind"] == "NEW" and first["items"][0]["status"] == "COMPLETED"


async def eventually_rows(api: Api, query: str, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while not check(page := await api.call("GET", f"/unit/applications{query}")):
        assert asyncio.get_running_loop().time() < deadline, page
        await asyncio.sleep(0.2)
    return dict(page)


async def test_a_number_out_of_its_range_is_refused_on_the_page_at_the_field_and_in_the_summary_kept(
    world: World,
) -> None:
    who = await person(world)
    huge = "9999999999999999999999"
    async with world.client() as client:
        view = await filled(Api(client, who.unit_token), Api(client, who.applicant_token), who)
        app = view["application_id"]
        page = await client.post(
            f"/applications/{app}/scoring/social-insurance",
            data={
                "based_on_version": str(view["version"]),
                "social_insurance.contribution_months": huge,
                "periods.0.from_month-year": "2024",
                "periods.0.from_month-month": "1",
                "periods.0.to_month-year": "2025",
                "periods.0.to_month-month": "12",
                "periods.0.base_multiple": "30",
            },
            headers={"x-csrftoken": await csrf(client, who, app)},
        )
        saved = await Api(client, who.applicant_token).get(app)
    assert page.status_code == 422
    months = f"缴费月数应在0到{MAX_MONTHS}之间"
    base = f"缴费基数倍数应在0到{MAX_BASE_MULTIPLE}之间"
    assert page.text.count(months) == 2  # at the field and in the summary, once
    assert page.text.count(base) == 2  # one mistake in one period: once, not once a month
    assert 'href="#social_insurance.contribution_months"' in page.text
    assert 'href="#periods.0.base_multiple"' in page.text
    assert f'value="{huge}"' in page.text and 'value="30"' in page.text
    assert saved["version"] == view["version"]


async def test_the_api_refuses_numbers_out_of_their_range_with_a_problem_per_field(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        applicant = Api(client, who.applicant_token)
        view = await filled(Api(client, who.unit_token), applicant, who)
        app = view["application_id"]
        claims = scoring_claims(
            social_insurance=SocialInsuranceClaim(contribution_months=-1),
            public_service=PublicServiceClaim("教育", MAX_YEARS + 1),
        )
        refused = await applicant.call(
            "PUT",
            f"/applications/{app}/scoring-claims",
            422,
            based_on_version=view["version"],
            scoring_claims=to_record(claims),
        )
        record = to_record(scoring_claims())
        record["social_insurance"]["contribution_months"] = 10**22
        too_big = await client.put(
            f"{API}/applications/{app}/scoring-claims",
            headers=applicant.headers,
            json={"based_on_version": view["version"], "scoring_claims": record},
        )
    assert {(e["field"], e["code"]) for e in refused["errors"]} == {
        ("scoring_claims.social_insurance.contribution_months", "out_of_range"),
        ("scoring_claims.public_service.full_years", "out_of_range"),
    }
    assert too_big.status_code in (400, 422), too_big.text  # 400: larger than any integer the API reads
    assert too_big.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"].endswith("contribution_months") for e in too_big.json()["errors"]), too_big.text


async def test_a_unit_return_reason_is_limited_and_a_blank_one_shows_one_error_summary(world: World) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await filled(unit, applicant, who)
        app = view["application_id"]
        view = await applicant.call("POST", f"/applications/{app}/complete", based_on_version=view["version"])
        too_long = "请补充材料" * (REASON_MAX_LENGTH // 5) + "。"
        refused = await unit.call(
            "POST", f"/applications/{app}/return", 422, based_on_version=view["version"], reason=too_long
        )
        signed_in(client, who.unit_token)
        await client.get(f"/applications/{app}/return")
        token = str(client.cookies.get("jifen_csrf"))
        pages = {
            reason: await client.post(
                f"/applications/{app}/return",
                data={"based_on_version": str(view["version"]), "reason": reason},
                headers={"x-csrftoken": token},
            )
            for reason in ("", too_long)
        }
        still = await unit.get(app)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("reason", "too_long")]
    blank, long_page = pages[""], pages[too_long]
    assert blank.status_code == 422 and blank.text.count("jf-error-summary__title") == 1
    assert blank.text.count("“单位退回”必须填写原因") == 2  # at the field and in the summary
    assert long_page.status_code == 422 and long_page.text.count("jf-error-summary__title") == 1
    assert long_page.text.count(f"不能超过{REASON_MAX_LENGTH}个字") == 2 and too_long in long_page.text
    assert still["status"] == "COMPLETED" and still["timeline"][0]["status"] == "COMPLETED"


async def test_the_submit_and_return_pages_offer_no_form_in_a_status_that_does_not_allow_them(
    world: World,
) -> None:
    who = await person(world)
    async with world.client() as client:
        unit, applicant = Api(client, who.unit_token), Api(client, who.applicant_token)
        view = await filled(unit, applicant, who)  # 填写中: neither is possible yet
        app = view["application_id"]
        signed_in(client, who.unit_token)
        pages = {
            action: await client.get(f"/applications/{app}/{action}", params={"lang": lang})
            for action in ("submit", "return")
            for lang in ("zh-CN",)
        }
        english = await client.get(f"/applications/{app}/submit", params={"lang": "en"})
    for action, page in pages.items():
        assert page.status_code == 200, action
        assert 'data-testid="refused"' in page.text and "申请当前状态为“填写中”" in page.text, action
        assert f'action="/applications/{app}/{action}"' not in page.text, action  # no form to post
    assert 'The application&#39;s status is &#34;Being filled in&#34;' in english.text
    assert "DRAFT" not in english.text  # the status's name, never its code
