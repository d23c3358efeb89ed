"""家庭情况: spouse and children.

Hukou addresses are entered as in the household register (户口本). Every child must be marked as
enjoying the points-related benefits (seed: "孩子一定要选择享受积分相关待遇:是"); the form offers the
choice, but "no" is an error, not an option.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.applications.domain.sections.common import MAX_NAME_LENGTH, Problems
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.form_codes import MaritalStatus
from shared.kernel.id_number import normalise_id_number

SPOUSE_REQUIRED = "family.spouse_required_when_married"
SPOUSE_NOT_ALLOWED = "family.spouse_only_when_married"
CHILD_MUST_ENJOY_BENEFITS = "family.child_must_enjoy_points_benefits"
SAME_PERSON_TWICE = "family.same_id_number_twice"


@dataclass(frozen=True, slots=True)
class Spouse:
    name: str
    id_number: str
    """Kept in its normal form (trimmed, upper-case ``X``)."""
    hukou_address: str
    has_shanghai_hukou: bool
    married_on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "id_number", normalise_id_number(self.id_number))


@dataclass(frozen=True, slots=True)
class Child:
    name: str
    id_number: str
    """Kept in its normal form (trimmed, upper-case ``X``)."""
    hukou_address: str
    enjoys_points_benefits: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "id_number", normalise_id_number(self.id_number))


@dataclass(frozen=True, slots=True)
class Family:
    spouse: Spouse | None = None
    children: tuple[Child, ...] = ()


def validate_family(
    family: Family,
    on: date,
    marital_status: MaritalStatus | None = None,
    applicant_id_number: str | None = None,
) -> list[FieldError]:
    """Check the family section as of ``on``.

    ``marital_status`` and ``applicant_id_number`` come from the personal-information section; when it
    has not been saved yet they are ``None`` and the rules that need them are checked at 完成.
    """
    problems = Problems(SectionName.FAMILY)
    spouse = family.spouse
    if marital_status is MaritalStatus.MARRIED and spouse is None:
        problems.add("spouse", SPOUSE_REQUIRED, "婚姻状况为已婚，请填写配偶信息", "Married: enter the spouse")
    if marital_status is not None and marital_status is not MaritalStatus.MARRIED and spouse is not None:
        problems.add(
            "spouse",
            SPOUSE_NOT_ALLOWED,
            "婚姻状况不是已婚，不应填写配偶信息",
            "Only a married applicant can enter a spouse",
        )
    seen = {applicant_id_number} if applicant_id_number else set()
    if spouse is not None:
        _check_person(problems, "spouse", spouse.name, spouse.id_number, spouse.hukou_address, on, seen)
        problems.not_after("spouse.married_on", spouse.married_on, on, "结婚日期", "marriage date")
    for index, child in enumerate(family.children):
        prefix = f"children[{index}]"
        _check_person(problems, prefix, child.name, child.id_number, child.hukou_address, on, seen)
        if not child.enjoys_points_benefits:
            problems.add(
                f"{prefix}.enjoys_points_benefits",
                CHILD_MUST_ENJOY_BENEFITS,
                "子女须选择享受积分相关待遇：是",
                "Every child must be marked as enjoying the points-related benefits",
            )
    return problems.errors


def _check_person(
    problems: Problems, prefix: str, name: str, id_number: str, hukou_address: str, on: date, seen: set[str]
) -> None:
    problems.required_text(f"{prefix}.name", name, "姓名", "name", MAX_NAME_LENGTH)
    if problems.id_number(f"{prefix}.id_number", id_number, on) is not None:
        if id_number in seen:
            problems.add(
                f"{prefix}.id_number",
                SAME_PERSON_TWICE,
                "同一身份证号码在申请中出现了两次",
                "This ID number already appears elsewhere in the application",
            )
        seen.add(id_number)
    problems.required_text(
        f"{prefix}.hukou_address", hukou_address, "户籍地址（按户口本填写）", "hukou address"
    )
