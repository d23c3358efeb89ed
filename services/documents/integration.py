"""What the documents service publishes (OUTBOUND) and applies (INBOUND); see
``shared.platform.integration``.

In: each submission (the form, sealed) and each approval of an application. Out: each stored PDF
(``DocumentRendered``), from which the applications pages show their print buttons.
"""

from __future__ import annotations

import secrets
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from services.documents.domain.documents import RenderedDocument
from services.documents.domain.verification import CODE_BYTES, new_code
from services.documents.service import DocumentsService
from shared.contracts.applications import ApplicationApproved, ApplicationSubmitted, SubmittedForm
from shared.contracts.documents import DocumentRendered
from shared.platform.integration import Inbound, Outbound, Received


def on_submitted(
    documents: DocumentsService, message: Received[ApplicationSubmitted], processing: ProcessingEvent[UUID]
) -> None:
    """A submission is the next version of the form. Its sealed form is kept sealed; it is opened
    here once so that a form this service cannot read stops at the door, not at rendering."""
    submitted = message.payload
    documents.sealing.open(message, submitted.form, SubmittedForm)
    record = documents.documents_of(submitted.application_id)
    if record.submit_form(submitted.submission, submitted.model_dump(mode="json"), message.envelope.subject):
        processing.collect_events(record)


def on_approved(
    documents: DocumentsService, message: Received[ApplicationApproved], processing: ProcessingEvent[UUID]
) -> None:
    """An approval issues the next version of the notice, with a fresh unguessable code."""
    approved = message.payload
    record = documents.documents_of(approved.application_id)
    code = new_code(secrets.token_bytes(CODE_BYTES))
    if record.issue_notice(approved.model_dump(mode="json"), code) is not None:
        processing.collect_events(record)


def document_rendered(event: RenderedDocument.Recorded) -> DocumentRendered:
    return DocumentRendered(
        document_id=str(event.originator_id),
        application_id=event.application_id,
        application_number=event.application_number,
        kind=event.kind,  # type: ignore[arg-type]  # DocumentKind's values are the contract's
        version=event.version,
        sha256=event.sha256,
        size_bytes=event.size_bytes,
        verification_code=event.verification_code,
        rendered_at=event.rendered_at,
    )


OUTBOUND = Outbound({RenderedDocument.Recorded: document_rendered})
INBOUND = Inbound({ApplicationSubmitted: on_submitted, ApplicationApproved: on_approved})
