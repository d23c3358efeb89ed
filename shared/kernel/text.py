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
