"""Materials ticked at the window against a checklist, and the reasons clerks write.

A checklist is a tuple of ``Material`` (code, bilingual name, required or only "if applicable").
``require_complete`` refuses a decision that needs every required item with *one* notice listing
everything missing (never one item at a time): a ``ValidationFailed`` with one ``FieldError`` per
missing item, each at its checkbox (``materials.<code>``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.reasons import REASON_MAX_LENGTH
from shared.kernel.text import Text


@dataclass(frozen=True, slots=True)
class Material:
    code: str
    name: Text
    required: bool = True
    """False for an item that applies only to some (e.g. an HR agency's licence): listed, not enforced."""


def material_field(code: str) -> str:
    """The field path of an item's checkbox (forms and problem details)."""
    return f"materials.{code}"


def missing(checklist: Iterable[Material], received: Collection[str]) -> list[Material]:
    """The required items not received, in checklist order."""
    return [item for item in checklist if item.required and item.code not in received]


def unknown_codes(checklist: Iterable[Material], received: Iterable[str]) -> list[str]:
    known = {item.code for item in checklist}
    return sorted(code for code in set(received) if code not in known)


def check_received(checklist: tuple[Material, ...], received: Collection[str]) -> list[FieldError]:
    """Codes that are not on the checklist (a tampered or stale form)."""
    return [
        FieldError(
            "materials",
            "materials.unknown",
            Text(f"材料“{code}”不在清单上。", f"“{code}” is not on the checklist."),
        )
        for code in unknown_codes(checklist, received)
    ]


def missing_errors(checklist: tuple[Material, ...], received: Collection[str]) -> list[FieldError]:
    """One error per required item not received (the whole list at once)."""
    return [
        FieldError(
            material_field(item.code),
            "materials.missing",
            Text(f"缺少材料：{item.name.zh}", f"Missing: {item.name.en}"),
        )
        for item in missing(checklist, received)
    ]


def require_complete(checklist: tuple[Material, ...], received: Collection[str]) -> tuple[str, ...]:
    """The received codes in checklist order, or ``ValidationFailed`` listing everything missing."""
    errors = check_received(checklist, received) + missing_errors(checklist, received)
    if errors:
        count = len(missing(checklist, received))
        raise ValidationFailed(
            errors,
            Text(
                f"材料不齐，缺少 {count} 项，不能办理：请一次性告知全部所缺材料。",
                f"The materials are incomplete ({count} missing); tell the applicant everything that "
                "is missing at once.",
            ),
        )
    return tuple(item.code for item in checklist if item.code in received)


def reason_errors(reason: str, *, field: str = "reason") -> list[FieldError]:
    """A reason is required, and fits on the notice."""
    text = reason.strip()
    if not text:
        return [FieldError(field, "reason.required", Text("请填写理由。", "Enter the reason."))]
    if len(text) > REASON_MAX_LENGTH:
        return [
            FieldError(
                field,
                "reason.too_long",
                Text(
                    f"理由不能超过 {REASON_MAX_LENGTH} 个字。",
                    f"The reason must be {REASON_MAX_LENGTH} characters or fewer.",
                ),
            )
        ]
    return []
