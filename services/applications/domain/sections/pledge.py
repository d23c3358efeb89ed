"""承诺与授权: the pledge and authorisation, accepted by the applicant and by the unit.

Both confirm the data are true and authorise the authorities to check them; the unit thereby takes
responsibility for the filing (seed: "接受授权,单位则承担相应事务结果的责任"). No other section can be
saved until both have accepted. A change of unit withdraws the old unit's acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.applications.domain.sections.common import Problems
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.roles import Role

PLEDGE_PARTIES: tuple[Role, ...] = (Role.APPLICANT, Role.UNIT)

PLEDGE_NOT_ACCEPTED = "pledge.not_accepted"


@dataclass(frozen=True, slots=True)
class PledgeAcceptance:
    """One party's acceptance of a given version of the pledge text."""

    party: Role
    accepted_by: str
    text_version: str
    accepted_at: datetime


def validate_pledges(acceptances: dict[Role, PledgeAcceptance]) -> list[FieldError]:
    """Both the applicant and the unit must have accepted."""
    problems = Problems(SectionName.PLEDGE)
    for party in PLEDGE_PARTIES:
        if party not in acceptances:
            problems.add(
                party.value,
                PLEDGE_NOT_ACCEPTED,
                f"{party.label.zh}尚未接受承诺与授权",
                f"{party.label.en}: the pledge and authorisation has not been accepted yet",
            )
    return problems.errors
