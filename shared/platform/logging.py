"""Structured JSON logging: one JSON object per line, with the request context bound in.

Every line carries ``time``, ``level``, ``service``, ``logger``, ``request_id``, ``correlation_id`` and
``message`` (plus ``exc`` for tracebacks and any ``extra={...}`` fields a caller passes).

Personal data and secrets must never reach the logs. ``SensitiveDataFilter`` is the last line of
defence (callers should not log them in the first place): it masks 18-character resident ID numbers
(公民身份号码) and anything that looks like a JWT or a bearer credential, in the message, its
arguments and the formatted traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("jifen_request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("jifen_correlation_id", default=None)

# 17 digits + a digit or X, not glued to other digits (so longer numbers stay intact). Letters may
# touch it ("sfzh310...", "ID310..."): masking a little too much is harmless, missing one is a leak.
_ID_NUMBER = re.compile(r"(?<![0-9])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9])")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")

# Attributes every LogRecord has; anything else on a record came from ``extra={...}``.
_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "service", "color_message"}


def mask_sensitive(text: str) -> str:
    """Mask ID numbers (keep the first 3 and last 4 characters) and credentials in ``text``."""
    text = _JWT.sub("[redacted-jwt]", text)
    text = _BEARER.sub(r"\1 [redacted]", text)
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 11}{m.group(2)}", text)


def _mask_value(value: Any, depth: int = 0) -> Any:
    """``value`` with every string in it masked: containers are rebuilt, other objects (numbers,
    exceptions...) are replaced by their masked text when that text would reveal something."""
    if isinstance(value, str):
        return mask_sensitive(value)
    if value is None or isinstance(value, bool | float):
        return value
    if depth > 5:
        return mask_sensitive(str(value))
    if isinstance(value, Mapping):
        return {_mask_value(k, depth + 1): _mask_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_mask_value(item, depth + 1) for item in value]
    if isinstance(value, bytes | bytearray):
        return mask_sensitive(bytes(value).decode("utf-8", "replace"))
    text = str(value)
    masked = mask_sensitive(text)
    return value if masked == text else masked


class SensitiveDataFilter(logging.Filter):
    """Rewrite the record so that its rendered message and traceback are masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format must not lose the line
            message = str(record.msg)
        record.msg = mask_sensitive(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        for key, value in list(vars(record).items()):
            if key not in _RESERVED:
                setattr(record, key, _mask_value(value))
        return True


class ContextFilter(logging.Filter):
    """Stamp each record with the service name and the request/correlation ids of the current task."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object on one line (UTF-8, Chinese kept readable)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": getattr(record, "service", None),
            "logger": record.name,
            "request_id": getattr(record, "request_id", None),
            "correlation_id": getattr(record, "correlation_id", None),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in entry:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def build_handler(service: str, stream: Any = None) -> logging.Handler:
    """A stream handler with the context and masking filters and the JSON formatter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter(service))
    handler.addFilter(SensitiveDataFilter())
    handler.setFormatter(JsonFormatter())
    return handler


def configure_logging(service: str, level: int | str = logging.INFO) -> None:
    """Send every logger in the process through one JSON handler on stderr.

    Uvicorn's own handlers are removed so its lines come out as JSON too; its access log is
    silenced because the web layer writes one access line per request itself (with the request id).
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(build_handler(service))
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "litestar"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
