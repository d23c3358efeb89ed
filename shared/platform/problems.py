"""RFC 9457 problem details for every error a service returns.

One exception handler (``handle_exception``) turns anything raised while serving a request into an
``application/problem+json`` body::

    {"type": "urn:jifen:problem:validation-error", "title": "请求数据有误", "status": 400,
     "detail": "...", "instance": "/api/applications/", "request_id": "...",
     "errors": [{"field": "age", "code": "integer", "message": "请输入整数"}]}

- Titles, details and validation messages come from the message catalogues, in the request's language.
- Litestar's own exceptions (validation, 401/403/404/405/413/429...) are mapped by status; their English,
  sometimes internal, texts are not passed through.
- Domain errors (``shared.kernel.errors``) are answered through one *error map*: the error's kind
  (its nearest class in the map) gives the status and problem type; the detail is the error's own
  bilingual message, ``code`` its stable code, and a ``ValidationFailed`` lists every field error:
  422 for rules (with field errors), 409 for what the current state does not allow, 403 for a role
  or duty, 404 for what the caller may not see. A service adds rows for its own classes in its
  service definition (``ServiceDefinition.errors``).
- Platform code raises ``ProblemError`` to choose the status and problem type itself.
- Anything else is a 500 with a generic body; the traceback goes to the log with the request id, never
  to the client.
- A browser asking for a page (``Accept: text/html``, not under ``/api/``) gets the same problem
  rendered as an HTML error page, with the same status code, with the navigation of who is signed
  in (also where the route failed before the session was looked at: ``auth.recognise``). A page
  visit without a valid session is not a 401 page but the way to sign in and back
  (``shared.platform.signin``).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    SerializationException,
    ValidationException,
)
from litestar.middleware.csrf import generate_csrf_token
from litestar.openapi.datastructures import ResponseSpec
from litestar.utils.scope.state import ScopeState

from shared.kernel.errors import (
    DomainError,
    FieldError,
    NotPermitted,
    NotVisible,
    StateConflict,
    ValidationFailed,
)
from shared.kernel.text import Text
from shared.platform import requestctx
from shared.platform.auth import recognise
from shared.platform.i18n import SUPPORTED_LANGS, t
from shared.platform.signin import redirect_to_sign_in, sign_in_address

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:jifen:problem:"

logger = logging.getLogger("jifen.problems")

# Problem type slug for each status a service may answer with (unknown 4xx/5xx fall back below).
STATUS_SLUGS: dict[int, str] = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "rule-violation",
    429: "too-many-requests",
    500: "internal-error",
    503: "service-unavailable",
}


class ProblemError(Exception):
    """Raise to answer with a specific problem. ``slug`` names the problem type (and its catalogue title).

    ``detail_key`` is looked up in the catalogue (with ``params``); ``detail`` is used verbatim and must
    already be safe to show to the user.
    """

    def __init__(
        self,
        status: int,
        slug: str | None = None,
        *,
        detail: str | None = None,
        detail_key: str | None = None,
        params: Mapping[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or detail_key or slug or str(status))
        self.status = status
        self.slug = slug or STATUS_SLUGS.get(status, "error")
        self.detail = detail
        self.detail_key = detail_key
        self.params = dict(params or {})
        self.errors = tuple(errors)
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


@dataclass(frozen=True)
class ProblemKind:
    """How one kind of domain error is answered: HTTP status and problem type slug."""

    status: int
    slug: str


ErrorMap = Mapping[type[Exception], ProblemKind]
"""Exception class -> how it is answered; looked up along the raised error's MRO."""

DEFAULT_ERROR_MAP: ErrorMap = {
    ValidationFailed: ProblemKind(422, "validation-error"),
    StateConflict: ProblemKind(409, "conflict"),
    NotPermitted: ProblemKind(403, "forbidden"),
    NotVisible: ProblemKind(404, "not-found"),
    AggregateNotFoundError: ProblemKind(404, "not-found"),
    DomainError: ProblemKind(422, "rule-violation"),
}


def kind_of(exc: Exception, error_map: ErrorMap) -> ProblemKind | None:
    """The entry of ``exc``'s nearest class in ``error_map`` (None: not a mapped error)."""
    for cls in type(exc).__mro__:
        kind = error_map.get(cls)
        if kind is not None:
            return kind
    return None


def catalogue_text(key: str, **params: Any) -> Text:
    """A catalogue message in both languages (for field errors the platform itself finds)."""
    zh, en = (t(key, lang, **params) for lang in SUPPORTED_LANGS)
    return Text(zh, en)


def render_field_error(error: FieldError, lang: str) -> dict[str, str]:
    """A field error as a problem's ``errors`` item: ``{field, code, message}``."""
    return {"field": error.path, "code": error.code, "message": error.message.for_lang(lang)}


# --------------------------------------------------------------------------- validation errors

# pydantic error type -> our stable code (the catalogue has ``validation.<code>``).
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "required",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_few",
    "too_long": "too_many",
    "string_pattern_mismatch": "pattern",
    "string_type": "text",
    "int_parsing": "integer",
    "int_type": "integer",
    "int_from_float": "integer",
    "float_parsing": "number",
    "float_type": "number",
    "decimal_parsing": "number",
    "greater_than": "too_small",
    "greater_than_equal": "too_small",
    "less_than": "too_large",
    "less_than_equal": "too_large",
    "date_parsing": "date",
    "date_type": "date",
    "date_from_datetime_parsing": "date",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
    "bool_parsing": "boolean",
    "bool_type": "boolean",
    "literal_error": "choice",
    "enum": "choice",
    "extra_forbidden": "unexpected",
    "json_invalid": "malformed",
}

_MSGSPEC_EXPECTED = re.compile(r"Expected `(\w+)`")
_MSGSPEC_BOUND = re.compile(r"Expected `(?:int|float)` (>=|<=) (-?[\d.]+)")
_MSGSPEC_CODES = {"int": "integer", "float": "number", "str": "text", "bool": "boolean", "date": "date"}
_MISSING_PARAM = re.compile(r"Missing required (\w+) parameter '([^']+)'")
_MSGSPEC_MISSING = re.compile(r"Object missing required field `(\w+)`(?: - at `\$\.data(?:\.([^`]+))?`)?")
BODY_PARAMETER = "data"
"""The name handlers give their body parameter (Litestar's convention): never a field of the body."""


def pydantic_field_errors(raw: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """Field errors, with catalogue messages, from pydantic's ``ValidationError.errors()``."""
    errors: list[FieldError] = []
    for item in raw:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "__root__")]
        ctx = item.get("ctx") or {}
        params = {
            "min": ctx.get("min_length", ctx.get("gt", ctx.get("ge", ""))),
            "max": ctx.get("max_length", ctx.get("lt", ctx.get("le", ""))),
        }
        code = _PYDANTIC_CODES.get(str(item.get("type")), "invalid")
        if code == "too_short" and params["min"] == 1:  # "at least 1 character" is a required field
            code = "required"
        message = catalogue_text(f"validation.{code}", **params)
        errors.append(FieldError(".".join(loc) or "body", code, message))
    return errors


def _msgspec_field_error(item: Mapping[str, Any], cause: str) -> FieldError:
    """One msgspec decoding error (a dataclass body): the field it names, the body when it is the whole
    body (the handler's ``data`` is no field the client sent)."""
    message = str(item.get("message", ""))
    key = str(item.get("key") or "")
    if (missing := _MSGSPEC_MISSING.search(cause)) and missing.group(1) != BODY_PARAMETER:
        field = ".".join(part for part in (missing.group(2), missing.group(1)) if part)
        return FieldError(_dotted(field), "required", catalogue_text("validation.required"))
    if key in ("", BODY_PARAMETER):
        code = "required" if message == repr(BODY_PARAMETER) else "malformed"
        return FieldError("body", code, catalogue_text(f"validation.{code}"))
    if bound := _MSGSPEC_BOUND.search(message):
        code, limit = ("too_small", "min") if bound.group(1) == ">=" else ("too_large", "max")
        return FieldError(_dotted(key), code, catalogue_text(f"validation.{code}", **{limit: bound.group(2)}))
    expected = _MSGSPEC_EXPECTED.search(message)
    code = _MSGSPEC_CODES.get(expected.group(1), "invalid") if expected else "invalid"
    return FieldError(_dotted(key), code, catalogue_text(f"validation.{code}"))


def _dotted(path: str) -> str:
    """``periods[0].months`` as the other errors name it: ``periods.0.months``."""
    return re.sub(r"\[(\d+)\]", r".\1", path)


def validation_field_errors(exc: ValidationException) -> list[FieldError]:
    """Field errors from a Litestar ``ValidationException`` (pydantic models, msgspec, parameters)."""
    # Litestar keeps pydantic's structured errors (type, loc, ctx) on the cause of the exception.
    raw = getattr(exc.__cause__, "errors", None)
    if callable(raw):  # a pydantic ValidationError itself
        try:
            raw = raw()
        except Exception:
            raw = None
    if isinstance(raw, list) and raw and all(isinstance(item, Mapping) and "type" in item for item in raw):
        return pydantic_field_errors(raw)
    errors: list[FieldError] = []
    if isinstance(exc.extra, list):
        for item in exc.extra:
            if isinstance(item, Mapping):
                errors.append(_msgspec_field_error(item, str(exc.__cause__ or "")))
    if not errors and (match := _MISSING_PARAM.search(str(exc.detail))):
        errors.append(FieldError(match.group(2), "required", catalogue_text("validation.required")))
    return errors


# --------------------------------------------------------------------------- building responses


@dataclass(frozen=True)
class ProblemFieldError:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ProblemDetails:
    """A refusal as every service answers it (RFC 9457; the OpenAPI schema of ``problem_responses``).
    A problem may carry more members (``code``, a conflict's ``changes``), as its operation says."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str
    errors: list[ProblemFieldError] | None = None


MALFORMED = "A malformed body or parameter: problem details with an error per field"


def problem_response(when: str, **options: Any) -> ResponseSpec:
    """One documented refusal: problem details (``options``: ``examples``)."""
    return ResponseSpec(
        ProblemDetails, description=when, media_type=PROBLEM_MEDIA_TYPE, generate_examples=False, **options
    )


def problem_responses(described: Mapping[int, str]) -> dict[int, ResponseSpec]:
    """OpenAPI ``responses=`` for the problems an operation answers with (status -> when), so that
    a client reads from the document which refusals to expect; the 400 of a malformed request is
    documented as the problem it is (Litestar's default describes another body)."""
    return {status: problem_response(when) for status, when in {400: MALFORMED, **described}.items()}


def problem_body(
    *,
    status: int,
    slug: str,
    lang: str,
    instance: str,
    request_id: str,
    detail: str | None = None,
    errors: Sequence[FieldError] = (),
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON object of one problem (type, title, status, detail, instance, request_id[, errors])."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{slug}",
        "title": t(f"problem.{slug}.title", lang),
        "status": status,
        "detail": detail if detail is not None else t(f"problem.{slug}.detail", lang),
        "instance": instance,
        "request_id": request_id,
    }
    if errors:
        body["errors"] = [render_field_error(error, lang) for error in errors]
    if extensions:
        body.update({key: value for key, value in extensions.items() if key not in body})
    return body


Classified = tuple[int, str, str | None, list[FieldError], dict[str, str], dict[str, Any]]
"""(status, slug, detail, field errors, headers, extensions) of one exception."""


def _classify(exc: Exception, lang: str, error_map: ErrorMap) -> Classified:
    """How to answer any exception (see the module docstring)."""
    kind = kind_of(exc, error_map)
    if kind is not None:
        if isinstance(exc, DomainError):
            errors = list(exc.errors) if isinstance(exc, ValidationFailed) else []
            return (
                kind.status,
                kind.slug,
                exc.message.for_lang(lang),
                errors,
                {},
                {**exc.details(), "code": exc.code},
            )
        return kind.status, kind.slug, None, [], {}, {}
    if isinstance(exc, ProblemError):
        detail = exc.detail
        if detail is None and exc.detail_key:
            detail = t(exc.detail_key, lang, **exc.params)
        return exc.status, exc.slug, detail, list(exc.errors), exc.headers, exc.extensions
    if isinstance(exc, ValidationException):
        errors = validation_field_errors(exc)
        return exc.status_code, "validation-error", None, errors, dict(exc.headers or {}), {}
    if isinstance(exc, HTTPException):
        status = exc.status_code
        headers = dict(exc.headers or {})
        if status == 400 and (
            isinstance(exc.__cause__, SerializationException) or "malformed" in str(exc.detail).lower()
        ):
            return 400, "malformed-body", None, [], headers, {}
        if status == 401:
            headers.setdefault("WWW-Authenticate", "Bearer")
        if status == 403 and "csrf" in str(exc.detail).lower():
            return 403, "csrf-failed", None, [], headers, {}
        if status >= 500:
            return status, STATUS_SLUGS.get(status, "internal-error"), None, [], {}, {}
        return status, STATUS_SLUGS.get(status, "bad-request"), None, [], headers, {}
    return 500, "internal-error", None, [], {}, {}


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    path = request.scope.get("path", "")
    if path.startswith("/api/") or path in ("/healthz", "/readyz"):
        return False
    try:
        best = request.accept.best_match([PROBLEM_MEDIA_TYPE, MediaType.JSON, MediaType.HTML])
    except Exception:
        return False
    return best == MediaType.HTML


def _html_response(
    request: Request[Any, Any, Any], problem: dict[str, Any], headers: Mapping[str, str]
) -> Response[Any] | None:
    engine = getattr(request.app, "template_engine", None)
    if engine is None:
        return None
    try:
        recognise(request)
        csrf = _csrf_token_for(request)
        template = engine.get_template("errors/problem.html")
        body = template.render(
            problem=problem,
            request=request,
            status_phrase=_phrase(problem["status"]),
            sign_in=sign_in_address(request),
            csrf_input=_csrf_input(csrf.value) if csrf else "",
        )
    except Exception:
        logger.exception("error page could not be rendered")
        return None
    response: Response[Any] = Response(
        content=body, status_code=problem["status"], media_type=MediaType.HTML, headers=dict(headers)
    )
    if csrf is not None and csrf.new:
        config = request.app.csrf_config
        assert config is not None  # a new token is only made where there is a configuration
        response.set_cookie(
            config.cookie_name,
            csrf.value,
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        )
    return response


@dataclass(frozen=True)
class _CsrfToken:
    value: str
    new: bool


def _csrf_token_for(request: Request[Any, Any, Any]) -> _CsrfToken | None:
    """The CSRF token for the error page's forms (sign-out): the request's, as the CSRF middleware
    found it; where the route failed before that middleware ran, the browser's token cookie (what
    the middleware would use) or a new token with its cookie. None: no CSRF protection here."""
    found = ScopeState.from_scope(request.scope).csrf_token
    if isinstance(found, str) and found:
        return _CsrfToken(found, new=False)
    config = request.app.csrf_config
    if config is None:
        return None
    cookie = request.cookies.get(config.cookie_name)
    if cookie:
        return _CsrfToken(cookie, new=False)
    return _CsrfToken(generate_csrf_token(secret=config.secret), new=True)


def _csrf_input(token: str) -> str:
    """The hidden field Litestar's templates get as ``csrf_input``."""
    return f'<input type="hidden" name="_csrf_token" value="{html.escape(token)}" />'


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def exception_handler(error_map: ErrorMap = DEFAULT_ERROR_MAP) -> Any:
    """The Litestar exception handler for ``Exception``: every error becomes a problem response,
    domain errors as ``error_map`` says."""

    def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        scope = request.scope
        lang = requestctx.language(scope)
        rid = requestctx.request_id(scope)
        status, slug, detail, errors, headers, extensions = _classify(exc, lang, error_map)
        if status >= 500:
            # The only place the cause is recorded: in the log, tied to the request id.
            logger.error(
                "unhandled error while serving %s %s",
                scope.get("method", ""),
                scope.get("path", ""),
                exc_info=exc,
                extra={"request_id": rid, "status": status},
            )
        problem = problem_body(
            status=status,
            slug=slug,
            lang=lang,
            instance=scope.get("path", ""),
            request_id=rid,
            detail=detail,
            errors=errors,
            extensions=extensions,
        )
        headers = {**headers, "Content-Language": lang}
        wants_html = _wants_html(request)
        if (redirect := redirect_to_sign_in(request, exc, wants_html)) is not None:
            return redirect
        if wants_html and (html := _html_response(request, problem, headers)) is not None:
            return html
        return Response(
            content=json.dumps(problem, ensure_ascii=False).encode("utf-8"),
            status_code=status,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=headers,
        )

    return handle_exception


def exception_handlers(error_map: ErrorMap = DEFAULT_ERROR_MAP) -> dict[type[Exception] | int, Any]:
    """``Litestar(exception_handlers=...)``. Litestar looks handlers up by status code first, then by
    exception class (MRO), so one entry for ``Exception`` catches everything, its own HTTP exceptions
    included."""
    return {Exception: exception_handler(error_map)}
