"""The accounts service's eventsourcing application: units, applicants, clerks, sign-in and password
resets.

Commands are its methods (load, decide, ``save``); queries by id read its repository. It applies
review's decisions (unit registrations, password-reset authorisations) through its INBOUND table
(``integration.py``). Every method is synchronous (eventsourcing): call it from a worker thread.

Passwords are hashed here with argon2id (the domain keeps the hash); single-use codes are derived
from the server's code secret (``JIFEN_CODE_SECRET_FILE``) and the request id (``domain.codes``).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from services.accounts.domain.applicant import Applicant, wrong_code
from services.accounts.domain.clerk import Clerk, ClerkDeactivated, normalise_username, username_problems
from services.accounts.domain.codes import ACTIVATION, RESET, code_digest, derive_code
from services.accounts.domain.credentials import Credentials, wrong_reset_code
from services.accounts.domain.fields import problem
from services.accounts.domain.password import check_password
from services.accounts.domain.unit_registration import UnitRegistration
from shared.kernel.credit_code import normalise_credit_code
from shared.kernel.errors import (
    DomainError,
    FieldError,
    NotPermitted,
    NotVisible,
    StateConflict,
    ValidationFailed,
)
from shared.kernel.id_number import normalise_id_number
from shared.kernel.moments import SHANGHAI
from shared.kernel.roles import Duty, Role
from shared.kernel.text import Text
from shared.platform.application import ServiceApplication

CODE_SECRET_VARIABLE = "JIFEN_CODE_SECRET_FILE"
A = TypeVar("A", bound=Aggregate)


class SignInFailed(DomainError):
    """Wrong identifier or password (the answer never says which)."""

    code = "sign_in.failed"


class UnitNotApproved(NotPermitted):
    """Only an approved unit creates applicants or acts on applications."""

    code = "unit.not_approved"


SIGN_IN_FAILED = Text(
    "登录信息不正确，请核对账号和密码。",
    "The sign-in details are not right; check the account and the password.",
)


@dataclass(frozen=True)
class SignedIn:
    """Who signed in: what their token says."""

    account_id: str
    role: Role
    unit_id: str | None = None
    district: str | None = None
    duties: frozenset[Duty] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Saved:
    """A command's result: the aggregate's id and the last notification id it stored (a page may
    wait for a read model to pass it)."""

    id: str
    notification_id: int | None


def load_code_secret(path: Path) -> bytes:
    return base64.b64decode(path.read_text(encoding="utf-8").split()[0])


class AccountsService(ServiceApplication):
    name = "accounts"
    """Prefixes the tables (accounts_events, accounts_tracking), env lookups and tracking names.

    Never rename it."""

    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))
    """Now; tests replace it on an instance."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hasher = PasswordHasher()
        self._dummy_hash = self.hasher.hash(uuid.uuid4().hex)
        self._code_secret: bytes | None = None

    # ---------------------------------------------------------------- plumbing

    @property
    def code_secret(self) -> bytes:
        if self._code_secret is None:
            path = self.env.get(CODE_SECRET_VARIABLE)
            if not path:
                raise RuntimeError(f"{CODE_SECRET_VARIABLE} is not set: accounts cannot issue codes")
            self._code_secret = load_code_secret(Path(path))
        return self._code_secret

    def code(self, purpose: str, request_id: str) -> str:
        """The single-use code of a request (the mail side effect computes it again)."""
        return derive_code(self.code_secret, purpose, request_id)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> Any:
        return self.now().astimezone(SHANGHAI).date()

    def _save(self, *aggregates: Aggregate, result_id: UUID | str) -> Saved:
        recordings = self.save(*aggregates)
        last = recordings[-1].notification.id if recordings else None
        return Saved(str(result_id), last)

    def _get(self, cls: type[A], aggregate_id: UUID) -> A:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotVisible(Text("未找到该记录。", "No such record.")) from None
        if not isinstance(found, cls):
            raise NotVisible(Text("未找到该记录。", "No such record."))
        return found

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            return self._get(cls, aggregate_id)
        except NotVisible:
            return None

    def credentials(self, role: Role, account_id: str) -> Credentials:
        return self._get(Credentials, Credentials.create_id(role.value, account_id))

    def find_credentials(self, role: Role, account_id: str) -> Credentials | None:
        return self._find(Credentials, Credentials.create_id(role.value, account_id))

    def _hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return (
                self.hasher.verify(password_hash or self._dummy_hash, password) and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    # ---------------------------------------------------------------- units

    def unit(self, unit_id: str) -> UnitRegistration:
        return self._get(UnitRegistration, _uuid(unit_id))

    def unit_by_code(self, credit_code: str) -> UnitRegistration | None:
        return self._find(UnitRegistration, UnitRegistration.create_id(normalise_credit_code(credit_code)))

    def register_unit(
        self,
        *,
        credit_code: str,
        unit_name: str,
        district: str,
        address: str,
        hr_name: str,
        mobile: str,
        email: str,
        password: str,
        password_confirm: str | None = None,
    ) -> Saved:
        """单位注册. Raises ``ValidationFailed`` with every problem (a registered code is one)."""
        problems: list[FieldError] = []
        unit: UnitRegistration | None = None
        try:
            unit = UnitRegistration.submit(
                credit_code=credit_code,
                unit_name=unit_name,
                district_code=district,
                hr_name=hr_name,
                mobile=mobile,
                email=email,
                address=address,
                at=self.now(),
            )
        except ValidationFailed as exc:
            problems.extend(exc.errors)
        problems.extend(
            _password_problems(password, password_confirm, login_name=normalise_credit_code(credit_code))
        )
        if unit is not None and unit.id in self.repository:
            problems.insert(0, _already_registered())
        if problems or unit is None:
            raise ValidationFailed(problems)
        credentials = Credentials(
            account_id=str(unit.id),
            role=Role.UNIT.value,
            password_hash=self._hash(password),
            started_at=self.now(),
        )
        try:
            return self._save(unit, credentials, result_id=unit.id)
        except IntegrityError:  # registered a moment ago by a concurrent request
            raise ValidationFailed([_already_registered()]) from None

    def resubmit_unit(
        self, unit_id: str, *, unit_name: str, address: str, hr_name: str, mobile: str, email: str
    ) -> Saved:
        unit = self.unit(unit_id)
        unit.resubmit(
            unit_name=unit_name, hr_name=hr_name, mobile=mobile, email=email, address=address, at=self.now()
        )
        return self._save(unit, result_id=unit.id)

    def change_unit_details(
        self, unit_id: str, *, address: str, hr_name: str, mobile: str, email: str
    ) -> Saved:
        unit = self.unit(unit_id)
        unit.change_details(hr_name=hr_name, mobile=mobile, email=email, address=address, at=self.now())
        return self._save(unit, result_id=unit.id)

    def approved_unit(self, unit_id: str) -> UnitRegistration:
        """The caller's unit, which must be approved (``UnitNotApproved`` otherwise)."""
        unit = self.unit(unit_id)
        if not unit.is_approved:
            raise UnitNotApproved(
                Text(
                    f"单位注册{unit.status.label.zh}，审核通过后才能办理此项业务。",
                    f"The unit's registration is {unit.status.label.en.lower()}; this is possible only "
                    "once it is approved.",
                )
            )
        return unit

    # ---------------------------------------------------------------- applicants

    def applicant(self, applicant_id: str) -> Applicant:
        return self._get(Applicant, _uuid(applicant_id))

    def applicant_of_unit(self, unit_id: str, applicant_id: str) -> Applicant:
        """An applicant of this unit; another unit's is 'not found'."""
        applicant = self.applicant(applicant_id)
        if applicant.unit_id != unit_id:
            raise NotVisible(Text("未找到该申请人。", "No such applicant."))
        return applicant

    def create_applicant(self, unit_id: str, *, name: str, id_number: str, mobile: str, email: str) -> Saved:
        """帮助申请人注册个人账号: an approved unit creates the account; the code goes by e-mail."""
        unit = self.approved_unit(unit_id)
        request_id = uuid.uuid4().hex
        applicant = Applicant.register(
            unit_id=str(unit.id),
            unit_credit_code=unit.credit_code,
            name=name,
            id_number=id_number,
            mobile=mobile,
            email=email,
            at=self.now(),
            today=self.today(),
            activation_request_id=request_id,
            activation_code_digest=code_digest(self.code(ACTIVATION, request_id)),
        )
        if applicant.id in self.repository:
            raise ValidationFailed([_applicant_exists()])
        credentials = Credentials(
            account_id=str(applicant.id), role=Role.APPLICANT.value, password_hash=None, started_at=self.now()
        )
        try:
            return self._save(applicant, credentials, result_id=applicant.id)
        except IntegrityError:
            raise ValidationFailed([_applicant_exists()]) from None

    def reissue_activation(self, unit_id: str, applicant_id: str) -> Saved:
        applicant = self.applicant_of_unit(unit_id, applicant_id)
        request_id = uuid.uuid4().hex
        applicant.reissue_activation(
            request_id=request_id, code_digest=code_digest(self.code(ACTIVATION, request_id)), at=self.now()
        )
        return self._save(applicant, result_id=applicant.id)

    def activate(
        self, *, id_number: str, code: str, password: str, password_confirm: str | None = None
    ) -> Saved:
        """The applicant sets their own password with the activation code."""
        problems = _password_problems(password, password_confirm, id_number=normalise_id_number(id_number))
        applicant = self._find(Applicant, Applicant.create_id(normalise_id_number(id_number)))
        if applicant is None:
            raise wrong_code()
        applicant.check_activation(code, at=self.now())
        if problems:
            raise ValidationFailed(problems)
        applicant.activate(code, at=self.now())
        credentials = self.credentials(Role.APPLICANT, str(applicant.id))
        credentials.set_password(self._hash(password), at=self.now(), reason="activated")
        return self._save(applicant, credentials, result_id=applicant.id)

    def change_employer(self, applicant_id: str, credit_code: str) -> Saved:
        """修改单位组织机构代码: the account moves to another approved unit."""
        applicant = self.applicant(applicant_id)
        unit = self.unit_by_code(credit_code)
        if unit is None or not unit.is_approved:
            raise ValidationFailed(
                [
                    problem(
                        "credit_code",
                        "credit_code.no_approved_unit",
                        "没有使用该统一社会信用代码且已审核通过的单位，请核对代码或请新单位先完成注册审核。",
                        "No approved unit has this credit code; check the code, or ask the new unit to "
                        "complete its registration review first.",
                    )
                ]
            )
        applicant.change_unit(unit_id=str(unit.id), unit_credit_code=unit.credit_code, at=self.now())
        return self._save(applicant, result_id=applicant.id)

    # ---------------------------------------------------------------- clerks

    def clerk(self, clerk_id: str) -> Clerk:
        return self._get(Clerk, _uuid(clerk_id))

    def clerk_of_district(self, district: str, clerk_id: str) -> Clerk:
        clerk = self.clerk(clerk_id)
        if clerk.district != district:
            raise NotVisible(Text("未找到该工作人员。", "No such clerk."))
        return clerk

    def create_clerk(
        self,
        *,
        username: str,
        name: str,
        district: str,
        duties: Iterable[str],
        password: str,
        by: str,
        password_confirm: str | None = None,
    ) -> Saved:
        problems: list[FieldError] = []
        clerk: Clerk | None = None
        try:
            clerk = Clerk.open(
                username=username, name=name, district=district, duties=duties, at=self.now(), by=by
            )
        except ValidationFailed as exc:
            problems.extend(exc.errors)
        problems.extend(
            _password_problems(password, password_confirm, login_name=normalise_username(username))
        )
        if not username_problems(username) and Clerk.create_id(username) in self.repository:
            problems.insert(0, _username_taken())
        if problems or clerk is None:
            raise ValidationFailed(problems)
        credentials = Credentials(
            account_id=str(clerk.id),
            role=Role.CLERK.value,
            password_hash=self._hash(password),
            started_at=self.now(),
        )
        try:
            return self._save(clerk, credentials, result_id=clerk.id)
        except IntegrityError:
            raise ValidationFailed([_username_taken()]) from None

    def change_clerk(
        self, district: str, clerk_id: str, *, name: str, duties: Iterable[str], by: str
    ) -> Saved:
        clerk = self.clerk_of_district(district, clerk_id)
        clerk.change(name=name, duties=duties, at=self.now(), by=by)
        return self._save(clerk, result_id=clerk.id)

    def deactivate_clerk(self, district: str, clerk_id: str, *, by: str) -> Saved:
        clerk = self.clerk_of_district(district, clerk_id)
        at = self.now()
        clerk.deactivate(at=at, by=by)
        credentials = self.credentials(Role.CLERK, clerk_id)
        credentials.end_sessions(at=at, reason="deactivated")
        return self._save(clerk, credentials, result_id=clerk.id)

    # ---------------------------------------------------------------- sign-in and sessions

    def account_id_for(self, role: Role, identifier: str) -> str:
        """The account id a sign-in name stands for (whether or not it exists)."""
        if role is Role.UNIT:
            return str(UnitRegistration.create_id(normalise_credit_code(identifier)))
        if role is Role.APPLICANT:
            return str(Applicant.create_id(normalise_id_number(identifier)))
        return str(Clerk.create_id(identifier))

    def sign_in(self, role: Role, identifier: str, password: str) -> SignedIn:
        """Raises ``SignInFailed`` (the same answer for an unknown account and a wrong password)."""
        account_id = self.account_id_for(role, identifier)
        credentials = self.find_credentials(role, account_id)
        password_hash = credentials.password_hash if credentials is not None else None
        if not self._verify(password_hash, password):
            raise SignInFailed(SIGN_IN_FAILED)
        try:
            return self.signed_in(role, account_id)
        except (NotVisible, StateConflict):
            raise SignInFailed(SIGN_IN_FAILED) from None

    def signed_in(self, role: Role, account_id: str) -> SignedIn:
        """What a token for this account says now (a refresh re-reads it: a new unit, new duties).
        Raises ``NotVisible`` for an unknown account, ``StateConflict`` for a deactivated clerk."""
        if role is Role.UNIT:
            return SignedIn(account_id, role, unit_id=str(self.unit(account_id).id))
        if role is Role.APPLICANT:
            return SignedIn(account_id, role, unit_id=self.applicant(account_id).unit_id)
        clerk = self.clerk(account_id)
        if not clerk.active:
            raise ClerkDeactivated(Text("该工作人员账号已停用。", "This clerk account is deactivated."))
        return SignedIn(account_id, role, district=clerk.district, duties=clerk.duties)

    def change_password(
        self, role: Role, account_id: str, *, current: str, new: str, confirm: str | None = None
    ) -> Saved:
        """The owner's own change; every earlier session ends."""
        credentials = self.credentials(role, account_id)
        problems: list[FieldError] = []
        if not self._verify(credentials.password_hash, current):
            problems.append(
                problem(
                    "current_password",
                    "password.current_wrong",
                    "当前密码不正确。",
                    "The current password is not right.",
                )
            )
        login_name, id_number = self._login_names(role, account_id)
        problems += _password_problems(
            new, confirm, login_name=login_name, id_number=id_number, field="new_password"
        )
        if problems:
            raise ValidationFailed(problems)
        credentials.set_password(self._hash(new), at=self.now(), reason="changed")
        return self._save(credentials, result_id=account_id)

    def _login_names(self, role: Role, account_id: str) -> tuple[str | None, str | None]:
        """(login name, ID number) a password must not contain."""
        if role is Role.UNIT:
            return self.unit(account_id).credit_code, None
        if role is Role.APPLICANT:
            return None, self.applicant(account_id).id_number
        return self.clerk(account_id).username, None

    def sign_out_everywhere(self, role: Role, account_id: str) -> Saved:
        credentials = self.credentials(role, account_id)
        credentials.end_sessions(at=self.now(), reason="signed_out_everywhere")
        return self._save(credentials, result_id=account_id)

    # ---------------------------------------------------------------- password resets

    def issue_reset(
        self, credentials: Credentials, *, request_id: str, desk_district: str, at: datetime
    ) -> None:
        """Issue (or refuse at the desk) the reset of ``credentials``' account; the caller saves."""
        role = Role(credentials.role)
        if role is Role.UNIT:
            unit = self.unit(credentials.account_id)
            name, email, district = unit.contact.hr_name, unit.contact.email, unit.district_code
        else:
            applicant = self.applicant(credentials.account_id)
            name, email, district = applicant.name, applicant.email, None
        credentials.issue_reset(
            request_id=request_id,
            code=self.code(RESET, request_id),
            at=at,
            name=name,
            email=email,
            desk_district=desk_district,
            account_district=district,
        )

    def complete_reset(
        self, role: Role, identifier: str, *, code: str, password: str, password_confirm: str | None = None
    ) -> Saved:
        """The owner sets a new password with the reset code; every session ends."""
        if role not in (Role.UNIT, Role.APPLICANT):
            raise NotVisible(Text("未找到该账号。", "No such account."))
        account_id = self.account_id_for(role, identifier)
        credentials = self.find_credentials(role, account_id)
        if credentials is None:
            raise wrong_reset_code()
        login_name, id_number = self._login_names(role, account_id)
        problems = _password_problems(password, password_confirm, login_name=login_name, id_number=id_number)
        credentials.check_reset(code, at=self.now())  # a wrong code is told before a weak password
        if problems:
            raise ValidationFailed(problems)
        credentials.complete_reset(code, self._hash(password), at=self.now())
        return self._save(credentials, result_id=account_id)


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise NotVisible(Text("未找到该记录。", "No such record.")) from None


def _password_problems(
    password: str,
    confirm: str | None,
    *,
    login_name: str | None = None,
    id_number: str | None = None,
    field: str = "password",
) -> list[FieldError]:
    problems = [
        FieldError(field, e.code, e.message)
        for e in check_password(password, login_name=login_name, id_number=id_number)
    ]
    if confirm is not None and confirm != password:
        problems.append(
            problem(
                f"{field}_confirm",
                "password.confirm_mismatch",
                "两次输入的密码不一致。",
                "The two passwords do not match.",
            )
        )
    return problems


def _already_registered() -> FieldError:
    return problem(
        "credit_code",
        "credit_code.already_registered",
        "该统一社会信用代码已经注册，请直接登录。忘记密码须到单位注册地的区人才服务中心申请重置。",
        "A unit with this credit code is registered already: sign in instead. A forgotten password is "
        "reset at the talent centre of the unit's district.",
    )


def _applicant_exists() -> FieldError:
    return problem(
        "id_number",
        "id_number.already_registered",
        "该身份证号码已有个人账号（每人只有一个账号）。如申请人已到本单位就职，请申请人登录后修改单位组织机构代码。",
        "There is already a personal account for this ID number (one per person). If the applicant now "
        "works for your unit, they sign in and change their employer's code.",
    )


def _username_taken() -> FieldError:
    return problem("username", "username.taken", "该工号已被使用。", "This username is taken.")
