"""``python -m services.accounts seed-demo``: the accounts part of the demo (``shared/demo.py``).

The clerks of both districts, the two units' registrations (as 单位注册 does), and, once review's
approval of the demo unit has come back as ``UnitApproved``, its applicants: created by the unit
(帮助申请人注册个人账号, the activation mail goes to the mail sink as usual) and activated with the
code that mail carries, as the applicant would. Whatever exists already is left as it is.
"""

from __future__ import annotations

from services.accounts.domain.applicant import Applicant
from services.accounts.domain.clerk import Clerk
from services.accounts.domain.codes import ACTIVATION
from services.accounts.service import AccountsService
from shared.demo import APPLICANTS, CLERKS, DEMO_PASSWORD, DEMO_UNIT, UNITS
from shared.kernel.errors import NotVisible
from shared.platform.seeding import Seeder, seed_demo_command


def seed(service: AccountsService, seeder: Seeder) -> None:
    for clerk in CLERKS:
        if Clerk.create_id(clerk.username) not in service.repository:
            service.create_clerk(
                username=clerk.username,
                name=clerk.name,
                district=clerk.district,
                duties=[duty.value for duty in clerk.duties],
                password=DEMO_PASSWORD,
                by="seed-demo",
            )
            seeder.did(f"clerk {clerk.username} ({clerk.district})")
    for unit in UNITS:
        if service.unit_by_code(unit.credit_code) is None:
            service.register_unit(
                credit_code=unit.credit_code,
                unit_name=unit.name,
                district=unit.district,
                address=unit.address,
                hr_name=unit.hr_name,
                mobile=unit.mobile,
                email=unit.email,
                password=DEMO_PASSWORD,
            )
            seeder.did(f"unit {unit.name} registered")

    def demo_unit_approved() -> str | None:
        found = service.unit_by_code(DEMO_UNIT.credit_code)
        return str(found.id) if found is not None and found.is_approved else None

    unit_id = seeder.wait_for("review's approval of the demo unit (UnitApproved)", demo_unit_approved)
    for person in APPLICANTS:
        applicant = _applicant(service, person.id_number)
        if applicant is None:
            service.create_applicant(
                unit_id,
                name=person.name,
                id_number=person.id_number,
                mobile=person.mobile,
                email=person.email,
            )
            seeder.did(f"applicant {person.name} created by the unit")
            applicant = _applicant(service, person.id_number)
        assert applicant is not None
        if applicant.activated_at is None:
            service.activate(
                id_number=person.id_number,
                code=service.code(ACTIVATION, applicant.activation_request_id),
                password=DEMO_PASSWORD,
            )
            seeder.did(f"applicant {person.name} activated")


def _applicant(service: AccountsService, id_number: str) -> Applicant | None:
    try:
        return service.applicant(str(Applicant.create_id(id_number)))
    except NotVisible:
        return None


SEED_DEMO = seed_demo_command(seed)
