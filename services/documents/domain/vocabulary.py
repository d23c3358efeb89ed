"""How the form's coded values read on paper.

The applications service publishes the form with its own codes (``SubmittedForm``: enums by value);
these tables give each code its printed label. A code not listed here prints as it came, so a value
added upstream never breaks a render.

The indicators' and levels' names are the points engine's own (``shared.kernel.points``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from shared.kernel.text import Text


def label_of(table: Mapping[Any, Text], code: str | None) -> str:
    """The Chinese label of ``code`` (the form is printed in Chinese), the code itself if unknown."""
    if code is None:
        return ""
    found = table.get(code)
    return found.zh if found is not None else code


MARITAL_STATUS: Mapping[str, Text] = MappingProxyType(
    {
        "UNMARRIED": Text("未婚", "Unmarried"),
        "MARRIED": Text("已婚", "Married"),
        "DIVORCED": Text("离异", "Divorced"),
        "WIDOWED": Text("丧偶", "Widowed"),
    }
)

EDUCATION_ATTAINMENT: Mapping[str, Text] = MappingProxyType(
    {
        "DOCTORATE": Text("博士研究生", "Doctorate"),
        "MASTER": Text("硕士研究生", "Master's"),
        "BACHELOR": Text("大学本科", "Bachelor's"),
        "COLLEGE": Text("大学专科", "College diploma"),
        "SECONDARY_VOCATIONAL": Text("中专/中技/职高", "Secondary vocational"),
        "HIGH_SCHOOL": Text("普通高中", "High school"),
        "JUNIOR_HIGH_OR_BELOW": Text("初中及以下", "Junior high or below"),
    }
)

RESUME_KIND: Mapping[str, Text] = MappingProxyType(
    {
        "SCHOOL": Text("学习", "Study"),
        "WORK": Text("工作", "Work"),
        "UNEMPLOYED": Text("待业", "Unemployed"),
    }
)
