"""家庭情况: spouse only when married, every child enjoys the points benefits, hukou as in 户口本."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.applications.domain.sections.family import (
    CHILD_MUST_ENJOY_BENEFITS,
    SAME_PERSON_TWICE,
    SPOUSE_NOT_ALLOWED,
    SPOUSE_REQUIRED,
    Family,
    validate_family,
)
from shared.kernel.form_codes import MaritalStatus
from tests.support.identities import id_number
from tests.unit.applications.builders import (
    APPLICANT_ID_NUMBER,
    CHILD_ID_NUMBER,
    ON,
    SECOND_CHILD_ID_NUMBER,
    SPOUSE_ID_NUMBER,
    child,
    family,
    spouse,
)


def fields(value: Family, marital_status: MaritalStatus | None = MaritalStatus.MARRIED) -> dict[str, str]:
    errors = validate_family(
        value, ON, marital_status=marital_status, applicant_id_number=APPLICANT_ID_NUMBER
    )
    return {error.field: error.code for error in errors}


def test_married_applicant_with_spouse_and_child_is_valid() -> None:
    assert fields(family()) == {}


def test_every_child_must_enjoy_points_benefits() -> None:
    value = family(children=(child(), child(id_number=SECOND_CHILD_ID_NUMBER, enjoys_points_benefits=False)))
    errors = validate_family(value, ON, MaritalStatus.MARRIED, APPLICANT_ID_NUMBER)
    assert [(error.field, error.code) for error in errors] == [
        ("children[1].enjoys_points_benefits", CHILD_MUST_ENJOY_BENEFITS)
    ]
    assert "享受积分相关待遇" in errors[0].message.zh


def test_married_applicant_must_enter_the_spouse() -> None:
    assert fields(family(spouse=None)) == {"spouse": SPOUSE_REQUIRED}


@pytest.mark.parametrize("status", [MaritalStatus.UNMARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED])
def test_only_a_married_applicant_enters_a_spouse(status: MaritalStatus) -> None:
    assert fields(family(), status) == {"spouse": SPOUSE_NOT_ALLOWED}
    assert fields(family(spouse=None), status) == {}


def test_marital_rules_wait_for_the_personal_information() -> None:
    assert validate_family(family(spouse=None), ON) == []


def test_spouse_and_child_id_numbers_are_verified() -> None:
    bad = SPOUSE_ID_NUMBER[:17] + ("1" if SPOUSE_ID_NUMBER[17] != "1" else "2")
    value = family(spouse=spouse(id_number=bad), children=(child(id_number="12345"),))
    assert fields(value) == {
        "spouse.id_number": "id_number.check_character_mismatch",
        "children[0].id_number": "id_number.length",
    }


def test_hukou_addresses_and_names_are_required() -> None:
    value = family(spouse=spouse(hukou_address=""), children=(child(name="", hukou_address=" "),))
    assert fields(value) == {
        "spouse.hukou_address": "required",
        "children[0].name": "required",
        "children[0].hukou_address": "required",
    }


def test_marriage_date_cannot_be_after_the_application_date() -> None:
    assert fields(family(spouse=spouse(married_on=ON + timedelta(days=1)))) == {
        "spouse.married_on": "date_in_future"
    }


def test_the_same_person_cannot_appear_twice() -> None:
    twins_by_mistake = family(children=(child(), child(name="张小红")))
    assert fields(twins_by_mistake) == {"children[1].id_number": SAME_PERSON_TWICE}
    spouse_is_applicant = family(spouse=spouse(id_number=APPLICANT_ID_NUMBER))
    assert fields(spouse_is_applicant) == {"spouse.id_number": SAME_PERSON_TWICE}


def test_a_family_without_children_is_valid() -> None:
    assert fields(family(children=())) == {}


def test_child_id_number_must_not_be_born_after_application_date() -> None:
    assert CHILD_ID_NUMBER != SECOND_CHILD_ID_NUMBER
    unborn = child(id_number=id_number(ON + timedelta(days=30), 111))
    assert fields(family(children=(unborn,))) == {"children[0].id_number": "id_number.birth_date_in_future"}
