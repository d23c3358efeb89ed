"""Documents pages: the landing page, the public verification of a notice, and the PDF downloads
(the applications pages' print buttons link to ``/documents/applications/<id>/form|notice``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, Router, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from services.documents.domain.kinds import DocumentKind
from services.documents.domain.verification import malformed_code, normalise_code
from services.documents.http import downloads
from services.documents.readmodels import verification
from shared.kernel.districts import district_label
from shared.platform import requestctx
from shared.platform.forms import FormErrors
from shared.platform.web import page


@get("/", name="documents:home", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def documents_home() -> Template:
    return page("documents/home.html", errors=FormErrors(), typed="")


@get(
    "/verify",
    name="documents:verify-form",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def verify_form(request: Request[Any, Any, Any], code: FromQuery[str | None] = None) -> Template | Redirect:
    """The verification form (a GET form, so it needs no session); a code goes to its result page."""
    if code is None:
        return page("documents/verify.html", errors=FormErrors(), typed="")
    normalised = normalise_code(code)
    if normalised is None:
        return _malformed(request, code)
    return Redirect(f"/documents/verify/{normalised}", status_code=303)


def _malformed(request: Request[Any, Any, Any], typed: str) -> Template:
    """The form again, what was typed kept, saying it cannot be a code (422)."""
    errors = FormErrors.of([malformed_code()], requestctx.language(request.scope))
    return page("documents/verify.html", status_code=422, errors=errors, typed=typed)


@get(
    "/verify/{code:str}",
    name="documents:verify",
    exclude_from_auth=True,
    include_in_schema=False,
)
async def verify_page(request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
    """Whether a notice with this code was issued: masked name, score, date, district; or plainly not."""
    normalised = normalise_code(code)
    if normalised is None:  # an address typed or mangled by hand: the form says what is wrong
        return _malformed(request, code)
    found = await verification(request.app.state.db_pool, normalised)
    return page(
        "documents/verify_result.html",
        status_code=200 if found else 404,
        found=found,
        code=normalised,
        district=district_label(found.district) if found else None,
        errors=FormErrors(),
        typed="",
    )


@get(
    "/applications/{application_id:str}/form",
    name="documents:latest-form",
    include_in_schema=False,
    opt=downloads.DOWNLOADERS,
)
async def latest_form(request: Request[Any, Any, Any], application_id: FromPath[str]) -> Response[bytes]:
    return await downloads.latest(request, application_id, DocumentKind.APPLICATION_FORM)


@get(
    "/applications/{application_id:str}/notice",
    name="documents:latest-notice",
    include_in_schema=False,
    opt=downloads.DOWNLOADERS,
)
async def latest_notice(request: Request[Any, Any, Any], application_id: FromPath[str]) -> Response[bytes]:
    return await downloads.latest(request, application_id, DocumentKind.POINTS_NOTICE)


@get("/files/{document_id:uuid}", name="documents:file", include_in_schema=False, opt=downloads.DOWNLOADERS)
async def document_file(request: Request[Any, Any, Any], document_id: FromPath[UUID]) -> Response[bytes]:
    return await downloads.by_id(request, document_id)


router = Router(
    path="/documents",
    route_handlers=[documents_home, verify_form, verify_page, latest_form, latest_notice, document_file],
)
