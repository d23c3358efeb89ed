"""The documents service's eventsourcing application: the application form and points notice PDFs and their
verification.

The applications' events it renders from arrive through its INBOUND table (``integration.py``) and
are recorded on each application's ``ApplicationDocuments``; rendering follows from those events
(``rendering/effect.py``) and ends in ``record_rendered``. Queries by id read its repository.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.documents.domain.documents import ApplicationDocuments, RenderedDocument
from shared.contracts.applications import ApplicationSubmitted, SubmittedForm
from shared.platform.application import ServiceApplication


class DocumentsService(ServiceApplication):
    name = "documents"
    """Prefixes the tables (documents_events, documents_tracking), env lookups and tracking names.

    Never rename it."""

    def documents_of(self, application_id: str) -> ApplicationDocuments:
        """The application's record, a new (unsaved) one if nothing was received for it yet."""
        try:
            found: ApplicationDocuments = self.repository.get(ApplicationDocuments.create_id(application_id))
        except AggregateNotFoundError:
            return ApplicationDocuments(application_id)
        return found

    def documents_at(self, documents_id: UUID, version: int) -> ApplicationDocuments:
        """The record as it was at ``version`` (what an event being rendered saw)."""
        found: ApplicationDocuments = self.repository.get(documents_id, version=version)
        return found

    def submitted_form(
        self, documents: ApplicationDocuments, version: int
    ) -> tuple[ApplicationSubmitted, SubmittedForm]:
        """Version ``version`` of the form as submitted, its personal data opened."""
        submitted = ApplicationSubmitted.model_validate(documents.forms[version])
        form = self.sealing.open_kept(
            submitted.form,
            payload=ApplicationSubmitted,
            subject=documents.subjects[version],
            model=SubmittedForm,
        )
        return submitted, form

    def rendered(self, document_id: UUID) -> RenderedDocument | None:
        try:
            found: RenderedDocument = self.repository.get(document_id)
        except AggregateNotFoundError:
            return None
        return found

    def record_rendered(self, document: RenderedDocument) -> RenderedDocument:
        """Save a new record of a stored version once; saving it again returns the first record."""
        try:
            self.save(document)
        except IntegrityError:
            existing = self.rendered(document.id)
            if existing is None:
                raise
            return existing
        return document
