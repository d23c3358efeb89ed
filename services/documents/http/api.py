"""The documents JSON API: the public verification of a notice, an application's documents, and the
PDFs themselves (Bearer tokens; the same access rule as the pages)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Response, Router, get
from litestar.openapi.spec import Example
from litestar.params import FromPath, Parameter
from pydantic import BaseModel, Field

from services.documents.domain.access import may_download
from services.documents.domain.kinds import DocumentKind
from services.documents.domain.verification import malformed_code, normalise_code
from services.documents.http import downloads
from services.documents.readmodels import documents_of_application, verification
from shared.kernel.districts import district_label
from shared.kernel.errors import NotVisible, ValidationFailed
from shared.kernel.moments import shanghai_date
from shared.kernel.text import Text

UNKNOWN_CODE = Text(
    "没有与该核验码对应的积分通知书。请核对通知书上的核验码；仍不一致的，该通知书不是本系统出具的。",
    "No points notice has this verification code. Check the code on the notice; if it still does not match,"
    " the notice was not issued by this system.",
)
CODE_EXAMPLE = "7K2M-Q9XD-4TNB-H8VR"


class NoticeVerification(BaseModel):
    """A genuine notice, as the public may see it."""

    genuine: bool = Field(description="always true: an unknown code is a 404")
    holder_name_masked: str = Field(description="the holder's name, masked (张*)")
    verified_total: int
    pass_mark: int
    reaches_pass_mark: bool
    issued_on: date = Field(description="the approval date (Shanghai time)")
    district: str = Field(description="GB/T 2260 code of the issuing district")
    district_name: str
    version: int
    superseded: bool = Field(description="a later notice replaced this one for the same application")


class DocumentSummary(BaseModel):
    document_id: UUID
    kind: str = Field(description="application_form | points_notice")
    version: int
    sha256: str
    size_bytes: int
    rendered_at: str
    download_url: str


@get(
    "/verify/{code:str}",
    operation_id="VerifyNotice",
    summary="Verify a points notice by the code printed on it",
    description="Public (no sign-in) and rate-limited at the gateway. What cannot be a code is a 422 "
    "problem naming the field; a well-formed code no notice has is a 404 problem.",
    tags=["verification"],
    exclude_from_auth=True,
    security=[{}],
)
async def verify_notice(
    request: Request[Any, Any, Any],
    code: Annotated[
        str,
        Parameter(
            description="as printed (case, dashes and spaces do not matter)",
            examples=[Example(value=CODE_EXAMPLE)],
        ),
    ],
) -> NoticeVerification:
    normalised = normalise_code(code)
    if normalised is None:
        raise ValidationFailed([malformed_code()])
    found = await verification(request.app.state.db_pool, normalised)
    if found is None:
        raise NotVisible(UNKNOWN_CODE, code="documents.unknown_code")
    return NoticeVerification(
        genuine=True,
        holder_name_masked=found.holder_name_masked,
        verified_total=found.verified_total,
        pass_mark=found.pass_mark,
        reaches_pass_mark=found.verified_total >= found.pass_mark,
        issued_on=shanghai_date(found.document_date),
        district=found.district,
        district_name=district_label(found.district).zh,
        version=found.version,
        superseded=found.superseded,
    )


@get(
    "/applications/{application_id:str}/documents",
    operation_id="ListApplicationDocuments",
    summary="Every rendered version of an application's form and notice",
    description="For the applicant, their unit and the district's clerks; anyone else gets a 404.",
    tags=["documents"],
    opt=downloads.DOWNLOADERS,
)
async def list_documents(
    request: Request[Any, Any, Any],
    application_id: Annotated[str, Parameter(description="the application id (from DocumentRendered)")],
) -> list[DocumentSummary]:
    found = await documents_of_application(request.app.state.db_pool, application_id)
    viewer = downloads.viewer_of(request.user)
    if not found or not may_download(viewer, found[0].owners):
        raise NotVisible(downloads.NOT_FOUND)
    return [
        DocumentSummary(
            document_id=d.document_id,
            kind=d.kind.value,
            version=d.version,
            sha256=d.sha256,
            size_bytes=d.size_bytes,
            rendered_at=d.rendered_at.isoformat(),
            download_url=downloads.file_url(d.document_id),
        )
        for d in found
    ]


@get(
    "/applications/{application_id:str}/form",
    operation_id="DownloadLatestForm",
    summary="The latest application form (积分申请表) as PDF",
    media_type=downloads.PDF,
    tags=["documents"],
    opt=downloads.DOWNLOADERS,
)
async def download_latest_form(
    request: Request[Any, Any, Any], application_id: FromPath[str]
) -> Response[bytes]:
    return await downloads.latest(request, application_id, DocumentKind.APPLICATION_FORM)


@get(
    "/applications/{application_id:str}/notice",
    operation_id="DownloadLatestNotice",
    summary="The latest points notice (积分通知书) as PDF",
    media_type=downloads.PDF,
    tags=["documents"],
    opt=downloads.DOWNLOADERS,
)
async def download_latest_notice(
    request: Request[Any, Any, Any], application_id: FromPath[str]
) -> Response[bytes]:
    return await downloads.latest(request, application_id, DocumentKind.POINTS_NOTICE)


@get(
    "/files/{document_id:uuid}",
    operation_id="DownloadDocument",
    summary="One version of a document as PDF (the document_id of DocumentRendered)",
    media_type=downloads.PDF,
    tags=["documents"],
    opt=downloads.DOWNLOADERS,
)
async def download_document(request: Request[Any, Any, Any], document_id: FromPath[UUID]) -> Response[bytes]:
    return await downloads.by_id(request, document_id)


router = Router(
    path="/api/documents",
    route_handlers=[
        verify_notice,
        list_documents,
        download_latest_form,
        download_latest_notice,
        download_document,
    ],
)
