"""Accounts pages: the portal home (门户首页), sign-in entry points and the design-system showcase."""

from __future__ import annotations

from datetime import timedelta

from litestar import Router, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.roles import Role
from shared.platform.auth import ROLES
from shared.platform.opening_hours import OpeningHours
from shared.platform.web import page


@get("/", name="accounts:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def portal_home(state: State) -> Template:
    """What the system is, who signs in where, the simulator and the opening hours."""
    hours: OpeningHours = state.opening_hours
    return page("accounts/home.html", hours=hours.label(), open_now=hours.is_open(state.clock()))


@get(
    "/login/{role:str}",
    name="accounts:login",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def sign_in_placeholder(role: FromPath[str]) -> Template:
    """Where each kind of user signs in (``/accounts/login/unit|applicant|clerk``). The sign-in form
    itself arrives with the accounts feature."""
    if role not in ROLES:
        raise NotFoundException()
    return page("accounts/login.html", role=Role(role))


@get(
    "/design-system",
    name="accounts:design-system",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def design_system(state: State) -> Template:
    """Every shared UI component with example data (chrome from the catalogue, statuses, kinds and roles
    with the kernel's labels), for review."""
    hours: OpeningHours = state.opening_hours
    now = state.clock().astimezone(hours.tz).replace(second=0, microsecond=0)
    status = ApplicationStatus
    timeline = [
        {"status": status.AWAITING_ACCEPTANCE, "time": now, "actor": Role.SYSTEM, "reason": None},
        {
            "status": status.UNIT_APPROVED,
            "time": now - timedelta(hours=2),
            "actor": Role.UNIT,
            "reason": None,
        },
        {
            "status": status.RETURNED_BY_UNIT,
            "time": now - timedelta(days=1),
            "actor": Role.UNIT,
            "reason": "returned",
        },
        {"status": status.DRAFT, "time": now - timedelta(days=3), "actor": Role.APPLICANT, "reason": None},
    ]
    return page(
        "accounts/design_system.html",
        timeline=timeline,
        hours=hours.label(),
        statuses=list(ApplicationStatus),
        kinds=ApplicationKind,
    )


router = Router(path="/accounts", route_handlers=[portal_home, sign_in_placeholder, design_system])
