"""Message catalogues: zh-CN first, English available, both complete, sensible fallbacks."""

from __future__ import annotations

import re
import string

import pytest

from shared.platform import i18n
from shared.platform.i18n import (
    DEFAULT_LANG,
    SUPPORTED_LANGS,
    catalogue,
    negotiate,
    parse_accept_language,
    t,
)


def test_the_default_language_is_simplified_chinese() -> None:
    assert DEFAULT_LANG == "zh-CN"
    assert t("system.name") == "上海居住证积分申请系统"


def test_every_key_exists_in_every_catalogue() -> None:
    keys = {lang: set(catalogue(lang)) for lang in SUPPORTED_LANGS}
    reference = keys[DEFAULT_LANG]
    for lang, lang_keys in keys.items():
        assert lang_keys == reference, (
            f"{lang}: missing {sorted(reference - lang_keys)}, extra {sorted(lang_keys - reference)}"
        )


def test_translations_use_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    zh, en = catalogue("zh-CN"), catalogue("en")
    mismatched = {key for key in zh if fields(zh[key]) != fields(en[key])}
    assert not mismatched


def test_chinese_texts_use_full_width_punctuation() -> None:
    cjk = r"[\u4e00-\u9fff]"
    offenders = {
        key for key, text in catalogue("zh-CN").items() if re.search(rf"{cjk}[,;:?!]|[,;:?!]{cjk}", text)
    }
    assert not offenders


def test_a_key_missing_in_english_falls_back_to_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    real = {lang: catalogue(lang) for lang in SUPPORTED_LANGS}
    english = {key: text for key, text in real["en"].items() if key != "system.name"}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: english if lang == "en" else real[lang])
    assert i18n.t("system.name", "en") == "上海居住证积分申请系统"
    assert i18n.t("layout.skip_link", "en") == "Skip to main content"


def test_an_unknown_language_falls_back_to_chinese() -> None:
    assert t("system.name", "fr") == "上海居住证积分申请系统"


def test_a_key_missing_everywhere_renders_as_the_key_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert t("no.such.key", "en") == "no.such.key"
    assert any("missing message key" in r.getMessage() for r in caplog.records)


def test_parameters_are_filled_in() -> None:
    assert t("validation.too_short", "zh-CN", min=2) == "至少需要 2 个字符"
    assert t("validation.too_short", "en", min=2) == "Enter at least 2 characters"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("fr-FR,en;q=0.5,zh;q=0.7", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("fr, de", None),
        ("en;q=0", None),
        ("", None),
    ],
)
def test_accept_language_is_parsed_by_quality(header: str, expected: str | None) -> None:
    assert parse_accept_language(header) == expected


def test_the_language_switch_beats_the_cookie_which_beats_the_browser() -> None:
    assert negotiate(query="en", cookie="zh-CN", accept_language="zh-CN") == "en"
    assert negotiate(query=None, cookie="en", accept_language="zh-CN") == "en"
    assert negotiate(query="xx", cookie=None, accept_language="en-US") == "en"
    assert negotiate(query=None, cookie=None, accept_language=None) == "zh-CN"
