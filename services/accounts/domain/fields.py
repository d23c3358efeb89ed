"""Field rules the accounts forms share: required text, e-mail addresses and a unit's HR contact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.kernel.errors import FieldError
from shared.kernel.mobile import validate_mobile
from shared.kernel.text import Text

NAME_MAX_LENGTH = 50
ADDRESS_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")


def problem(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Text(zh, en))


def text_problems(
    value: str, field: str, max_length: int, zh_name: str, en_name: str, *, prefix: str | None = None
) -> list[FieldError]:
    """``value`` must be non-blank and at most ``max_length`` characters (after trimming). Codes are
    ``<field>.required`` / ``.too_long``, or ``<prefix>.<field>_required`` / ``_too_long``."""
    code = f"{prefix}.{field}_" if prefix else f"{field}."
    text = value.strip()
    if not text:
        return [problem(field, f"{code}required", f"请填写{zh_name}。", f"Enter the {en_name}.")]
    if len(text) > max_length:
        return [
            problem(
                field,
                f"{code}too_long",
                f"{zh_name}最多{max_length}个字符。",
                f"The {en_name} must have at most {max_length} characters.",
            )
        ]
    return []


def email_problems(value: str, field: str = "email") -> list[FieldError]:
    text = value.strip()
    if not text:
        return [problem(field, "email.required", "请填写电子邮箱。", "Enter the e-mail address.")]
    if len(text) > EMAIL_MAX_LENGTH or not _EMAIL.match(text):
        return [
            problem(
                field,
                "email.format",
                "请输入有效的电子邮箱，例如 name@example.com。",
                "Enter an e-mail address in the right format, like name@example.com.",
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class Contact:
    """A unit's HR specialist (人事专员) and its address, normalised."""

    hr_name: str
    mobile: str
    email: str
    address: str


def validate_contact(
    *, hr_name: str, mobile: str, email: str, address: str
) -> tuple[Contact | None, list[FieldError]]:
    """The normalised contact, or every problem of it."""
    problems = text_problems(hr_name, "hr_name", NAME_MAX_LENGTH, "人事专员姓名", "HR specialist's name")
    phone = validate_mobile(mobile)
    problems += phone.errors
    problems += email_problems(email)
    problems += text_problems(address, "address", ADDRESS_MAX_LENGTH, "单位地址", "unit address")
    if problems or phone.value is None:
        return None, problems
    return Contact(hr_name.strip(), phone.value, email.strip(), address.strip()), []
