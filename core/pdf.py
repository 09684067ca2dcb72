"""PDF documents rendered on the server by WeasyPrint from the same HTML as the print page.

WeasyPrint (a maintained HTML/CSS-to-PDF library) needs Pango from the system; where it is missing
the views answer with a clear page instead of a server error.
"""

import io
import logging
import mimetypes
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PdfEngineMissing(Exception):
    pass


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the package is there but Pango is not
        raise PdfEngineMissing(str(error)) from error
    return weasyprint


def _static_file(url: str) -> Path | None:
    path = urlparse(url).path
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    found = finders.find(name)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / name
    return collected if collected.is_file() else None


def static_file_response(url: str, response_class):
    """Static files (fonts, stylesheets) come from disk; nothing else is fetched."""
    path = _static_file(url)
    if path is None:
        raise ValueError(f"Not fetched while making a PDF: {url}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return response_class(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str, *, base_url: str, files: dict[str, Path] | None = None) -> bytes:
    """`files` maps URL paths the document shows (e.g. photos whose access the view has checked) to
    files on disk; with static files, they are all the PDF engine may read."""
    weasyprint = _weasyprint()
    allowed = {urlparse(url).path: Path(path) for url, path in (files or {}).items()}

    class StaticFilesOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = allowed.get(urlparse(url).path)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return weasyprint.urls.URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": content_type}
                )
            return static_file_response(url, weasyprint.urls.URLFetcherResponse)

    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


# Below this many sheets a document is laid out in one process: starting others costs more.
SHEETS_PER_PART = 40


def _part_to_pdf(html: str, base_url: str, files) -> bytes:
    return html_to_pdf(html, base_url=base_url, files=files)


def parts_to_pdf(parts: list[str], *, base_url: str, files: dict[str, Path] | None = None) -> bytes:
    """Documents of independent sheets (all certificates of a decision), each part laid out in its own
    process on every core, then joined page after page: WeasyPrint uses one core, and hundreds of
    sheets would take minutes. Each part embeds its own subset of the fonts."""
    if len(parts) == 1:
        return html_to_pdf(parts[0], base_url=base_url, files=files)
    _weasyprint()  # a missing engine is said once, here, not by each process
    from pypdf import PdfReader, PdfWriter

    workers = min(len(parts), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pdfs = list(pool.map(_part_to_pdf, parts, [base_url] * len(parts), [files] * len(parts)))
    writer = PdfWriter()
    for content in pdfs:
        writer.append(PdfReader(io.BytesIO(content)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _parts(template_name: str, context: dict, request, split: str | None) -> list[str]:
    """The document's HTML, or with `split` (the context's list of sheets) one HTML per part of it."""
    sheets = context.get(split) if split else None
    if not sheets or len(sheets) < 2 * SHEETS_PER_PART:
        return [render_to_string(template_name, {**context, "for_pdf": True}, request=request)]
    count = min(os.cpu_count() or 1, len(sheets) // SHEETS_PER_PART)
    size = -(-len(sheets) // count)
    return [
        render_to_string(
            template_name, {**context, split: sheets[start : start + size], "for_pdf": True}, request=request
        )
        for start in range(0, len(sheets), size)
    ]


def pdf_response(
    request,
    template_name: str,
    context: dict,
    *,
    filename: str,
    files: dict[str, Path] | None = None,
    split: str | None = None,
) -> HttpResponse:
    """The document as a PDF download, or a page that says why there is none. `split` names the
    context's list of sheets (each `<article class="sheet">`) to lay out on every core."""
    parts = _parts(template_name, context, request, split)
    try:
        pdf = parts_to_pdf(parts, base_url=request.build_absolute_uri("/"), files=files)
    except PdfEngineMissing as error:
        logger.error("PDF engine missing: %s", error)
        return render(
            request,
            "pdf_unavailable.html",
            {
                "message": _("PDF files cannot be made on this server: its PDF engine is not installed."),
                "back_url": _back_url(request),
            },
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _back_url(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"
