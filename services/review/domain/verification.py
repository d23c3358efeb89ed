"""The approver's verification of the declared score, line by line (审批, 积分核定).

The approver starts from the declared lines; for each indicator they confirm the declared points or
enter the points the evidence supports (never more than declared: review verifies a claim, it does
not add one), with the reason for any change. ``verify`` checks that and gives the verified lines and
total, added up by the points engine's own aggregation (``shared.kernel.points.aggregate``): an
either/or choice or a direct-120 route is decided again on the verified points, so lowering the side
that counted can make the other side count, and the total is never below zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.points import Indicator, aggregate
from shared.kernel.points.narration import indicator_name
from shared.kernel.text import Text


@dataclass(frozen=True, slots=True)
class DeclaredLine:
    """One indicator of the declared score, as the application carried it."""

    indicator: str
    points: int
    cap: int | None
    counted: bool
    rule_id: str | None


@dataclass(frozen=True, slots=True)
class VerifiedLine:
    indicator: str
    declared_points: int
    verified_points: int
    counted: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class VerifiedScore:
    """The approver's result: each line verified, the total recomputed by the points rules."""

    total: int
    pass_mark: int
    lines: tuple[VerifiedLine, ...]


def points_field(indicator: str) -> str:
    return f"lines.{indicator}.points"


def reason_field(indicator: str) -> str:
    return f"lines.{indicator}.reason"


def entered_on_form(fields: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The lines a form posted (``points_field`` / ``reason_field`` names), as ``verify`` takes them."""
    indicators = {name.split(".")[1] for name in fields if name.startswith("lines.") and name.count(".") == 2}
    return {i: (fields.get(points_field(i), ""), fields.get(reason_field(i), "")) for i in indicators}


def verify(
    declared: Sequence[DeclaredLine], pass_mark: int, entered: Mapping[str, tuple[str, str]]
) -> VerifiedScore:
    """``entered``: indicator -> (points as typed, reason); a line not entered, or entered without
    points, is confirmed."""
    errors: list[FieldError] = []
    lines: list[VerifiedLine] = []
    for line in declared:
        typed, reason = entered.get(line.indicator, (str(line.points), ""))
        typed = typed.strip() or str(line.points)
        low, high = sorted((0, line.points))
        name = indicator_name(line.indicator)  # the error summary lists several lines' messages
        try:
            points = int(typed)
        except ValueError:
            errors.append(
                FieldError(
                    points_field(line.indicator),
                    "points.not_a_number",
                    Text(
                        f"{name.zh}：请输入核定分值（整数）。",
                        f"{name.en}: enter the verified points as a whole number.",
                    ),
                )
            )
            continue
        if not low <= points <= high:
            errors.append(
                FieldError(
                    points_field(line.indicator),
                    "points.out_of_range",
                    Text(
                        f"{name.zh}：核定分值应在 {low} 至 {high} 分之间（不能超过申报分值）。",
                        f"{name.en}: the verified points must be from {low} to {high} (never more than"
                        " declared).",
                    ),
                )
            )
            continue
        if points != line.points and not reason.strip():
            errors.append(
                FieldError(
                    reason_field(line.indicator),
                    "line.reason_required",
                    Text(
                        f"{name.zh}：核定分值与申报不同，请填写理由。",
                        f"{name.en}: the verified points differ from the declared; give the reason.",
                    ),
                )
            )
        lines.append(VerifiedLine(line.indicator, line.points, points, line.counted, reason.strip() or None))
    if errors:
        raise ValidationFailed(errors)
    aggregation = aggregate({Indicator(x.indicator): x.verified_points for x in lines})
    recounted = tuple(replace(x, counted=aggregation.counts(Indicator(x.indicator))) for x in lines)
    return VerifiedScore(aggregation.total, pass_mark, recounted)
