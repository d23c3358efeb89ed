"""Authentication: Ed25519-signed JWTs issued by accounts, verified locally by every service.

- Only the accounts service holds the private key (``TokenIssuer``); every service holds the public key
  (``TokenVerifier``), so a stolen service cannot mint tokens and no service calls accounts per request.
- Claims: ``sub`` (account id), ``role`` (``unit`` | ``applicant`` | ``clerk``: the kernel's
  ``ACCOUNT_ROLES``), ``unit_id`` (the unit, for unit and applicant accounts), ``district`` and
  ``duties`` (clerks; the kernel's ``Duty`` names), ``exp``, ``iat``, ``nbf``, ``jti``, ``iss``,
  ``aud``. Tokens are short-lived; there is no refresh token, the user signs in again.
- Browsers carry the token in an HttpOnly, SameSite=Lax cookie (``Secure`` configurable) and forms are
  protected by CSRF tokens; API clients send ``Authorization: Bearer``. JSON endpoints under ``/api/``
  accept **only** the header, so a cookie can never authorise an API call made by another site; that
  is what lets the CSRF middleware skip ``/api/``.
- Litestar's JWT backends sign and verify with one shared ``token_secret``, which does not fit an
  asymmetric issuer/verifier split, so the middleware here is a small
  ``AbstractAuthenticationMiddleware`` on PyJWT. Tokens are never logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware
from litestar.response import Response
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.kernel.roles import ACCOUNT_ROLES, Duty, Role
from shared.platform.clock import Clock, utcnow
from shared.platform.settings import Settings

ALGORITHM = "EdDSA"
ISSUER = "jifen-accounts"
AUDIENCE = "jifen"
ROLES: frozenset[Role] = frozenset(ACCOUNT_ROLES)
"""The roles a token can carry (``Role.SYSTEM`` is a process, never a signed-in caller)."""
DUTIES: frozenset[Duty] = frozenset(Duty)
SESSION_COOKIE = "jifen_session"
DEFAULT_TTL = timedelta(minutes=20)
API_PREFIX = "/api/"

logger = logging.getLogger("jifen.auth")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the verified contents of a token (``request.user``)."""

    account_id: str
    role: Role
    unit_id: str | None = None
    district: str | None = None
    duties: frozenset[Duty] = frozenset()
    token_id: str = ""
    expires_at: datetime | None = None
    issued_at: datetime | None = None

    @property
    def is_clerk(self) -> bool:
        return self.role is Role.CLERK


@dataclass(frozen=True)
class IssuedToken:
    token: str = field(repr=False)
    token_id: str
    expires_at: datetime
    max_age: int


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the JWT signing key must be an Ed25519 private key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the JWT verification key must be an Ed25519 public key")
    return key


class TokenIssuer:
    """Signs session tokens (accounts service only)."""

    def __init__(
        self, private_key: Ed25519PrivateKey, *, ttl: timedelta = DEFAULT_TTL, clock: Clock = utcnow
    ):
        self._key = private_key
        self.ttl = ttl
        self._clock = clock

    @classmethod
    def from_pem_file(cls, path: Path, **kwargs: Any) -> TokenIssuer:
        return cls(load_private_key(path.read_bytes()), **kwargs)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> TokenIssuer:
        """The accounts service's issuer: ``JIFEN_JWT_PRIVATE_KEY_FILE``, ``JIFEN_JWT_TTL_SECONDS``."""
        if settings.jwt_private_key_file is None:
            raise ValueError("JIFEN_JWT_PRIVATE_KEY_FILE is not set; only accounts issues tokens")
        kwargs.setdefault("ttl", timedelta(seconds=settings.jwt_ttl_seconds))
        return cls.from_pem_file(settings.jwt_private_key_file, **kwargs)

    def issue(
        self,
        *,
        account_id: str,
        role: Role,
        unit_id: str | None = None,
        district: str | None = None,
        duties: Iterable[Duty] = (),
        ttl: timedelta | None = None,
    ) -> IssuedToken:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if role is Role.CLERK and not district:
            raise ValueError("a clerk token needs a district")
        granted = frozenset(duties)
        if unknown := granted - DUTIES:
            raise ValueError(f"unknown duties {sorted(unknown)}")
        lifetime = ttl or self.ttl
        now = self._clock().replace(microsecond=0)
        expires = now + lifetime
        token_id = uuid.uuid4().hex
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": account_id,
            "role": str(role),
            "iat": now,
            "nbf": now,
            "exp": expires,
            "jti": token_id,
        }
        if unit_id:
            claims["unit_id"] = unit_id
        if district:
            claims["district"] = district
        if role is Role.CLERK:
            claims["duties"] = sorted(str(duty) for duty in granted)
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM)
        return IssuedToken(token, token_id, expires, int(lifetime.total_seconds()))


class TokenVerifier:
    """Verifies tokens with the public key. Without a key it rejects every token (fails closed)."""

    def __init__(
        self,
        public_key: Ed25519PublicKey | None,
        *,
        leeway: timedelta = timedelta(seconds=10),
        clock: Clock = utcnow,
    ) -> None:
        self._key = public_key
        self._leeway = leeway
        self._clock = clock

    @classmethod
    def from_pem_file(cls, path: Path | None, **kwargs: Any) -> TokenVerifier:
        if path is None or not path.is_file():
            logger.warning(
                "no JWT public key configured (JIFEN_JWT_PUBLIC_KEY_FILE): every token will be rejected",
                extra={"key_file": str(path) if path else None},
            )
            return cls(None, **kwargs)
        return cls(load_public_key(path.read_bytes()), **kwargs)

    def verify(self, token: str) -> Principal:
        """The principal in ``token``; ``NotAuthorizedException`` if it is invalid in any way."""
        if self._key is None:
            raise NotAuthorizedException("token verification is not configured")
        try:
            # exp, nbf and iat are checked below against the injectable clock with the leeway. PyJWT
            # would check iat against the wall clock with no leeway at all, so an issuer whose
            # clock runs a second ahead would lock every user out.
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={
                    "require": ["exp", "iat", "sub", "jti", "iss", "aud"],
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
            expires = _timestamp(claims["exp"])
            not_before = max(_timestamp(claims["iat"]), _timestamp(claims.get("nbf", claims["iat"])))
        except jwt.InvalidTokenError as exc:
            raise NotAuthorizedException("invalid token") from exc
        now = self._clock().timestamp()
        leeway = self._leeway.total_seconds()
        if expires + leeway < now:
            raise NotAuthorizedException("token expired")
        if not_before - leeway > now:
            raise NotAuthorizedException("token not yet valid")
        role, subject = claims.get("role"), claims["sub"]
        if not (isinstance(role, str) and role in ROLES and isinstance(subject, str) and subject):
            raise NotAuthorizedException("invalid claims")
        duties = claims.get("duties") or []
        if not isinstance(duties, list) or not all(isinstance(d, str) and d in DUTIES for d in duties):
            raise NotAuthorizedException("invalid claims")
        return Principal(
            account_id=subject,
            role=Role(role),
            unit_id=claims.get("unit_id"),
            district=claims.get("district"),
            duties=frozenset(Duty(d) for d in duties),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(expires, UTC),
            issued_at=datetime.fromtimestamp(_timestamp(claims["iat"]), UTC),
        )


def _timestamp(value: Any) -> float:
    """A NumericDate claim as seconds; anything else makes the token invalid."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise jwt.InvalidTokenError("time claims must be numbers")
    return float(value)


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    value = connection.headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("malformed Authorization header")
    return token.strip()


def token_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The request's token: the Bearer header; on pages (not ``/api/``) also the session cookie."""
    token = bearer_token(connection)
    if token is None and not connection.scope.get("path", "").startswith(API_PREFIX):
        token = connection.cookies.get(SESSION_COOKIE) or None
    return token


class JWTAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` (a ``Principal``) and ``request.auth`` (the token id); 401 otherwise."""

    def __init__(
        self,
        app: ASGIApp,
        verifier: TokenVerifier,
        exclude: str | list[str] | None = None,
        exclude_from_auth_key: str = "exclude_from_auth",
    ) -> None:
        super().__init__(app=app, exclude=exclude, exclude_from_auth_key=exclude_from_auth_key)
        self.verifier = verifier

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = token_from(connection)
        if token is None:
            raise NotAuthorizedException("no credentials")
        principal = self.verifier.verify(token)
        revocations = getattr(connection.app.state, "revocations", None)
        if revocations is not None and await revocations.revoked(principal):
            raise NotAuthorizedException("session revoked")
        return AuthenticationResult(user=principal, auth=principal.token_id)


def auth_middleware(verifier: TokenVerifier, exclude: Sequence[str]) -> DefineMiddleware:
    """The middleware definition for ``Litestar(middleware=[...])``; ``exclude`` are path regexes."""
    return DefineMiddleware(JWTAuthenticationMiddleware, verifier=verifier, exclude=list(exclude))


_SIGNED_IN = "jifen_signed_in"


def signed_in_middleware(app: ASGIApp) -> ASGIApp:
    """Work out, once per request, who is signed in (if anyone), for public pages too.

    Public routes skip the authentication middleware, yet their pages greet a signed-in visitor and
    may show them their own things; this finds the caller the same way (a valid token that is not
    revoked) without ever refusing the request, so ``optional_principal`` can answer synchronously
    (templates call it).
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            scope.setdefault("state", {})[_SIGNED_IN] = await _signed_in(ASGIConnection(scope))
        await app(scope, receive, send)

    return middleware


def _verified(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller a valid token names (revocation not checked), or None."""
    verifier = getattr(connection.app.state, "token_verifier", None)
    if not isinstance(verifier, TokenVerifier):
        return None
    try:
        token = token_from(connection)
        return verifier.verify(token) if token else None
    except NotAuthorizedException:
        return None


async def _signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    principal = _verified(connection)
    revocations = getattr(connection.app.state, "revocations", None)
    if principal is not None and revocations is not None and await revocations.revoked(principal):
        return None
    return principal


def optional_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller on a public page, if they happen to be signed in (never raises)."""
    user = connection.scope.get("user")
    if isinstance(user, Principal):
        return user
    state = connection.scope.get("state", {})
    if _SIGNED_IN in state:
        found = state[_SIGNED_IN]
        return found if isinstance(found, Principal) else None
    return None


def recognise(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Make ``optional_principal`` answer where ``signed_in_middleware`` did not run: a request the
    router refused before any middleware (no such route, a path parameter of the wrong type) still
    gets an error page with its caller's navigation. Synchronous (the exception handler is), so the
    token is verified but not checked against the revocation list: the page shows links only, and
    every page they lead to checks the session in full."""
    state = connection.scope.setdefault("state", {})
    if _SIGNED_IN not in state and not isinstance(connection.scope.get("user"), Principal):
        state[_SIGNED_IN] = _verified(connection)


def set_session_cookie(response: Response[Any], issued: IssuedToken, *, secure: bool) -> None:
    """Put a freshly issued token in the browser's session cookie (HttpOnly, SameSite=Lax)."""
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.max_age,
        path="/",
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def clear_session_cookie(response: Response[Any]) -> None:
    """Sign the browser out (the token itself stays valid until it expires; keep tokens short-lived)."""
    response.delete_cookie(SESSION_COOKIE, path="/")
