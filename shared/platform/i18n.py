"""Message catalogues: Simplified Chinese first, English available.

The catalogues are flat JSON objects (``key -> text``) under ``shared/ui/messages/<lang>.json``; texts may
hold ``{name}`` placeholders filled from keyword arguments. A key missing from the English catalogue
falls back to Chinese; a key missing everywhere renders as the key itself (and is logged), so a
forgotten message is visible on the page rather than a crash. A unit test keeps both catalogues in step.

The language of a request is, in order: a ``lang`` query parameter (the language switch links), the
``jifen_lang`` cookie (set when the switch was used), ``Accept-Language``, then zh-CN.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_LANG = "zh-CN"
SUPPORTED_LANGS: tuple[str, ...] = ("zh-CN", "en")
LANG_COOKIE = "jifen_lang"
LANG_QUERY = "lang"

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "ui" / "messages"

logger = logging.getLogger(__name__)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat message dictionary of ``lang`` (read once per process)."""
    path = CATALOGUE_DIR / f"{lang}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def normalize_lang(value: str | None) -> str | None:
    """Map a language tag (``zh``, ``zh-cn``, ``zh-Hans-CN``, ``en-GB``...) to a supported one, or None."""
    if not value:
        return None
    tag = value.strip().lower().replace("_", "-")
    if tag.startswith("zh"):
        return "zh-CN"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def parse_accept_language(header: str | None) -> str | None:
    """The best supported language in an ``Accept-Language`` header (by q value, then order)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        lang = normalize_lang(tag)
        if lang and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else None


def negotiate(*, query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """Pick the request language from the switch, the remembered choice, the browser, or the default."""
    return (
        normalize_lang(query)
        or normalize_lang(cookie)
        or parse_accept_language(accept_language)
        or DEFAULT_LANG
    )


def t(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """Translate ``key`` into ``lang``, falling back to zh-CN, then to the key itself."""
    text = catalogue(lang).get(key) if lang in SUPPORTED_LANGS else None
    if text is None:
        text = catalogue(DEFAULT_LANG).get(key)
    if text is None:
        logger.warning("missing message key", extra={"message_key": key, "lang": lang})
        return key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            logger.warning("bad message parameters", extra={"message_key": key, "lang": lang})
    return text
