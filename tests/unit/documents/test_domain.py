"""The documents domain, rule by rule: ids, versions, codes, access and names."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest

from services.documents.domain.access import Owners, Viewer, may_download
from services.documents.domain.documents import ApplicationDocuments, RenderedDocument
from services.documents.domain.kinds import DocumentKind, document_id, file_names
from services.documents.domain.names import mask_name
from services.documents.domain.verification import ALPHABET, CODE_BYTES, new_code, normalise_code
from shared.kernel.roles import Role

OWNERS = Owners(applicant_id="applicant-1", unit_id="unit-1", district="310115")


def test_a_document_version_has_the_same_id_every_time_and_another_version_another() -> None:
    first = document_id("app-1", DocumentKind.APPLICATION_FORM, 1)
    assert first == document_id("app-1", DocumentKind.APPLICATION_FORM, 1)
    assert first != document_id("app-1", DocumentKind.APPLICATION_FORM, 2)
    assert first != document_id("app-1", DocumentKind.POINTS_NOTICE, 1)
    assert first != document_id("app-2", DocumentKind.APPLICATION_FORM, 1)


def test_a_resubmission_is_a_new_version_and_the_earlier_ones_are_kept() -> None:
    documents = ApplicationDocuments("app-1")
    assert documents.submit_form(1, {"submission": 1}, "app-1")
    assert documents.submit_form(2, {"submission": 2}, "app-1")
    assert sorted(documents.forms) == [1, 2]
    assert documents.latest_form_version == 2


def test_the_same_submission_delivered_twice_is_recorded_once() -> None:
    documents = ApplicationDocuments("app-1")
    documents.submit_form(1, {"submission": 1}, "app-1")
    events = len(documents.collect_events())
    assert not documents.submit_form(1, {"submission": 1}, "app-1")
    assert events == 2 and documents.collect_events() == []


def test_each_approval_issues_the_next_notice_version_with_its_code_and_the_latest_form() -> None:
    documents = ApplicationDocuments("app-1")
    documents.submit_form(1, {}, "app-1")
    documents.submit_form(2, {}, "app-1")
    assert documents.issue_notice({"approved_at": "2026-04-20T06:00:00Z"}, "CODE-1") == 1
    assert documents.issue_notice({"approved_at": "2026-04-20T06:00:00Z"}, "CODE-2") is None  # same approval
    assert documents.issue_notice({"approved_at": "2026-05-01T06:00:00Z"}, "CODE-3") == 2
    assert [n["verification_code"] for n in documents.notices.values()] == ["CODE-1", "CODE-3"]
    assert {n["form_version"] for n in documents.notices.values()} == {2}


def test_an_approval_without_a_received_form_is_kept_but_names_no_form() -> None:
    documents = ApplicationDocuments("app-1")
    documents.issue_notice({"approved_at": "2026-04-20T06:00:00Z"}, "CODE-1")
    assert documents.notices[1]["form_version"] is None


def test_a_rendered_document_is_identified_by_its_application_kind_and_version() -> None:
    at = datetime(2026, 3, 16, tzinfo=UTC)
    document = RenderedDocument(
        application_id="app-1",
        kind="application_form",
        version=2,
        application_number="JF1",
        sha256="0" * 64,
        size_bytes=10,
        applicant_id="applicant-1",
        unit_id="unit-1",
        district="310115",
        document_date=at,
        rendered_at=at,
    )
    assert document.id == document_id("app-1", DocumentKind.APPLICATION_FORM, 2)
    assert document.owners == OWNERS


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        (Viewer(Role.APPLICANT, "applicant-1", unit_id="unit-1"), True),
        (Viewer(Role.APPLICANT, "applicant-2", unit_id="unit-1"), False),  # a colleague at the same unit
        (Viewer(Role.UNIT, "unit-account", unit_id="unit-1"), True),
        (Viewer(Role.UNIT, "unit-account", unit_id="unit-2"), False),
        (Viewer(Role.UNIT, "unit-account"), False),
        (Viewer(Role.CLERK, "clerk-1", district="310115"), True),
        (Viewer(Role.CLERK, "clerk-2", district="310104"), False),
        (Viewer(Role.CLERK, "clerk-3"), False),
        (Viewer(Role.SYSTEM, "applicant-1", unit_id="unit-1", district="310115"), False),
    ],
)
def test_only_the_applicant_their_unit_and_the_districts_clerks_may_download(
    viewer: Viewer, allowed: bool
) -> None:
    assert may_download(viewer, OWNERS) is allowed


def test_a_verification_code_is_sixteen_unambiguous_characters_in_four_groups() -> None:
    code = new_code(secrets.token_bytes(CODE_BYTES))
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(ALPHABET)
    assert not set("ILOU") & set(code)


def test_different_randomness_gives_different_codes_and_too_little_is_refused() -> None:
    assert new_code(bytes(10)) == "0000-0000-0000-0000"
    assert new_code(bytes(9) + b"\x01") == "0000-0000-0000-0001"
    with pytest.raises(ValueError):
        new_code(bytes(8))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7K2M-Q9XD-4TNB-H8VR", "7K2M-Q9XD-4TNB-H8VR"),
        ("7k2mq9xd4tnbh8vr", "7K2M-Q9XD-4TNB-H8VR"),
        (" 7K2M Q9XD 4TNB H8VR ", "7K2M-Q9XD-4TNB-H8VR"),
        ("７ｋ２ｍｑ９ｘｄ４ｔｎｂｈ８ｖｒ", "7K2M-Q9XD-4TNB-H8VR"),  # typed in full width
        ("OOOO-IIII-LLLL-0000", "0000-1111-1111-0000"),
        ("7K2M-Q9XD-4TNB", None),
        ("7K2M-Q9XD-4TNB-H8VU", None),
        ("", None),
        ("../../etc/passwd", None),
    ],
)
def test_a_typed_code_is_read_as_printed_or_refused(typed: str, expected: str | None) -> None:
    assert normalise_code(typed) == expected


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张*"), ("欧阳娜娜", "欧***"), ("李", "李"), ("Anna Li", "A*** **"), ("", "")],
)
def test_a_public_page_shows_only_the_first_character_of_a_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_file_names_are_chinese_with_an_ascii_fallback_and_say_the_version_after_the_first() -> None:
    assert file_names(DocumentKind.APPLICATION_FORM, "JF2026031600001", 1) == (
        "积分申请表_JF2026031600001.pdf",
        "application-form_JF2026031600001.pdf",
    )
    assert file_names(DocumentKind.POINTS_NOTICE, 'JF/2026"x', 3) == (
        "积分通知书_JF-2026-x_第3版.pdf",
        "points-notice_JF-2026-x_v3.pdf",
    )
