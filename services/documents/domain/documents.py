"""The documents of one application, and each rendered file.

* ``ApplicationDocuments`` (one per application) records what the documents are rendered from, as the
  applications service published it: every submission of the form (a resubmission is the next
  version; the old ones are kept) and every approval, for which it issues the notice's verification
  code. The submitted form stays sealed here as it arrived (personal data is opened only to render).
* ``RenderedDocument`` (one per file, id ``document_id(application, kind, version)``) records that a
  version was rendered and stored, with its SHA-256: created once, so rendering again after a crash
  records nothing new.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.documents.domain.access import Owners
from services.documents.domain.kinds import DOCUMENTS_NS, DocumentKind, document_id

Record = dict[str, Any]
"""A published payload as JSON-compatible data (``model_dump(mode="json")``)."""


class ApplicationDocuments(Aggregate):
    """What an application's documents are rendered from, version by version."""

    TOPIC = "documents.ApplicationDocuments"

    class Event(Aggregate.Event):
        TOPIC = "documents.ApplicationDocuments.Event"

    class Created(Aggregate.Created):
        TOPIC = "documents.ApplicationDocuments.Created"

    class Opened(Aggregate.Created):
        TOPIC = "documents.ApplicationDocuments.Opened"
        application_id: str

    class FormSubmitted(Aggregate.Event):
        """Version ``version`` of the form: the ``ApplicationSubmitted`` payload (form still sealed for
        the message about ``subject``)."""

        TOPIC = "documents.ApplicationDocuments.FormSubmitted"
        version: int
        submitted: Record
        subject: str

    class NoticeIssued(Aggregate.Event):
        """Version ``version`` of the notice: the ``ApplicationApproved`` payload, the code printed on
        it, and the form version whose personal data it carries (``None``: no form was received)."""

        TOPIC = "documents.ApplicationDocuments.NoticeIssued"
        version: int
        approved: Record
        verification_code: str
        form_version: int | None

    @staticmethod
    def create_id(application_id: str) -> UUID:
        return uuid.uuid5(DOCUMENTS_NS, f"application/{application_id}")

    @event(Opened)
    def __init__(self, application_id: str) -> None:
        self.application_id = application_id
        self.forms: dict[int, Record] = {}
        self.subjects: dict[int, str] = {}
        self.notices: dict[int, Record] = {}

    @property
    def latest_form_version(self) -> int | None:
        return max(self.forms, default=None)

    def submit_form(self, version: int, submitted: Record, subject: str) -> bool:
        """Record a submission (``version`` = the applications' submission counter); False when that
        version is already recorded (a message delivered twice)."""
        if version < 1:
            raise ValueError("form versions start at 1")
        if version in self.forms:
            return False
        self._form_submitted(version=version, submitted=submitted, subject=subject)
        return True

    @event(FormSubmitted)
    def _form_submitted(self, version: int, submitted: Record, subject: str) -> None:
        self.forms[version] = submitted
        self.subjects[version] = subject

    def issue_notice(self, approved: Record, verification_code: str) -> int | None:
        """Record an approval as the next version of the notice, printed with ``verification_code``;
        ``None`` when this approval (same time) is already recorded."""
        if any(
            notice["approved"].get("approved_at") == approved.get("approved_at")
            for notice in self.notices.values()
        ):
            return None
        version = len(self.notices) + 1
        self._notice_issued(
            version=version,
            approved=approved,
            verification_code=verification_code,
            form_version=self.latest_form_version,
        )
        return version

    @event(NoticeIssued)
    def _notice_issued(
        self, version: int, approved: Record, verification_code: str, form_version: int | None
    ) -> None:
        self.notices[version] = {
            "approved": approved,
            "verification_code": verification_code,
            "form_version": form_version,
        }


class RenderedDocument(Aggregate):
    """One stored PDF: which version of which document, its hash, and who may download it."""

    TOPIC = "documents.RenderedDocument"

    class Event(Aggregate.Event):
        TOPIC = "documents.RenderedDocument.Event"

    class Created(Aggregate.Created):
        TOPIC = "documents.RenderedDocument.Created"

    class Recorded(Aggregate.Created):
        """A version rendered and stored. Carries every fact the published ``DocumentRendered``, the
        download index and the public verification need (the notice's: code, masked name, score)."""

        TOPIC = "documents.RenderedDocument.Recorded"
        application_id: str
        kind: str
        version: int
        application_number: str
        sha256: str
        size_bytes: int
        applicant_id: str
        unit_id: str
        district: str
        document_date: datetime
        rendered_at: datetime
        verification_code: str | None
        holder_name_masked: str | None
        verified_total: int | None
        pass_mark: int | None

    @staticmethod
    def create_id(application_id: str, kind: str, version: int) -> UUID:
        return document_id(application_id, DocumentKind(kind), version)

    @event(Recorded)
    def __init__(
        self,
        application_id: str,
        kind: str,
        version: int,
        application_number: str,
        sha256: str,
        size_bytes: int,
        applicant_id: str,
        unit_id: str,
        district: str,
        document_date: datetime,
        rendered_at: datetime,
        verification_code: str | None = None,
        holder_name_masked: str | None = None,
        verified_total: int | None = None,
        pass_mark: int | None = None,
    ) -> None:
        self.application_id = application_id
        self.kind = DocumentKind(kind)
        self.version = version
        self.application_number = application_number
        self.sha256 = sha256
        self.size_bytes = size_bytes
        self.owners = Owners(applicant_id, unit_id, district)
        self.document_date = document_date
        self.rendered_at = rendered_at
        self.verification_code = verification_code
        self.holder_name_masked = holder_name_masked
        self.verified_total = verified_total
        self.pass_mark = pass_mark
