"""The coded answers of the points application form (积分申请表) and their labels, defined once.

The applications service collects them; the published form (``SubmittedForm``) carries their values;
review shows them to clerks and documents prints them. Each reads the label from here, so the screen,
the clerk's case page and the printed form say the same words.
"""

from __future__ import annotations

from shared.kernel.text import LabelledEnum, Text


class MaritalStatus(LabelledEnum):
    UNMARRIED = "UNMARRIED", Text("未婚", "Never married")
    MARRIED = "MARRIED", Text("已婚", "Married")
    DIVORCED = "DIVORCED", Text("离异", "Divorced")
    WIDOWED = "WIDOWED", Text("丧偶", "Widowed")


class EducationAttainment(LabelledEnum):
    """文化程度: only the highest one is entered (seed: "文化程度填写最高学历")."""

    DOCTORATE = "DOCTORATE", Text("博士研究生", "Doctorate")
    MASTER = "MASTER", Text("硕士研究生", "Master's degree")
    BACHELOR = "BACHELOR", Text("大学本科", "Bachelor's degree")
    COLLEGE = "COLLEGE", Text("大学专科", "College diploma (大专)")
    SECONDARY_VOCATIONAL = "SECONDARY_VOCATIONAL", Text("中专、中技、职高", "Secondary vocational school")
    HIGH_SCHOOL = "HIGH_SCHOOL", Text("普通高中", "Senior high school")
    JUNIOR_HIGH_OR_BELOW = "JUNIOR_HIGH_OR_BELOW", Text("初中及以下", "Junior high school or below")


class ResumeEntryKind(LabelledEnum):
    SCHOOL = "SCHOOL", Text("学习", "Study")
    WORK = "WORK", Text("工作", "Work")
    UNEMPLOYED = "UNEMPLOYED", Text("待业", "Not working (待业)")


def label_of_code(kind: type[LabelledEnum], code: str | None) -> Text | None:
    """The label of a published ``code``; ``None`` for no code, and the code itself for one this
    version does not know (a value added upstream never breaks a page or a print)."""
    if code is None:
        return None
    try:
        return kind(code).label
    except ValueError:
        return Text(code, code)


__all__ = ["EducationAttainment", "MaritalStatus", "ResumeEntryKind", "label_of_code"]
