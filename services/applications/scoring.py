"""The declared score of an application, worded for its pages and API: the points engine's result
(``domain.points``, the same calculator, rules and catalogues as the simulator and approval) turned
into what a page shows, line by line, with what would raise each line.

This module is the one place the service reads the engine's result and its wording; pages and the
API read ``ScoreView``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.applications.domain.application import PointsApplication
from services.applications.domain.completeness import ApplicationForm, claims_for_calculator
from shared.kernel.points import PointsResult, RuleSet, calculate, narration, rules_in_force
from shared.kernel.points.claims import (
    NO_DEDUCTIONS,
    DeductionClaims,
    KeyAreaKind,
    ScoringClaims,
)
from shared.kernel.points.simulation import KEY_AREA_KIND_NAMES
from shared.kernel.text import Text
from shared.platform.catalogues import load_catalogues


def rules_on(day: date) -> RuleSet:
    """The rules in force on ``day`` with the catalogues the service loaded: what the form is scored
    on, as the simulator and approval score."""
    return rules_in_force(day, load_catalogues())


@dataclass(frozen=True, slots=True)
class Raise:
    """Something that would raise a line, and by how much."""

    gain: int
    text: Text


@dataclass(frozen=True, slots=True)
class LineView:
    indicator: str
    name: Text
    points: int
    cap: int | None
    counted: bool
    explanation: Text
    would_raise: tuple[Raise, ...]


@dataclass(frozen=True, slots=True)
class ScoreView:
    """The declared score: the total against the pass mark, each line, and the veto items that stop
    the application (then there is no score)."""

    assessed_on: date
    total: int
    pass_mark: int
    meets_pass_mark: bool
    vetoes: tuple[Text, ...]
    lines: tuple[LineView, ...]

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    @property
    def counted_lines(self) -> tuple[LineView, ...]:
        """The lines that make the total (claimed or deducted, and not set aside)."""
        return tuple(line for line in self.lines if line.counted and line.points)


def score(claims: ScoringClaims, deductions: DeductionClaims, on: date) -> ScoreView:
    """Score the claims on ``on`` under the rules in force."""
    return view_of(calculate(claims, deductions, on, rules_on(on)))


def declared_score(
    application: PointsApplication, on: date, form: ApplicationForm | None = None
) -> ScoreView | None:
    """The application's declared score on ``on`` (``None`` until its scoring section is saved);
    ``form``: ``application.form`` if the caller has it already."""
    form = application.form if form is None else form
    claims = claims_for_calculator(form)
    return None if claims is None else score(claims, form.deductions or NO_DEDUCTIONS, on)


def view_of(result: PointsResult) -> ScoreView:
    return ScoreView(
        assessed_on=result.assessed_on,
        total=result.total,
        pass_mark=result.pass_mark,
        meets_pass_mark=result.meets_pass_mark,
        vetoes=tuple(narration.veto_text(reason) for reason in result.ineligibility_reasons),
        lines=tuple(
            LineView(
                indicator=str(line.indicator),
                name=narration.indicator_name(line.indicator),
                points=line.points,
                cap=line.cap,
                counted=line.counted,
                explanation=narration.explanation(line),
                would_raise=tuple(Raise(step.gain, narration.step_text(step)) for step in line.next_steps),
            )
            for line in result.lines
        ),
    )


def level_label(level: StrEnum) -> Text:
    """The name of an education level, title or skill level, award level or key-area kind (the
    points engine's words, the same as the simulator's)."""
    if isinstance(level, KeyAreaKind):
        return KEY_AREA_KIND_NAMES[level]
    return narration.LEVEL_NAMES[level]
