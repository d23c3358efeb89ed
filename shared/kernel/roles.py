"""The one vocabulary of who acts: roles (in tokens, events, domains and contracts) and clerk duties.

The same lower-case names are used everywhere: a token's ``role`` claim, an event's actor role, the
status contract's ``actor.role`` and the domains' rules, so no layer translates them.
"""

from __future__ import annotations

from shared.kernel.text import LabelledEnum, Text


class Role(LabelledEnum):
    """Who acts. The first three hold accounts and sign in; the system is a process (a policy)."""

    APPLICANT = "applicant", Text("申请人", "Applicant")
    """申请人 (个人账号): the residence-permit holder applying for points."""
    UNIT = "unit", Text("用人单位", "Employer unit")
    """用人单位, acting through its HR specialist (人事专员) on the unit account."""
    CLERK = "clerk", Text("人才服务中心工作人员", "Talent-centre clerk")
    """A clerk of a district talent service centre (区人才服务中心)."""
    SYSTEM = "system", Text("系统", "System")


ACCOUNT_ROLES: tuple[Role, ...] = (Role.UNIT, Role.APPLICANT, Role.CLERK)
"""The roles that hold accounts and sign in (in the order the sign-in page offers them)."""


class Duty(LabelledEnum):
    """What a clerk may do at the window; a clerk holds one or more (accounts grants them)."""

    UNIT_REGISTRATION = "unit_registration", Text("单位注册审核", "review unit registrations")
    """单位注册审核: approve or reject unit registrations of the clerk's district."""
    ACCEPTANCE = "acceptance", Text("受理", "accept applications")
    """受理: take in materials, accept, refuse, return for correction; record withdrawals (申请撤销), which
    are asked for at the same window."""
    APPROVAL = "approval", Text("审批", "approve scores")
    """审批: verify the score and approve or reject (never a case the same clerk accepted)."""
    PASSWORD_RESET = "password_reset", Text("密码重置", "reset passwords")
    """密码重置: record and verify password-reset requests at the window."""
    ADMINISTRATOR = "administrator", Text("管理员", "administer clerk accounts")
    """管理员: manage the clerk accounts."""
