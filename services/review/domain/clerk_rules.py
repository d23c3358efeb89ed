"""Who may do what at the talent centre: duties, districts and the four-eyes rule.

Pure checks that return a :class:`Decision` with a stable code and zh-CN / English reasons.
Every rule that fails is listed in ``refusals`` (first one in ``code``/``reason_*``) so the clerk
UI can show them all.

Rules:

* **duty** -- a clerk acts only with the matching duty: accept (受理), approve (审批),
  register units (单位注册审核), reset passwords (密码重置).
* **district** -- a clerk acts only in their own district, i.e. the district where the unit is
  registered (applications are filed there; cross-district filing is not allowed, domain §2b
  step 7). Exception: a *personal* password reset may be done at any district's centre
  (domain §4); a *unit* password reset only in the unit's district.
* **four eyes** -- the clerk who accepted (受理) an application may not approve (审批) it, and an
  application with no recorded acceptance cannot be approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Duty(StrEnum):
    ACCEPT = "accept"
    APPROVE = "approve"
    REGISTER_UNITS = "register_units"
    RESET_PASSWORDS = "reset_passwords"

    @property
    def label_zh(self) -> str:
        return {
            "accept": "受理",
            "approve": "审批",
            "register_units": "单位注册审核",
            "reset_passwords": "密码重置",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "accept": "accept applications",
            "approve": "approve scores",
            "register_units": "review unit registrations",
            "reset_passwords": "reset passwords",
        }[self.value]


class AccountKind(StrEnum):
    UNIT = "unit"
    PERSON = "person"


@dataclass(frozen=True, slots=True)
class Clerk:
    clerk_id: str
    district_code: str
    duties: frozenset[Duty]


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    code: str
    reason_zh: str
    reason_en: str
    refusals: tuple[Refusal, ...] = ()

    @classmethod
    def of(cls, refusals: list[Refusal], action: Duty) -> Decision:
        if not refusals:
            return cls(
                True,
                "allowed",
                f"允许{action.label_zh}。",
                f"Allowed to {action.label_en}.",
            )
        first = refusals[0]
        return cls(False, first.code, first.reason_zh, first.reason_en, tuple(refusals))

    def __bool__(self) -> bool:
        return self.allowed


def _duty(clerk: Clerk, duty: Duty) -> list[Refusal]:
    if duty in clerk.duties:
        return []
    return [
        Refusal(
            "clerk.missing_duty",
            f"您没有“{duty.label_zh}”职责。",
            f"You do not have the duty to {duty.label_en}.",
        )
    ]


def _district(clerk: Clerk, district_code: str) -> list[Refusal]:
    if clerk.district_code == district_code:
        return []
    return [
        Refusal(
            "clerk.other_district",
            "该事项属于其他区，只能由单位注册地所在区的人才服务中心办理。",
            "This case belongs to another district; only the talent centre of the district where "
            "the unit is registered can handle it.",
        )
    ]


def may_accept(clerk: Clerk, *, unit_district_code: str) -> Decision:
    """Taking in materials (受理) for an application filed by a unit of ``unit_district_code``."""
    return Decision.of(_duty(clerk, Duty.ACCEPT) + _district(clerk, unit_district_code), Duty.ACCEPT)


def may_approve(clerk: Clerk, *, unit_district_code: str, accepted_by: str | None) -> Decision:
    """Approving the score (审批); ``accepted_by`` is the clerk id recorded at acceptance."""
    refusals = _duty(clerk, Duty.APPROVE) + _district(clerk, unit_district_code)
    if accepted_by is None:
        refusals.append(
            Refusal(
                "four_eyes.not_accepted",
                "该申请尚无受理记录，不能审批。",
                "This application has no recorded acceptance, so it cannot be approved.",
            )
        )
    elif accepted_by == clerk.clerk_id:
        refusals.append(
            Refusal(
                "four_eyes.same_clerk",
                "受理人不能审批同一申请，请交由另一名审批人员办理。",
                "The clerk who accepted an application may not approve it; another clerk must approve.",
            )
        )
    return Decision.of(refusals, Duty.APPROVE)


def may_review_unit_registration(clerk: Clerk, *, unit_district_code: str) -> Decision:
    """Approving or rejecting a unit registration (单位注册审核)."""
    return Decision.of(
        _duty(clerk, Duty.REGISTER_UNITS) + _district(clerk, unit_district_code), Duty.REGISTER_UNITS
    )


def may_reset_password(
    clerk: Clerk, *, account_kind: AccountKind, unit_district_code: str | None = None
) -> Decision:
    """Verifying a password-reset request at the window.

    Unit accounts: only at the unit's registration district. Personal accounts: any district.
    """
    refusals = _duty(clerk, Duty.RESET_PASSWORDS)
    if account_kind is AccountKind.UNIT:
        if unit_district_code is None:
            raise ValueError("a unit password reset needs the unit's district")
        refusals += _district(clerk, unit_district_code)
    return Decision.of(refusals, Duty.RESET_PASSWORDS)
