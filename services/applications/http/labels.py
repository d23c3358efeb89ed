"""Choices of the form pages, labelled in the request's language (labels come from the domain)."""

from __future__ import annotations

from typing import Any

from services.applications.scoring import level_label
from shared.kernel.points.claims import (
    AwardLevel,
    EducationLevel,
    KeyAreaKind,
    QualificationLevel,
)
from shared.kernel.text import LabelledEnum


def choice_items(kind: type[LabelledEnum]) -> list[dict[str, Any]]:
    """``[{value, text}]`` of a labelled enum; ``text`` is a ``Text`` (templates show it with ``label``)."""
    return [{"value": member.value, "text": member.label} for member in kind]


def level_items() -> dict[str, list[dict[str, Any]]]:
    """The choices of the scoring pages (levels and kinds named by the points engine)."""

    def items(kind: Any) -> list[dict[str, Any]]:
        return [{"value": member.value, "text": level_label(member)} for member in kind]

    return {
        "education_level_items": items(EducationLevel),
        "qualification_level_items": items(QualificationLevel),
        "award_level_items": items(AwardLevel),
        "key_area_kind_items": items(KeyAreaKind),
    }
