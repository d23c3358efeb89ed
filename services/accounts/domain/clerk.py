"""Clerk accounts of the district talent centres, managed by an administrator of the district.

A clerk holds a district and one or more duties (the kernel's ``Duty``); a deactivated clerk can no
longer sign in and every session of theirs ends. The sign-in name (工号) is not secret; the name is
personal data (published sealed). The password lives in the clerk's ``Credentials``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import datetime

from eventsourcing.domain import Aggregate, event

from services.accounts.domain.fields import NAME_MAX_LENGTH, problem, text_problems
from shared.kernel.districts import validate_district_code
from shared.kernel.errors import FieldError, StateConflict, ValidationFailed
from shared.kernel.roles import Duty
from shared.kernel.text import Text

NAMESPACE_CLERK = uuid.UUID("a3e0f6d2-1b7c-4e59-8d2a-5c4b3a291f07")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")


class ClerkDeactivated(StateConflict):
    code = "clerk.deactivated"


def normalise_username(raw: str) -> str:
    return raw.strip().lower()


def username_problems(raw: str) -> list[FieldError]:
    if not _USERNAME.match(normalise_username(raw)):
        return [
            problem(
                "username",
                "username.format",
                "工号为3至32位小写字母、数字或 . _ -，以字母或数字开头。",
                "The username is 3 to 32 lower-case letters, digits or . _ -, starting with a letter or "
                "digit.",
            )
        ]
    return []


def duties_problems(duties: Iterable[str]) -> tuple[frozenset[Duty], list[FieldError]]:
    known = {d.value: d for d in Duty}
    chosen = list(duties)
    found = frozenset(known[d] for d in chosen if d in known)
    if not chosen or len(found) != len(set(chosen)):
        return found, [
            problem("duties", "duties.required", "请至少选择一项职责。", "Choose at least one duty.")
        ]
    return found, []


class Clerk(Aggregate):
    TOPIC = "jifen.accounts.Clerk"

    class Event(Aggregate.Event):
        """Base class of this aggregate's events."""

    class Created(Event, Aggregate.Created):
        TOPIC = "jifen.accounts.Clerk.Created"

    class Opened(Created):
        TOPIC = "jifen.accounts.Clerk.Opened"
        username: str
        name: str
        district: str
        duties: list[str]
        created_at: datetime
        created_by: str

    class Changed(Event):
        TOPIC = "jifen.accounts.Clerk.Changed"
        username: str
        name: str
        district: str
        duties: list[str]
        changed_at: datetime
        changed_by: str

    class Deactivated(Event):
        TOPIC = "jifen.accounts.Clerk.Deactivated"
        district: str
        deactivated_at: datetime
        deactivated_by: str

    @staticmethod
    def create_id(username: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE_CLERK, normalise_username(username))

    @classmethod
    def open(
        cls, *, username: str, name: str, district: str, duties: Iterable[str], at: datetime, by: str
    ) -> Clerk:
        """Raises :class:`ValidationFailed` with every problem."""
        granted, duty_problems = duties_problems(duties)
        problems = [
            *username_problems(username),
            *text_problems(name, "name", NAME_MAX_LENGTH, "姓名", "name"),
            *validate_district_code(district),
            *duty_problems,
        ]
        if problems:
            raise ValidationFailed(problems)
        return cls(
            username=normalise_username(username),
            name=name.strip(),
            district=district.strip(),
            duties=sorted(d.value for d in granted),
            created_at=at,
            created_by=by,
        )

    @event(Opened)
    def __init__(
        self,
        *,
        username: str,
        name: str,
        district: str,
        duties: list[str],
        created_at: datetime,
        created_by: str,
    ) -> None:
        self.username = username
        self.name = name
        self.district = district
        self.duties = frozenset(Duty(d) for d in duties)
        self.created_at = created_at
        self.active = True

    def _require_active(self) -> None:
        if not self.active:
            raise ClerkDeactivated(Text("该工作人员账号已停用。", "This clerk account is deactivated."))

    def change(self, *, name: str, duties: Iterable[str], at: datetime, by: str) -> None:
        self._require_active()
        granted, duty_problems = duties_problems(duties)
        problems = [*text_problems(name, "name", NAME_MAX_LENGTH, "姓名", "name"), *duty_problems]
        if problems:
            raise ValidationFailed(problems)
        if granted == self.duties and name.strip() == self.name:
            return
        self._changed(
            username=self.username,
            name=name.strip(),
            district=self.district,
            duties=sorted(d.value for d in granted),
            changed_at=at,
            changed_by=by,
        )

    @event(Changed)
    def _changed(
        self,
        username: str,
        name: str,
        district: str,
        duties: list[str],
        changed_at: datetime,
        changed_by: str,
    ) -> None:
        self.name = name
        self.duties = frozenset(Duty(d) for d in duties)

    def deactivate(self, *, at: datetime, by: str) -> None:
        self._require_active()
        if by == str(self.id):
            raise CannotDeactivateSelf(
                Text("不能停用自己的账号。", "You cannot deactivate your own account.")
            )
        self._deactivated(district=self.district, deactivated_at=at, deactivated_by=by)

    @event(Deactivated)
    def _deactivated(self, district: str, deactivated_at: datetime, deactivated_by: str) -> None:
        self.active = False


class CannotDeactivateSelf(StateConflict):
    code = "clerk.cannot_deactivate_self"
