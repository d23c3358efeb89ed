"""Reading PDFs in tests: text (pypdf), fonts that are not embedded, page images (poppler) and the QR
codes on them (zxing-cpp), as a reader, a printer or a phone would see them."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def compact(text: str) -> str:
    """Text without whitespace (line breaks inside table cells vary with the layout)."""
    return re.sub(r"\s+", "", text)


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font used on any page -> whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources: Any = page.get("/Resources", {})
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def page_images(pdf: bytes, *, dpi: int = 150) -> list[Path]:
    """The pages as PNG files (pdftoppm), in a directory that lives as long as the process."""
    directory = Path(tempfile.mkdtemp(prefix="jifen-pdf-"))
    source = directory / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(directory / "page")], check=True)
    return sorted(directory.glob("page-*.png"))


def qr_codes(image: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    with Image.open(image) as picture:
        return [result.text for result in zxingcpp.read_barcodes(picture.convert("L"))]
