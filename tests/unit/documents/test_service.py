"""The documents service in memory: what the inbox applies, what rendering stores and records, and what
is published, including a render repeated after a crash between storing and recording."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from eventsourcing.persistence import Tracking
from pydantic import BaseModel

from services.documents.domain.documents import ApplicationDocuments, RenderedDocument
from services.documents.domain.kinds import DocumentKind, document_id
from services.documents.domain.verification import normalise_code
from services.documents.integration import INBOUND, OUTBOUND
from services.documents.rendering.effect import Rendering
from services.documents.rendering.renderer import Renderer
from services.documents.service import DocumentsService
from services.documents.storage import DirectoryStore, digest
from shared.contracts import wrap
from shared.contracts.documents import DocumentRendered
from shared.platform.integration import Received
from shared.platform.kit import MEMORY
from shared.platform.sealing import Keyring, SealError, new_key_line
from tests.support import documents as fixtures
from tests.support.pdf import compact, pages_text

pytestmark = pytest.mark.anyio
RENDERED_AT = datetime(2026, 4, 21, tzinfo=UTC)
SEQUENCE = itertools.count(1)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture
def service() -> Iterator[DocumentsService]:
    app = DocumentsService(env=dict(MEMORY), inbound=INBOUND, keyring=Keyring.parse(new_key_line()))
    yield app
    app.close()


def deliver(service: DocumentsService, payload: BaseModel, subject: str = fixtures.APPLICATION_ID) -> None:
    sequence = next(SEQUENCE)
    envelope = wrap(
        source="applications",
        sequence=sequence,
        subject=subject,
        aggregate_version=1,
        occurred_at=datetime.now(UTC),
        payload=payload,
    )
    service.process_event(Received(envelope, payload), Tracking("applications:0", sequence))


def rendering(service: DocumentsService, renderer: Renderer, directory: Path) -> Rendering:
    return Rendering(
        service,
        renderer,
        DirectoryStore(directory),
        base_url="https://jifen.example.gov.cn",
        clock=lambda: RENDERED_AT,
    )


def events_of(service: DocumentsService, cls: type[Any]) -> list[Any]:
    notifications = service.recorder.select_notifications(1, 1000)
    return [e for e in map(service.mapper.to_domain_event, notifications) if isinstance(e, cls)]


async def follow(effect: Rendering, service: DocumentsService) -> None:
    """Feed the side effect every event of the log, as its follower would."""
    for event in events_of(service, ApplicationDocuments.Event):
        if (handler := effect.handler(event)) is not None:
            await handler(event)


def published(service: DocumentsService) -> list[DocumentRendered]:
    payloads = [OUTBOUND.payloads(event) for event in events_of(service, RenderedDocument.Recorded)]
    return [p for ps in payloads for p in ps if isinstance(p, DocumentRendered)]


async def test_a_submission_and_an_approval_render_the_form_and_the_notice_and_publish_both(
    service: DocumentsService, renderer: Renderer, tmp_path: Path
) -> None:
    submitted = fixtures.submitted(service.sealing)
    deliver(service, submitted)
    deliver(service, fixtures.approved(submitted))
    await follow(rendering(service, renderer, tmp_path), service)

    form_event, notice_event = published(service)
    assert (form_event.kind, form_event.version, notice_event.kind, notice_event.version) == (
        "application_form",
        1,
        "points_notice",
        1,
    )
    assert form_event.application_number == submitted.application_number
    assert form_event.verification_code is None
    assert notice_event.verification_code is not None
    assert normalise_code(notice_event.verification_code) == notice_event.verification_code
    for event in (form_event, notice_event):
        stored = (tmp_path / f"{event.document_id}.pdf").read_bytes()
        assert digest(stored).sha256 == event.sha256 and len(stored) == event.size_bytes
        assert event.rendered_at == RENDERED_AT
    notice = (tmp_path / f"{notice_event.document_id}.pdf").read_bytes()
    assert compact(notice_event.verification_code) in compact(pages_text(notice)[0])


async def test_a_resubmission_renders_version_two_and_keeps_version_one(
    service: DocumentsService, renderer: Renderer, tmp_path: Path
) -> None:
    deliver(service, fixtures.submitted(service.sealing))
    deliver(service, fixtures.submitted(service.sealing, submission=2, form=fixtures.full_form(variant=3)))
    await follow(rendering(service, renderer, tmp_path), service)
    first, second = published(service)
    assert (first.version, second.version) == (1, 2)
    assert first.document_id != second.document_id and first.sha256 != second.sha256
    stored = {p.name for p in tmp_path.glob("*.pdf")}
    assert stored == {f"{first.document_id}.pdf", f"{second.document_id}.pdf"}


async def test_rendering_again_after_a_crash_stores_and_records_nothing_new(
    service: DocumentsService, renderer: Renderer, tmp_path: Path
) -> None:
    submitted = fixtures.submitted(service.sealing)
    deliver(service, submitted)
    effect = rendering(service, renderer, tmp_path)
    # The crash: the PDF was stored, the process died before recording it.
    [event] = events_of(service, ApplicationDocuments.FormSubmitted)
    documents = service.documents_at(event.originator_id, event.originator_version)
    pdf = await anyio.to_thread.run_sync(effect._form, (documents, event))
    form_id = document_id(fixtures.APPLICATION_ID, DocumentKind.APPLICATION_FORM, 1)
    await effect.store.put(form_id, pdf.pdf)
    # The restart renders again (same bytes), finds the stored copy and records it; a replay records nothing.
    await follow(effect, service)
    await follow(effect, service)
    [rendered] = published(service)
    assert rendered.document_id == str(form_id)
    assert rendered.sha256 == digest(pdf.pdf).sha256
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    again = RenderedDocument(**_record_of(service, form_id))
    assert service.record_rendered(again).id == form_id  # recorded once, whatever calls it
    assert len(published(service)) == 1


def _record_of(service: DocumentsService, form_id: Any) -> dict[str, Any]:
    document = service.rendered(form_id)
    assert document is not None
    return {
        "application_id": document.application_id,
        "kind": document.kind.value,
        "version": document.version,
        "application_number": document.application_number,
        "sha256": document.sha256,
        "size_bytes": document.size_bytes,
        "applicant_id": document.owners.applicant_id,
        "unit_id": document.owners.unit_id,
        "district": document.owners.district,
        "document_date": document.document_date,
        "rendered_at": RENDERED_AT,
    }


async def test_a_form_sealed_for_another_message_is_refused_at_the_door(service: DocumentsService) -> None:
    submitted = fixtures.submitted(service.sealing, application_id="another-application")
    with pytest.raises(SealError):
        deliver(service, submitted.model_copy(update={"application_id": fixtures.APPLICATION_ID}))
    assert events_of(service, ApplicationDocuments.FormSubmitted) == []


async def test_the_form_stays_sealed_in_the_service_s_own_events(service: DocumentsService) -> None:
    deliver(service, fixtures.submitted(service.sealing))
    stored = b"".join(n.state for n in service.recorder.select_notifications(1, 100))
    assert fixtures.applicant_id_number(0).encode() not in stored
    assert "张伟".encode() not in stored and b"\\u5f20\\u4f1f" not in stored
