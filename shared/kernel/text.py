"""A user-facing text in Simplified Chinese and English.

Domain wording (status labels, rule explanations, error messages) is written where the rule lives,
with this type, once; pages and problem details pick the language of the request with ``for_lang``.
The UI message catalogues hold only the pages' own chrome.

English labels of things (statuses, kinds, roles) are written as a page shows them on their own, in
sentence case ("Awaiting acceptance"); labels that complete a sentence (actions, duties: "accept
applications") are lower case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class Text:
    """Simplified Chinese first (the system's default language), English second."""

    zh: str
    en: str

    def for_lang(self, lang: str) -> str:
        """The text in ``lang`` (``"en"`` or ``"en-..."``); Chinese for anything else."""
        return self.en if lang == ENGLISH or lang.startswith(ENGLISH + "-") else self.zh

    def __str__(self) -> str:
        return self.zh


class LabelledEnum(StrEnum):
    """A string enum whose members carry their label, defined with the code, once::

        class ApplicationKind(LabelledEnum):
            NEW = "NEW", Text("新办", "New application")

    The value (the wire name) is the string; ``member.label`` is the ``Text``. Looking a member up by
    its value works as for any enum (``ApplicationKind("NEW")``).
    """

    _label: Text

    def __new__(cls, value: str, label: Text | None = None) -> Self:
        # Only called while the class is built (lookups by value never reach it), so the default
        # exists for the type checker's view of ``ApplicationKind("NEW")`` alone.
        if label is None:
            raise TypeError(f"{cls.__name__}.{value} needs its label")
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> Text:
        return self._label
