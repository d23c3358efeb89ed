"""``python -m services.review seed-demo``: the talent centre's part of the demo (``shared/demo.py``).

A Pudong clerk with 单位注册审核 approves the demo unit's registration once it has arrived from
accounts (the pending unit is left in Xuhui's queue); when the demo applications submitted by the
unit arrive, the acceptance clerk accepts those the demo takes further, with every material ticked,
and another clerk (four eyes) approves the one meant to be approved, confirming each declared line.
A decision already taken is not taken again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.review.domain.clerk_rules import Clerk
from services.review.domain.units import UNIT_REGISTRATION_MATERIALS, UnitRegistration, UnitState
from services.review.service import ReviewService
from shared.demo import ACCEPTOR, APPLICANTS, APPROVER, DEMO_UNIT, REVIEWED, UNIT_REVIEWER, DemoClerk, Stage
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.roles import Duty
from shared.platform.seeding import Seeder, seed_demo_command


def seed(service: ReviewService, seeder: Seeder) -> None:
    reviewer = _clerk(seeder, UNIT_REVIEWER)
    code = normalise_credit_code(DEMO_UNIT.credit_code)

    def registration() -> UnitRegistration | None:
        if UnitRegistration.create_id(code) not in service.repository:
            return None
        found: object = service.repository.get(UnitRegistration.create_id(code))
        return found if isinstance(found, UnitRegistration) else None

    unit = seeder.wait_for("the demo unit's registration (UnitRegistered)", registration)
    if unit.state is UnitState.PENDING:
        service.approve_unit(reviewer, code, [m.code for m in UNIT_REGISTRATION_MATERIALS], _now())
        seeder.did(f"unit {DEMO_UNIT.name} approved by {UNIT_REVIEWER.username}")

    acceptor, approver = _clerk(seeder, ACCEPTOR), _clerk(seeder, APPROVER)
    for person in APPLICANTS:
        if person.stage not in REVIEWED:
            continue
        rows = seeder.wait_for(
            f"{person.name}'s submitted application (ApplicationSubmitted)",
            seeder.query,
            "SELECT application_id FROM review_cases WHERE unit_credit_code = $1 AND applicant_masked = $2",
            code,
            person.id_number_masked,
        )
        application_id = rows[0]["application_id"]
        case = service.case(acceptor, application_id)
        if case.stage is ApplicationStatus.AWAITING_ACCEPTANCE:
            service.accept(acceptor, application_id, [m.code for m in case.checklist], _now())
            seeder.did(f"{person.name}'s application accepted by {ACCEPTOR.username}")
            case = service.case(acceptor, application_id)
        if person.stage is Stage.APPROVED and case.stage is ApplicationStatus.AWAITING_APPROVAL:
            service.approve(approver, application_id, {}, _now())
            seeder.did(f"{person.name}'s application approved by {APPROVER.username}")


def _clerk(seeder: Seeder, clerk: DemoClerk) -> Clerk:
    """The clerk as review knows them, once accounts' ``ClerkCreated`` has arrived."""
    rows = seeder.wait_for(
        f"clerk {clerk.username} (ClerkCreated)",
        seeder.query,
        "SELECT clerk_id, district, duties FROM review_clerks WHERE username = $1 AND active",
        clerk.username,
    )
    row = rows[0]
    return Clerk(row["clerk_id"], row["district"], frozenset(Duty(d) for d in row["duties"]))


def _now() -> datetime:
    return datetime.now(UTC)


SEED_DEMO = seed_demo_command(seed)
