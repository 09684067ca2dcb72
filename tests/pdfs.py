"""Reading a PDF answer in tests: its text layer (whitespace folded), its page size and its fonts."""

import io

from pypdf import PdfReader

A4_POINTS = (595.28, 841.89)


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_size(page) -> tuple[float, float]:
    return round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)


def fonts_of(reader: PdfReader) -> set[str]:
    """The base font names of every page; an embedded subset carries a "ABCDEF+" prefix."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def assert_a4_with_embedded_fonts(reader: PdfReader) -> None:
    assert all(page_size(page) == A4_POINTS for page in reader.pages)
    fonts = fonts_of(reader)
    assert fonts and all("+" in name and "Liberation-Serif" in name for name in fonts), fonts
