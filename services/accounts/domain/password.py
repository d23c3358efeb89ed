"""Password policy for unit and personal accounts.

The source system's rules were not found (domain brief §4), so this is our stated policy. It
follows the usual length-over-complexity advice but keeps the class rule that Chinese
government portals commonly show, because users expect it:

1. at least 10 characters (``password.too_short``);
2. at most 128 characters, to bound hashing cost (``password.too_long``);
3. characters from at least 3 of 4 classes: lower-case letters, capital letters, digits, and
   other characters (symbols, spaces, Chinese characters) (``password.too_few_character_classes``);
4. does not contain the login name, ignoring case, when the login name has 3+ characters
   (``password.contains_login_name``);
5. does not contain any 6 consecutive characters of the account holder's ID number, which
   covers the birth date and the last digits people like to reuse
   (``password.contains_id_number_digits``);
6. is not one character repeated (``password.single_repeated_character``).

Every failed rule is reported, so a form can list them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.text import Text


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = 10
    max_length: int = 128
    min_classes: int = 3
    login_name_min_length: int = 3
    id_run_length: int = 6

    def rules(self) -> tuple[Text, ...]:
        """The policy as a list to show next to the password field."""
        return (
            Text(
                f"至少{self.min_length}个字符，最多{self.max_length}个字符",
                f"{self.min_length} to {self.max_length} characters",
            ),
            Text(
                f"至少包含小写字母、大写字母、数字、其他符号中的{self.min_classes}类",
                f"characters from at least {self.min_classes} of: lower-case letters, capital letters, "
                "digits, other symbols",
            ),
            Text("不能包含登录名", "must not contain the login name"),
            Text(
                f"不能包含身份证号码中连续{self.id_run_length}位",
                f"must not contain {self.id_run_length} consecutive characters of the ID number",
            ),
            Text("不能由同一个字符重复组成", "must not be one character repeated"),
        )


DEFAULT_POLICY = PasswordPolicy()


def character_classes(password: str) -> frozenset[str]:
    """Which of ``lower``, ``upper``, ``digit``, ``other`` occur (ASCII letters and digits only)."""
    found: set[str] = set()
    for ch in password:
        if "a" <= ch <= "z":
            found.add("lower")
        elif "A" <= ch <= "Z":
            found.add("upper")
        elif "0" <= ch <= "9":
            found.add("digit")
        else:
            found.add("other")
    return frozenset(found)


def _err(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"password.{code}", Text(zh, en))


def check_password(
    password: str,
    *,
    login_name: str | None = None,
    id_number: str | None = None,
    policy: PasswordPolicy = DEFAULT_POLICY,
    field: str = "password",
) -> tuple[FieldError, ...]:
    """Return every rule the password breaks (empty when acceptable). Never echoes the password."""
    errors: list[FieldError] = []
    if len(password) < policy.min_length:
        errors.append(
            _err(
                field,
                "too_short",
                f"密码至少需要{policy.min_length}个字符。",
                f"The password must have at least {policy.min_length} characters.",
            )
        )
    if len(password) > policy.max_length:
        errors.append(
            _err(
                field,
                "too_long",
                f"密码最多{policy.max_length}个字符。",
                f"The password must have at most {policy.max_length} characters.",
            )
        )
    if len(character_classes(password)) < policy.min_classes:
        errors.append(
            _err(
                field,
                "too_few_character_classes",
                f"密码需包含小写字母、大写字母、数字、其他符号中的至少{policy.min_classes}类。",
                f"The password must mix at least {policy.min_classes} of: lower-case letters, "
                "capital letters, digits, other symbols.",
            )
        )
    folded = password.casefold()
    if login_name is not None:
        name = login_name.strip().casefold()
        if len(name) >= policy.login_name_min_length and name in folded:
            errors.append(
                _err(
                    field,
                    "contains_login_name",
                    "密码不能包含登录名。",
                    "The password must not contain the login name.",
                )
            )
    if id_number is not None:
        idn = id_number.strip().casefold()
        n = policy.id_run_length
        if len(idn) >= n and any(idn[i : i + n] in folded for i in range(len(idn) - n + 1)):
            errors.append(
                _err(
                    field,
                    "contains_id_number_digits",
                    f"密码不能包含身份证号码中连续{n}位。",
                    f"The password must not contain {n} consecutive characters of the ID number.",
                )
            )
    if password and len(set(password)) == 1:
        errors.append(
            _err(
                field,
                "single_repeated_character",
                "密码不能由同一个字符重复组成。",
                "The password must not be one character repeated.",
            )
        )
    return tuple(errors)


def require_acceptable_password(
    password: str,
    *,
    login_name: str | None = None,
    id_number: str | None = None,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> None:
    errors = check_password(password, login_name=login_name, id_number=id_number, policy=policy)
    if errors:
        raise ValidationFailed(errors)
