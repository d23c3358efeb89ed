"""Resident identity card number (公民身份号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence whose last
digit gives the sex (odd = male, even = female), and an ISO 7064 MOD 11-2 check character
(weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; a value of 10 is written X).

Privacy rule: a full ID number never goes into events, logs or URLs. Use
:func:`mask_id_number` for anything that leaves the aggregate's private state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.accounts.domain.errors import FieldError, ValidationFailed

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
"""Check character for ``sum mod 11`` = 0..10 (equivalent to ``(12 - sum mod 11) mod 11``)."""

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Address-code provinces (GB/T 2260) plus 81/82/83 used by residence permits for Hong Kong,
# Macao and Taiwan residents, which share the 18-character format.
_PROVINCE_PREFIXES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82", "83",
    }
)  # fmt: skip


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def label_zh(self) -> str:
        return "男" if self is Sex.MALE else "女"

    @property
    def label_en(self) -> str:
        return "Male" if self is Sex.MALE else "Female"


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A validated ID number. ``repr`` is masked so the full number cannot leak into logs."""

    value: str
    birth_date: date
    sex: Sex

    @property
    def address_code(self) -> str:
        return self.value[:6]

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)

    def __repr__(self) -> str:
        return f"ResidentId({self.masked!r}, birth_date={self.birth_date!r}, sex={self.sex.value!r})"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class IdNumberResult:
    id: ResidentId | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def mask_id_number(value: str) -> str:
    """Keep the first 6 and last 4 characters of an 18-character number, e.g. ``310101********123X``.

    Anything that is not 18 characters long is masked completely, so a mistyped number cannot
    leak either.
    """
    value = value.strip()
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def normalise_id_number(raw: str) -> str:
    """Trim surrounding white space and upper-case a trailing ``x``."""
    return raw.strip().upper()


def _err(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"id_number.{code}", zh, en)


def validate_id_number(raw: str, *, today: date, field: str = "id_number") -> IdNumberResult:
    """Check an 18-character resident ID number; ``today`` is the caller's clock (Asia/Shanghai)."""
    value = normalise_id_number(raw)
    if not value:
        return IdNumberResult(None, (_err(field, "required", "请填写身份证号码。", "Enter the ID number."),))
    if len(value) != 18:
        return IdNumberResult(
            None,
            (
                _err(
                    field,
                    "length",
                    f"身份证号码应为18位，现为{len(value)}位。",
                    f"The ID number must be 18 characters; this one has {len(value)}.",
                ),
            ),
        )
    body, last = value[:17], value[17]
    if not (body.isascii() and body.isdigit() and (last.isdigit() or last == "X")):
        return IdNumberResult(
            None,
            (
                _err(
                    field,
                    "format",
                    "身份证号码前17位必须是数字，最后一位是数字或X。",
                    "The first 17 characters of the ID number must be digits and the last a digit or X.",
                ),
            ),
        )
    errors: list[FieldError] = []
    if value[:2] not in _PROVINCE_PREFIXES:
        errors.append(
            _err(
                field,
                "region_invalid",
                "身份证号码前6位地址码无效。",
                "The first 6 digits of the ID number are not a valid address code.",
            )
        )
    birth: date | None
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
        errors.append(
            _err(
                field,
                "birth_date_invalid",
                "身份证号码第7至14位不是有效的出生日期。",
                "Digits 7-14 of the ID number are not a valid date of birth.",
            )
        )
    if birth is not None and birth > today:
        errors.append(
            _err(
                field,
                "birth_date_in_future",
                "身份证号码中的出生日期晚于今天。",
                "The date of birth in the ID number is in the future.",
            )
        )
    if birth is not None and birth < EARLIEST_BIRTH_DATE:
        errors.append(
            _err(
                field,
                "birth_date_too_early",
                "身份证号码中的出生日期早于1900年。",
                "The date of birth in the ID number is before 1900.",
            )
        )
    if last != id_check_character(body):
        errors.append(
            _err(
                field,
                "check_character_mismatch",
                "身份证号码校验位不正确，请核对是否输错。",
                "The check character of the ID number does not match; check for a typing error.",
            )
        )
    if errors or birth is None:
        return IdNumberResult(None, tuple(errors))
    sex = Sex.MALE if int(value[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberResult(ResidentId(value=value, birth_date=birth, sex=sex), ())


def parse_id_number(raw: str, *, today: date, field: str = "id_number") -> ResidentId:
    """Like :func:`validate_id_number` but raises :class:`ValidationFailed`."""
    result = validate_id_number(raw, today=today, field=field)
    if result.id is None:
        raise ValidationFailed(result.errors)
    return result.id
