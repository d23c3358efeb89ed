"""Form pages: every problem at its field and in the error summary, with what was typed kept.

A page handler that catches a ``ValidationFailed`` (from a command) or a pydantic
``ValidationError`` (from parsing the posted form) renders the same page again with
``FormErrors``: ``summary`` for ``components/forms.html``'s ``error_summary`` (each item links to
``#<field id>``) and ``by_field`` for the ``error=`` argument of each input. Field ids are the
errors' paths (``personal_info.mobile``, ``entries[2].end_month``) unless the page maps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from shared.kernel.errors import FieldError
from shared.platform.problems import pydantic_field_errors


@dataclass(frozen=True)
class FormErrors:
    summary: list[dict[str, str]] = field(default_factory=list)
    """``[{"field": id, "message": text}]`` in the order found."""
    by_field: dict[str, str] = field(default_factory=dict)
    """Field id -> its first message."""

    def __bool__(self) -> bool:
        return bool(self.summary)

    @classmethod
    def of(
        cls,
        errors: Sequence[FieldError],
        lang: str,
        ids: Mapping[str, str] | None = None,
        page_order: Iterable[str] = (),
    ) -> FormErrors:
        """``errors`` in ``lang``; ``ids`` maps an error path to the id of the input it belongs to.

        ``page_order``: the inputs' names in the order of the page (a posted form's keys are in
        document order), so that the summary reads top to bottom whichever rule found an error
        first; errors of no such input (a whole group) keep their place after them."""
        ids = ids or {}
        position = {name: index for index, name in enumerate(page_order)}
        if position:
            errors = sorted(errors, key=lambda e: position.get(ids.get(e.path, e.path), len(position)))
        summary: list[dict[str, str]] = []
        by_field: dict[str, str] = {}
        for error in errors:
            field_id = ids.get(error.path, error.path)
            message = error.message.for_lang(lang)
            summary.append({"field": field_id, "message": message})
            by_field.setdefault(field_id, message)
        return cls(summary, by_field)

    @classmethod
    def from_pydantic(
        cls, exc: ValidationError, lang: str, ids: Mapping[str, str] | None = None
    ) -> FormErrors:
        """The problems pydantic found in a posted form, with the API's messages."""
        return cls.of(pydantic_field_errors(exc.errors()), lang, ids)
