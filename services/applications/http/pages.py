"""Applications pages. For now: the service's landing page and the points-simulator placeholder."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from shared.platform.web import page


@get("/", name="applications:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def applications_home() -> Template:
    return page("applications/home.html")


@get(
    "/simulator",
    name="applications:simulator",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def simulator_placeholder() -> Template:
    """积分模拟打分器: public; the calculator arrives with the points feature."""
    return page("applications/simulator.html")


router = Router(path="/applications", route_handlers=[applications_home, simulator_placeholder])
