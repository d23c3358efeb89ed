"""An account's sign-in secret and what ends its sessions: the password hash, window resets and
"sign out everywhere", for units, applicants and clerks alike.

One ``Credentials`` per account (id from role and account id). The hash is made and checked outside
the domain (argon2id); the domain keeps it, and records when sessions must end: a changed password,
a completed reset, or the owner's "sign out everywhere" (each is published as ``SessionsRevoked``).

Password resets (密码重置) happen only at a talent-centre window (domain brief §4): the clerk's
authorisation arrives from review; a unit's request is valid only in the unit's registered district,
a person's in any. Accounts then issues a single-use code (24 h) by e-mail; only its digest is kept.
A reused, superseded or expired code is refused with its reason. Whatever ends sessions records a
``SessionsEnded`` (published as ``SessionsRevoked``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from eventsourcing.domain import Aggregate, event

from services.accounts.domain.codes import CodeExpired, CodeUsed, code_digest, code_matches
from services.accounts.domain.fields import problem
from shared.kernel.errors import NotPermitted, ValidationFailed
from shared.kernel.text import Text

NAMESPACE_CREDENTIALS = uuid.UUID("5b8f2c14-7a3e-4d61-9c0b-2e7f1a6d4b93")
RESET_VALIDITY = timedelta(hours=24)


class ResetRefusedAtDesk(NotPermitted):
    """A unit's reset authorised outside the unit's registered district."""

    code = "password_reset.wrong_district"


@dataclass(frozen=True, slots=True)
class PendingReset:
    request_id: str
    code_digest: str
    expires_at: datetime
    completed_at: datetime | None = None


def wrong_reset_code() -> ValidationFailed:
    return ValidationFailed(
        [
            problem(
                "code",
                "code.wrong",
                "重置码不正确，请核对邮件中的重置码。",
                "The reset code is not right; check the code in the e-mail.",
            )
        ]
    )


class Credentials(Aggregate):
    TOPIC = "jifen.accounts.Credentials"

    class Event(Aggregate.Event):
        """Base class of this aggregate's events."""

    class Created(Event, Aggregate.Created):
        TOPIC = "jifen.accounts.Credentials.Created"

    class Started(Created):
        TOPIC = "jifen.accounts.Credentials.Started"
        account_id: str
        role: str
        password_hash: str | None
        started_at: datetime

    class PasswordChanged(Event):
        """A new password: ``reason`` is ``activated`` (the first one) or ``changed`` (by its owner)."""

        TOPIC = "jifen.accounts.Credentials.PasswordChanged"
        account_id: str
        role: str
        password_hash: str
        changed_at: datetime
        reason: str

    class ResetIssued(Event):
        TOPIC = "jifen.accounts.Credentials.ResetIssued"
        account_id: str
        role: str
        request_id: str
        code_digest: str
        issued_at: datetime
        expires_at: datetime
        name: str
        email: str

    class ResetRefused(Event):
        TOPIC = "jifen.accounts.Credentials.ResetRefused"
        account_id: str
        role: str
        request_id: str
        district: str
        refused_at: datetime

    class ResetCompleted(Event):
        TOPIC = "jifen.accounts.Credentials.ResetCompleted"
        account_id: str
        role: str
        request_id: str
        password_hash: str
        completed_at: datetime

    class SessionsEnded(Event):
        """Every token of the account issued before ``not_before`` is refused from now on.

        ``reason``: ``password_changed``, ``password_reset``, ``deactivated`` or ``signed_out_everywhere``."""

        TOPIC = "jifen.accounts.Credentials.SessionsEnded"
        account_id: str
        role: str
        not_before: datetime
        reason: str

    @staticmethod
    def create_id(role: str, account_id: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE_CREDENTIALS, f"{role}:{account_id}")

    @event(Started)
    def __init__(
        self, *, account_id: str, role: str, password_hash: str | None, started_at: datetime
    ) -> None:
        self.account_id = account_id
        self.role = role
        self.password_hash = password_hash
        self.reset: PendingReset | None = None
        self.used_code_digests: set[str] = set()

    @property
    def who(self) -> dict[str, str]:
        return {"account_id": self.account_id, "role": self.role}

    def set_password(self, password_hash: str, *, at: datetime, reason: str) -> None:
        """``reason``: ``activated`` (the first password: no session to end) or ``changed``."""
        self._password_changed(**self.who, password_hash=password_hash, changed_at=at, reason=reason)
        if reason == "changed":
            self.end_sessions(at=at, reason="password_changed")

    @event(PasswordChanged)
    def _password_changed(
        self, account_id: str, role: str, password_hash: str, changed_at: datetime, reason: str
    ) -> None:
        self.password_hash = password_hash

    def issue_reset(
        self,
        *,
        request_id: str,
        code: str,
        at: datetime,
        name: str,
        email: str,
        desk_district: str,
        account_district: str | None,
    ) -> None:
        """Issue a reset code; a unit's (``account_district`` set) only from the unit's own district.

        The same request arriving twice issues nothing new. Raises :class:`ResetRefusedAtDesk` after
        recording the refusal (the caller saves it)."""
        if self.reset is not None and self.reset.request_id == request_id:
            return
        if account_district is not None and desk_district != account_district:
            self._reset_refused(**self.who, request_id=request_id, district=desk_district, refused_at=at)
            raise ResetRefusedAtDesk(
                Text(
                    "单位账号的密码重置只能在单位注册地的区人才服务中心办理。",
                    "A unit's password is reset only at the talent centre of the unit's registered district.",
                )
            )
        self._reset_issued(
            **self.who,
            request_id=request_id,
            code_digest=code_digest(code),
            issued_at=at,
            expires_at=at + RESET_VALIDITY,
            name=name,
            email=email,
        )

    @event(ResetRefused)
    def _reset_refused(
        self, account_id: str, role: str, request_id: str, district: str, refused_at: datetime
    ) -> None:
        pass

    @event(ResetIssued)
    def _reset_issued(
        self,
        account_id: str,
        role: str,
        request_id: str,
        code_digest: str,
        issued_at: datetime,
        expires_at: datetime,
        name: str,
        email: str,
    ) -> None:
        self.reset = PendingReset(request_id, code_digest, expires_at)

    def check_reset(self, code: str, *, at: datetime) -> PendingReset:
        """The pending reset ``code`` completes; raises ``ValidationFailed`` (wrong code),
        :class:`CodeUsed` or ``CodeExpired``."""
        reset = self.reset
        if code_digest(code) in self.used_code_digests:
            raise CodeUsed(
                Text(
                    "该重置码已经使用过，不能再次使用。如仍需重置，请到区人才服务中心重新申请。",
                    "This reset code has been used already. To reset again, apply at a talent centre.",
                )
            )
        if reset is None or reset.completed_at is not None or not code_matches(code, reset.code_digest):
            raise wrong_reset_code()
        if at >= reset.expires_at:
            raise CodeExpired(
                Text(
                    "重置码已过期（有效期24小时），请到区人才服务中心重新申请。",
                    "The reset code has expired (it is valid for 24 hours); apply again at a talent centre.",
                )
            )
        return reset

    def complete_reset(self, code: str, password_hash: str, *, at: datetime) -> None:
        reset = self.check_reset(code, at=at)
        self._reset_completed(
            **self.who, request_id=reset.request_id, password_hash=password_hash, completed_at=at
        )
        self.end_sessions(at=at, reason="password_reset")

    @event(ResetCompleted)
    def _reset_completed(
        self, account_id: str, role: str, request_id: str, password_hash: str, completed_at: datetime
    ) -> None:
        self.password_hash = password_hash
        if self.reset is not None:
            self.used_code_digests.add(self.reset.code_digest)
            self.reset = PendingReset(
                self.reset.request_id, self.reset.code_digest, self.reset.expires_at, completed_at
            )

    def end_sessions(self, *, at: datetime, reason: str) -> None:
        self._sessions_ended(**self.who, not_before=at, reason=reason)

    @event(SessionsEnded)
    def _sessions_ended(self, account_id: str, role: str, not_before: datetime, reason: str) -> None:
        pass
