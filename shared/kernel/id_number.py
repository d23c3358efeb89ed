"""Resident identity card number (公民身份号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence whose last
digit gives the sex (odd = male, even = female), and an ISO 7064 MOD 11-2 check character
(weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; a value of 10 is written X). The residence permits of
Hong Kong, Macao and Taiwan residents share the format (address codes 81, 82, 83).

Input is brought to ASCII (full-width digits and letters), trimmed and upper-cased (a lower-case
``x`` is accepted); every failed rule is reported.
The birth date must lie between 1900-01-01 and ``today``, the caller's date (Asia/Shanghai; for an
application form, the application date).

Privacy rule: a full ID number never goes into events, logs, URLs or public topics. Use
:func:`mask_id_number` (first 6 and last 4 characters, e.g. ``310101********123X``: the status
contract's ``applicant_id_masked``) for anything that leaves the aggregate's private state.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from shared.kernel.districts import PROVINCE_CODES
from shared.kernel.errors import FieldError, Validated, ValidationFailed
from shared.kernel.text import LabelledEnum, Text

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""2^(17-i) mod 11 for positions 1..17."""

CHECK_CHARACTERS = "10X98765432"
"""Check character for ``sum mod 11`` = 0..10 (equivalent to ``(12 - sum mod 11) mod 11``)."""

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

ADDRESS_PROVINCES: frozenset[str] = PROVINCE_CODES | {"83"}
"""First two digits of the address code: the GB/T 2260 provinces, plus 83 (the residence permits of
Taiwan residents; those of Hong Kong and Macao residents use 81 and 82)."""


class Sex(LabelledEnum):
    """Sex as encoded in the ID number (and as stated on the application form)."""

    MALE = "MALE", Text("男", "Male")
    FEMALE = "FEMALE", Text("女", "Female")


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A valid, normalised ID number and what it tells about its holder.

    ``repr`` and ``str`` are masked so that the full number cannot leak into logs.
    """

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


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def compose_id_number(address_code: str, born: date, sequence: int) -> str:
    """A valid ID number from its parts (address code, birth date, 3-digit sequence: odd for a man,
    even for a woman) with its check character: for demo data and tests, never to guess a person's."""
    first17 = f"{address_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


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
    """Full-width digits and ``Ｘ`` (typed with a Chinese input method) as ASCII, surrounding white
    space trimmed, a trailing ``x`` upper-cased."""
    return unicodedata.normalize("NFKC", raw).strip().upper()


def _err(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"id_number.{code}", Text(zh, en))


def validate_id_number(raw: str, *, today: date | None, field: str = "id_number") -> Validated[ResidentId]:
    """Check an ID number and return what it tells, or every failed rule (never the number itself).

    ``today`` is the caller's date (Asia/Shanghai): a birth date after it is refused. ``None`` only
    where a stored number is read back for what it tells (the rule was checked when it was saved).
    """
    value = normalise_id_number(raw)
    if not value:
        return Validated(None, (_err(field, "required", "请填写身份证号码。", "Enter the ID number."),))
    if len(value) != 18:
        return Validated(
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
        return Validated(
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
    if value[:2] not in ADDRESS_PROVINCES:
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
    if birth is not None and today is not None and birth > today:
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
        return Validated(None, tuple(errors))
    sex = Sex.MALE if int(value[16]) % 2 == 1 else Sex.FEMALE
    return Validated(ResidentId(value=value, birth_date=birth, sex=sex), ())


def parse_id_number(raw: str, *, today: date | None, field: str = "id_number") -> ResidentId:
    """Like :func:`validate_id_number` but raises :class:`ValidationFailed` with every problem."""
    result = validate_id_number(raw, today=today, field=field)
    if result.value is None:
        raise ValidationFailed(result.errors)
    return result.value
