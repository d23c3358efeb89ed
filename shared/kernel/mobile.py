"""Mainland China mobile numbers: 11 digits starting 13-19 (1[3-9]).

Input may carry spaces or hyphens between digit groups and a ``+86`` / ``0086`` country prefix;
the stored form is the bare 11 digits. Landlines (021-...) are not mobile numbers.
"""

from __future__ import annotations

import re
import unicodedata

from shared.kernel.errors import FieldError, Validated, ValidationFailed
from shared.kernel.text import Text

_SEPARATORS = re.compile(r"[\s-]+")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def normalise_mobile(raw: str) -> str:
    """Without white space, hyphens and a ``+86`` / ``0086`` prefix; full-width digits as ASCII."""
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw).strip())
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _err(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"mobile.{code}", Text(zh, en))


def validate_mobile(raw: str, *, field: str = "mobile") -> Validated[str]:
    """The normalised number, or the one rule it breaks."""
    value = normalise_mobile(raw)
    if not value:
        return Validated(None, (_err(field, "required", "请填写手机号码。", "Enter the mobile number."),))
    if not _ELEVEN_DIGITS.fullmatch(value):
        return Validated(
            None,
            (
                _err(
                    field,
                    "format",
                    "手机号码应为11位数字。",
                    "The mobile number must be 11 digits.",
                ),
            ),
        )
    if not _MOBILE.fullmatch(value):
        return Validated(
            None,
            (
                _err(
                    field,
                    "prefix",
                    "手机号码应以13至19开头。",
                    "A mainland mobile number starts with 13 to 19.",
                ),
            ),
        )
    return Validated(value, ())


def parse_mobile(raw: str, *, field: str = "mobile") -> str:
    """Like :func:`validate_mobile` but raises :class:`ValidationFailed`."""
    result = validate_mobile(raw, field=field)
    if result.value is None:
        raise ValidationFailed(result.errors)
    return result.value
