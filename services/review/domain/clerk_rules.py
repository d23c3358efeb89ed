"""Who may do what at the talent centre: duties, districts and the four-eyes rule.

Pure checks that return a :class:`Decision` with a stable code and a bilingual reason (``Text``).
Every rule that fails is listed in ``refusals`` (first one in ``code``/``reason``) so the clerk
UI can show them all. Duties and roles are the kernel's (``shared.kernel.roles``).

Rules:

* **duty** -- a clerk acts only with the matching duty: acceptance (受理; withdrawals asked for at
  the window, 申请撤销, are recorded under it too), approval (审批), unit registration (单位注册审核),
  password reset (密码重置).
* **district** -- a clerk acts only in their own district, i.e. the district where the unit is
  registered (applications are filed there; cross-district filing is not allowed, domain §2b
  step 7). Exception: a *personal* password reset may be done at any district's centre
  (domain §4); a *unit* password reset only in the unit's district.
* **four eyes** -- the clerk who accepted (受理) an application may not approve (审批) it, and an
  application with no recorded acceptance cannot be approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.kernel.errors import NotPermitted, NotVisible
from shared.kernel.roles import Duty, Role
from shared.kernel.text import Text


@dataclass(frozen=True, slots=True)
class Clerk:
    clerk_id: str
    district_code: str
    duties: frozenset[Duty]


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    reason: Text


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    code: str
    reason: Text
    refusals: tuple[Refusal, ...] = ()

    @classmethod
    def of(cls, refusals: list[Refusal], action: Duty) -> Decision:
        if not refusals:
            return cls(True, "allowed", Text(f"允许{action.label.zh}。", f"Allowed to {action.label.en}."))
        first = refusals[0]
        return cls(False, first.code, first.reason, tuple(refusals))

    def __bool__(self) -> bool:
        return self.allowed


def _duty(clerk: Clerk, duty: Duty) -> list[Refusal]:
    if duty in clerk.duties:
        return []
    return [
        Refusal(
            "clerk.missing_duty",
            Text(f"您没有“{duty.label.zh}”职责。", f"You do not have the duty to {duty.label.en}."),
        )
    ]


def _district(clerk: Clerk, district_code: str) -> list[Refusal]:
    if clerk.district_code == district_code:
        return []
    return [
        Refusal(
            "clerk.other_district",
            Text(
                "该事项属于其他区，只能由单位注册地所在区的人才服务中心办理。",
                "This case belongs to another district; only the talent centre of the district where "
                "the unit is registered can handle it.",
            ),
        )
    ]


def may_accept(clerk: Clerk, *, unit_district_code: str) -> Decision:
    """Taking in materials (受理) for an application filed by a unit of ``unit_district_code``."""
    return Decision.of(_duty(clerk, Duty.ACCEPTANCE) + _district(clerk, unit_district_code), Duty.ACCEPTANCE)


def may_approve(clerk: Clerk, *, unit_district_code: str, accepted_by: str | None) -> Decision:
    """Approving the score (审批); ``accepted_by`` is the clerk id recorded at acceptance."""
    refusals = _duty(clerk, Duty.APPROVAL) + _district(clerk, unit_district_code)
    if accepted_by is None:
        refusals.append(
            Refusal(
                "four_eyes.not_accepted",
                Text(
                    "该申请尚无受理记录，不能审批。",
                    "This application has no recorded acceptance, so it cannot be approved.",
                ),
            )
        )
    elif accepted_by == clerk.clerk_id:
        refusals.append(
            Refusal(
                "four_eyes.same_clerk",
                Text(
                    "受理人不能审批同一申请，请交由另一名审批人员办理。",
                    "The clerk who accepted an application may not approve it; another clerk must approve.",
                ),
            )
        )
    return Decision.of(refusals, Duty.APPROVAL)


def may_review_unit_registration(clerk: Clerk, *, unit_district_code: str) -> Decision:
    """Approving or rejecting a unit registration (单位注册审核)."""
    return Decision.of(
        _duty(clerk, Duty.UNIT_REGISTRATION) + _district(clerk, unit_district_code), Duty.UNIT_REGISTRATION
    )


def may_reset_password(
    clerk: Clerk, *, account_role: Role, unit_district_code: str | None = None
) -> Decision:
    """Verifying a password-reset request at the window for an account of ``account_role``.

    Unit accounts: only at the unit's registration district. Personal (applicant) accounts: any
    district.
    """
    if account_role not in (Role.UNIT, Role.APPLICANT):
        raise ValueError(f"{account_role} accounts are not reset at the window")
    refusals = _duty(clerk, Duty.PASSWORD_RESET)
    if account_role is Role.UNIT:
        if unit_district_code is None:
            raise ValueError("a unit password reset needs the unit's district")
        refusals += _district(clerk, unit_district_code)
    return Decision.of(refusals, Duty.PASSWORD_RESET)


def enforce(decision: Decision) -> None:
    """Raise the kernel's error for a refused decision: another district's record is ``NotVisible``
    (a 404 that does not confirm it exists), a missing duty or the four-eyes rule ``NotPermitted``."""
    if decision:
        return
    if any(refusal.code == "clerk.other_district" for refusal in decision.refusals):
        raise NotVisible(Text("未找到该事项。", "Not found."))
    raise NotPermitted(decision.reason, code=decision.code)
