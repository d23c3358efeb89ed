"""The wording of a result: every indicator and level named in both languages, notes worded from their
parameters, either/or choices and vetoes said plainly."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from decimal import Decimal

from shared.kernel.points import narration
from shared.kernel.points.calculator import Note
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
)
from shared.kernel.points.model import Indicator
from shared.kernel.text import Text

from .builders import claims, score

ON = date(2024, 6, 15)


def test_every_indicator_and_level_has_a_chinese_and_an_english_name() -> None:
    assert set(narration.INDICATOR_NAMES) == set(Indicator)
    levels = [*EducationLevel, *QualificationLevel, *AwardLevel, *KeyAreaKind]
    assert set(narration.LEVEL_NAMES) == set(levels)
    for text in [*narration.INDICATOR_NAMES.values(), *narration.LEVEL_NAMES.values()]:
        assert text.zh and text.en and text.zh != text.en


def test_a_note_is_worded_from_its_parameters_in_each_language() -> None:
    note = Note("level.next", {"level": EducationLevel.MASTER})
    assert narration.note_text(note, gain=10) == Text(
        "取得硕士研究生学历及学位可加10分", "master's degree: +10"
    )


def test_explanations_start_with_a_capital_letter_in_english_and_name_the_winner_of_a_choice() -> None:
    c = claims(
        ON,
        segments=((12, "1.2"),),
        education=EducationClaim(EducationLevel.BACHELOR),
        qualifications=(QualificationClaim(QualificationLevel.INTERMEDIATE_TITLE, True, True),),
    )
    result = score(c, on=ON)
    assert narration.explanation(result.line(Indicator.EDUCATION)) == Text(
        "按本科及学士学位计分；未计入总分：按专业技术职称和技能等级计分",
        "Bachelor's degree; not counted: Professional title and skill level counts instead",
    )
    (step,) = result.line(Indicator.EDUCATION).next_steps
    assert narration.step_text(step) == Text("取得硕士研究生学历及学位可加10分", "Master's degree: +10")
    assert narration.total_effect(step) == Text("总分不变", "the total would not change")
    (choice,) = result.choices
    zh, en = astuple(narration.choice_text(choice))
    assert (
        zh.startswith("教育背景与专业技术职称和技能等级只能二选一") and "（100分）" in zh and "（90分）" in zh
    )
    assert en.startswith("Education or a title/skill level, not both") and "(100)" in en


def test_an_age_outside_the_table_says_what_the_rules_give() -> None:
    zh, en = astuple(narration.explanation(score(claims(ON, age=62), on=ON).line(Indicator.AGE)))
    assert "62" in zh and "60周岁以上" in zh and "0分" in zh
    assert en == "Aged 62: the age table ends at 60 (56–60 scores 5); the rules give no points above 60, so 0"


def test_amounts_and_shares_are_written_without_trailing_zeros() -> None:
    inv = InvestmentClaim("", Decimal("40.00"), (300_000, 300_000, 300_000), (0, 0, 0))
    zh, en = astuple(
        narration.explanation(score(claims(ON, investment=inv), on=ON).line(Indicator.INVESTMENT_TAX))
    )
    assert zh == "按持股40%折算，企业近3年年均纳税120000元"
    assert en == "3-year average tax at your 40% share: 120000 yuan"


def test_catalogue_names_and_named_awards_are_worded_per_language() -> None:
    on = date(2026, 3, 2)
    area = claims(on, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA26-LG", 3),))
    zh, en = astuple(narration.explanation(score(area, on=on).line(Indicator.KEY_AREA)))
    assert zh.startswith("在临港新片区工作满3年") and en.startswith("3 full years in the Lingang New Area")
    award = AwardClaim(AwardLevel.MUNICIPAL_COMPREHENSIVE, "上海市劳动模范", date(2022, 5, 1), True)
    zh, en = astuple(narration.explanation(score(claims(ON, awards=(award,)), on=ON).line(Indicator.AWARD)))
    assert (zh, en) == (
        "市级综合性表彰奖励“上海市劳动模范”",
        "Municipal comprehensive award '上海市劳动模范'",
    )
    unnamed = AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "", date(2022, 5, 1), False)
    zh, en = astuple(narration.explanation(score(claims(ON, awards=(unnamed,)), on=ON).line(Indicator.AWARD)))
    assert en == "The municipal special award must be received while working in Shanghai"


def test_a_public_service_field_is_named_only_when_given() -> None:
    named = score(claims(ON, public_service=PublicServiceClaim("教育", 6)), on=ON).line(
        Indicator.PUBLIC_SERVICE
    )
    unnamed = score(claims(ON, public_service=PublicServiceClaim("", 6)), on=ON).line(
        Indicator.PUBLIC_SERVICE
    )
    assert narration.explanation(named).zh == "在特定公共服务领域（教育）工作满6年（满5年起计分）"
    assert (
        narration.explanation(unnamed).en == "6 full years in a public-service field (counted from 5 years)"
    )


def test_a_veto_says_the_person_cannot_apply_and_why() -> None:
    result = score(claims(ON), DeductionClaims(serious_criminal_record=True), on=ON)
    (reason,) = result.ineligibility_reasons
    assert narration.veto_text(reason) == Text(
        "有严重刑事犯罪记录，属于一票否决项，不能申请居住证积分",
        "Serious criminal record: this is a veto item (一票否决), "
        "so you cannot apply for residence-permit points",
    )
