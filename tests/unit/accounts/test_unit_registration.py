from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from eventsourcing.application import Application

from services.accounts.domain.unit_registration import (
    AlreadyDecided,
    UnitRegistration,
    UnitRegistrationStatus,
)
from shared.kernel.errors import StateConflict, ValidationFailed
from shared.kernel.text import Text

SPDB = "9131000013221158XC"
AT = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


CONTACT = {
    "hr_name": "王敏",
    "mobile": "138 0013 8000",
    "email": "hr@spdb.example",
    "address": "中山东一路12号",
}


def submitted(code: str = SPDB, district: str = "310115") -> UnitRegistration:
    return UnitRegistration.submit(
        credit_code=code, unit_name=" 上海浦东发展银行股份有限公司 ", district_code=district, **CONTACT, at=AT
    )


def error_codes(caught: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.code for e in caught.value.errors]


def test_unit_registration_starts_pending_review() -> None:
    unit = submitted()
    assert unit.status is UnitRegistrationStatus.PENDING_REVIEW
    assert unit.unit_name == "上海浦东发展银行股份有限公司"
    assert not unit.is_approved


def test_unit_registration_approval_records_clerk_and_time() -> None:
    unit = submitted()
    unit.approve(clerk_id="clerk-pd-01", decided_at=AT)
    assert unit.status is UnitRegistrationStatus.APPROVED
    assert (unit.decided_by, unit.decided_at) == ("clerk-pd-01", AT)
    assert unit.is_approved


def test_unit_registration_rejection_records_clerk_time_and_reason() -> None:
    unit = submitted()
    unit.reject(clerk_id="clerk-pd-02", decided_at=AT, reason=" 营业执照复印件缺失 ")
    assert unit.status is UnitRegistrationStatus.REJECTED
    assert (unit.decided_by, unit.decided_at, unit.rejection_reason) == (
        "clerk-pd-02",
        AT,
        "营业执照复印件缺失",
    )


def test_unit_registration_rejection_needs_a_reason() -> None:
    unit = submitted()
    with pytest.raises(ValidationFailed) as caught:
        unit.reject(clerk_id="clerk-pd-02", decided_at=AT, reason="  ")
    assert error_codes(caught) == ["unit_registration.reason_required"]
    assert unit.status is UnitRegistrationStatus.PENDING_REVIEW


def test_unit_registration_decision_needs_a_clerk() -> None:
    with pytest.raises(ValidationFailed) as caught:
        submitted().approve(clerk_id="", decided_at=AT)
    assert error_codes(caught) == ["unit_registration.clerk_id_required"]


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_decided_unit_registration_cannot_be_decided_again(first: str) -> None:
    unit = submitted()
    if first == "approve":
        unit.approve(clerk_id="c1", decided_at=AT)
    else:
        unit.reject(clerk_id="c1", decided_at=AT, reason="材料不全")
    with pytest.raises(AlreadyDecided) as caught:
        unit.approve(clerk_id="c2", decided_at=AT)
    assert isinstance(caught.value, StateConflict)
    assert caught.value.code == "unit_registration.not_pending_review"
    with pytest.raises(AlreadyDecided):
        unit.reject(clerk_id="c2", decided_at=AT, reason="x")
    assert unit.version == 2


def test_unit_registration_needs_a_valid_credit_code() -> None:
    with pytest.raises(ValidationFailed) as caught:
        submitted(code="9131000013221158XD")
    assert error_codes(caught) == ["credit_code.check_character_mismatch"]


def test_unit_registered_outside_shanghai_cannot_register() -> None:
    with pytest.raises(ValidationFailed) as caught:
        submitted(code="9144030071526726XG")  # Shenzhen
    assert error_codes(caught) == ["unit_registration.not_registered_in_shanghai"]


def test_national_level_registration_may_register() -> None:
    unit = submitted(code="12100000425006133D", district="310107")  # 华东师范大学, national registration
    assert unit.district_code == "310107"


def test_unit_registration_needs_a_shanghai_district() -> None:
    with pytest.raises(ValidationFailed) as caught:
        submitted(district="310108")  # 闸北, merged into 静安 in 2015
    assert error_codes(caught) == ["district.unknown"]


def test_unit_registration_needs_a_unit_name() -> None:
    with pytest.raises(ValidationFailed) as caught:
        UnitRegistration.submit(credit_code=SPDB, unit_name=" ", district_code="310115", **CONTACT, at=AT)
    assert error_codes(caught) == ["unit_registration.unit_name_required"]


def test_unit_registration_id_is_derived_from_the_credit_code() -> None:
    assert submitted().id == submitted().id == UnitRegistration.create_id(SPDB)


def test_unit_registration_events_have_explicit_topics_and_round_trip() -> None:
    app: Application[UUID] = Application()
    unit = submitted()
    unit.reject(clerk_id="clerk-pd-02", decided_at=AT, reason="材料不全")
    app.save(unit)
    topics = [stored.topic for stored in app.recorder.select_events(unit.id)]
    assert topics == [
        "jifen.accounts.UnitRegistration.Submitted",
        "jifen.accounts.UnitRegistration.Rejected",
    ]
    copy: UnitRegistration = app.repository.get(unit.id)
    assert isinstance(copy, UnitRegistration)
    assert (copy.status, copy.decided_at, copy.rejection_reason) == (
        UnitRegistrationStatus.REJECTED,
        AT,
        "材料不全",
    )


def test_status_labels_are_bilingual() -> None:
    assert UnitRegistrationStatus.APPROVED.label == Text("审核通过", "Approved")
    assert UnitRegistrationStatus.PENDING_REVIEW.label.en == "Pending review"


def test_every_problem_of_a_registration_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        UnitRegistration.submit(
            credit_code="9131000013221158XD",
            unit_name=" ",
            district_code="310108",
            hr_name="",
            mobile="12345",
            email="hr@",
            address="",
            at=AT,
        )
    assert error_codes(caught) == [
        "credit_code.check_character_mismatch",
        "unit_registration.unit_name_required",
        "district.unknown",
        "address.required",
        "hr_name.required",
        "mobile.format",
        "email.format",
    ]


def test_a_rejection_without_clerk_and_reason_names_both() -> None:
    with pytest.raises(ValidationFailed) as caught:
        submitted().reject(clerk_id=" ", decided_at=AT, reason="")
    assert error_codes(caught) == ["unit_registration.clerk_id_required", "unit_registration.reason_required"]
