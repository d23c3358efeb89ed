"""The two documents, their deterministic ids and their file names."""

from __future__ import annotations

import re
import uuid
from uuid import UUID

from shared.kernel.text import LabelledEnum, Text

DOCUMENTS_NS = uuid.UUID("3f6f0a52-9b1e-5c57-8e43-0d5b6a1f7c29")
"""Namespace of the documents' uuid5 ids (never change it: ids are what make re-rendering idempotent)."""


class DocumentKind(LabelledEnum):
    """The wire names are the contract's ``DocumentKind`` (``shared.contracts.documents``)."""

    APPLICATION_FORM = "application_form", Text("积分申请表", "Points application form")
    """Rendered on submission (单位审核通过); a resubmission is a new version."""
    POINTS_NOTICE = "points_notice", Text("积分通知书", "Points notice")
    """Rendered on 审批通过, with a verification code and its QR code."""


def document_id(application_id: str, kind: DocumentKind, version: int) -> UUID:
    """The id of version ``version`` of an application's document: the same every time it is rendered,
    so a render repeated after a crash finds the copy it made before."""
    return uuid.uuid5(DOCUMENTS_NS, f"{application_id}/{kind.value}/{version}")


_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
_ASCII_NAMES = {
    DocumentKind.APPLICATION_FORM: "application-form",
    DocumentKind.POINTS_NOTICE: "points-notice",
}


def file_names(kind: DocumentKind, application_number: str, version: int) -> tuple[str, str]:
    """(Chinese file name, ASCII fallback) of a document, e.g. ``积分申请表_JF-2024-0003172.pdf`` and
    ``application-form_JF-2024-0003172.pdf``; a version after the first says so (``_第2版`` / ``_v2``)."""
    number = _UNSAFE.sub("-", application_number).strip("-") or "document"
    chinese = f"{kind.label.zh}_{number}" + (f"_第{version}版" if version > 1 else "")
    ascii_name = f"{_ASCII_NAMES[kind]}_{number}" + (f"_v{version}" if version > 1 else "")
    return f"{chinese}.pdf", f"{ascii_name}.pdf"
