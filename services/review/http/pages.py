"""Review (district talent-service-centre) pages. For now: the service's landing page."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from shared.platform.web import page


@get("/", name="review:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def review_home() -> Template:
    return page("review/home.html")


router = Router(path="/review", route_handlers=[review_home])
