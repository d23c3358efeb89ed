"""Rendering as a side effect of the service's own events (``shared.platform.projections``).

Each ``FormSubmitted`` renders that version of the form, each ``NoticeIssued`` that version of the
notice; the PDF is stored under its deterministic id and then recorded (``RenderedDocument``, which
the relay publishes as ``DocumentRendered``). A crash anywhere in between repeats the render on
restart: the store keeps the copy it has, and the record is made once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio

from services.documents.domain.documents import ApplicationDocuments, RenderedDocument
from services.documents.domain.kinds import DocumentKind, document_id
from services.documents.domain.names import mask_name
from services.documents.rendering.content import form_content, notice_content
from services.documents.rendering.renderer import Renderer, qr_svg
from services.documents.service import DocumentsService
from services.documents.storage import DocumentStore
from shared.contracts.applications import ApplicationApproved, ApplicationFacts
from shared.platform.projections import SideEffect, on

log = logging.getLogger("jifen.documents.rendering")


def verify_url(base_url: str, code: str) -> str:
    """The public page that confirms a notice (printed on it and in its QR code)."""
    return f"{base_url.rstrip('/')}/documents/verify/{code}"


@dataclass(frozen=True, slots=True)
class Rendered:
    """One PDF and what its record needs besides the application's facts."""

    kind: DocumentKind
    version: int
    facts: ApplicationFacts
    pdf: bytes
    document_date: datetime
    notice: dict[str, Any]


class Rendering(SideEffect):
    name = "documents-rendering"

    def __init__(
        self,
        service: DocumentsService,
        renderer: Renderer,
        store: DocumentStore,
        *,
        base_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.service = service
        self.renderer = renderer
        self.store = store
        self.base_url = base_url
        self.clock = clock

    @on(ApplicationDocuments.FormSubmitted)
    async def form_submitted(self, event: ApplicationDocuments.FormSubmitted) -> None:
        await self._produce(event, DocumentKind.APPLICATION_FORM, self._form)

    @on(ApplicationDocuments.NoticeIssued)
    async def notice_issued(self, event: ApplicationDocuments.NoticeIssued) -> None:
        await self._produce(event, DocumentKind.POINTS_NOTICE, self._notice)

    async def _produce(
        self, event: Any, kind: DocumentKind, render: Callable[[Any], Rendered | None]
    ) -> None:
        documents = await anyio.to_thread.run_sync(
            self.service.documents_at, event.originator_id, event.originator_version
        )
        document = document_id(documents.application_id, kind, event.version)
        if await anyio.to_thread.run_sync(self.service.rendered, document) is not None:
            return  # recorded before (the log is being replayed)
        rendered = await anyio.to_thread.run_sync(render, (documents, event))
        if rendered is None:
            return
        stored = await self.store.put(document, rendered.pdf)
        facts = rendered.facts
        record = RenderedDocument(
            application_id=facts.application_id,
            kind=kind.value,
            version=rendered.version,
            application_number=facts.application_number,
            sha256=stored.sha256,
            size_bytes=stored.size_bytes,
            applicant_id=facts.applicant_id,
            unit_id=facts.unit_id,
            district=facts.district,
            document_date=rendered.document_date,
            rendered_at=self.clock(),
            **rendered.notice,
        )
        await anyio.to_thread.run_sync(self.service.record_rendered, record)
        log.info("rendered %s v%d of %s", kind.value, rendered.version, documents.application_id)

    def _form(self, given: tuple[ApplicationDocuments, ApplicationDocuments.FormSubmitted]) -> Rendered:
        documents, event = given
        submitted, form = self.service.submitted_form(documents, event.version)
        pdf = self.renderer.render("form", form_content(submitted, form), timestamp=submitted.submitted_at)
        return Rendered(
            DocumentKind.APPLICATION_FORM, event.version, submitted, pdf, submitted.submitted_at, {}
        )

    def _notice(
        self, given: tuple[ApplicationDocuments, ApplicationDocuments.NoticeIssued]
    ) -> Rendered | None:
        documents, event = given
        if event.form_version is None:
            log.error(
                "notice v%d of %s not rendered: no submitted form was received for it",
                event.version,
                documents.application_id,
            )
            return None
        approved = ApplicationApproved.model_validate(event.approved)
        _, form = self.service.submitted_form(documents, event.form_version)
        url = verify_url(self.base_url, event.verification_code)
        content = notice_content(
            approved,
            form,
            version=event.version,
            verification_code=event.verification_code,
            verify_url=url,
        )
        pdf = self.renderer.render("notice", content, timestamp=approved.approved_at, qr=qr_svg(url))
        notice = {
            "verification_code": event.verification_code,
            "holder_name_masked": mask_name(form.personal_info.name),
            "verified_total": approved.verified_total,
            "pass_mark": approved.pass_mark,
        }
        return Rendered(
            DocumentKind.POINTS_NOTICE, event.version, approved, pdf, approved.approved_at, notice
        )
