"""Unit registrations and the password desk, rule by rule (domain §4)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.review.domain.clerk_rules import Clerk
from services.review.domain.resets import PasswordResetRequest, ResetState, reset_materials
from services.review.domain.units import UNIT_REGISTRATION_MATERIALS, UnitRegistration, UnitState
from shared.kernel.errors import NotPermitted, NotVisible, StateConflict, ValidationFailed
from shared.kernel.roles import Duty

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PUDONG, XUHUI = "310115", "310104"
REQUIRED = [m.code for m in UNIT_REGISTRATION_MATERIALS if m.required]
UNIT_CLERK = Clerk("u", PUDONG, frozenset({Duty.UNIT_REGISTRATION}))
DESK = Clerk("d", PUDONG, frozenset({Duty.PASSWORD_RESET}))


def unit() -> UnitRegistration:
    return UnitRegistration("unit-1", "CODE", "上海某公司", PUDONG, AT, "sealed")


def test_a_unit_is_approved_once_every_required_material_is_ticked_and_the_agency_licence_is_optional() -> (
    None
):
    assert [m.code for m in UNIT_REGISTRATION_MATERIALS if not m.required] == ["hr_agency_licence"]
    registration = unit()
    with pytest.raises(ValidationFailed) as refused:
        registration.approve(UNIT_CLERK, REQUIRED[:1], AT)
    assert len(refused.value.errors) == len(REQUIRED) - 1
    registration.approve(UNIT_CLERK, REQUIRED, AT)
    assert registration.state is UnitState.DECIDED


def test_a_second_decision_on_a_unit_is_refused_naming_the_first() -> None:
    registration = unit()
    registration.reject(UNIT_CLERK, "执照不清晰", AT)
    with pytest.raises(StateConflict) as refused:
        registration.approve(UNIT_CLERK, REQUIRED, AT)
    assert refused.value.code == "unit.already_decided" and "10:00" in refused.value.message.zh
    assert refused.value.details()["decided_by"] == UNIT_CLERK.clerk_id
    assert UNIT_CLERK.clerk_id not in refused.value.message.zh


def test_only_the_units_district_with_the_duty_decides_its_registration() -> None:
    with pytest.raises(NotVisible):
        unit().approve(Clerk("x", XUHUI, frozenset(Duty)), REQUIRED, AT)
    with pytest.raises(NotPermitted):
        unit().approve(DESK, REQUIRED, AT)


def test_a_resubmission_after_a_rejection_opens_a_new_round() -> None:
    registration = unit()
    registration.reject(UNIT_CLERK, "执照不清晰", AT)
    registration.settle(False, AT)
    registration.resubmit("上海某公司", AT, "sealed-2", "UnitResubmitted")
    assert (registration.state, registration.decision, registration.contact_event) == (
        UnitState.PENDING,
        None,
        "UnitResubmitted",
    )


def unit_request(clerk: Clerk = DESK, district: str = PUDONG) -> PasswordResetRequest:
    return PasswordResetRequest.record(
        uuid.uuid4(), clerk, at=AT, kind="unit", unit=("CODE", "某公司", district)
    )


def test_a_unit_reset_is_taken_only_in_the_units_district() -> None:
    with pytest.raises(NotVisible):
        unit_request(district=XUHUI)


def test_a_personal_reset_is_taken_in_any_district() -> None:
    request = PasswordResetRequest.record(
        uuid.uuid4(), Clerk("x", XUHUI, frozenset({Duty.PASSWORD_RESET})), at=AT, kind="applicant",
        applicant=("sealed", "310104********1234", "k.fp"),
    )  # fmt: skip
    assert (request.district, request.acting_for) == (XUHUI, "self")


def test_the_hr_specialist_acting_for_an_applicant_also_brings_their_own_id() -> None:
    assert [m.code for m in reset_materials("applicant", "self")] == ["personal_id", "reset_request_form"]
    assert [m.code for m in reset_materials("applicant", "unit_hr")] == [
        "personal_id",
        "reset_request_form",
        "hr_id",
    ]


def test_a_request_is_authorised_once_when_its_last_material_is_ticked() -> None:
    request = unit_request()
    codes = [m.code for m in request.checklist]
    assert not request.tick(DESK, codes[:2], AT)
    assert request.state is ResetState.AWAITING_MATERIALS and [m.code for m in request.missing] == codes[2:]
    assert request.tick(DESK, codes, AT)
    assert request.state in {ResetState.AUTHORISED}  # (a set: mypy keeps the narrowing above)
    with pytest.raises(StateConflict):
        request.tick(DESK, codes, AT)
    authorised = [e for e in request.collect_events() if isinstance(e, PasswordResetRequest.Authorised)]
    assert len(authorised) == 1 and authorised[0].materials_checked == codes


def test_the_desk_follows_the_code_being_sent_and_used() -> None:
    request = unit_request()
    request.tick(DESK, [m.code for m in request.checklist], AT)
    request.issued(AT)
    request.completed(AT)
    assert request.state is ResetState.COMPLETED
