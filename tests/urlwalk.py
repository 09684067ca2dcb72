"""Every URL pattern of the project, with a concrete path for each, for tests that walk them all, and
the text a response shows (page, workbook or PDF) for tests that look for something in all of them."""

import io
import re

import openpyxl
import pypdf
from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_ARGUMENTS = {"year": "2022"}  # any other argument gets 1


def all_patterns(resolver=None, prefix=""):
    """(route, name) of every URL pattern; names carry their namespaces ("communes:detail")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from ((str(entry.pattern) + route, name) for route, name in all_patterns(entry, namespace))
        elif isinstance(entry, URLPattern):
            yield str(entry.pattern), f"{prefix}{entry.name}" if entry.name else None


def sample_path(route: str) -> str:
    """A concrete path for a route: converters filled from SAMPLE_ARGUMENTS, else with 1."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGUMENTS.get(m.group(1), "1"), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_ARGUMENTS.get(m.group(1), "1"), path)
    path = re.sub(r"\([^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "").replace("?", "")


PATTERNS = sorted(set(all_patterns()), key=lambda pattern: (pattern[0], pattern[1] or ""))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_of(response) -> str:
    """What a response shows as text: the page, every cell of a workbook, the text layer of a PDF."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == XLSX:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        cells = (
            value
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        return "\n".join(map(str, cells))
    if kind == "application/pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return content.decode()
