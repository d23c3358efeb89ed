"""The rule model: indicators, the row types of the points tables, and the rule set in force on a date.

The dated rows themselves live in ``rules.py`` (each citing its source); the catalogues the rules
refer to (shortage majors, key areas) are data loaded by the service and injected here
(``catalogues.py``). ``build_rule_set(on, tables, catalogues)`` selects what is in force on an
assessment date; the calculator reads nothing else. Every row has an ``id``, a ``source`` and an
effective period ``effective_from`` .. ``effective_to`` (both inclusive; ``None``: still in force).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeVar

from .catalogues import Catalogues, KeyAreaEntry, ShortageMajorEntry
from .claims import AwardLevel, EducationLevel, KeyAreaKind, QualificationLevel

# --------------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------------


class Indicator(StrEnum):
    """Indicator codes, in the order lines appear on a result."""

    AGE = "age"
    EDUCATION = "education"
    QUALIFICATION = "qualification"
    INSURANCE_YEARS = "insurance_years"
    SHORTAGE_MAJOR = "shortage_major"
    INVESTMENT_TAX = "investment_tax"
    INVESTMENT_HIRING = "investment_hiring"
    INSURANCE_BASE = "insurance_base"
    PUBLIC_SERVICE = "public_service"
    KEY_AREA = "key_area"
    FRESH_GRADUATE = "fresh_graduate"
    AWARD = "award"
    SPOUSE = "spouse"
    STARTUP_FOUNDER = "startup_founder"
    INNOVATION_INTERMEDIARY = "innovation_intermediary"
    FALSE_MATERIALS = "false_materials"
    ADMINISTRATIVE_DETENTION = "administrative_detention"
    GENERAL_CRIMINAL_RECORD = "general_criminal_record"


DEDUCTION_INDICATORS: frozenset[Indicator] = frozenset(
    {Indicator.FALSE_MATERIALS, Indicator.ADMINISTRATIVE_DETENTION, Indicator.GENERAL_CRIMINAL_RECORD}
)
"""The indicators whose points are subtracted (减分指标)."""


# --------------------------------------------------------------------------------------------------
# Row types
# --------------------------------------------------------------------------------------------------


class Effective(Protocol):
    """An effective period (what ``in_force`` reads): rule rows, catalogue entries, checklist items."""

    @property
    def effective_from(self) -> date: ...

    @property
    def effective_to(self) -> date | None: ...


class Dated(Effective, Protocol):
    """What every rule row and catalogue entry has."""

    @property
    def id(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AgeRow:
    """Age ``min_age``..``max_age`` (full years at the assessment date) scores ``points``."""

    id: str
    min_age: int
    max_age: int
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class EducationRow:
    id: str
    level: EducationLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class QualificationRow:
    id: str
    level: QualificationLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


class GateKind(StrEnum):
    BASE = "base"  # social-insurance base >= min_multiple in months_required of the last window_months
    VERIFIABLE = "verifiable"  # out-of-province certificate verifiable online


@dataclass(frozen=True, slots=True)
class QualificationGate:
    """A condition that the listed qualification levels must meet to score."""

    id: str
    kind: GateKind
    levels: frozenset[QualificationLevel]
    source: str
    effective_from: date
    effective_to: date | None = None
    min_multiple: Decimal = Decimal(0)
    months_required: int = 0
    window_months: int = 0


@dataclass(frozen=True, slots=True)
class PerYearRule:
    """``points_per_year`` per full year, counted only once ``min_years`` is reached, up to ``cap``
    (``None``: no cap found in the sources). ``area_kind`` restricts a key-area row to one kind
    (``None``: all kinds); ``requires_residence``: the holder must also live there."""

    id: str
    indicator: Indicator
    points_per_year: int
    min_years: int
    cap: int | None
    source: str
    effective_from: date
    effective_to: date | None = None
    area_kind: KeyAreaKind | None = None
    requires_residence: bool = False


@dataclass(frozen=True, slots=True)
class BaseBandRow:
    """Social-insurance base band: ``points`` when at least ``months_required`` of the last
    ``window_months`` have a base of at least ``min_multiple`` x the previous year's average wage.
    The 2013 "last 3 consecutive years" rule is the special case months_required == window_months."""

    id: str
    min_multiple: Decimal
    months_required: int
    window_months: int
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class FlatRule:
    """A yes/no bonus item worth ``points`` (shortage major, fresh graduate)."""

    id: str
    indicator: Indicator
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class InvestmentRule:
    """Tax or hiring over ``years`` consecutive years, pro rata to the holder's share: each
    ``tax_step_yuan`` of average annual tax or each ``hires_step`` average Shanghai-hukou hires
    gives ``points_per_step``, up to ``cap``. Either/or with the hiring item; the higher counts."""

    id: str
    years: int
    tax_step_yuan: int
    hires_step: int
    points_per_step: int
    cap: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class AwardRow:
    id: str
    level: AwardLevel
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class DirectRouteRule:
    """A route that scores the standard ``points`` directly (直接积满标准分值)."""

    id: str
    indicator: Indicator
    points: int
    min_consecutive_months: int
    source: str
    effective_from: date
    effective_to: date | None = None
    min_share_percent: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class DeductionRow:
    """``points`` (positive number, subtracted) per record dated within ``window_years`` before the
    assessment date."""

    id: str
    indicator: Indicator
    points: int
    window_years: int
    source: str
    effective_from: date
    effective_to: date | None = None


class VetoKind(StrEnum):
    FAMILY_PLANNING_VIOLATION = "family_planning_violation"
    SERIOUS_CRIMINAL_RECORD = "serious_criminal_record"


@dataclass(frozen=True, slots=True)
class VetoRow:
    id: str
    kind: VetoKind
    name_zh: str
    name_en: str
    source: str
    effective_from: date
    effective_to: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PassMarkRow:
    """The standard score (标准分值). Stored as data: one source says it "will be adjusted
    dynamically"."""

    id: str
    points: int
    source: str
    effective_from: date
    effective_to: date | None = None


# --------------------------------------------------------------------------------------------------
# The tables, and the rule set in force on a date
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleTables:
    """Every dated table of the points rules (``rules.TABLES`` is the one in force in the code)."""

    age: tuple[AgeRow, ...]
    education: tuple[EducationRow, ...]
    qualification: tuple[QualificationRow, ...]
    qualification_gates: tuple[QualificationGate, ...]
    insurance_years: tuple[PerYearRule, ...]
    base_bands: tuple[BaseBandRow, ...]
    flat: tuple[FlatRule, ...]
    investment: tuple[InvestmentRule, ...]
    per_year: tuple[PerYearRule, ...]
    awards: tuple[AwardRow, ...]
    direct_routes: tuple[DirectRouteRule, ...]
    deductions: tuple[DeductionRow, ...]
    vetoes: tuple[VetoRow, ...]
    pass_marks: tuple[PassMarkRow, ...]

    def all(self) -> tuple[tuple[Dated, ...], ...]:
        """Every table, for checks that walk all rows (sources, ids, periods)."""
        return (
            self.age,
            self.education,
            self.qualification,
            self.qualification_gates,
            self.insurance_years,
            self.base_bands,
            self.flat,
            self.investment,
            self.per_year,
            self.awards,
            self.direct_routes,
            self.deductions,
            self.vetoes,
            self.pass_marks,
        )


class NoRulesInForceError(LookupError):
    """No rule row of a required table is in force on the requested date."""


_R = TypeVar("_R", bound=Effective)


def in_force(rows: Iterable[_R], on: date) -> tuple[_R, ...]:
    """Rows whose effective period (inclusive at both ends) contains ``on``."""
    return tuple(
        r for r in rows if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)
    )


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All rule rows and catalogue entries in force on ``on``. Treat as read-only."""

    on: date
    age: tuple[AgeRow, ...]
    education: Mapping[EducationLevel, EducationRow]
    qualification: Mapping[QualificationLevel, QualificationRow]
    qualification_gates: tuple[QualificationGate, ...]
    insurance_years: PerYearRule
    base_bands: tuple[BaseBandRow, ...]  # ascending points
    shortage_major: FlatRule | None
    fresh_graduate: FlatRule | None
    investment: InvestmentRule | None
    public_service: PerYearRule | None
    key_area: tuple[PerYearRule, ...]
    spouse: PerYearRule | None
    awards: Mapping[AwardLevel, AwardRow]
    direct_routes: Mapping[Indicator, DirectRouteRule]
    deductions: tuple[DeductionRow, ...]
    vetoes: tuple[VetoRow, ...]
    pass_mark: PassMarkRow
    shortage_majors: Mapping[tuple[str, str], ShortageMajorEntry]
    key_areas: Mapping[str, KeyAreaEntry]
    caps: Mapping[Indicator, int | None]  # None: no cap
    base_thresholds: tuple[Decimal, ...]  # distinct base multiples used by bands and gates, ascending
    longest_base_window: int  # months of contribution history any rule reads


def _one(rows: tuple[_R, ...], what: str, on: date) -> _R:
    if len(rows) != 1:
        raise NoRulesInForceError(f"{len(rows)} {what} rows in force on {on.isoformat()}, expected 1")
    return rows[0]


def _at_most_one(rows: tuple[_R, ...], what: str, on: date) -> _R | None:
    if len(rows) > 1:
        raise NoRulesInForceError(f"{len(rows)} {what} rows in force on {on.isoformat()}, expected <= 1")
    return rows[0] if rows else None


def build_rule_set(on: date, tables: RuleTables, catalogues: Catalogues) -> RuleSet:
    """The rule set in force on the assessment date ``on``, from ``tables`` and ``catalogues``.

    Raises ``NoRulesInForceError`` before the points system existed or if the tables overlap
    inconsistently.
    """
    base_bands = tuple(sorted(in_force(tables.base_bands, on), key=lambda b: b.points))
    if not base_bands:
        raise NoRulesInForceError(f"no social-insurance base rule in force on {on.isoformat()}")
    age = in_force(tables.age, on)
    if not age:
        raise NoRulesInForceError(f"no age rule in force on {on.isoformat()}")

    def flat(indicator: Indicator) -> FlatRule | None:
        rows = in_force((r for r in tables.flat if r.indicator is indicator), on)
        return _at_most_one(rows, indicator, on)

    def per_year(indicator: Indicator) -> tuple[PerYearRule, ...]:
        return in_force((r for r in tables.per_year if r.indicator is indicator), on)

    education = MappingProxyType({r.level: r for r in in_force(tables.education, on)})
    qualification = MappingProxyType({r.level: r for r in in_force(tables.qualification, on)})
    insurance_years = _one(in_force(tables.insurance_years, on), "insurance-years", on)
    shortage_major = flat(Indicator.SHORTAGE_MAJOR)
    fresh_graduate = flat(Indicator.FRESH_GRADUATE)
    investment = _at_most_one(in_force(tables.investment, on), "investment", on)
    public_service = _at_most_one(per_year(Indicator.PUBLIC_SERVICE), "public-service", on)
    key_area = per_year(Indicator.KEY_AREA)
    spouse = _at_most_one(per_year(Indicator.SPOUSE), "spouse", on)
    awards = MappingProxyType({r.level: r for r in in_force(tables.awards, on)})
    direct_routes = MappingProxyType({r.indicator: r for r in in_force(tables.direct_routes, on)})
    deductions = in_force(tables.deductions, on)
    gates = in_force(tables.qualification_gates, on)
    caps: dict[Indicator, int | None] = {
        Indicator.AGE: max(r.points for r in age),
        Indicator.EDUCATION: max((r.points for r in education.values()), default=0),
        Indicator.QUALIFICATION: max((r.points for r in qualification.values()), default=0),
        Indicator.INSURANCE_YEARS: insurance_years.cap,
        Indicator.SHORTAGE_MAJOR: shortage_major.points if shortage_major else 0,
        Indicator.INVESTMENT_TAX: investment.cap if investment else 0,
        Indicator.INVESTMENT_HIRING: investment.cap if investment else 0,
        Indicator.INSURANCE_BASE: max(b.points for b in base_bands),
        Indicator.PUBLIC_SERVICE: public_service.cap if public_service else 0,
        Indicator.KEY_AREA: max((r.cap or 0 for r in key_area), default=0),
        Indicator.FRESH_GRADUATE: fresh_graduate.points if fresh_graduate else 0,
        Indicator.AWARD: max((r.points for r in awards.values()), default=0),
        Indicator.SPOUSE: spouse.cap if spouse else 0,
        Indicator.STARTUP_FOUNDER: r.points if (r := direct_routes.get(Indicator.STARTUP_FOUNDER)) else 0,
        Indicator.INNOVATION_INTERMEDIARY: (
            r.points if (r := direct_routes.get(Indicator.INNOVATION_INTERMEDIARY)) else 0
        ),
        Indicator.FALSE_MATERIALS: None,
        Indicator.ADMINISTRATIVE_DETENTION: None,
        Indicator.GENERAL_CRIMINAL_RECORD: None,
    }
    return RuleSet(
        on=on,
        age=age,
        education=education,
        qualification=qualification,
        qualification_gates=gates,
        insurance_years=insurance_years,
        base_bands=base_bands,
        shortage_major=shortage_major,
        fresh_graduate=fresh_graduate,
        investment=investment,
        public_service=public_service,
        key_area=key_area,
        spouse=spouse,
        awards=awards,
        direct_routes=direct_routes,
        deductions=deductions,
        vetoes=in_force(tables.vetoes, on),
        pass_mark=_one(in_force(tables.pass_marks, on), "pass-mark", on),
        shortage_majors=MappingProxyType(
            {(e.code, e.name): e for e in in_force(catalogues.shortage_majors, on)}
        ),
        key_areas=MappingProxyType({e.code: e for e in in_force(catalogues.key_areas, on)}),
        caps=MappingProxyType(caps),
        base_thresholds=tuple(
            sorted(
                {b.min_multiple for b in base_bands}
                | {g.min_multiple for g in gates if g.kind is GateKind.BASE}
            )
        ),
        longest_base_window=max(
            (
                *(b.window_months for b in base_bands),
                *(g.window_months for g in gates if g.kind is GateKind.BASE),
                1,
            )
        ),
    )
