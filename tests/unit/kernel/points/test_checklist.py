"""Materials checklist derived from the claimed items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.kernel.points.checklist import MATERIALS, Material, materials_checklist
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    EducationClaim,
    EducationLevel,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    QualificationClaim,
    QualificationLevel,
    SpouseClaim,
)

from .builders import claims

ON = date(2024, 6, 15)
M = Material

BASIC = [
    M.APPLICATION_FORM,
    M.UNIT_INTRODUCTION_LETTER,
    M.HR_SPECIALIST_ID,
    M.BUSINESS_LICENCE,
    M.ORGANISATION_CODE,
    M.APPLICANT_ID_CARD,
    M.HUKOU_PROOF,
    M.RESIDENCE_PERMIT,
    M.LABOUR_CONTRACT,
]


def codes(items: tuple[object, ...]) -> list[Material]:
    return [i.code for i in items]  # type: ignore[attr-defined]


def test_basic_materials_are_always_listed_starting_with_the_unit_stamped_form() -> None:
    items = materials_checklist(claims(ON), ON, resume_has_more_than_eight_entries=False)
    assert codes(items) == [*BASIC, M.FAMILY_PLANNING_PLEDGE]
    assert items[0].name_zh == "《上海市居住证》积分申请表（打印件，加盖单位公章）"
    assert "unit seal" in items[0].name_en


def test_resume_with_more_than_8_entries_needs_the_signed_stamped_a4_sheet() -> None:
    with_sheet = codes(materials_checklist(claims(ON), ON, resume_has_more_than_eight_entries=True))
    without = codes(materials_checklist(claims(ON), ON, resume_has_more_than_eight_entries=False))
    assert M.RESUME_SHEET in with_sheet and M.RESUME_SHEET not in without


def test_spouse_item_needs_the_marriage_certificate_and_the_spouse_hukou_booklet() -> None:
    c = claims(ON, spouse=SpouseClaim(True, date(2018, 1, 1)))
    got = codes(materials_checklist(c, ON, resume_has_more_than_eight_entries=False))
    assert got[-2:] == [M.MARRIAGE_CERTIFICATE, M.SPOUSE_HUKOU_BOOKLET]


def test_degree_items_need_the_degree_certificate_and_the_chsi_report() -> None:
    bachelor = codes(
        materials_checklist(
            claims(ON, education=EducationClaim(EducationLevel.BACHELOR)),
            ON,
            resume_has_more_than_eight_entries=False,
        )
    )
    college = codes(
        materials_checklist(
            claims(ON, education=EducationClaim(EducationLevel.COLLEGE_DIPLOMA)),
            ON,
            resume_has_more_than_eight_entries=False,
        )
    )
    assert {M.GRADUATION_CERTIFICATE, M.DEGREE_CERTIFICATE, M.CHSI_REPORT} <= set(bachelor)
    assert M.DEGREE_CERTIFICATE not in college and M.CHSI_REPORT in college


def test_each_claimed_certificate_is_listed_once_in_a_deterministic_order() -> None:
    c = claims(
        ON,
        segments=((12, "1.2"),),
        education=EducationClaim(EducationLevel.MASTER),
        qualifications=(
            QualificationClaim(QualificationLevel.SENIOR_TITLE, True, True),
            QualificationClaim(QualificationLevel.SKILL_LEVEL_3, True, True),
        ),
        awards=(AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "示例", date(2020, 1, 1), True),),
        investment=InvestmentClaim("示例", Decimal(50), (1, 1, 1), (0, 0, 0)),
        full_time_fresh_graduate=True,
    )
    first = materials_checklist(c, ON, resume_has_more_than_eight_entries=True)
    again = materials_checklist(c, ON, resume_has_more_than_eight_entries=True)
    assert first == again
    got = codes(first)
    assert len(got) == len(set(got))
    order = [row.code for row in MATERIALS]
    assert got == sorted(got, key=order.index)
    assert {
        M.TITLE_CERTIFICATE,
        M.SKILL_CERTIFICATE,
        M.AWARD_CERTIFICATE,
        M.TAX_PAYMENT_CERTIFICATES,
        M.INCOME_TAX_RECORD,
    } <= set(got)


def test_family_planning_pledge_is_dropped_from_2026() -> None:
    before = codes(
        materials_checklist(claims(ON), date(2025, 12, 31), resume_has_more_than_eight_entries=False)
    )
    after = codes(materials_checklist(claims(ON), date(2026, 1, 1), resume_has_more_than_eight_entries=False))
    assert M.FAMILY_PLANNING_PLEDGE in before and M.FAMILY_PLANNING_PLEDGE not in after


def test_key_area_residence_proof_is_needed_under_the_2026_rule_only() -> None:
    old_on, new_on = date(2025, 6, 1), date(2026, 6, 1)
    old = claims(old_on, key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA13-RS", 6),))
    new = claims(new_on, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA26-LG", 4),))
    assert M.KEY_AREA_RESIDENCE_PROOF not in codes(
        materials_checklist(old, old_on, resume_has_more_than_eight_entries=False)
    )
    assert M.KEY_AREA_RESIDENCE_PROOF in codes(
        materials_checklist(new, new_on, resume_has_more_than_eight_entries=False)
    )


def test_every_material_has_chinese_and_english_names_and_a_source() -> None:
    assert len({row.code for row in MATERIALS}) == len(MATERIALS) == len(Material)
    assert all(row.name_zh and row.name_en and row.source for row in MATERIALS)
