"""Small helpers shared by the section validators."""

from __future__ import annotations

from collections.abc import Iterable, Sized
from dataclasses import replace
from datetime import date
from decimal import Decimal

from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.id_number import ResidentId, validate_id_number
from shared.kernel.mobile import validate_mobile
from shared.kernel.text import Text

MAX_NAME_LENGTH = 50
MAX_TEXT_LENGTH = 200

REQUIRED = "required"
TOO_LONG = "too_long"
IN_FUTURE = "date_in_future"
OUT_OF_RANGE = "out_of_range"
TOO_MANY = "too_many"


class Problems:
    """Collects the ``FieldError`` values of one section."""

    def __init__(self, section: SectionName) -> None:
        self.section = section
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, message_zh: str, message_en: str) -> None:
        self.errors.append(FieldError(field, str(code), Text(message_zh, message_en), self.section.value))

    def extend(self, errors: Iterable[FieldError]) -> None:
        """Add the errors of a kernel validator (which name the field only) to this section."""
        self.errors.extend(replace(error, section=self.section.value) for error in errors)

    def required_text(
        self, field: str, value: str, label_zh: str, label_en: str, max_length: int = MAX_TEXT_LENGTH
    ) -> None:
        """``value`` must not be blank and must fit ``max_length`` characters."""
        if not value.strip():
            self.add(field, REQUIRED, f"请填写{label_zh}", f"The {label_en} is required")
        else:
            self.optional_text(field, value, label_zh, label_en, max_length)

    def optional_text(
        self, field: str, value: str, label_zh: str, label_en: str, max_length: int = MAX_TEXT_LENGTH
    ) -> None:
        if len(value) > max_length:
            self.add(
                field,
                TOO_LONG,
                f"{label_zh}不能超过{max_length}个字",
                f"The {label_en} must be at most {max_length} characters",
            )

    def not_after(self, field: str, value: date, on: date, label_zh: str, label_en: str) -> None:
        """A date that must not lie after the application date."""
        if value > on:
            self.add(
                field,
                IN_FUTURE,
                f"{label_zh}不能晚于申请日期 {on.isoformat()}",
                f"The {label_en} cannot be after the application date {on.isoformat()}",
            )

    def within(
        self,
        field: str,
        value: int | Decimal,
        low: int | Decimal,
        high: int | Decimal,
        label_zh: str,
        label_en: str,
    ) -> bool:
        """A number from ``low`` to ``high`` (both included): one message naming the range whichever side
        it misses. Whether it holds (a rule that reads the value may rely on it only then)."""
        if (isinstance(value, Decimal) and not value.is_finite()) or not low <= value <= high:
            self.add(
                field,
                OUT_OF_RANGE,
                f"{label_zh}应在{low}到{high}之间",
                f"The {label_en} must be from {low} to {high}",
            )
            return False
        return True

    def at_most(self, field: str, items: Sized, most: int, label_zh: str, label_en: str) -> None:
        """A list of at most ``most`` items."""
        if len(items) > most:
            self.add(
                field,
                TOO_MANY,
                f"{label_zh}最多填写{most}条",
                f"At most {most} {label_en} can be entered",
            )

    def id_number(self, field: str, value: str, on: date) -> ResidentId | None:
        """Check an ID number as of the application date ``on``; what it tells if it is valid (so derived
        facts may be used), ``None`` otherwise."""
        result = validate_id_number(value, today=on, field=field)
        self.extend(result.errors)
        return result.value

    def mobile(self, field: str, value: str) -> None:
        """A mainland mobile number."""
        self.extend(validate_mobile(value, field=field).errors)


def month_index(day: date) -> int:
    """Months since year 0, so that consecutive months differ by one. The day of month is ignored."""
    return day.year * 12 + day.month - 1


def format_month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
