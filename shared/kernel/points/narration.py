"""Result narration (积分说明): the wording of a points result, in Simplified Chinese and English.

The calculator states facts as ``Note`` values (a code and its parameters) and next steps as gains;
this module words them, once, for every reader of a result (the simulator, the application pages,
the clerk's view), as the kernel's ``Text``. Nothing here scores: a wording change cannot change
a score, and a scoring change that adds a note code without wording fails the test that walks
``TEMPLATES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from shared.kernel.text import Text

from .aggregation import Choice, ChoiceKind
from .calculator import IndicatorLine, IneligibilityReason, NextStep, Note
from .claims import AwardLevel, EducationLevel, KeyAreaKind, QualificationLevel
from .model import Indicator

Template = tuple[str, str]
"""A ``(zh, en)`` pair of format strings."""

DISCLAIMER = Text(
    "本结果为模拟打分，以人力资源社会保障部门核定的积分为准。",
    "This is a simulated score; the score set by the HRSS authorities prevails.",
)

INDICATOR_NAMES: Mapping[Indicator, Text] = MappingProxyType(
    {
        Indicator.AGE: Text("年龄", "Age"),
        Indicator.EDUCATION: Text("教育背景", "Education"),
        Indicator.QUALIFICATION: Text("专业技术职称和技能等级", "Professional title and skill level"),
        Indicator.INSURANCE_YEARS: Text(
            "在本市工作及缴纳职工社会保险年限", "Years of work and employee social insurance in Shanghai"
        ),
        Indicator.SHORTAGE_MAJOR: Text("紧缺急需专业", "Shortage / urgently needed major"),
        Indicator.INVESTMENT_TAX: Text("投资纳税", "Investment tax"),
        Indicator.INVESTMENT_HIRING: Text("投资带动本地就业", "Investment creating local jobs"),
        Indicator.INSURANCE_BASE: Text("缴纳职工社会保险费基数", "Social-insurance contribution base"),
        Indicator.PUBLIC_SERVICE: Text("特定的公共服务领域", "Specific public-service fields"),
        Indicator.KEY_AREA: Text("远郊重点区域", "Remote suburbs / key areas"),
        Indicator.FRESH_GRADUATE: Text("全日制应届高校毕业生", "Full-time fresh graduate"),
        Indicator.AWARD: Text("表彰奖励", "Awards"),
        Indicator.SPOUSE: Text("配偶为本市户籍人员", "Spouse with Shanghai hukou"),
        Indicator.STARTUP_FOUNDER: Text("创业人才（直接积满120分）", "Start-up founder (direct 120)"),
        Indicator.INNOVATION_INTERMEDIARY: Text(
            "创新创业中介服务人才（直接积满120分）", "Innovation intermediary (direct 120)"
        ),
        Indicator.FALSE_MATERIALS: Text("提供虚假材料", "False materials"),
        Indicator.ADMINISTRATIVE_DETENTION: Text("行政拘留", "Administrative detention"),
        Indicator.GENERAL_CRIMINAL_RECORD: Text("一般刑事犯罪", "General criminal record"),
    }
)

LEVEL_NAMES: Mapping[StrEnum, Text] = MappingProxyType(
    {
        EducationLevel.COLLEGE_DIPLOMA: Text("大专（高职）", "college diploma"),
        EducationLevel.UNDERGRADUATE_NO_DEGREE: Text(
            "本科（无学位）", "undergraduate record without a degree"
        ),
        EducationLevel.BACHELOR: Text("本科及学士学位", "bachelor's degree"),
        EducationLevel.MASTER: Text("硕士研究生学历及学位", "master's degree"),
        EducationLevel.DOCTORATE: Text("博士研究生学历及学位", "doctoral degree"),
        QualificationLevel.SKILL_LEVEL_5: Text("五级（初级工）职业资格", "skill level 5"),
        QualificationLevel.SKILL_LEVEL_4: Text("四级（中级工）职业资格", "skill level 4"),
        QualificationLevel.SKILL_LEVEL_3: Text("三级（高级工）职业资格", "skill level 3"),
        QualificationLevel.SKILL_LEVEL_2: Text("二级（技师）职业资格", "skill level 2 (technician)"),
        QualificationLevel.SKILL_LEVEL_1: Text(
            "一级（高级技师）职业资格", "skill level 1 (senior technician)"
        ),
        QualificationLevel.INTERMEDIATE_TITLE: Text("中级专业技术职称", "intermediate professional title"),
        QualificationLevel.SENIOR_TITLE: Text("高级专业技术职称", "senior professional title"),
        AwardLevel.MUNICIPAL_SPECIAL: Text("市级机关专项性表彰奖励", "municipal special award"),
        AwardLevel.MUNICIPAL_COMPREHENSIVE: Text("市级综合性表彰奖励", "municipal comprehensive award"),
        AwardLevel.PROVINCIAL_OR_HIGHER: Text(
            "省部级及以上政府表彰奖励", "provincial/ministerial or higher award"
        ),
        KeyAreaKind.LINGANG: Text("临港新片区", "Lingang New Area"),
        KeyAreaKind.OTHER: Text("其他重点区域", "other key area"),
    }
)

# Note code -> (zh, en) template. Step templates may use {gain}, the line's gain.
TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        "not_claimed": ("未申报", "not claimed"),
        "no_rule": ("评估日无适用规则", "no rule in force on the assessment date"),
        "age.scored": ("评估日时{age}周岁", "aged {age} on the assessment date"),
        "age.outside_table": (
            "评估日{age}周岁，超出年龄分值表（{min_age}–{max_age}周岁计{last_points}分）；"
            "积分规则未规定{max_age}周岁以上的分值，按0分计",
            "aged {age}: the age table ends at {max_age} ({min_age}–{max_age} scores {last_points}); "
            "the rules give no points above {max_age}, so 0",
        ),
        "level.scored": ("按{level}计分", "{level}"),
        "level.no_rule": ("{level}无适用规则", "no rule for the {level}"),
        "education.not_recognised": (
            "{level}未获国家认可，不计分",
            "the {level} is not nationally recognised",
        ),
        "level.next": ("取得{level}可加{gain}分", "{level}: +{gain}"),
        "qualification.not_scored": ("{level}不计分", "the {level} does not score"),
        "qualification.not_obtained_in_shanghai": (
            "须在本市工作期间取得",
            "it must be obtained while working in Shanghai",
        ),
        "qualification.does_not_match_post": (
            "专业或工种须与现岗位一致",
            "its specialty or trade must match the current post",
        ),
        "qualification.not_on_catalogue": (
            "不在人社部门目录内或未登记",
            "it is not on the HRSS catalogue, or not registered",
        ),
        "qualification.not_verifiable": (
            "外省市颁发的三级及以上证书须可在全国或本市人社网站查询",
            "a level-3-or-higher certificate from another province must be verifiable online",
        ),
        "qualification.base_gate": (
            "近{window}个月中社保基数达社平{multiple}倍的仅{months}个月（须{required}个月）",
            "only {months} of the last {window} months at {multiple}× the average wage or more "
            "({required} required)",
        ),
        "qualification.more_base_months": (
            "再缴纳{months}个月社平{multiple}倍以上的社保基数，{level}即可计分，加{gain}分",
            "{months} more months at {multiple}× the average wage or more let the {level} count: +{gain}",
        ),
        "insurance_years.scored": (
            "累计缴费{months}个月，满{years}年",
            "{months} months paid: {years} full years",
        ),
        "insurance_years.more_months": (
            "再缴纳{months}个月社保可加{gain}分",
            "{months} more months of contributions: +{gain}",
        ),
        "insurance_base.scored": (
            "近{window}个月中有{months}个月基数达社平{multiple}倍以上（须{required}个月）",
            "{months} of the last {window} months at {multiple}× the average wage or more "
            "({required} required)",
        ),
        "insurance_base.not_reached": (
            "近{window}个月中仅{months}个月基数达社平{multiple}倍以上（须{required}个月）",
            "only {months} of the last {window} months at {multiple}× the average wage or more "
            "({required} required)",
        ),
        "insurance_base.more_months": (
            "再缴纳{months}个月社平{multiple}倍以上的社保基数可加{gain}分",
            "{months} more months at {multiple}× the average wage or more: +{gain}",
        ),
        "shortage_major.not_on_catalogue": (
            "专业“{name}”（{code}）不在评估日有效的紧缺急需专业目录内（代码和名称须完全一致）",
            "the major {code} {name} is not on the shortage catalogue in force (code and name must match "
            "exactly)",
        ),
        "shortage_major.post_does_not_match": (
            "现岗位须与所学专业一致",
            "the current post must match the major",
        ),
        "shortage_major.scored": (
            "紧缺急需专业“{major}”，且岗位与专业一致",
            "shortage major {major}, matching the post",
        ),
        "investment.tax": (
            "按持股{share}%折算，企业近{years}年年均纳税{average}元",
            "{years}-year average tax at your {share}% share: {average} yuan",
        ),
        "investment.hires": (
            "按持股{share}%折算，企业近{years}年年均聘用本市户籍人员{average}人",
            "{years}-year average of Shanghai-hukou hires at your {share}% share: {average}",
        ),
        "investment.more_tax": (
            "企业近{years}年年均纳税再增加{more}元（按持股{share}%折算）可加{gain}分",
            "{more} more yuan of tax a year on the enterprise's {years}-year average "
            "({share}% share): +{gain}",
        ),
        "investment.more_hires": (
            "企业近{years}年年均再多聘用{more}名本市户籍人员（按持股{share}%折算）可加{gain}分",
            "{more} more Shanghai-hukou hires a year on the enterprise's {years}-year average "
            "({share}% share): +{gain}",
        ),
        "years.more": ("再工作{years}年可加{gain}分", "{years} more full years: +{gain}"),
        "public_service.years": (
            "在特定公共服务领域{field}工作满{years}年（满{min_years}年起计分）",
            "{years} full years in a public-service field{field} (counted from {min_years} years)",
        ),
        "key_area.years": (
            "在{area}工作满{years}年（满{min_years}年起计分）",
            "{years} full years in the {area} (counted from {min_years} years)",
        ),
        "key_area.not_on_catalogue": (
            "区域{code}不在评估日有效的重点区域目录内",
            "the area {code} is not on the key-area catalogue in force",
        ),
        "key_area.must_live_there": ("须在{area}工作并居住", "you must both work and live in the {area}"),
        "fresh_graduate.scored": ("全日制应届高校毕业生", "full-time fresh graduate"),
        "award.not_on_catalogue": (
            "{award}不在本市表彰奖励目录内",
            "the {award} is not on the Shanghai award catalogue",
        ),
        "award.not_received_in_shanghai": (
            "{award}须在本市工作期间获得",
            "the {award} must be received while working in Shanghai",
        ),
        "award.after_assessment_date": (
            "{award}获奖日期晚于评估日",
            "the {award} is dated after the assessment date",
        ),
        "award.scored": ("{award}", "{award}"),
        "spouse.no_shanghai_hukou": ("配偶须为本市户籍", "the spouse must hold Shanghai hukou"),
        "spouse.scored": (
            "配偶为本市户籍，结婚满{years}年",
            "spouse with Shanghai hukou, {years} full years married",
        ),
        "spouse.anniversary": (
            "{on}结婚满{years}年可加{gain}分",
            "{years} full years of marriage on {on}: +{gain}",
        ),
        "route.not_met": ("不符合条件", "conditions not met"),
        "route.met": ("符合条件，直接积满{points}分", "conditions met: {points} points directly"),
        "founder.share_too_low": ("持股须不低于{min_share}%", "the share must be at least {min_share}%"),
        "founder.left_incubator": ("企业须仍在孵化器内", "the enterprise must still be in the incubator"),
        "founder.shares_acquired_late": (
            "须在企业入孵或获得投资前持股",
            "the shares must be held before incubation or investment",
        ),
        "startup_founder.months_short": (
            "须在孵化器内连续满{required}个月（现{months}个月）",
            "needs {required} consecutive months in the incubator (has {months})",
        ),
        "startup_founder.more_months": (
            "再在孵化器内连续{months}个月可直接积满{points}分",
            "{months} more consecutive months in the incubator: {points} points directly",
        ),
        "innovation_intermediary.months_short": (
            "须连续从事技术转移满{required}个月（现{months}个月）",
            "needs {required} consecutive months of technology-transfer work (has {months})",
        ),
        "innovation_intermediary.more_months": (
            "再连续从事技术转移{months}个月可直接积满{points}分",
            "{months} more consecutive months of technology-transfer work: {points} points directly",
        ),
        "deduction.records": (
            "近{window}年内{records}条记录，每条扣{each}分",
            "{records} records in the last {window} years, −{each} each",
        ),
        "deduction.leaves_window": (
            "最早一条记录于{on}满{window}年后不再扣分，可加{gain}分",
            "the oldest record leaves the {window}-year window on {on}: +{gain}",
        ),
    }
)

_NOT_COUNTED: Template = ("未计入总分：按{winner}计分", "not counted: {winner} counts instead")
_TOTAL_UNCHANGED: Template = ("总分不变", "the total would not change")
_TOTAL_GAIN: Template = ("总分+{gain}", "total +{gain}")
_CHOICES: Mapping[ChoiceKind, Template] = MappingProxyType(
    {
        ChoiceKind.EDUCATION_OR_TITLE: (
            "教育背景与专业技术职称和技能等级只能二选一：按分值较高的{counted}（{counted_points}分）计分，"
            "{set_aside}（{set_aside_points}分）不计入",
            "Education or a title/skill level, not both: the higher, {counted} ({counted_points}), counts; "
            "{set_aside} ({set_aside_points}) does not",
        ),
        ChoiceKind.TAX_OR_HIRING: (
            "投资纳税与投资带动本地就业只能二选一：按分值较高的{counted}（{counted_points}分）计分，"
            "{set_aside}（{set_aside_points}分）不计入",
            "Investment tax or local hires, not both: the higher, {counted} ({counted_points}), counts; "
            "{set_aside} ({set_aside_points}) does not",
        ),
    }
)
_ROUTE_COUNTS: Template = (
    "{route}直接积满{counted_points}分，高于常规指标合计的{set_aside_points}分，因此按{counted_points}分计，"
    "常规指标不再计入",
    "{route} gives {counted_points} directly, more than the {set_aside_points} of the other indicators, "
    "so it counts instead of them",
)
_REGULAR_COUNTS: Template = (
    "常规指标合计{counted_points}分，不低于{route}直接积满的{set_aside_points}分，因此按常规指标计分",
    "The other indicators give {counted_points}, at least the {set_aside_points} of {route}, so they count "
    "instead",
)
_VETO: Template = (
    "{reason}，属于一票否决项，不能申请居住证积分",
    "{reason}: this is a veto item (一票否决), so you cannot apply for residence-permit points",
)


def _value(value: object, lang: int) -> str:
    """One parameter in language ``lang`` (0: zh, 1: en)."""
    if type(value) is int or type(value) is str:
        return str(value)
    if isinstance(value, StrEnum) and value in LEVEL_NAMES:
        return _pick(LEVEL_NAMES[value], lang)
    if isinstance(value, Text):
        return _pick(value, lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return (
            str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())
        )
    return str(value)


def _params(note: Note, lang: int) -> dict[str, str]:
    params = {key: _value(value, lang) for key, value in note.params.items()}
    if "field" in params:  # a public-service field named by the applicant, in brackets when given
        field = params["field"]
        params["field"] = (f"（{field}）" if lang == 0 else f" ({field})") if field else ""
    if note.code.startswith("award."):
        level, name = params.pop("level"), params.pop("name")
        params["award"] = level if not name else (f"{level}“{name}”" if lang == 0 else f"{level} '{name}'")
    return params


def _sentence(text: str) -> str:
    """English text starting with a capital letter."""
    return text[:1].upper() + text[1:]


def _word(template: Template, lang: int, **params: object) -> str:
    return template[lang].format(**params)


def _pick(text: Text, lang: int) -> str:
    return text.zh if lang == 0 else text.en


def note_text(note: Note, gain: int | None = None) -> Text:
    """One note in both languages (``gain``: a step's gain, for step templates). Identical notes are
    worded once (the wording is a pure function of the note)."""
    return _note_text(note.code, frozenset(note.params.items()), gain)


@lru_cache(maxsize=16_384)
def _note_text(code: str, items: frozenset[tuple[str, object]], gain: int | None) -> Text:
    template = TEMPLATES[code]
    note = Note(code, dict(items))
    zh, en = _params(note, 0), _params(note, 1)
    if gain is not None:
        zh["gain"] = en["gain"] = str(gain)
    return Text(template[0].format(**zh), template[1].format(**en))


def indicator_name(indicator: Indicator | str) -> Text:
    """The indicator's name; a published code this version does not know reads as itself."""
    try:
        return INDICATOR_NAMES[Indicator(indicator)]
    except ValueError:
        return Text(str(indicator), str(indicator))


def explanation(line: IndicatorLine) -> Text:
    """Why the line scores what it scores, and whether it counts."""
    notes = tuple((n.code, frozenset(n.params.items())) for n in line.notes)
    return _explanation(notes, line.superseded_by if line.points else None)


@lru_cache(maxsize=16_384)
def _explanation(
    notes: tuple[tuple[str, frozenset[tuple[str, object]]], ...], set_aside_by: Indicator | None
) -> Text:
    texts = [_note_text(code, items, None) for code, items in notes]
    if set_aside_by is not None:
        winner = INDICATOR_NAMES[set_aside_by]
        texts.append(Text(_word(_NOT_COUNTED, 0, winner=winner.zh), _word(_NOT_COUNTED, 1, winner=winner.en)))
    return Text("；".join(t.zh for t in texts), _sentence("; ".join(t.en for t in texts)))


def step_text(step: NextStep) -> Text:
    """What would raise the line, with the line's gain ("Master's degree: +10")."""
    text = note_text(step.note, gain=step.gain)
    return Text(text.zh, _sentence(text.en))


def total_effect(step: NextStep) -> Text | None:
    """What the step would do to the total when that differs from the line's gain (a line set aside by
    an either/or choice, a direct route, the floor at 0); ``None`` when the total gains as much."""
    if step.total_gain == step.gain:
        return None
    if step.total_gain <= 0:
        return Text(*_TOTAL_UNCHANGED)
    return Text(_word(_TOTAL_GAIN, 0, gain=step.total_gain), _word(_TOTAL_GAIN, 1, gain=step.total_gain))


def _names(indicators: tuple[Indicator, ...], lang: int) -> str:
    return ("、" if lang == 0 else ", ").join(_pick(INDICATOR_NAMES[i], lang) for i in indicators)


def choice_text(choice: Choice) -> Text:
    """An either/or choice the calculator made, and why."""
    points = {"counted_points": choice.counted_points, "set_aside_points": choice.set_aside_points}
    if choice.kind is ChoiceKind.DIRECT_ROUTE:
        route_counts = choice.counted[0] in (Indicator.STARTUP_FOUNDER, Indicator.INNOVATION_INTERMEDIARY)
        template = _ROUTE_COUNTS if route_counts else _REGULAR_COUNTS
        route = INDICATOR_NAMES[choice.counted[0] if route_counts else choice.set_aside[0]]
        return Text(
            _word(template, 0, route=route.zh, **points), _word(template, 1, route=route.en, **points)
        )
    template = _CHOICES[choice.kind]
    zh, en = (
        _word(
            template,
            lang,
            counted=_names(choice.counted, lang),
            set_aside=_names(choice.set_aside, lang),
            **points,
        )
        for lang in (0, 1)
    )
    return Text(zh, en)


def veto_text(reason: IneligibilityReason) -> Text:
    """A veto item, said plainly: the person cannot apply, and why."""
    return Text(_word(_VETO, 0, reason=reason.text.zh), _word(_VETO, 1, reason=_sentence(reason.text.en)))
