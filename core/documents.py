"""Administrative documents (Decree 30/2020/NĐ-CP): the dated place line, the number, the signature
block, amounts in figures and words, and one way to answer a document as a page or a PDF."""

import datetime
import functools

from django.shortcuts import render
from django.utils import translation

from core import pdf
from core.money import format_dong
from core.number_words import dong_in_words

# Leaves room to write the day and month by hand on a document printed before it is signed.
BLANK = "\u00a0" * 6


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Kon Tum, ngày 22 tháng 8 năm 2022"; days below 10 and months 1–2 get a leading 0."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def undated(place: str, year: int) -> str:
    """ "Kon Tum, ngày      tháng      năm 2022": a draft, dated by hand when it is signed."""
    text = f"ngày{BLANK}tháng{BLANK}năm {year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def document_number(number: str, symbol: str, issuer=None) -> str:
    """The number as issued, or a blank number with the symbol ("      /KH-SLĐTBXH") to fill in."""
    if number:
        return number
    short = getattr(issuer, "short_name", "") if issuer else ""
    return f"{BLANK}/{symbol}-{short}" if short else f"{BLANK}/{symbol}"


def signature(job_title: str) -> tuple[str, str]:
    """(authority line, title): a deputy signs for the head ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC")."""
    title = " ".join((job_title or "").split())
    if title.lower().startswith("phó ") and len(title) > 4:
        head = title[4:]
        return f"KT. {head.upper()}", title.upper()
    return "", title.upper()


def amount_in_words(amount: int) -> str:
    """ "441.000.000 đồng (Bằng chữ: Bốn trăm bốn mươi mốt triệu đồng)"."""
    figures = format_dong(amount).removesuffix(" đ")
    return f"{figures} đồng (Bằng chữ: {dong_in_words(amount)})"


# How a commune's committee names its unit in a heading ("ỦY BAN NHÂN DÂN XÃ MƯỜNG HOONG").
UNIT_WORDS = {"commune": "xã", "ward": "phường", "township": "thị trấn", "special_zone": "đặc khu"}


def commune_committee(commune) -> dict:
    """The issuer of a commune's papers, in the shape `base_print.html` reads: the commune's People's
    Committee, with no parent body line (Decree 30/2020, Appendix I: local committees have none), its
    name on two heading lines ("ỦY BAN NHÂN DÂN" over "XÃ MƯỜNG HOONG")."""
    unit = f"{UNIT_WORDS.get(commune.kind, 'xã')} {commune.name}"
    return {
        "parent": None,
        "full_name": f"Ủy ban nhân dân {unit}",
        "heading_lines": ["Ủy ban nhân dân", unit],
        "place_name": commune.name,
        "unit": unit,
    }


def document_response(
    request, template_name: str, context: dict, *, pdf_filename: str | None = None, files=None, split=None
):
    """The document as its print page, or as a PDF when `pdf_filename` is given; always in Vietnamese.

    `files` maps URLs the document shows (photos the view has already checked access to) to files on
    disk: the PDF engine reads those and static files, nothing else. `split`: the context's list of
    independent sheets, for a PDF laid out on every core (`pdf.pdf_response`).
    """
    with translation.override("vi"):
        if pdf_filename:
            return pdf.pdf_response(
                request, template_name, context, filename=pdf_filename, files=files, split=split
            )
        return render(request, template_name, context)


def in_vietnamese(view):
    """A view whose answer is in Vietnamese whatever the interface language: documents, and the
    workbooks that go round (choice labels and headers)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("vi"):
            return view(request, *args, **kwargs)

    return wrapped


def roman(number: int) -> str:
    """1 → "I", 4 → "IV": the numbering of a document's parts."""
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")]
    values += [(40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, letters in values:
        count, number = divmod(number, value)
        text += letters * count
    return text


def signer_context(user) -> dict:
    """The signature block of `user`: authority line, job title (from the profile) and name."""
    if user is None:
        return {"signer_on_behalf": "", "signer_title": "", "signer_name": ""}
    profile = getattr(user, "profile", None)
    on_behalf, title = signature(getattr(profile, "job_title", ""))
    return {
        "signer_on_behalf": on_behalf,
        "signer_title": title,
        "signer_name": user.get_full_name() or user.get_username(),
    }
