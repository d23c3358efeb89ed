"""Typst with Noto CJK: the one way the documents service turns content into PDF/A-2b bytes.

Decided in the documents research note (Typst through PyPI ``typst``, Noto Sans/Serif CJK SC from
Debian's ``fonts-noto-cjk``, one compiler reused per thread). Data reaches the templates only as JSON
in ``sys.inputs`` and is shown as plain text, so what users typed cannot inject markup.

Rendering is deterministic: the PDF's dates are the document's own date (``timestamp``) and its
metadata is fixed by the template, so the same content gives the same bytes. A missing font is an
error when the renderer is built (the worker does not start) and any Typst warning is an error of
that render: a PDF with blank boxes instead of Chinese is never stored.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import typst

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTO_CJK_DIR = Path("/usr/share/fonts/opentype/noto")
"""Where Debian's fonts-noto-cjk puts the collections (Typst needs the directory, not the files)."""
REQUIRED_FAMILIES: tuple[str, ...] = ("Noto Sans CJK SC", "Noto Serif CJK SC")
PDF_STANDARD: Final = "a-2b"
"""PDF/A-2b (ISO 19005-2, level B): fonts embedded, XMP metadata, sRGB output intent. Untagged: the
tags would add about 60% to the form's size for a document made to be printed and signed (the
portal's pages are the accessible channel), and poppler 22 misreads Typst's tag tree."""


class FontsMissing(RuntimeError):
    """The CJK fonts the documents are set in are not installed."""


class RenderFailed(RuntimeError):
    """Typst refused the document or warned about it (a warning would mean a wrong PDF)."""


class Renderer:
    """Compiles the templates; one Typst compiler per thread (it memoises, so reuse is fast)."""

    def __init__(self, font_dir: Path = NOTO_CJK_DIR, templates: Path = TEMPLATES) -> None:
        families = set(typst.Fonts(False, False, [str(font_dir)]).families()) if font_dir.is_dir() else set()
        missing = [family for family in REQUIRED_FAMILIES if family not in families]
        if missing:
            raise FontsMissing(
                f"fonts {', '.join(missing)} not found in {font_dir} (install Debian's fonts-noto-cjk)"
            )
        self.font_dir = font_dir
        self.templates = templates
        self._local = threading.local()

    def _compiler(self) -> typst.Compiler:
        compiler: typst.Compiler | None = getattr(self._local, "compiler", None)
        if compiler is None:
            fonts = typst.Fonts(False, True, [str(self.font_dir)])
            compiler = typst.Compiler(root=str(self.templates), font_paths=fonts, ignore_system_fonts=True)
            self._local.compiler = compiler
        return compiler

    def render(
        self, template: str, content: Mapping[str, Any], *, timestamp: datetime, **inputs: str
    ) -> bytes:
        """``<templates>/<template>.typ`` with ``content`` (as ``sys.inputs.data``) and extra string
        ``inputs``, dated ``timestamp`` (timezone-aware; Typst takes whole seconds, so the fraction an
        event's time carries is dropped)."""
        sys_inputs = {"data": json.dumps(content, ensure_ascii=False, sort_keys=True), **inputs}
        try:
            pdf, warnings = self._compiler().compile_with_warnings(
                input=str(self.templates / f"{template}.typ"),
                sys_inputs=sys_inputs,
                timestamp=timestamp.replace(microsecond=0),
                pdf_standards=[PDF_STANDARD],
                pdf_tags=False,
            )
        except typst.TypstError as exc:
            raise RenderFailed(f"{template}: {exc.message}") from None
        if warnings:
            raise RenderFailed(f"{template}: " + "; ".join(w.message for w in warnings))
        if not isinstance(pdf, bytes):
            raise RenderFailed(f"{template}: Typst returned no PDF")
        return pdf


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as SVG (error correction M, a quiet zone of 2 modules).

    The mask pattern is fixed: choosing the best of the eight costs about 10 ms in segno's pure Python,
    most of a notice's time, and every mask is valid (the tests decode the code from the printed page).
    """
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m", mask=0).save(
        out, kind="svg", border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    return out.getvalue().decode("utf-8")
