"""Accounts pages: the portal home (门户首页), sign-in entry points and the design-system showcase."""

from __future__ import annotations

from datetime import timedelta

from litestar import Router, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

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
    """Where each kind of user signs in. The sign-in form itself arrives with the accounts feature."""
    if role not in ROLES:
        raise NotFoundException()
    return page("accounts/login.html", role=role)


@get(
    "/design-system",
    name="accounts:design-system",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def design_system(state: State) -> Template:
    """Every shared UI component with example data (texts from the catalogue), for review."""
    hours: OpeningHours = state.opening_hours
    now = state.clock().astimezone(hours.tz).replace(second=0, microsecond=0)
    timeline = [
        {"status": "AWAITING_ACCEPTANCE", "time": now, "actor": "system", "reason": None},
        {"status": "UNIT_APPROVED", "time": now - timedelta(hours=2), "actor": "unit", "reason": None},
        {
            "status": "RETURNED_BY_UNIT",
            "time": now - timedelta(days=1),
            "actor": "unit",
            "reason": "returned",
        },
        {"status": "DRAFT", "time": now - timedelta(days=3), "actor": "person", "reason": None},
    ]
    return page("accounts/design_system.html", timeline=timeline, hours=hours.label())


router = Router(path="/accounts", route_handlers=[portal_home, sign_in_placeholder, design_system])
