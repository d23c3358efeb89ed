"""The points simulator (积分模拟打分器): answers as a person knows them, mapped to the calculator's claims.

A person estimating their score does not know the form's month-by-month contribution records or the
catalogue codes; they know "1–2 times the average wage for 36 of the last 48 months", their highest
degree, when they married. ``SimulatorAnswers`` holds those answers, ``QUESTIONS`` describes each
one (kind, default, limits: the simulator page, the JSON API and its OpenAPI schema read it), and:

* ``read_answers(raw, today)`` reads answers from a form or a JSON object (strings or JSON values),
  reporting every field's problem at once;
* ``simulate(answers, catalogues)`` checks the answers against the rules in force on the assessment
  date, maps them to ``ScoringClaims`` and ``DeductionClaims`` and scores them with the very
  calculator that approval uses. The same answers always give the same result.

Mapping decisions (the simulator asks less than the form):

* The base history is the ``base_months`` most recent months before the assessment month at the
  stated band's lower multiple (0.8x, 1x, 2x, 3x); earlier months and the title gate's 12 months
  are read from the same history. More months in the band than months paid is refused (the
  ``consistency`` rule, reported at ``months_paid``).
* A key-area kind is mapped to the first area of that kind on the catalogue in force.
* Deduction records: the oldest on the date given (the assessment date if none), the others on the
  assessment date, so "when it stops counting" is right for the oldest one.
* Investment and founder answers are per-year averages over the enterprise's last 3 years.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.text import Text

from .calculator import PointsResult, calculate
from .catalogues import Catalogues, KeyAreaEntry
from .claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InnovationIntermediaryClaim,
    InvestmentClaim,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    ScoringClaims,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    SpouseClaim,
    StartupFounderClaim,
)
from .consistency import MONTHS_PAID_FIELD, social_insurance_problems
from .limits import MAX_HIRES, MAX_MONTHS, MAX_RECORDS, MAX_TAX_YUAN, MAX_YEARS
from .model import Indicator, NoRulesInForceError, RuleSet
from .rules import rules_in_force


class BaseBand(StrEnum):
    """The social-insurance base of recent months, as people say it: at least this many times the
    previous year's Shanghai average wage (社平)."""

    FROM_0_8 = "0.8"  # 0.8–1 times
    FROM_1 = "1"  # 1–2 times
    FROM_2 = "2"  # 2–3 times
    FROM_3 = "3"  # 3 times or more

    @property
    def multiple(self) -> Decimal:
        return Decimal(self.value)


BAND_NAMES: Mapping[BaseBand, Text] = {
    BaseBand.FROM_0_8: Text("社平的0.8–1倍", "0.8–1 times the average wage"),
    BaseBand.FROM_1: Text("社平的1–2倍", "1–2 times the average wage"),
    BaseBand.FROM_2: Text("社平的2–3倍", "2–3 times the average wage"),
    BaseBand.FROM_3: Text("社平的3倍及以上", "3 times the average wage or more"),
}

KEY_AREA_KIND_NAMES: Mapping[KeyAreaKind, Text] = {
    KeyAreaKind.LINGANG: Text("临港新片区", "Lingang New Area"),
    KeyAreaKind.OTHER: Text(
        "其他重点区域（如五个新城、南北转型区域、远郊重点区域）",
        "another key area (such as the five new cities, the north and south transformation areas)",
    ),
}

def _limit(maximum: int) -> dict[str, int]:
    return {"max": maximum}


@dataclass(frozen=True, slots=True)
class SimulatorAnswers:
    """What a person states about themselves, on an assessment date. Field names are the form's and the
    API's; ``QUESTIONS`` is derived from this class (types, defaults, ``max`` limits)."""

    assessment_date: date
    birth_date: date
    education: EducationLevel | None = None
    education_recognised: bool = True
    title: QualificationLevel | None = None
    title_obtained_in_shanghai: bool = True
    title_matches_post: bool = True
    months_paid: int = field(default=0, metadata=_limit(MAX_MONTHS))
    base_band: BaseBand | None = None
    base_months: int = field(default=0, metadata=_limit(48))
    spouse_shanghai_hukou: bool = False
    married_on: date | None = None
    shortage_major: str | None = None  # a code on the shortage-major catalogue in force
    major_matches_post: bool = True
    key_area: KeyAreaKind | None = None
    key_area_years: int = field(default=0, metadata=_limit(MAX_YEARS))
    lives_in_key_area: bool = True
    public_service_years: int = field(default=0, metadata=_limit(MAX_YEARS))
    award: AwardLevel | None = None
    award_in_shanghai: bool = True
    fresh_graduate: bool = False
    investment_share: Decimal | None = None  # percent
    investment_tax_yuan: int = field(default=0, metadata=_limit(MAX_TAX_YUAN))  # a year, 3-year average
    investment_hires: int = field(default=0, metadata=_limit(MAX_HIRES))  # a year, 3-year average
    founder_share: Decimal | None = None  # percent
    founder_months: int = field(default=0, metadata=_limit(MAX_MONTHS))
    founder_in_incubator: bool = True
    founder_shares_before_incubation: bool = True
    intermediary_months: int = field(default=0, metadata=_limit(MAX_MONTHS))
    false_materials: int = field(default=0, metadata=_limit(MAX_RECORDS))
    false_materials_oldest_on: date | None = None
    detentions: int = field(default=0, metadata=_limit(MAX_RECORDS))
    detentions_oldest_on: date | None = None
    criminal_records: int = field(default=0, metadata=_limit(MAX_RECORDS))
    criminal_records_oldest_on: date | None = None
    family_planning_violation: bool = False
    serious_criminal_record: bool = False


# --------------------------------------------------------------------------------------------------
# Questions: the answers' kinds, read from the dataclass
# --------------------------------------------------------------------------------------------------


class AnswerKind(StrEnum):
    DATE = "date"
    COUNT = "count"  # a whole number from 0 to ``maximum``
    YES_NO = "yes_no"
    PERCENT = "percent"  # more than 0 and at most 100
    CHOICE = "choice"  # one of ``choices``
    CODE = "code"  # a catalogue code, checked against the catalogue in force


@dataclass(frozen=True, slots=True)
class Question:
    name: str
    kind: AnswerKind
    required: bool
    default: object
    choices: tuple[str, ...] = ()
    maximum: int | None = None


def _question(name: str, hint: object, default: object, maximum: int | None) -> Question:
    args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    kind_type = args[0]
    required = default is MISSING and name not in OPTIONAL_ON_INPUT
    if kind_type is date:
        return Question(name, AnswerKind.DATE, required, None if default is MISSING else default)
    if kind_type is bool:
        return Question(name, AnswerKind.YES_NO, required, default)
    if kind_type is int:
        return Question(name, AnswerKind.COUNT, required, default, maximum=maximum)
    if kind_type is Decimal:
        return Question(name, AnswerKind.PERCENT, required, default)
    if isinstance(kind_type, type) and issubclass(kind_type, StrEnum):
        return Question(name, AnswerKind.CHOICE, required, default, tuple(m.value for m in kind_type))
    if kind_type is str:
        return Question(name, AnswerKind.CODE, required, default)
    raise TypeError(f"no answer kind for {name}: {hint!r}")


OPTIONAL_ON_INPUT = frozenset({"assessment_date"})  # today (Asia/Shanghai) when blank
_HINTS = typing.get_type_hints(SimulatorAnswers)
QUESTIONS: tuple[Question, ...] = tuple(
    _question(
        f.name,
        _HINTS[f.name],
        f.default,
        f.metadata.get("max"),
    )
    for f in fields(SimulatorAnswers)
)
_BY_NAME: Mapping[str, Question] = {q.name: q for q in QUESTIONS}
_DEFAULTS: Mapping[str, object] = {q.name: q.default for q in QUESTIONS if not q.required}
ENUMS: Mapping[str, type[StrEnum]] = {
    name: enum
    for name, hint in _HINTS.items()
    for enum in typing.get_args(hint) or (hint,)
    if isinstance(enum, type) and issubclass(enum, StrEnum)
}
"""The enum of each choice answer."""

# --------------------------------------------------------------------------------------------------
# Reading answers
# --------------------------------------------------------------------------------------------------

REQUIRED = "required"
INVALID_DATE = "date"
INVALID_COUNT = "count"
INVALID_YES_NO = "yes_no"
INVALID_PERCENT = "percent"
INVALID_CHOICE = "choice"
UNKNOWN_FIELD = "unknown_field"


class SimulatorAnswersError(ValidationFailed):
    """The answers cannot be simulated; ``errors`` holds every field's problem."""

    code = "simulator.answers_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            errors,
            Text(
                f"有 {len(errors)} 处需要修改",
                f"There {'is 1 problem' if len(errors) == 1 else f'are {len(errors)} problems'} to fix",
            ),
        )


def _error(name: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(name, code, Text(zh, en))


_TRUE = frozenset({"true", "yes", "on", "1", "是"})
_FALSE = frozenset({"false", "no", "off", "0", "否"})


def _read(question: Question, value: object) -> tuple[object, FieldError | None]:
    """One answer from a form string or a JSON value: (value, problem)."""
    name, kind = question.name, question.kind
    if kind is AnswerKind.YES_NO:
        if isinstance(value, bool):
            return value, None
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE, None
        return None, _error(name, INVALID_YES_NO, "请选择是或否", "Choose yes or no")
    if kind is AnswerKind.DATE:
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value.strip()), None
        except ValueError:
            return None, _error(
                name,
                INVALID_DATE,
                "请输入真实存在的日期（年 月 日）",
                "Enter a real date (year, month and day)",
            )
    if kind is AnswerKind.COUNT:
        maximum = question.maximum or 0
        try:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError
            number = int(value.strip()) if isinstance(value, str) else value
            if not 0 <= number <= maximum:
                raise ValueError
            return number, None
        except ValueError:
            return None, _error(
                name,
                INVALID_COUNT,
                f"请输入0到{maximum}之间的整数",
                f"Enter a whole number from 0 to {maximum}",
            )
    if kind is AnswerKind.PERCENT:
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError
            share = Decimal(str(value).strip().rstrip("%").strip())
            if not (Decimal(0) < share <= Decimal(100)):
                raise ValueError
            return share, None
        except (ValueError, InvalidOperation):
            return None, _error(
                name,
                INVALID_PERCENT,
                "请输入大于0、不超过100的百分比",
                "Enter a percentage above 0 and up to 100",
            )
    text = value.strip() if isinstance(value, str) else None
    if text is None or (kind is AnswerKind.CHOICE and text not in question.choices):
        return None, _error(name, INVALID_CHOICE, "请从选项中选择", "Choose one of the options")
    return ENUMS[name](text) if name in ENUMS else text, None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_answers(raw: Mapping[str, object], today: date) -> SimulatorAnswers:
    """Answers from a form or a JSON object. Blank answers take their defaults; a blank
    ``assessment_date`` is ``today``. Raises ``SimulatorAnswersError`` with every field's problem."""
    errors: list[FieldError] = []
    values = {**_DEFAULTS, "assessment_date": today}
    for key, value in raw.items():
        question = _BY_NAME.get(key)
        if question is None:
            errors.append(_error(key, UNKNOWN_FIELD, f"未知的字段“{key}”", f"Unknown field '{key}'"))
        elif not _blank(value):
            parsed, problem = _read(question, value)
            if problem is not None:
                errors.append(problem)
            else:
                values[key] = parsed
    wrong = {e.field for e in errors}
    for question in QUESTIONS:
        if question.required and question.name not in values and question.name not in wrong:
            errors.append(_error(question.name, REQUIRED, "此项为必填项", "This is required"))
    if errors:
        raise SimulatorAnswersError(errors)
    return SimulatorAnswers(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Checking answers against the rules in force, and mapping them to claims
# --------------------------------------------------------------------------------------------------

NO_RULES_ON_DATE = "simulator.no_rules_on_date"
AFTER_ASSESSMENT_DATE = "simulator.after_assessment_date"
BEFORE_BIRTH = "simulator.before_birth"
ABOVE_WINDOW = "simulator.base_months_above_window"
BAND_MISSING = "simulator.base_band_missing"
KEY_AREA_MISSING = "simulator.key_area_missing"
NO_KEY_AREA_OF_KIND = "simulator.no_key_area_of_kind"
SHARE_MISSING = "simulator.share_missing"
NOT_ON_CATALOGUE = "simulator.major_not_on_catalogue"
RECORD_OUTSIDE_WINDOW = "simulator.record_outside_window"
MARRIAGE_DATE_MISSING = "simulator.marriage_date_missing"


def base_window(band: BaseBand, rules: RuleSet) -> int:
    """The months the band's rule reads: the window of the highest band row at or below its multiple
    (36 of the last 48 months for 0.8x-2x from 2018, 24 of the last 36 for 3x; 36 under the 2013 rule)."""
    rows = [b for b in rules.base_bands if b.min_multiple <= band.multiple] or [rules.base_bands[0]]
    return max(rows, key=lambda b: b.min_multiple).window_months


def _months_before(on: date, n: int) -> list[date]:
    """The ``n`` months before the month of ``on``, newest first."""
    index = on.year * 12 + on.month - 1
    return [date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(1, n + 1)]


def _key_area_entry(kind: KeyAreaKind, rules: RuleSet) -> KeyAreaEntry | None:
    entries = sorted((e for e in rules.key_areas.values() if e.kind is kind), key=lambda e: e.code)
    return entries[0] if entries else None


def _window_start(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return date(on.year - years, 3, 1)


_DEDUCTIONS = (
    ("false_materials", "false_materials_oldest_on", Indicator.FALSE_MATERIALS),
    ("detentions", "detentions_oldest_on", Indicator.ADMINISTRATIVE_DETENTION),
    ("criminal_records", "criminal_records_oldest_on", Indicator.GENERAL_CRIMINAL_RECORD),
)


def answer_problems(
    answers: SimulatorAnswers, rules: RuleSet, insurance: SocialInsuranceClaim | None = None
) -> list[FieldError]:
    """What the answers get wrong under the rules in force (everything but the types); ``insurance``:
    the social-insurance claim the answers map to, when already built."""
    on = answers.assessment_date
    errors: list[FieldError] = []

    def after(name: str, day: date | None) -> None:
        if day is not None and day > on:
            errors.append(
                _error(
                    name,
                    AFTER_ASSESSMENT_DATE,
                    f"不能晚于评估日期 {on.isoformat()}",
                    f"This cannot be after the assessment date, {on.isoformat()}",
                )
            )

    after("birth_date", answers.birth_date)
    after("married_on", answers.married_on)
    if answers.spouse_shanghai_hukou and answers.married_on is None:
        errors.append(
            _error("married_on", MARRIAGE_DATE_MISSING, "请填写结婚日期", "Enter the date you married")
        )
    if answers.married_on is not None and answers.married_on < answers.birth_date:
        errors.append(
            _error(
                "married_on",
                BEFORE_BIRTH,
                "结婚日期不能早于出生日期",
                "The marriage date cannot be before the birth date",
            )
        )
    if answers.base_band is None:
        if answers.base_months:
            errors.append(
                _error(
                    "base_band",
                    BAND_MISSING,
                    "请选择缴费基数的档次",
                    "Choose the level of your contribution base",
                )
            )
    elif answers.base_months > (window := base_window(answers.base_band, rules)):
        errors.append(
            _error(
                "base_months",
                ABOVE_WINDOW,
                f"近{window}个月内最多{window}个月",
                f"At most {window} months within the last {window}",
            )
        )
    if answers.key_area is None:
        if answers.key_area_years:
            errors.append(_error("key_area", KEY_AREA_MISSING, "请选择工作的区域", "Choose where you work"))
    elif _key_area_entry(answers.key_area, rules) is None:
        errors.append(
            _error(
                "key_area",
                NO_KEY_AREA_OF_KIND,
                "评估日有效的重点区域目录中没有此类区域",
                "The key-area catalogue in force has no area of this kind",
            )
        )
    if answers.investment_share is None and (answers.investment_tax_yuan or answers.investment_hires):
        errors.append(
            _error(
                "investment_share", SHARE_MISSING, "请填写您的投资比例", "Enter your share of the enterprise"
            )
        )
    if answers.founder_share is None and answers.founder_months:
        errors.append(
            _error("founder_share", SHARE_MISSING, "请填写您的持股比例", "Enter your share of the enterprise")
        )
    if answers.shortage_major is not None and _major(answers.shortage_major, rules) is None:
        errors.append(
            _error(
                "shortage_major",
                NOT_ON_CATALOGUE,
                "请从评估日有效的紧缺急需专业目录中选择",
                "Choose a major on the shortage catalogue in force on the assessment date",
            )
        )
    windows = {row.indicator: row.window_years for row in rules.deductions}
    for count, oldest, indicator in _DEDUCTIONS:
        day = getattr(answers, oldest)
        after(oldest, day)
        years = windows.get(indicator)
        if getattr(answers, count) and day is not None and years and day <= _window_start(on, years):
            errors.append(
                _error(
                    oldest,
                    RECORD_OUTSIDE_WINDOW,
                    f"{years}年前的记录不再扣分，请只计算近{years}年内的记录",
                    f"Records older than {years} years no longer count: "
                    f"count only those of the last {years} years",
                )
            )
    for problem in social_insurance_problems(insurance or _social_insurance(answers), on):
        assert problem.field == MONTHS_PAID_FIELD
        n = answers.base_months
        errors.append(
            _error(
                "months_paid",
                problem.code,
                f"您填写了有{n}个月缴费基数达到所选档次，累计缴费月数至少应为{n}个月",
                f"You said your base reached that level for {n} months, so you paid at least {n} months",
            )
        )
    return errors


def _major(code: str, rules: RuleSet) -> tuple[str, str] | None:
    for entry_code, name in rules.shortage_majors:
        if entry_code == code:
            return entry_code, name
    return None


def _social_insurance(answers: SimulatorAnswers) -> SocialInsuranceClaim:
    history: tuple[MonthlyContribution, ...] = ()
    if answers.base_band is not None and answers.base_months:
        on = answers.assessment_date
        history = _band_history(on.year, on.month, answers.base_band, answers.base_months)
    return SocialInsuranceClaim(contribution_months=answers.months_paid, history=history)


@lru_cache(maxsize=1024)
def _band_history(year: int, month: int, band: BaseBand, months: int) -> tuple[MonthlyContribution, ...]:
    """``months`` months at the band's multiple, ending with the month before ``year``-``month``
    (immutable, so shared by every answer with the same band, length and assessment month)."""
    return tuple(MonthlyContribution(m, band.multiple) for m in _months_before(date(year, month, 1), months))


def _records(count: int, oldest: date | None, on: date) -> tuple[RecordedIncident, ...]:
    if not count:
        return ()
    return (RecordedIncident(oldest or on), *(RecordedIncident(on) for _ in range(count - 1)))


def to_claims(
    answers: SimulatorAnswers, rules: RuleSet, insurance: SocialInsuranceClaim | None = None
) -> tuple[ScoringClaims, DeductionClaims]:
    """The calculator's claims for checked answers (``answer_problems`` found nothing)."""
    on = answers.assessment_date
    major = _major(answers.shortage_major, rules) if answers.shortage_major else None
    area = _key_area_entry(answers.key_area, rules) if answers.key_area else None
    scoring = ScoringClaims(
        birth_date=answers.birth_date,
        education=EducationClaim(answers.education, answers.education_recognised)
        if answers.education
        else None,
        qualifications=(
            (
                QualificationClaim(
                    answers.title, answers.title_obtained_in_shanghai, answers.title_matches_post
                ),
            )
            if answers.title
            else ()
        ),
        social_insurance=insurance or _social_insurance(answers),
        shortage_major=ShortageMajorClaim(major[0], major[1], answers.major_matches_post) if major else None,
        investment=(
            InvestmentClaim(
                "",
                answers.investment_share,
                (answers.investment_tax_yuan,) * 3,
                (answers.investment_hires,) * 3,
            )
            if answers.investment_share is not None
            else None
        ),
        public_service=PublicServiceClaim("", answers.public_service_years)
        if answers.public_service_years
        else None,
        key_areas=(
            (KeyAreaClaim(area.kind, area.code, answers.key_area_years, answers.lives_in_key_area),)
            if area
            else ()
        ),
        spouse=(
            SpouseClaim(True, answers.married_on)
            if answers.spouse_shanghai_hukou and answers.married_on is not None
            else None
        ),
        awards=(AwardClaim(answers.award, "", on, answers.award_in_shanghai),) if answers.award else (),
        full_time_fresh_graduate=answers.fresh_graduate,
        startup_founder=(
            StartupFounderClaim(
                "",
                answers.founder_share,
                answers.founder_months,
                answers.founder_in_incubator,
                answers.founder_shares_before_incubation,
            )
            if answers.founder_share is not None
            else None
        ),
        innovation_intermediary=(
            InnovationIntermediaryClaim("", answers.intermediary_months)
            if answers.intermediary_months
            else None
        ),
    )
    deductions = DeductionClaims(
        false_materials=_records(answers.false_materials, answers.false_materials_oldest_on, on),
        administrative_detentions=_records(answers.detentions, answers.detentions_oldest_on, on),
        general_criminal_records=_records(answers.criminal_records, answers.criminal_records_oldest_on, on),
        family_planning_violation=answers.family_planning_violation,
        serious_criminal_record=answers.serious_criminal_record,
    )
    return scoring, deductions


def rules_for(answers: SimulatorAnswers, catalogues: Catalogues) -> RuleSet:
    """The rules in force on the answers' assessment date; a date before the points system is a
    problem at ``assessment_date``."""
    try:
        return rules_in_force(answers.assessment_date, catalogues)
    except NoRulesInForceError:
        raise SimulatorAnswersError(
            [
                _error(
                    "assessment_date",
                    NO_RULES_ON_DATE,
                    "评估日期不能早于2013年7月1日（居住证积分制度施行之日）",
                    "The assessment date cannot be before 1 July 2013, when the points system started",
                )
            ]
        ) from None


def simulate(answers: SimulatorAnswers, catalogues: Catalogues) -> PointsResult:
    """Score the answers on their assessment date with the catalogues in force. Raises
    ``SimulatorAnswersError`` listing every problem."""
    rules = rules_for(answers, catalogues)
    insurance = _social_insurance(answers)
    if errors := answer_problems(answers, rules, insurance):
        raise SimulatorAnswersError(errors)
    scoring, deductions = to_claims(answers, rules, insurance)
    return calculate(scoring, deductions, answers.assessment_date, rules)
