"""The form pages' codecs: every section written as form fields reads back as the same section; what
is not well formed is a field error named after its label; rows are renumbered and added or removed
without saving; error paths link to their inputs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.applications.domain.sections.names import SectionName
from services.applications.http import forms, views
from shared.kernel.id_number import mask_id_number
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    StartupFounderClaim,
)
from shared.kernel.records import to_record
from tests.unit.applications.builders import (
    APPLICANT_ID_NUMBER,
    deductions,
    employment,
    family,
    investment,
    month,
    personal_info,
    resume,
    scoring_claims,
)


def test_personal_information_reads_back_from_its_fields() -> None:
    info = personal_info(
        former_name="张三", landline="021-64001234", employment=employment(contract_end=None)
    )
    assert forms.read_personal_info(forms.personal_info_values(info), APPLICANT_ID_NUMBER) == (info, [])


@pytest.mark.parametrize(
    ("section", "write", "read"),
    [
        (resume(), forms.resume_values, forms.read_resume),
        (replace(resume(), full_history_sheet_confirmed=True), forms.resume_values, forms.read_resume),
        (family(), forms.family_values, forms.read_family),
        (replace(family(), spouse=None, children=()), forms.family_values, forms.read_family),
        (investment(), forms.investment_values, forms.read_investment),
        (
            deductions(
                administrative_detentions=(RecordedIncident(date(2024, 5, 1), "沪公拘字123号"),),
                serious_criminal_record=True,
            ),
            forms.deductions_values,
            forms.read_deductions,
        ),
    ],
)
def test_each_section_reads_back_from_its_fields(section: object, write: object, read: object) -> None:
    assert read(write(section)) == (section, [])  # type: ignore[operator]


def test_every_scoring_page_reads_back_its_part_and_keeps_the_others() -> None:
    claims = scoring_claims(
        qualifications=(
            QualificationClaim(QualificationLevel.INTERMEDIATE_TITLE, True, True, certificate_name="工程师"),
        ),
        social_insurance=SocialInsuranceClaim(
            contribution_months=70,
            history=(
                *(MonthlyContribution(month(2024, m), Decimal("1.5")) for m in range(1, 13)),
                MonthlyContribution(month(2025, 1), Decimal("2"), back_payment=True),
            ),
        ),
        shortage_major=ShortageMajorClaim("080901", "计算机科学与技术", True),
        key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "LG01", 4),),
        awards=(AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "上海市青年五四奖章", date(2023, 5, 4), True),),
        full_time_fresh_graduate=True,
        startup_founder=StartupFounderClaim("上海某创业有限公司", Decimal("10"), 8, True, True),
    )
    empty = scoring_claims(education=None)
    for part in forms.SCORING_PARTS:
        read, errors = forms.read_scoring(part.write(claims), part, empty)
        assert errors == []
        assert read is not None and part.write(read) == part.write(claims)
        untouched = [other for other in forms.SCORING_PARTS if other is not part]
        assert all(other.write(read) == other.write(empty) for other in untouched)


def test_a_social_insurance_history_is_entered_as_periods_of_the_same_base() -> None:
    history = [MonthlyContribution(month(2025, m), Decimal("1.2")) for m in range(1, 7)] + [
        MonthlyContribution(month(2025, m), Decimal("3")) for m in range(7, 13)
    ]
    periods = forms.contribution_periods(history)
    assert [(p.first, p.last, p.base_multiple) for p in periods] == [
        (month(2025, 1), month(2025, 6), Decimal("1.2")),
        (month(2025, 7), month(2025, 12), Decimal("3")),
    ]


def test_months_paid_left_empty_are_counted_from_the_base_history() -> None:
    part = forms.PARTS_BY_NAME["social_insurance"]
    values = {
        "periods.0.from_month-year": "2024",
        "periods.0.from_month-month": "3",
        "periods.0.to_month-year": "2026",
        "periods.0.to_month-month": "2",
        "periods.0.base_multiple": "1",
    }
    claims, errors = forms.read_scoring(values, part, scoring_claims())
    assert errors == [] and claims is not None and claims.social_insurance.contribution_months == 24


def test_overlapping_or_reversed_periods_are_refused_at_their_fields() -> None:
    part = forms.PARTS_BY_NAME["social_insurance"]
    values = {
        "periods.0.from_month-year": "2024",
        "periods.0.from_month-month": "1",
        "periods.0.to_month-year": "2024",
        "periods.0.to_month-month": "12",
        "periods.0.base_multiple": "1",
        "periods.1.from_month-year": "2024",
        "periods.1.from_month-month": "6",
        "periods.1.to_month-year": "2024",
        "periods.1.to_month-month": "3",
        "periods.1.base_multiple": "1",
        "periods.2.from_month-year": "2024",
        "periods.2.from_month-month": "12",
        "periods.2.to_month-year": "2025",
        "periods.2.to_month-month": "2",
        "periods.2.base_multiple": "1",
    }
    _, errors = forms.read_scoring(values, part, scoring_claims())
    assert {(e.field, e.code) for e in errors} == {
        ("periods.1.to_month", "period.ends_before_start"),
        ("periods.2.from_month", "period.overlap"),
    }


def test_what_is_not_well_formed_is_an_error_naming_the_field() -> None:
    values = forms.personal_info_values(personal_info())
    values.update(
        {"marital_status": "", "residence_permit_valid_from-month": "13", "employment.contract_end-day": "x"}
    )
    info, errors = forms.read_personal_info(values, APPLICANT_ID_NUMBER)
    assert info is None
    messages = {e.field: e.message for e in errors}
    assert messages["marital_status"].zh == "请选择婚姻状况"
    assert messages["marital_status"].en == "Select an answer for “Marital status”"
    assert messages["residence_permit_valid_from"].zh == "居住证有效期起始日期须为有效的日期"
    assert set(messages) == {"marital_status", "residence_permit_valid_from", "employment.contract_end"}


def test_blank_rows_are_dropped_and_rows_are_numbered_again() -> None:
    values = {
        "entries.0.organisation": "甲",
        "entries.3.organisation": "",
        "entries.5.organisation": "乙",
        "entries.count": "6",
        "other": "x",
    }
    assert forms.renumbered(values, ["entries"]) == {
        "other": "x",
        "entries.0.organisation": "甲",
        "entries.1.organisation": "乙",
        "entries.count": "2",
    }
    assert forms.renumbered(values, ["entries"], "add:entries")["entries.count"] == "3"
    removed = forms.renumbered(values, ["entries"], "remove:entries:0")
    assert removed["entries.0.organisation"] == "乙" and removed["entries.count"] == "1"


def test_at_most_eight_resume_rows_can_be_added_online() -> None:
    assert forms.resume_rows_allowed({"entries.count": "7"})
    assert not forms.resume_rows_allowed({"entries.count": "8"})


@pytest.mark.parametrize(
    ("path", "section", "field_id"),
    [
        ("resume.entries[2].end_month", SectionName.RESUME, "entries.2.end_month-year"),
        (
            "personal_info.residence_permit_valid_until",
            SectionName.PERSONAL_INFO,
            "residence_permit_valid_until-year",
        ),
        ("personal_info.mobile", SectionName.PERSONAL_INFO, "mobile"),
        (
            "family.children[0].enjoys_points_benefits",
            SectionName.FAMILY,
            "children.0.enjoys_points_benefits",
        ),
        ("deductions.false_materials[1].on", SectionName.DEDUCTIONS, "false_materials.1.on-year"),
        (
            "scoring_claims.social_insurance.contribution_months",
            SectionName.SCORING_CLAIMS,
            "social_insurance.contribution_months",
        ),
    ],
)
def test_an_error_path_links_to_its_input(path: str, section: SectionName, field_id: str) -> None:
    assert forms.field_id(path, section) == field_id


def test_check_your_answers_shows_the_registered_id_number_masked_as_its_page_does() -> None:
    rows = views.section_rows(SectionName.PERSONAL_INFO, to_record(personal_info()), "zh-CN")
    shown = " ".join(str(row["value"]) for row in rows)
    assert APPLICANT_ID_NUMBER not in shown
    assert mask_id_number(APPLICANT_ID_NUMBER) in shown
