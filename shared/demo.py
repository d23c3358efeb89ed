"""The demo cast: who ``deploy/run.sh`` seeds so that a newcomer can try the system at once.

Pure data, read by each service's ``seed-demo`` command (``services/<name>/demo.py``), which plays
its own part through its own service methods, exactly as a person's request would, and finds what
the others did by the published facts (credit codes, usernames, masked ID numbers). The stable
names are what make seeding idempotent: a second run finds every account, unit, application and
decision there and creates nothing. ``python -m deploy.demo`` runs the three parts together and
prints the sign-ins.

The people, companies and numbers are invented (valid check characters, nobody's real data); the
one demo password is printed for anyone to use, which is the point of a demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from shared.kernel.credit_code import compose_credit_code
from shared.kernel.id_number import compose_id_number, mask_id_number
from shared.kernel.roles import Duty

DEMO_PASSWORD = "Jifen-Demo-2026"
"""Every demo account's password (units, applicants and clerks)."""

PUDONG = "310115"
XUHUI = "310104"


@dataclass(frozen=True, slots=True)
class DemoUnit:
    credit_code: str
    name: str
    district: str
    address: str
    hr_name: str
    mobile: str
    email: str
    approved: bool
    """Approved by a clerk of its district in the demo; otherwise left awaiting review."""


@dataclass(frozen=True, slots=True)
class DemoClerk:
    username: str
    name: str
    district: str
    duties: tuple[Duty, ...]


class Stage(Enum):
    """How far the demo takes an applicant's application."""

    DRAFT = "draft"
    """Started, both pledges given, the personal information saved (填写中)."""
    COMPLETED = "completed"
    """Every section filled and 完成: waiting for the unit's check (已完成)."""
    SUBMITTED = "submitted"
    """单位审核通过: at the talent centre, waiting for acceptance (等待受理)."""
    ACCEPTED = "accepted"
    """受理通过 by the acceptance clerk: waiting for approval (等待审批)."""
    APPROVED = "approved"
    """审批通过 by the approval clerk; documents renders the 积分通知书."""


@dataclass(frozen=True, slots=True)
class DemoApplicant:
    name: str
    id_number: str
    birth_date: date
    mobile: str
    email: str
    stage: Stage

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


DEMO_UNIT = DemoUnit(
    credit_code=compose_credit_code(PUDONG, "MA1DEM00"),
    name="上海浦江示范科技有限公司",
    district=PUDONG,
    address="上海市浦东新区张江路100号",
    hr_name="周敏",
    mobile="13900000001",
    email="hr@pujiang-demo.example",
    approved=True,
)
PENDING_UNIT = DemoUnit(
    credit_code=compose_credit_code(XUHUI, "MA1DEM01"),
    name="上海徐汇示范文化传媒有限公司",
    district=XUHUI,
    address="上海市徐汇区漕溪北路200号",
    hr_name="吴磊",
    mobile="13900000002",
    email="hr@xuhui-demo.example",
    approved=False,
)
UNITS = (DEMO_UNIT, PENDING_UNIT)

CLERKS = (
    DemoClerk("pd-admin", "浦东管理员", PUDONG, (Duty.ADMINISTRATOR,)),
    DemoClerk(
        "pd-accept", "浦东受理员", PUDONG, (Duty.ACCEPTANCE, Duty.UNIT_REGISTRATION, Duty.PASSWORD_RESET)
    ),
    DemoClerk("pd-approve", "浦东审批员", PUDONG, (Duty.APPROVAL,)),
    DemoClerk("xh-admin", "徐汇管理员", XUHUI, (Duty.ADMINISTRATOR,)),
    DemoClerk("xh-accept", "徐汇受理员", XUHUI, (Duty.ACCEPTANCE, Duty.UNIT_REGISTRATION)),
    DemoClerk("xh-approve", "徐汇审批员", XUHUI, (Duty.APPROVAL,)),
)
UNIT_REVIEWER = CLERKS[1]
"""Approves the demo unit's registration (pd-accept holds 单位注册审核 in Pudong)."""
ACCEPTOR = CLERKS[1]
APPROVER = CLERKS[2]
"""Two different clerks: the four-eyes rule forbids approving a case one accepted."""


def _applicant(name: str, born: date, sequence: int, number: int, stage: Stage) -> DemoApplicant:
    return DemoApplicant(
        name=name,
        id_number=compose_id_number("320102", born, sequence),
        birth_date=born,
        mobile=f"1380000{number:04d}",
        email=f"applicant{number}@demo.example",
        stage=stage,
    )


APPLICANTS = (
    _applicant("王芳", date(1992, 3, 8), 202, 1, Stage.DRAFT),
    _applicant("李强", date(1988, 11, 20), 311, 2, Stage.COMPLETED),
    _applicant("陈静", date(1990, 6, 15), 424, 3, Stage.SUBMITTED),
    _applicant("刘洋", date(1987, 1, 30), 533, 4, Stage.ACCEPTED),
    _applicant("赵敏", date(1991, 9, 12), 646, 5, Stage.APPROVED),
)
REVIEWED = (Stage.ACCEPTED, Stage.APPROVED)
"""The stages review plays a part in (it accepts them; it approves ``Stage.APPROVED``)."""
AT_THE_CENTRE = (Stage.SUBMITTED, *REVIEWED)
"""The stages past 单位审核通过."""
