"""Applications pages. For now: the service's landing page (the simulator is ``http/simulator.py``)."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from shared.platform.web import page


@get("/", name="applications:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def applications_home() -> Template:
    return page("applications/home.html")


router = Router(path="/applications", route_handlers=[applications_home])
