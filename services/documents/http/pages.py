"""Documents pages. For now: the service's landing page (verification of notices comes later)."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from shared.platform.web import page


@get("/", name="documents:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def documents_home() -> Template:
    return page("documents/home.html")


router = Router(path="/documents", route_handlers=[documents_home])
