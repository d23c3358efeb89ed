"""Published language of the documents service (``jifen.documents.events.v1``)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import events_topic

DOCUMENTS_TOPIC = events_topic("documents")

DocumentKind = Literal["application_form", "points_notice"]
"""积分申请表 (rendered on submission) or 积分通知书 (rendered on approval)."""


@published(source="documents", topic=DOCUMENTS_TOPIC)
class DocumentRendered(BaseModel):
    """A PDF is ready to download: the applications pages show its print button.

    A resubmission renders a new version of the form; earlier versions are kept.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    document_id: str
    application_id: str
    application_number: str
    kind: DocumentKind
    version: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int = Field(ge=1)
    verification_code: str | None = Field(
        default=None, description="points notice only: the code printed on it for public verification"
    )
    rendered_at: AwareDatetime
