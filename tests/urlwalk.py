"""Every URL pattern of the project, with a concrete path for each, for tests that walk them all."""

import re

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
