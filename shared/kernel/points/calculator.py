"""Points calculator (积分计算): pure, table-driven scoring.

``calculate(claims, deductions, on, rules)`` scores the claims against ``rules`` (normally
``rules_in_force(on, catalogues)``) and returns a ``PointsResult`` with one ``IndicatorLine`` per
indicator: the rule row applied and its source, the points, the cap, whether the line counts towards
the total (or was set aside by an either/or choice or a direct-120 route), the facts behind it as
``Note`` values (a stable code and its parameters) and what would raise it (``NextStep``: the line's
gain and the total's). Wording is not scored here: ``narration`` turns notes into sentences.

Aggregation (domain.md §1):

* Total = basic + bonus - deductions, never below 0.
* Within an indicator only the highest qualifying item counts; deductions are summed per record.
* Education **or** title/skill; investment tax **or** hiring. The higher counts; on a tie the first
  (education, tax) counts.
* A direct-120 route scores 120. It replaces the regular indicators when they sum to less; if they
  sum to as much or more, the regular indicators count instead. Deductions apply either way.
* ``total == max(0, sum of the counted lines)``; ``meets_pass_mark`` ignores vetoes, ``eligible``
  reports them, ``qualifies`` needs both.
* A veto item makes the applicant ineligible whatever the score (``eligible=False`` with reasons).
* Claims that contradict each other (more months in the base history than months paid) are refused
  with ``ContradictoryClaimsError`` (``consistency``).

Decisions where the sources are silent (domain.md §6), documented here and in the tests:

* Age is taken in full years on the assessment date ``on``; over 60 scores 0 (not a veto).
* Social-insurance windows ("the last 48 months", "the last 12 months") are the calendar months
  ending with the month *before* the assessment month (the assessment month may not be posted yet).
  A month counts for a band when its base is at least the band's lower multiple (0.8x, 1x, 2x, 3x):
  a month at 1.5x counts towards both the 0.8x and the 1x bands.
* "What would raise it" for the base assumes contributions continue every month from the assessment
  month on, and accounts for old months leaving the window.
* Investment: the 3-year average tax (or hires) is taken pro rata to the holder's share *before*
  the RMB 100,000 (10 hires) threshold is applied.
* Deduction windows: a record counts while ``on - N years < record date <= on``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, Protocol, TypeVar

from shared.kernel.text import Text

from .aggregation import Aggregation, Choice, aggregate
from .claims import DeductionClaims, MonthlyContribution, QualificationLevel, ScoringClaims
from .consistency import ContradictoryClaimsError, social_insurance_problems
from .model import Dated, GateKind, Indicator, PerYearRule, RuleSet, VetoKind
from .rules import rules_in_force


class Note(NamedTuple):
    """One fact behind a line: a stable ``code`` (``narration`` words it) and its parameters
    (numbers, dates, levels, catalogue names as ``Text``)."""

    code: str
    params: Mapping[str, object]


class NextStep(NamedTuple):
    """Something that would raise a line: the line's ``gain``, and ``total_gain``, what the total would
    gain once either/or choices, direct-120 routes, deductions and the floor at 0 are applied (0 when
    the line would still be set aside)."""

    gain: int
    note: Note
    total_gain: int


class IndicatorLine(NamedTuple):
    """One line of the result. Immutable (a ``NamedTuple`` rather than a frozen dataclass because a
    result has 18 lines and frozen-dataclass construction dominated the calculation time)."""

    indicator: Indicator
    rule_id: str | None  # row applied; None when no row applies (nothing claimed, or no rule in force)
    source: str
    points: int
    cap: int | None  # None: no cap
    counted: bool
    superseded_by: Indicator | None
    notes: tuple[Note, ...]
    next_steps: tuple[NextStep, ...] = ()


@dataclass(frozen=True, slots=True)
class IneligibilityReason:
    """A veto item claimed (一票否决): the applicant may not apply; ``text`` names it."""

    code: str
    rule_id: str
    source: str
    text: Text


@dataclass(frozen=True, slots=True)
class PointsResult:
    assessed_on: date
    total: int
    pass_mark: int
    pass_mark_rule_id: str
    meets_pass_mark: bool
    eligible: bool
    ineligibility_reasons: tuple[IneligibilityReason, ...]
    lines: tuple[IndicatorLine, ...]
    choices: tuple[Choice, ...] = ()

    @property
    def qualifies(self) -> bool:
        """Eligible and at or above the pass mark."""
        return self.eligible and self.meets_pass_mark

    def line(self, indicator: Indicator) -> IndicatorLine:
        for ln in self.lines:
            if ln.indicator is indicator:
                return ln
        raise KeyError(indicator)


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------

NOT_CLAIMED = Note("not_claimed", {})
NO_RULE = Note("no_rule", {})


class _Step(NamedTuple):
    """A next step before its effect on the total is known."""

    gain: int
    note: Note


class _Draft:
    __slots__ = (
        "cap",
        "counted",
        "indicator",
        "notes",
        "points",
        "rule_id",
        "source",
        "steps",
        "superseded_by",
    )

    def __init__(
        self,
        indicator: Indicator,
        rule_id: str | None,
        source: str,
        points: int,
        cap: int | None,
        notes: tuple[Note, ...],
        steps: tuple[_Step, ...] = (),
    ) -> None:
        self.indicator = indicator
        self.rule_id = rule_id
        self.source = source
        self.points = points
        self.cap = cap
        self.notes = notes
        self.steps = steps
        self.counted = True
        self.superseded_by: Indicator | None = None

    def freeze(self, steps: tuple[NextStep, ...]) -> IndicatorLine:
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (same result, faster).
        return tuple.__new__(
            IndicatorLine,
            (
                self.indicator,
                self.rule_id,
                self.source,
                self.points,
                self.cap,
                self.counted,
                self.superseded_by,
                self.notes,
                steps,
            ),
        )


def _no_rule(indicator: Indicator, cap: int | None) -> _Draft:
    """The line of an indicator that no rule covers on the assessment date."""
    return _Draft(indicator, None, "", 0, cap, (NO_RULE,))


def _not_claimed(
    indicator: Indicator, cap: int | None, rule: Dated | None = None, steps: tuple[_Step, ...] = ()
) -> _Draft:
    """The line of an indicator the applicant did not claim (naming the ``rule`` in force, if given), and
    the first threshold that would score (``steps``)."""
    if rule is None:
        return _Draft(indicator, None, "", 0, cap, (NOT_CLAIMED,), steps)
    return _Draft(indicator, rule.id, rule.source, 0, cap, (NOT_CLAIMED,), steps)


def _full_years(start: date, on: date) -> int:
    """Completed years from ``start`` to ``on`` (birthdays, anniversaries)."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return date(d.year + years, 3, 1)


class _Levelled(Protocol):
    @property
    def level(self) -> StrEnum: ...

    @property
    def points(self) -> int: ...


_L = TypeVar("_L", bound=_Levelled)


def _next_level(
    rows: Iterable[_L], points: int, family: Callable[[StrEnum], object] | None = None
) -> tuple[_Step, ...]:
    """The next threshold of a levelled indicator: the lowest-scoring row above ``points`` (of the same
    ``family`` as ``current`` when there is one), as a step."""
    nxt: _L | None = None
    nearest: tuple[int, object] | None = None
    for row in rows:  # the first in table order on a tie
        if row.points > points:
            key = (row.points, family(row.level) if family is not None else False)
            if nearest is None or key < nearest:
                nxt, nearest = row, key
    if nxt is None:
        return ()
    return (_Step(nxt.points - points, Note("level.next", {"level": nxt.level})),)


# _AT_LEAST[level] maps a month's level byte to 1 if it reaches ``level``, else 0 (bytes.translate).
_AT_LEAST = tuple(bytes(1 if v >= lvl else 0 for v in range(256)) for lvl in range(256))


class _Contributions:
    """Qualifying base multiples for the months before the assessment month, newest last.

    Each month is reduced to a *level* byte: how many of the rule thresholds (0.8x, 1x, 2x, 3x, ...)
    its base reaches (0 = no qualifying contribution). Window counts then run in C
    (``bytes.translate`` and ``bytes.count``).
    """

    __slots__ = ("_flags", "levels", "thresholds")

    def __init__(
        self,
        history: tuple[MonthlyContribution, ...],
        on: date,
        longest: int,
        thresholds: tuple[Decimal, ...],
    ) -> None:
        start = on.year * 12 + on.month - 1 - longest
        best: list[Decimal | None] = [None] * longest
        for c in history:
            m = c.month
            i = m.year * 12 + m.month - 1 - start
            if (
                0 <= i < longest
                and not c.back_payment
                and c.payer_is_contract_employer
                and c.base_matches_declared_income
            ):
                prev = best[i]
                if prev is None or c.base_multiple > prev:
                    best[i] = c.base_multiple
        self.thresholds = thresholds
        self.levels = bytes([0 if m is None else bisect_right(thresholds, m) for m in best])
        self._flags: dict[tuple[Decimal, int], bytes] = {}

    def flags(self, threshold: Decimal, months: int) -> bytes:
        """1/0 per month among the last ``months`` (oldest first): base >= ``threshold``."""
        key = (threshold, months)
        f = self._flags.get(key)
        if f is None:
            level = bisect_left(self.thresholds, threshold) + 1
            f = self.levels[len(self.levels) - months :].translate(_AT_LEAST[level])
            self._flags[key] = f
        return f

    def count_at_least(self, threshold: Decimal, months: int) -> int:
        """Months among the last ``months`` with a base of at least ``threshold``."""
        return self.flags(threshold, months).count(1)

    def months_needed(self, threshold: Decimal, months: int, required: int) -> int:
        """Fewest further consecutive months at >= ``threshold`` after which at least ``required`` of
        the last ``months`` qualify (old months leave the window as new ones enter).

        After k new months the window keeps the newest ``months - k`` current months, so we need the
        least k with ``have - dropped(k) + k >= required``, where dropped(k) counts qualifying months
        among the k oldest. The right-hand side grows with k; iterate to the least fixed point.
        """
        f = self.flags(threshold, months)
        have = f.count(1)
        k = max(0, required - have)
        while True:
            nxt = min(months, required - have + f.count(1, 0, k))
            if nxt <= k:
                return k
            k = nxt


# --------------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------------


def _age(claims: ScoringClaims, on: date, rules: RuleSet) -> _Draft:
    age = _full_years(claims.birth_date, on)
    cap = rules.caps[Indicator.AGE]
    for row in rules.age:
        if row.min_age <= age <= row.max_age:
            return _Draft(
                Indicator.AGE, row.id, row.source, row.points, cap, (Note("age.scored", {"age": age}),)
            )
    oldest = max(rules.age, key=lambda r: r.max_age)
    return _Draft(
        Indicator.AGE,
        None,
        oldest.source,
        0,
        cap,
        (
            Note(
                "age.outside_table",
                {
                    "age": age,
                    "min_age": oldest.min_age,
                    "max_age": oldest.max_age,
                    "last_points": oldest.points,
                },
            ),
        ),
    )


def _education(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    cap = rules.caps[Indicator.EDUCATION]
    claim = claims.education
    if claim is None:
        return _not_claimed(Indicator.EDUCATION, cap, steps=_next_level(rules.education.values(), 0))
    row = rules.education.get(claim.level)
    if row is None:
        return _Draft(Indicator.EDUCATION, None, "", 0, cap, (Note("level.no_rule", {"level": claim.level}),))
    if not claim.nationally_recognised:
        note = Note("education.not_recognised", {"level": claim.level})
        return _Draft(Indicator.EDUCATION, row.id, row.source, 0, cap, (note,))
    steps = _next_level(rules.education.values(), row.points)
    note = Note("level.scored", {"level": claim.level, "points": row.points})
    return _Draft(Indicator.EDUCATION, row.id, row.source, row.points, cap, (note,), steps)


def _qualification(claims: ScoringClaims, rules: RuleSet, contributions: _Contributions) -> _Draft:
    cap = rules.caps[Indicator.QUALIFICATION]
    if not claims.qualifications:
        return _not_claimed(Indicator.QUALIFICATION, cap, steps=_next_level(rules.qualification.values(), 0))
    best: _Draft | None = None
    best_level: QualificationLevel | None = None
    best_failed: _Draft | None = None
    for claim in claims.qualifications:
        row = rules.qualification.get(claim.level)
        if row is None:
            continue
        why: list[Note] = []
        base_gap = 0
        base_gate = None
        if not claim.obtained_while_working_in_shanghai:
            why.append(Note("qualification.not_obtained_in_shanghai", {}))
        if not claim.matches_post:
            why.append(Note("qualification.does_not_match_post", {}))
        if not claim.on_catalogue:
            why.append(Note("qualification.not_on_catalogue", {}))
        source = row.source
        for gate in rules.qualification_gates:
            if claim.level not in gate.levels:
                continue
            if gate.kind is GateKind.VERIFIABLE and not claim.verifiable:
                why.append(Note("qualification.not_verifiable", {}))
                source = f"{source} ; {gate.source}"
            elif gate.kind is GateKind.BASE:
                n = contributions.count_at_least(gate.min_multiple, gate.window_months)
                if n < gate.months_required:
                    base_gap = contributions.months_needed(
                        gate.min_multiple, gate.window_months, gate.months_required
                    )
                    base_gate = gate
                    why.append(
                        Note(
                            "qualification.base_gate",
                            {
                                "months": n,
                                "window": gate.window_months,
                                "multiple": gate.min_multiple,
                                "required": gate.months_required,
                            },
                        )
                    )
                    source = f"{source} ; {gate.source}"
        if not why:
            if best is None or row.points > best.points:
                note = Note("level.scored", {"level": claim.level, "points": row.points})
                best = _Draft(Indicator.QUALIFICATION, row.id, source, row.points, cap, (note,))
                best_level = claim.level
        elif best_failed is None or row.points > best_failed.points:
            steps: tuple[_Step, ...] = ()
            if base_gate is not None and len(why) == 1:
                params = {"months": base_gap, "multiple": base_gate.min_multiple, "level": claim.level}
                steps = (_Step(row.points, Note("qualification.more_base_months", params)),)
            notes = (Note("qualification.not_scored", {"level": claim.level}), *why)
            best_failed = _Draft(Indicator.QUALIFICATION, row.id, source, row.points, cap, notes, steps)
    if best is not None and (best_failed is None or best_failed.points <= best.points):
        title = best_level is not None and best_level in _TITLES
        best.steps = _next_level(
            rules.qualification.values(), best.points, lambda lvl: (lvl in _TITLES) != title
        )
        return best
    if best_failed is None:
        return _no_rule(Indicator.QUALIFICATION, cap)
    if best is not None:
        # A lower item counts; the higher one is blocked.
        gain = best_failed.points - best.points
        steps = tuple(_Step(gain, s.note) for s in best_failed.steps)
        notes = best.notes + best_failed.notes
        return _Draft(Indicator.QUALIFICATION, best.rule_id, best.source, best.points, cap, notes, steps)
    best_failed.points = 0
    return best_failed


def _insurance_years(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.insurance_years
    months = max(0, claims.social_insurance.contribution_months)
    years = months // 12
    points = years * rule.points_per_year
    if rule.cap is not None:
        points = min(points, rule.cap)
    steps: tuple[_Step, ...] = ()
    if rule.cap is None or points < rule.cap:
        steps = (
            _Step(rule.points_per_year, Note("insurance_years.more_months", {"months": 12 - months % 12})),
        )
    note = Note("insurance_years.scored", {"months": months, "years": years})
    return _Draft(Indicator.INSURANCE_YEARS, rule.id, rule.source, points, rule.cap, (note,), steps)


def _insurance_base(rules: RuleSet, contributions: _Contributions) -> _Draft:
    cap = rules.caps[Indicator.INSURANCE_BASE]
    reached = None
    reached_count = 0
    for band in rules.base_bands:
        n = contributions.count_at_least(band.min_multiple, band.window_months)
        if n >= band.months_required and (reached is None or band.points > reached.points):
            reached, reached_count = band, n
    points = reached.points if reached is not None else 0
    steps: list[_Step] = []
    for band in rules.base_bands:
        if band.points <= points:
            continue
        k = contributions.months_needed(band.min_multiple, band.window_months, band.months_required)
        steps.append(
            _Step(
                band.points - points,
                Note("insurance_base.more_months", {"months": k, "multiple": band.min_multiple}),
            )
        )
    band = reached or rules.base_bands[0]
    params = {
        "months": reached_count
        if reached
        else contributions.count_at_least(band.min_multiple, band.window_months),
        "window": band.window_months,
        "multiple": band.min_multiple,
        "required": band.months_required,
    }
    note = Note("insurance_base.scored" if reached else "insurance_base.not_reached", params)
    return _Draft(
        Indicator.INSURANCE_BASE,
        reached.id if reached else None,
        band.source,
        points,
        cap,
        (note,),
        tuple(steps),
    )


def _shortage_major(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.shortage_major
    cap = rules.caps[Indicator.SHORTAGE_MAJOR]
    claim = claims.shortage_major
    if rule is None:
        return _no_rule(Indicator.SHORTAGE_MAJOR, cap)
    if claim is None:
        return _not_claimed(Indicator.SHORTAGE_MAJOR, cap, rule)
    entry = rules.shortage_majors.get((claim.major_code, claim.major_name))
    if entry is None:
        note = Note("shortage_major.not_on_catalogue", {"code": claim.major_code, "name": claim.major_name})
        return _Draft(Indicator.SHORTAGE_MAJOR, rule.id, rule.source, 0, cap, (note,))
    if not claim.post_matches_major:
        note = Note("shortage_major.post_does_not_match", {})
        return _Draft(Indicator.SHORTAGE_MAJOR, rule.id, rule.source, 0, cap, (note,))
    note = Note("shortage_major.scored", {"code": entry.code, "major": Text(entry.name, entry.name_en)})
    return _Draft(
        Indicator.SHORTAGE_MAJOR, rule.id, f"{rule.source} ; catalogue {entry.id}", rule.points, cap, (note,)
    )


_HUNDRED = Decimal(100)


def _investment(claims: ScoringClaims, rules: RuleSet) -> tuple[_Draft, _Draft]:
    rule = rules.investment
    cap = rules.caps[Indicator.INVESTMENT_TAX]
    claim = claims.investment
    if rule is None:
        return _no_rule(Indicator.INVESTMENT_TAX, cap), _no_rule(Indicator.INVESTMENT_HIRING, cap)
    if claim is None or claim.share_percent <= 0:
        return (
            _not_claimed(Indicator.INVESTMENT_TAX, cap, rule),
            _not_claimed(Indicator.INVESTMENT_HIRING, cap, rule),
        )
    share = min(claim.share_percent, _HUNDRED)
    # share% as an exact ratio num/den: attributed average = total * num / (den * 100 * years).
    num, den = share.as_integer_ratio()
    denom = den * 100 * rule.years
    pps = rule.points_per_step

    def item(indicator: Indicator, total: int, step: int, what: str) -> _Draft:
        scaled = max(0, total) * num  # attributed average * denom
        steps_reached = scaled // (denom * step)
        points = min(rule.cap, steps_reached * pps)
        cents = scaled * 100 // denom
        shown = Decimal(cents) / 100
        nxt: tuple[_Step, ...] = ()
        if points < rule.cap:
            # enterprise-level increase of the yearly average: ceil(((s+1)*step*denom - scaled) / (num*years))
            more = -(-((steps_reached + 1) * step * denom - scaled) // (num * rule.years))
            nxt = (
                _Step(
                    pps, Note(f"investment.more_{what}", {"more": more, "years": rule.years, "share": share})
                ),
            )
        note = Note(f"investment.{what}", {"share": share, "years": rule.years, "average": shown})
        return _Draft(indicator, rule.id, rule.source, points, rule.cap, (note,), nxt)

    return (
        item(Indicator.INVESTMENT_TAX, sum(claim.annual_tax_paid_yuan), rule.tax_step_yuan, "tax"),
        item(Indicator.INVESTMENT_HIRING, sum(claim.annual_shanghai_hukou_hires), rule.hires_step, "hires"),
    )


def _per_year_points(rule: PerYearRule, years: int) -> int:
    if years < rule.min_years:
        return 0
    p = years * rule.points_per_year
    return p if rule.cap is None else min(p, rule.cap)


def _years_worked(indicator: Indicator, rule: PerYearRule, full_years: int, note: Note) -> _Draft:
    """Points for the full years worked in a field or an area, and the further years that raise them.
    ``note`` gets the years and the counting threshold added."""
    years = max(0, full_years)
    points = _per_year_points(rule, years)
    steps: tuple[_Step, ...] = ()
    if rule.cap is None or points < rule.cap:
        target = max(years + 1, rule.min_years)
        steps = (
            _Step(_per_year_points(rule, target) - points, Note("years.more", {"years": target - years})),
        )
    params = {**note.params, "years": years, "min_years": rule.min_years, "points": points}
    return _Draft(indicator, rule.id, rule.source, points, rule.cap, (Note(note.code, params),), steps)


def _public_service(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.public_service
    cap = rules.caps[Indicator.PUBLIC_SERVICE]
    claim = claims.public_service
    if rule is None:
        return _no_rule(Indicator.PUBLIC_SERVICE, cap)
    if claim is None:
        return _not_claimed(Indicator.PUBLIC_SERVICE, cap, rule)
    note = Note("public_service.years", {"field": claim.field})
    return _years_worked(Indicator.PUBLIC_SERVICE, rule, claim.full_years, note)


def _key_area(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    cap = rules.caps[Indicator.KEY_AREA]
    if not rules.key_area:
        return _no_rule(Indicator.KEY_AREA, cap)
    if not claims.key_areas:
        return _not_claimed(Indicator.KEY_AREA, cap, rules.key_area[0])
    best: _Draft | None = None
    for claim in claims.key_areas:
        entry = rules.key_areas.get(claim.area_code)
        if entry is None:
            note = Note("key_area.not_on_catalogue", {"code": claim.area_code})
            d = _Draft(Indicator.KEY_AREA, None, rules.key_area[0].source, 0, cap, (note,))
        else:
            area = Text(entry.name_zh, entry.name_en)
            rule = next((r for r in rules.key_area if r.area_kind is None or r.area_kind is entry.kind), None)
            if rule is None:
                d = _no_rule(Indicator.KEY_AREA, cap)
            elif rule.requires_residence and not claim.lives_in_area:
                note = Note("key_area.must_live_there", {"area": area})
                d = _Draft(Indicator.KEY_AREA, rule.id, rule.source, 0, rule.cap, (note,))
            else:
                d = _years_worked(
                    Indicator.KEY_AREA, rule, claim.full_years, Note("key_area.years", {"area": area})
                )
        if best is None or d.points > best.points or (d.points == best.points and d.steps and not best.steps):
            best = d
    assert best is not None
    return best


def _fresh_graduate(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.fresh_graduate
    cap = rules.caps[Indicator.FRESH_GRADUATE]
    if rule is None:
        return _no_rule(Indicator.FRESH_GRADUATE, cap)
    if not claims.full_time_fresh_graduate:
        return _not_claimed(Indicator.FRESH_GRADUATE, cap, rule)
    return _Draft(
        Indicator.FRESH_GRADUATE, rule.id, rule.source, rule.points, cap, (Note("fresh_graduate.scored", {}),)
    )


def _award(claims: ScoringClaims, on: date, rules: RuleSet) -> _Draft:
    cap = rules.caps[Indicator.AWARD]
    if not claims.awards:
        return _not_claimed(Indicator.AWARD, cap, steps=_next_level(rules.awards.values(), 0))
    best: _Draft | None = None
    for claim in claims.awards:
        row = rules.awards.get(claim.level)
        named = {"name": claim.award_name, "level": claim.level}
        if row is None:
            d = _Draft(Indicator.AWARD, None, "", 0, cap, (Note("level.no_rule", named),))
        elif not claim.on_catalogue:
            d = _Draft(Indicator.AWARD, row.id, row.source, 0, cap, (Note("award.not_on_catalogue", named),))
        elif not claim.received_while_working_in_shanghai:
            d = _Draft(
                Indicator.AWARD, row.id, row.source, 0, cap, (Note("award.not_received_in_shanghai", named),)
            )
        elif claim.received_on > on:
            d = _Draft(
                Indicator.AWARD, row.id, row.source, 0, cap, (Note("award.after_assessment_date", named),)
            )
        else:
            note = Note("award.scored", {**named, "points": row.points})
            d = _Draft(Indicator.AWARD, row.id, row.source, row.points, cap, (note,))
        if best is None or d.points > best.points:
            best = d
    assert best is not None
    if best.points:  # an award that does not count is explained, not topped up
        best.steps = _next_level(rules.awards.values(), best.points)
    return best


def _spouse(claims: ScoringClaims, on: date, rules: RuleSet) -> _Draft:
    rule = rules.spouse
    cap = rules.caps[Indicator.SPOUSE]
    claim = claims.spouse
    if rule is None:
        return _no_rule(Indicator.SPOUSE, cap)
    if claim is None:
        return _not_claimed(Indicator.SPOUSE, cap, rule)
    if not claim.spouse_has_shanghai_hukou:
        return _Draft(Indicator.SPOUSE, rule.id, rule.source, 0, cap, (Note("spouse.no_shanghai_hukou", {}),))
    years = max(0, _full_years(claim.married_on, on))
    points = _per_year_points(rule, years)
    steps: tuple[_Step, ...] = ()
    if rule.cap is None or points < rule.cap:
        target = max(years + 1, rule.min_years)
        when = _add_years(claim.married_on, target)
        steps = (
            _Step(
                _per_year_points(rule, target) - points,
                Note("spouse.anniversary", {"on": when, "years": target}),
            ),
        )
    note = Note("spouse.scored", {"years": years, "points": points})
    return _Draft(Indicator.SPOUSE, rule.id, rule.source, points, rule.cap, (note,), steps)


def _direct_route(indicator: Indicator, claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.direct_routes.get(indicator)
    cap = rules.caps[indicator]
    if rule is None:
        return _no_rule(indicator, cap)
    why: list[Note] = []
    if indicator is Indicator.STARTUP_FOUNDER:
        founder = claims.startup_founder
        if founder is None:
            return _not_claimed(indicator, cap, rule)
        months = founder.consecutive_months_in_incubator
        if founder.share_percent < rule.min_share_percent:
            why.append(Note("founder.share_too_low", {"min_share": rule.min_share_percent}))
        if not founder.still_in_incubator:
            why.append(Note("founder.left_incubator", {}))
        if not founder.shares_held_before_incubation_or_investment:
            why.append(Note("founder.shares_acquired_late", {}))
    else:
        intermediary = claims.innovation_intermediary
        if intermediary is None:
            return _not_claimed(indicator, cap, rule)
        months = intermediary.consecutive_months_in_technology_transfer
    steps: tuple[_Step, ...] = ()
    if months < rule.min_consecutive_months:
        why.append(
            Note(f"{indicator}.months_short", {"months": months, "required": rule.min_consecutive_months})
        )
        if len(why) == 1:
            more = rule.min_consecutive_months - months
            steps = (
                _Step(rule.points, Note(f"{indicator}.more_months", {"months": more, "points": rule.points})),
            )
    if why:
        return _Draft(indicator, rule.id, rule.source, 0, cap, (Note("route.not_met", {}), *why), steps)
    return _Draft(
        indicator, rule.id, rule.source, rule.points, cap, (Note("route.met", {"points": rule.points}),)
    )


def _deductions(deductions: DeductionClaims, on: date, rules: RuleSet) -> list[_Draft]:
    out: list[_Draft] = []
    for row in rules.deductions:
        indicator = row.indicator
        if indicator is Indicator.FALSE_MATERIALS:
            records = deductions.false_materials
        elif indicator is Indicator.ADMINISTRATIVE_DETENTION:
            records = deductions.administrative_detentions
        else:
            records = deductions.general_criminal_records
        steps: tuple[_Step, ...] = ()
        n = 0
        if records:
            window_start = _add_years(on, -row.window_years)
            live = sorted(r.on for r in records if window_start < r.on <= on)
            n = len(live)
            if live:
                expiry = _add_years(live[0], row.window_years)
                steps = (
                    _Step(
                        row.points,
                        Note("deduction.leaves_window", {"on": expiry, "window": row.window_years}),
                    ),
                )
        note = Note("deduction.records", {"records": n, "window": row.window_years, "each": row.points})
        out.append(_Draft(indicator, row.id, row.source, -row.points * n, None, (note,), steps))
    return out


def _veto_claimed(kind: VetoKind, deductions: DeductionClaims) -> bool:
    if kind is VetoKind.FAMILY_PLANNING_VIOLATION:
        return deductions.family_planning_violation
    return deductions.serious_criminal_record


# --------------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------------


def _gain_if(points: Mapping[Indicator, int], now: Aggregation, line: _Draft, gain: int) -> int:
    """How much the total would change if ``line`` gained ``gain`` points (a next step's worth)."""
    return aggregate({**points, line.indicator: line.points + gain}).total - now.total


_TITLES = frozenset({QualificationLevel.INTERMEDIATE_TITLE, QualificationLevel.SENIOR_TITLE})


def calculate(
    claims: ScoringClaims,
    deductions: DeductionClaims,
    on: date,
    rules: RuleSet | None = None,
) -> PointsResult:
    """Score ``claims`` and ``deductions`` on the assessment date ``on`` under ``rules`` (default:
    ``rules_in_force(on)``, with no catalogue loaded).

    Raises ``ContradictoryClaimsError`` when the claims contradict each other (``consistency``).
    """
    if problems := social_insurance_problems(claims.social_insurance, on):
        raise ContradictoryClaimsError(problems)
    if rules is None:
        rules = rules_in_force(on)
    contributions = _Contributions(
        claims.social_insurance.history, on, rules.longest_base_window, rules.base_thresholds
    )

    tax, hiring = _investment(claims, rules)
    drafts = (
        _age(claims, on, rules),
        _education(claims, rules),
        _qualification(claims, rules, contributions),
        _insurance_years(claims, rules),
        _shortage_major(claims, rules),
        tax,
        hiring,
        _insurance_base(rules, contributions),
        _public_service(claims, rules),
        _key_area(claims, rules),
        _fresh_graduate(claims, rules),
        _award(claims, on, rules),
        _spouse(claims, on, rules),
        _direct_route(Indicator.STARTUP_FOUNDER, claims, rules),
        _direct_route(Indicator.INNOVATION_INTERMEDIARY, claims, rules),
        *_deductions(deductions, on, rules),
    )
    points = {d.indicator: d.points for d in drafts}
    aggregation = aggregate(points)
    for d in drafts:
        d.counted = aggregation.counts(d.indicator)
        d.superseded_by = aggregation.superseded_by.get(d.indicator)

    reasons = tuple(
        IneligibilityReason(v.kind.value, v.id, v.source, Text(v.name_zh, v.name_en))
        for v in rules.vetoes
        if _veto_claimed(v.kind, deductions)
    )
    pass_mark = rules.pass_mark
    lines = tuple(
        d.freeze(tuple(NextStep(s.gain, s.note, _gain_if(points, aggregation, d, s.gain)) for s in d.steps))
        for d in drafts
    )
    return PointsResult(
        assessed_on=on,
        total=aggregation.total,
        pass_mark=pass_mark.points,
        pass_mark_rule_id=pass_mark.id,
        meets_pass_mark=aggregation.total >= pass_mark.points,
        eligible=not reasons,
        ineligibility_reasons=reasons,
        lines=lines,
        choices=aggregation.choices,
    )


__all__ = [
    "IndicatorLine",
    "IneligibilityReason",
    "NextStep",
    "Note",
    "PointsResult",
    "calculate",
]
