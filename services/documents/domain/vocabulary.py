"""How the form's coded values read on paper.

The applications service publishes the form with its own codes (``SubmittedForm``: enums by value);
these tables give each code its printed label. A code not listed here prints as it came, so a value
added upstream never breaks a render.

The form's own codes are labelled where they are defined (``shared.kernel.form_codes``), the
indicators' and levels' names are the points engine's own (``shared.kernel.points``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.text import Text


def label_of(table: Mapping[Any, Text], code: str | None) -> str:
    """The Chinese label of ``code`` (the form is printed in Chinese), the code itself if unknown."""
    if code is None:
        return ""
    found = table.get(code)
    return found.zh if found is not None else code


MARITAL_STATUS: Mapping[str, Text] = MappingProxyType({m.value: m.label for m in MaritalStatus})
EDUCATION_ATTAINMENT: Mapping[str, Text] = MappingProxyType({m.value: m.label for m in EducationAttainment})
RESUME_KIND: Mapping[str, Text] = MappingProxyType({m.value: m.label for m in ResumeEntryKind})
