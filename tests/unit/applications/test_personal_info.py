"""个人基本信息: rules of the personal-information section."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import PersonalInfo, validate_personal_info
from shared.kernel.id_number import Sex
from shared.kernel.records import RecordDecodingError, from_record, to_record
from tests.support.identities import id_number
from tests.unit.applications.builders import APPLICANT_BIRTH_DATE, ON, employment, personal_info


def codes(info: PersonalInfo, on: date = ON) -> dict[str, str]:
    """field -> code of every problem (one problem per field in these tests)."""
    return {error.field: error.code for error in validate_personal_info(info, on)}


def test_complete_personal_information_has_no_problems() -> None:
    assert validate_personal_info(personal_info(), ON) == []


def test_every_problem_names_the_section_and_has_both_languages() -> None:
    errors = validate_personal_info(personal_info(name="", mobile="123"), ON)
    assert len(errors) == 2
    for error in errors:
        assert error.section == SectionName.PERSONAL_INFO
        assert error.message.zh and error.message.en


def test_birth_date_and_sex_are_derived_from_the_id_number() -> None:
    resident = personal_info().resident_id
    assert resident is not None
    assert (resident.birth_date, resident.sex) == (APPLICANT_BIRTH_DATE, Sex.MALE)
    assert personal_info(id_number="110105194912310021").resident_id is None


def test_the_id_number_and_the_mobile_number_are_kept_in_their_normal_form() -> None:
    info = personal_info(id_number=" 11010519491231002x ", mobile="+86 138-1234-5678\n")
    assert (info.id_number, info.mobile) == ("11010519491231002X", "13812345678")
    assert codes(info) == {}


def test_stated_sex_must_agree_with_the_id_number() -> None:
    assert codes(personal_info(sex=Sex.FEMALE)) == {"sex": "personal.sex_disagrees_with_id_number"}
    assert codes(personal_info(sex=Sex.MALE)) == {}


def test_sex_may_be_left_for_the_id_number_to_decide() -> None:
    assert codes(personal_info(sex=None)) == {}


def test_id_number_check_digit_is_verified() -> None:
    valid = personal_info().id_number
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    assert codes(personal_info(id_number=wrong_check)) == {"id_number": "id_number.check_character_mismatch"}


def test_id_number_with_a_birth_date_after_the_application_date_is_refused() -> None:
    future = id_number(ON + timedelta(days=1), 123)
    assert codes(personal_info(id_number=future)) == {"id_number": "id_number.birth_date_in_future"}


@pytest.mark.parametrize(
    ("mobile", "code"),
    [
        ("1381234567", "mobile.format"),
        ("138123456789", "mobile.format"),
        ("1381234567a", "mobile.format"),
        ("1381234567٨", "mobile.format"),  # an Arabic-Indic digit; full-width ones are read as ASCII
        ("23812345678", "mobile.prefix"),
        ("12812345678", "mobile.prefix"),
        ("", "mobile.required"),
    ],
)
def test_mobile_must_be_an_eleven_digit_mainland_number(mobile: str, code: str) -> None:
    assert codes(personal_info(mobile=mobile)) == {"mobile": code}


@pytest.mark.parametrize("mobile", ["13812345678", "19912345678", "15000000000"])
def test_mainland_mobile_numbers_are_accepted(mobile: str) -> None:
    assert codes(personal_info(mobile=mobile)) == {}


def test_name_is_required_and_former_name_is_optional() -> None:
    assert codes(personal_info(name="  ")) == {"name": "required"}
    assert codes(personal_info(former_name="")) == {}
    assert codes(personal_info(former_name="张三")) == {}


def test_overlong_name_is_refused() -> None:
    assert codes(personal_info(name="张" * 51)) == {"name": "too_long"}


def test_ethnicity_must_be_one_of_the_recognised_groups() -> None:
    assert codes(personal_info(ethnicity="火星族")) == {"ethnicity": "personal.unknown_ethnicity"}
    assert codes(personal_info(ethnicity="维吾尔族")) == {}


def test_hukou_address_as_in_the_household_register_is_required_even_when_it_differs_from_the_id_card() -> (
    None
):
    assert codes(personal_info(hukou_address_differs_from_id_card=True)) == {}
    assert codes(personal_info(hukou_address="", hukou_address_differs_from_id_card=True)) == {
        "hukou_address": "required"
    }


def test_shanghai_address_is_required() -> None:
    assert codes(personal_info(shanghai_address="")) == {"shanghai_address": "required"}


def test_residence_permit_must_end_after_it_starts() -> None:
    info = personal_info(
        residence_permit_valid_from=date(2026, 1, 1), residence_permit_valid_until=date(2026, 1, 1)
    )
    assert codes(info) == {"residence_permit_valid_until": "personal.residence_permit_ends_before_start"}


def test_residence_permit_must_be_valid_on_the_application_date() -> None:
    expired = personal_info(residence_permit_valid_until=ON - timedelta(days=1))
    assert codes(expired) == {"residence_permit_valid_until": "personal.residence_permit_not_valid"}
    assert codes(personal_info(residence_permit_valid_until=ON)) == {}


def test_labour_contract_must_end_after_it_starts() -> None:
    info = personal_info(
        employment=employment(contract_start=date(2025, 1, 1), contract_end=date(2024, 12, 31))
    )
    assert codes(info) == {"employment.contract_end": "personal.contract_ends_before_start"}


def test_labour_contract_must_still_be_valid_on_the_application_date() -> None:
    ended = personal_info(
        employment=employment(contract_start=date(2023, 1, 1), contract_end=ON - timedelta(days=1))
    )
    assert codes(ended) == {"employment.contract_end": "personal.contract_not_valid"}
    assert codes(personal_info(employment=employment(contract_end=ON))) == {}


def test_labour_contract_that_has_not_started_is_not_valid_yet() -> None:
    future = personal_info(
        employment=employment(contract_start=ON + timedelta(days=1), contract_end=date(2030, 1, 1))
    )
    assert codes(future) == {"employment.contract_start": "personal.contract_not_valid"}


def test_contract_without_fixed_term_is_valid() -> None:
    assert codes(personal_info(employment=employment(contract_end=None))) == {}


def test_current_post_is_required() -> None:
    assert codes(personal_info(employment=employment(post=""))) == {"employment.post": "required"}


def test_highest_education_is_one_value_from_the_list() -> None:
    record = to_record(personal_info())
    assert record["highest_education"] == "BACHELOR"
    record["highest_education"] = ["BACHELOR", "MASTER"]
    with pytest.raises((RecordDecodingError, ValueError, TypeError)):
        from_record(PersonalInfo, record)


@pytest.mark.parametrize(
    "landline", ["021-62345678", "(021) 6234 5678", "+86 21 62345678", "021-62345678转123"]
)
def test_a_landline_is_taken_as_people_write_it(landline: str) -> None:
    assert codes(personal_info(landline=landline)) == {}


@pytest.mark.parametrize("landline", ["abc", "123", "021-6234567x"])
def test_a_landline_that_is_no_phone_number_is_refused_at_its_field(landline: str) -> None:
    assert codes(personal_info(landline=landline)) == {"landline": "personal.landline_format"}
