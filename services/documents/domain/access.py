"""Who may download an application's documents.

The applicant (their own account), their unit (the unit account the application belongs to) and the
clerks of the district where the unit files. Everyone else is told the document does not exist
(``NotVisible``, a 404), so that probing ids confirms nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.kernel.roles import Role


@dataclass(frozen=True, slots=True)
class Owners:
    """Whose documents they are: from the application's facts at submission or approval."""

    applicant_id: str
    unit_id: str
    district: str


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: the verified claims of their token."""

    role: Role
    account_id: str
    unit_id: str | None = None
    district: str | None = None


def may_download(viewer: Viewer, owners: Owners) -> bool:
    """The applicant by account, the unit by unit id, a clerk by district; nobody else."""
    if viewer.role is Role.APPLICANT:
        return viewer.account_id == owners.applicant_id
    if viewer.role is Role.UNIT:
        return viewer.unit_id is not None and viewer.unit_id == owners.unit_id
    if viewer.role is Role.CLERK:
        return viewer.district is not None and viewer.district == owners.district
    return False
