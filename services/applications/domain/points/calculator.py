"""Points calculator (积分计算): pure, table-driven, explains every line.

``calculate(claims, deductions, on, rules)`` scores the claims against ``rules`` (normally
``rules_in_force(on)``) and returns a ``PointsResult`` with one ``IndicatorLine`` per indicator:
the rule row applied and its source, the points, the cap, whether the line counts towards the
total (or was superseded by an either/or choice or a direct-120 route), why, and what would raise it.

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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .claims import (
    DeductionClaims,
    MonthlyContribution,
    ScoringClaims,
)
from .rules import (
    INDICATOR_NAMES,
    LEVEL_NAMES,
    Dated,
    GateKind,
    Indicator,
    PerYearRule,
    RuleSet,
    VetoKind,
    rules_in_force,
)

DISCLAIMER_ZH = "本结果为模拟打分，以人力资源社会保障部门核定的积分为准。"
DISCLAIMER_EN = "This is a simulated score; the score set by the HRSS authorities prevails."


class NextStep(NamedTuple):
    """Something that would raise a line, and by how much."""

    gain: int
    text_zh: str
    text_en: str


class IndicatorLine(NamedTuple):
    """One line of the result. Immutable (a ``NamedTuple`` rather than a frozen dataclass because a
    result has 18 lines and frozen-dataclass construction dominated the calculation time)."""

    indicator: Indicator
    name_zh: str
    name_en: str
    rule_id: str | None  # row applied; None when no row applies (nothing claimed, or no rule in force)
    source: str
    points: int
    cap: int | None  # None: no cap
    counted: bool
    superseded_by: Indicator | None
    explanation_zh: str
    explanation_en: str
    next_steps: tuple[NextStep, ...] = ()


@dataclass(frozen=True, slots=True)
class IneligibilityReason:
    code: str
    rule_id: str
    source: str
    text_zh: str
    text_en: str


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


class _Draft:
    __slots__ = (
        "cap",
        "counted",
        "en",
        "indicator",
        "points",
        "rule_id",
        "source",
        "steps",
        "superseded_by",
        "zh",
    )

    def __init__(
        self,
        indicator: Indicator,
        rule_id: str | None,
        source: str,
        points: int,
        cap: int | None,
        zh: str,
        en: str,
        steps: tuple[NextStep, ...] = (),
    ) -> None:
        self.indicator = indicator
        self.rule_id = rule_id
        self.source = source
        self.points = points
        self.cap = cap
        self.zh = zh
        self.en = en
        self.steps = steps
        self.counted = True
        self.superseded_by: Indicator | None = None

    def freeze(self) -> IndicatorLine:
        zh, en = INDICATOR_NAMES[self.indicator]
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (same result, faster).
        return tuple.__new__(
            IndicatorLine,
            (
                self.indicator,
                zh,
                en,
                self.rule_id,
                self.source,
                self.points,
                self.cap,
                self.counted,
                self.superseded_by,
                self.zh,
                self.en,
                self.steps,
            ),
        )


def _no_rule(indicator: Indicator, cap: int | None) -> _Draft:
    """The line of an indicator that no rule covers on the assessment date."""
    return _Draft(indicator, None, "", 0, cap, "评估日无适用规则", "no rule in force")


def _not_claimed(indicator: Indicator, cap: int | None, rule: Dated | None = None) -> _Draft:
    """The line of an indicator the applicant did not claim (naming the ``rule`` in force, if given)."""
    if rule is None:
        return _Draft(indicator, None, "", 0, cap, "未申报", "not claimed")
    return _Draft(indicator, rule.id, rule.source, 0, cap, "未申报", "not claimed")


def _full_years(start: date, on: date) -> int:
    """Completed years from ``start`` to ``on`` (birthdays, anniversaries)."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return date(d.year + years, 3, 1)


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
                Indicator.AGE,
                row.id,
                row.source,
                row.points,
                cap,
                f"评估日时{age}周岁，计{row.points}分",
                f"aged {age} on the assessment date: {row.points} points",
            )
    return _Draft(
        Indicator.AGE,
        None,
        rules.age[-1].source,
        0,
        cap,
        f"评估日{age}周岁，超出年龄分值表（56–60周岁计5分），计0分",
        f"aged {age}: outside the age table (56-60 scores 5), 0 points",
    )


def _education(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    cap = rules.caps[Indicator.EDUCATION]
    claim = claims.education
    if claim is None:
        return _not_claimed(Indicator.EDUCATION, cap)
    row = rules.education.get(claim.level)
    zh_name, en_name = LEVEL_NAMES[claim.level]
    if row is None:
        return _Draft(Indicator.EDUCATION, None, "", 0, cap, f"{zh_name}无适用规则", f"no rule for {en_name}")
    if not claim.nationally_recognised:
        return _Draft(
            Indicator.EDUCATION,
            row.id,
            row.source,
            0,
            cap,
            f"{zh_name}未获国家认可，不计分",
            f"{en_name} is not nationally recognised: 0 points",
        )
    steps: tuple[NextStep, ...] = ()
    higher = [r for r in rules.education.values() if r.points > row.points]
    if higher:
        nxt = min(higher, key=lambda r: r.points)
        nzh, nen = LEVEL_NAMES[nxt.level]
        gain = nxt.points - row.points
        steps = (NextStep(gain, f"取得{nzh}可加{gain}分", f"a {nen} gives +{gain}"),)
    return _Draft(
        Indicator.EDUCATION,
        row.id,
        row.source,
        row.points,
        cap,
        f"{zh_name}，计{row.points}分",
        f"{en_name}: {row.points} points",
        steps,
    )


def _qualification(claims: ScoringClaims, rules: RuleSet, contributions: _Contributions) -> _Draft:
    cap = rules.caps[Indicator.QUALIFICATION]
    if not claims.qualifications:
        return _not_claimed(Indicator.QUALIFICATION, cap)
    best: _Draft | None = None
    best_failed: tuple[int, _Draft] | None = None
    for claim in claims.qualifications:
        row = rules.qualification.get(claim.level)
        if row is None:
            continue
        zh_name, en_name = LEVEL_NAMES[claim.level]
        why_zh: list[str] = []
        why_en: list[str] = []
        base_gap = 0
        if not claim.obtained_while_working_in_shanghai:
            why_zh.append("须在本市工作期间取得")
            why_en.append("must be obtained while working in Shanghai")
        if not claim.matches_post:
            why_zh.append("专业或工种须与现岗位一致")
            why_en.append("specialty or trade must match the current post")
        if not claim.on_catalogue:
            why_zh.append("不在人社部门目录内或未登记")
            why_en.append("not on the HRSS catalogue or not registered")
        source = row.source
        for gate in rules.qualification_gates:
            if claim.level not in gate.levels:
                continue
            if gate.kind is GateKind.VERIFIABLE and not claim.verifiable:
                why_zh.append("外省市颁发的三级及以上证书须可在全国或本市人社网站查询")
                why_en.append("out-of-province level-3+ certificate must be verifiable online")
                source = f"{source} ; {gate.source}"
            elif gate.kind is GateKind.BASE:
                n = contributions.count_at_least(gate.min_multiple, gate.window_months)
                if n < gate.months_required:
                    base_gap = contributions.months_needed(
                        gate.min_multiple, gate.window_months, gate.months_required
                    )
                    m = str(gate.min_multiple)
                    why_zh.append(
                        f"近{gate.window_months}个月中社保基数达{m}倍的仅{n}个月（须{gate.months_required}个月）"
                    )
                    why_en.append(
                        f"only {n} of the last {gate.window_months} months at >= {m}x base "
                        f"({gate.months_required} required)"
                    )
                    source = f"{source} ; {gate.source}"
        if not why_zh:
            if best is None or row.points > best.points:
                best = _Draft(
                    Indicator.QUALIFICATION,
                    row.id,
                    source,
                    row.points,
                    cap,
                    f"{zh_name}，计{row.points}分",
                    f"{en_name}: {row.points} points",
                )
        elif best_failed is None or row.points > best_failed[1].points:
            steps: tuple[NextStep, ...] = ()
            if base_gap and len(why_zh) == 1:
                steps = (
                    NextStep(
                        row.points,
                        f"再缴纳{base_gap}个月1倍以上社保基数，{zh_name}可计{row.points}分",
                        f"{base_gap} more months at >= 1x base lets the {en_name} score {row.points}",
                    ),
                )
            best_failed = (
                base_gap,
                _Draft(
                    Indicator.QUALIFICATION,
                    row.id,
                    source,
                    row.points,
                    cap,
                    f"{zh_name}不计分：" + "；".join(why_zh),
                    f"{en_name} not scored: " + "; ".join(why_en),
                    steps,
                ),
            )
    if best is not None and (best_failed is None or best_failed[1].points <= best.points):
        return best
    if best_failed is None:
        return _Draft(Indicator.QUALIFICATION, None, "", 0, cap, "无适用规则", "no rule applies")
    failed = best_failed[1]
    if best is not None:
        # A lower item counts; the higher one is blocked.
        gain = failed.points - best.points
        steps = tuple(NextStep(gain, s.text_zh, s.text_en) for s in failed.steps)
        return _Draft(
            Indicator.QUALIFICATION,
            best.rule_id,
            best.source,
            best.points,
            cap,
            f"{best.zh}；{failed.zh}",
            f"{best.en}; {failed.en}",
            steps,
        )
    failed.points = 0
    return failed


def _insurance_years(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.insurance_years
    months = max(0, claims.social_insurance.contribution_months)
    years = months // 12
    points = years * rule.points_per_year
    if rule.cap is not None:
        points = min(points, rule.cap)
    steps: tuple[NextStep, ...] = ()
    if rule.cap is None or points < rule.cap:
        more = 12 - months % 12
        g = rule.points_per_year
        steps = (
            NextStep(g, f"再缴纳{more}个月社保可加{g}分", f"{more} more months of contributions gives +{g}"),
        )
    return _Draft(
        Indicator.INSURANCE_YEARS,
        rule.id,
        rule.source,
        points,
        rule.cap,
        f"累计缴费{months}个月（满{years}年），计{points}分",
        f"{months} months paid ({years} full years): {points} points",
        steps,
    )


def _insurance_base(rules: RuleSet, contributions: _Contributions) -> _Draft:
    cap = rules.caps[Indicator.INSURANCE_BASE]
    reached = None
    counts: list[int] = []
    for band in rules.base_bands:
        n = contributions.count_at_least(band.min_multiple, band.window_months)
        counts.append(n)
        if n >= band.months_required and (reached is None or band.points > reached.points):
            reached = band
    points = reached.points if reached is not None else 0
    steps: list[NextStep] = []
    for band in rules.base_bands:
        if band.points <= points:
            continue
        k = contributions.months_needed(band.min_multiple, band.window_months, band.months_required)
        gain = band.points - points
        m = str(band.min_multiple)
        steps.append(
            NextStep(
                gain,
                f"再缴纳{k}个月{m}倍以上社保基数可加{gain}分",
                f"{k} more months at >= {m}x base gives +{gain}",
            )
        )
    if reached is not None:
        m = str(reached.min_multiple)
        n = counts[rules.base_bands.index(reached)]
        return _Draft(
            Indicator.INSURANCE_BASE,
            reached.id,
            reached.source,
            points,
            cap,
            f"近{reached.window_months}个月中{n}个月基数达社平{m}倍以上（须{reached.months_required}个月），计{points}分",
            f"{n} of the last {reached.window_months} months at >= {m}x the average wage "
            f"({reached.months_required} required): {points} points",
            tuple(steps),
        )
    low = rules.base_bands[0]
    m = str(low.min_multiple)
    return _Draft(
        Indicator.INSURANCE_BASE,
        None,
        low.source,
        0,
        cap,
        f"近{low.window_months}个月中仅{counts[0]}个月基数达社平{m}倍以上（须{low.months_required}个月），计0分",
        f"only {counts[0]} of the last {low.window_months} months at >= {m}x the average wage "
        f"({low.months_required} required): 0 points",
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
        return _Draft(
            Indicator.SHORTAGE_MAJOR,
            rule.id,
            rule.source,
            0,
            cap,
            f"专业“{claim.major_name}”（{claim.major_code}）与评估日有效的紧缺急需专业目录不一致",
            f"major {claim.major_code} {claim.major_name} is not on the shortage catalogue in force "
            "(code and name must match exactly)",
        )
    if not claim.post_matches_major:
        return _Draft(
            Indicator.SHORTAGE_MAJOR,
            rule.id,
            rule.source,
            0,
            cap,
            "现岗位须与所学专业一致",
            "the current post must match the major",
        )
    return _Draft(
        Indicator.SHORTAGE_MAJOR,
        rule.id,
        f"{rule.source} ; catalogue {entry.id}",
        rule.points,
        cap,
        f"紧缺急需专业“{entry.name}”且岗位匹配，计{rule.points}分",
        f"shortage major {entry.code} and matching post: {rule.points} points",
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

    def item(indicator: Indicator, total: int, step: int, unit_zh: str, unit_en: str, what: str) -> _Draft:
        scaled = max(0, total) * num  # attributed average * denom
        steps_reached = scaled // (denom * step)
        points = min(rule.cap, steps_reached * pps)
        cents = scaled * 100 // denom
        shown = f"{cents // 100}.{cents % 100:02d}"
        nxt: tuple[NextStep, ...] = ()
        if points < rule.cap:
            # enterprise-level increase of the yearly average: ceil(((s+1)*step*denom - scaled) / (num*years))
            more = -(-((steps_reached + 1) * step * denom - scaled) // (num * rule.years))
            nxt = (
                NextStep(
                    pps,
                    f"企业近{rule.years}年年均{what}再增加{more}{unit_zh}（按持股{share}%折算）可加{pps}分",
                    f"{more} more {unit_en} a year on the enterprise's {rule.years}-year average "
                    f"({share}% share) gives +{pps}",
                ),
            )
        return _Draft(
            indicator,
            rule.id,
            rule.source,
            points,
            rule.cap,
            f"按持股{share}%折算近{rule.years}年年均{what}{shown}{unit_zh}，计{points}分",
            f"{rule.years}-year average at {share}% share: {shown} {unit_en}, {points} points",
            nxt,
        )

    return (
        item(
            Indicator.INVESTMENT_TAX,
            sum(claim.annual_tax_paid_yuan),
            rule.tax_step_yuan,
            "元",
            "yuan",
            "纳税",
        ),
        item(
            Indicator.INVESTMENT_HIRING,
            sum(claim.annual_shanghai_hukou_hires),
            rule.hires_step,
            "人",
            "Shanghai-hukou hires",
            "聘用本市户籍人员",
        ),
    )


def _per_year_points(rule: PerYearRule, years: int) -> int:
    if years < rule.min_years:
        return 0
    p = years * rule.points_per_year
    return p if rule.cap is None else min(p, rule.cap)


def _years_worked(
    indicator: Indicator, rule: PerYearRule, full_years: int, where_zh: str, where_en: str
) -> _Draft:
    """Points for the full years worked in a field or an area, and the further years that raise them."""
    years = max(0, full_years)
    points = _per_year_points(rule, years)
    steps: tuple[NextStep, ...] = ()
    if rule.cap is None or points < rule.cap:
        target = max(years + 1, rule.min_years)
        gain = _per_year_points(rule, target) - points
        more = target - years
        steps = (NextStep(gain, f"再工作{more}年可加{gain}分", f"{more} more full years gives +{gain}"),)
    return _Draft(
        indicator,
        rule.id,
        rule.source,
        points,
        rule.cap,
        f"在{where_zh}工作满{years}年（满{rule.min_years}年起计分），计{points}分",
        f"{years} full years in {where_en} (counted from {rule.min_years} years): {points} points",
        steps,
    )


def _public_service(claims: ScoringClaims, rules: RuleSet) -> _Draft:
    rule = rules.public_service
    cap = rules.caps[Indicator.PUBLIC_SERVICE]
    claim = claims.public_service
    if rule is None:
        return _no_rule(Indicator.PUBLIC_SERVICE, cap)
    if claim is None:
        return _not_claimed(Indicator.PUBLIC_SERVICE, cap, rule)
    return _years_worked(Indicator.PUBLIC_SERVICE, rule, claim.full_years, f"{claim.field}领域", claim.field)


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
            d = _Draft(
                Indicator.KEY_AREA,
                None,
                rules.key_area[0].source,
                0,
                cap,
                f"区域{claim.area_code}不在评估日有效的重点区域目录内",
                f"area {claim.area_code} is not on the key-area catalogue in force",
            )
        else:
            rule = next((r for r in rules.key_area if r.area_kind is None or r.area_kind is entry.kind), None)
            if rule is None:
                d = _Draft(Indicator.KEY_AREA, None, "", 0, cap, "无适用规则", "no rule applies")
            elif rule.requires_residence and not claim.lives_in_area:
                d = _Draft(
                    Indicator.KEY_AREA,
                    rule.id,
                    rule.source,
                    0,
                    rule.cap,
                    f"须在{entry.name_zh}工作并居住",
                    f"must both work and live in {entry.name_en}",
                )
            else:
                d = _years_worked(Indicator.KEY_AREA, rule, claim.full_years, entry.name_zh, entry.name_en)
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
        Indicator.FRESH_GRADUATE,
        rule.id,
        rule.source,
        rule.points,
        cap,
        f"全日制应届高校毕业生，计{rule.points}分",
        f"full-time fresh graduate: {rule.points} points",
    )


def _award(claims: ScoringClaims, on: date, rules: RuleSet) -> _Draft:
    cap = rules.caps[Indicator.AWARD]
    if not claims.awards:
        return _not_claimed(Indicator.AWARD, cap)
    best: _Draft | None = None
    for claim in claims.awards:
        row = rules.awards.get(claim.level)
        zh_name, en_name = LEVEL_NAMES[claim.level]
        if row is None:
            d = _Draft(Indicator.AWARD, None, "", 0, cap, f"{zh_name}无适用规则", f"no rule for {en_name}")
        elif not claim.on_catalogue:
            d = _Draft(
                Indicator.AWARD,
                row.id,
                row.source,
                0,
                cap,
                f"“{claim.award_name}”不在本市表彰奖励目录内",
                f"'{claim.award_name}' is not on the Shanghai award catalogue",
            )
        elif not claim.received_while_working_in_shanghai:
            d = _Draft(
                Indicator.AWARD,
                row.id,
                row.source,
                0,
                cap,
                f"“{claim.award_name}”须在本市工作期间获得",
                f"'{claim.award_name}' must be received while working in Shanghai",
            )
        elif claim.received_on > on:
            d = _Draft(
                Indicator.AWARD,
                row.id,
                row.source,
                0,
                cap,
                f"“{claim.award_name}”获奖日期晚于评估日",
                f"'{claim.award_name}' is dated after the assessment date",
            )
        else:
            d = _Draft(
                Indicator.AWARD,
                row.id,
                row.source,
                row.points,
                cap,
                f"{zh_name}“{claim.award_name}”，计{row.points}分",
                f"{en_name} '{claim.award_name}': {row.points} points",
            )
        if best is None or d.points > best.points:
            best = d
    assert best is not None
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
        return _Draft(
            Indicator.SPOUSE,
            rule.id,
            rule.source,
            0,
            cap,
            "配偶须为本市户籍",
            "the spouse must hold Shanghai hukou",
        )
    years = max(0, _full_years(claim.married_on, on))
    points = _per_year_points(rule, years)
    steps: tuple[NextStep, ...] = ()
    if rule.cap is None or points < rule.cap:
        target = max(years + 1, rule.min_years)
        when = _add_years(claim.married_on, target)
        gain = _per_year_points(rule, target) - points
        steps = (
            NextStep(
                gain,
                f"{when.isoformat()}结婚满{target}年可加{gain}分",
                f"{target} full years of marriage on {when.isoformat()} gives +{gain}",
            ),
        )
    return _Draft(
        Indicator.SPOUSE,
        rule.id,
        rule.source,
        points,
        rule.cap,
        f"配偶为本市户籍，结婚满{years}年，计{points}分",
        f"spouse holds Shanghai hukou, {years} full years married: {points} points",
        steps,
    )


def _direct_routes(claims: ScoringClaims, rules: RuleSet) -> tuple[_Draft, _Draft]:
    out: list[_Draft] = []
    founder = claims.startup_founder
    intermediary = claims.innovation_intermediary
    for indicator in (Indicator.STARTUP_FOUNDER, Indicator.INNOVATION_INTERMEDIARY):
        rule = rules.direct_routes.get(indicator)
        cap = rules.caps[indicator]
        if rule is None:
            out.append(_no_rule(indicator, cap))
            continue
        why_zh: list[str] = []
        why_en: list[str] = []
        months = 0
        if indicator is Indicator.STARTUP_FOUNDER:
            if founder is None:
                out.append(_not_claimed(indicator, cap, rule))
                continue
            months = founder.consecutive_months_in_incubator
            if founder.share_percent < rule.min_share_percent:
                why_zh.append(f"持股须不低于{rule.min_share_percent}%")
                why_en.append(f"share must be at least {rule.min_share_percent}%")
            if not founder.still_in_incubator:
                why_zh.append("企业须仍在孵化器内")
                why_en.append("the enterprise must still be in the incubator")
            if not founder.shares_held_before_incubation_or_investment:
                why_zh.append("须在企业入孵或获得投资前持股")
                why_en.append("shares must be held before incubation or investment")
            where_zh, where_en = "在孵化器内连续", "consecutive months in the incubator"
        else:
            if intermediary is None:
                out.append(_not_claimed(indicator, cap, rule))
                continue
            months = intermediary.consecutive_months_in_technology_transfer
            where_zh, where_en = "连续从事技术转移", "consecutive months of technology-transfer work"
        steps: tuple[NextStep, ...] = ()
        if months < rule.min_consecutive_months:
            more = rule.min_consecutive_months - months
            why_zh.append(f"须{where_zh}满{rule.min_consecutive_months}个月（现{months}个月）")
            why_en.append(f"needs {rule.min_consecutive_months} {where_en} (has {months})")
            if len(why_zh) == 1:
                steps = (
                    NextStep(
                        rule.points,
                        f"再{where_zh}{more}个月可直接积满{rule.points}分",
                        f"{more} more {where_en} gives {rule.points} directly",
                    ),
                )
        if why_zh:
            out.append(
                _Draft(
                    indicator,
                    rule.id,
                    rule.source,
                    0,
                    cap,
                    "不符合：" + "；".join(why_zh),
                    "not met: " + "; ".join(why_en),
                    steps,
                )
            )
        else:
            out.append(
                _Draft(
                    indicator,
                    rule.id,
                    rule.source,
                    rule.points,
                    cap,
                    f"符合条件，直接积满{rule.points}分",
                    f"conditions met: {rule.points} points directly",
                )
            )
    return out[0], out[1]


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
        steps: tuple[NextStep, ...] = ()
        n = 0
        if records:
            window_start = _add_years(on, -row.window_years)
            live = sorted(r.on for r in records if window_start < r.on <= on)
            n = len(live)
            if live:
                expiry = _add_years(live[0], row.window_years)
                steps = (
                    NextStep(
                        row.points,
                        f"最早一条记录于{expiry.isoformat()}满{row.window_years}年后不再扣分，可加{row.points}分",
                        f"the oldest record leaves the {row.window_years}-year window "
                        f"on {expiry.isoformat()}: +{row.points}",
                    ),
                )
        out.append(
            _Draft(
                indicator,
                row.id,
                row.source,
                -row.points * n,
                None,
                f"近{row.window_years}年内{n}条记录，每条扣{row.points}分",
                f"{n} records in the last {row.window_years} years, -{row.points} each",
                steps,
            )
        )
    return out


def _veto_claimed(kind: VetoKind, deductions: DeductionClaims) -> bool:
    if kind is VetoKind.FAMILY_PLANNING_VIOLATION:
        return deductions.family_planning_violation
    return deductions.serious_criminal_record


# --------------------------------------------------------------------------------------------------
# Calculator
# --------------------------------------------------------------------------------------------------


def calculate(
    claims: ScoringClaims,
    deductions: DeductionClaims,
    on: date,
    rules: RuleSet | None = None,
) -> PointsResult:
    """Score ``claims`` and ``deductions`` on the assessment date ``on`` under ``rules``
    (default: ``rules_in_force(on)``)."""
    if rules is None:
        rules = rules_in_force(on)
    contributions = _Contributions(
        claims.social_insurance.history, on, rules.longest_base_window, rules.base_thresholds
    )

    age = _age(claims, on, rules)
    education = _education(claims, rules)
    qualification = _qualification(claims, rules, contributions)
    tax, hiring = _investment(claims, rules)
    founder, intermediary = _direct_routes(claims, rules)

    # Either/or: the higher counts, the first on a tie.
    for first, second in ((education, qualification), (tax, hiring)):
        loser, winner = (second, first) if first.points >= second.points else (first, second)
        loser.counted = False
        loser.superseded_by = winner.indicator

    regular = [
        age,
        education,
        qualification,
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
    ]
    regular_sum = sum(d.points for d in regular if d.counted)

    # Direct-120 routes: the best route replaces the regular indicators if it is higher.
    route = founder if founder.points >= intermediary.points else intermediary
    other_route = intermediary if route is founder else founder
    other_route.counted = False
    if other_route.points:
        other_route.superseded_by = route.indicator
    if route.points > regular_sum:
        for d in regular:
            if d.counted:
                d.counted = False
                d.superseded_by = route.indicator
        positive = route.points
    else:
        route.counted = False
        positive = regular_sum

    deduction_lines = _deductions(deductions, on, rules)
    total = max(0, positive + sum(d.points for d in deduction_lines))

    reasons = tuple(
        IneligibilityReason(v.kind.value, v.id, v.source, v.name_zh, v.name_en)
        for v in rules.vetoes
        if _veto_claimed(v.kind, deductions)
    )
    pass_mark = rules.pass_mark
    lines = tuple(d.freeze() for d in (*regular, founder, intermediary, *deduction_lines))
    return PointsResult(
        assessed_on=on,
        total=total,
        pass_mark=pass_mark.points,
        pass_mark_rule_id=pass_mark.id,
        meets_pass_mark=total >= pass_mark.points,
        eligible=not reasons,
        ineligibility_reasons=reasons,
        lines=lines,
    )


__all__ = [
    "DISCLAIMER_EN",
    "DISCLAIMER_ZH",
    "IndicatorLine",
    "IneligibilityReason",
    "NextStep",
    "PointsResult",
    "calculate",
]
