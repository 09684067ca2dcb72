"""Floors run one way: config → scenario → assistance → households → communes → core. A module imports
only from its own floor or below, at the top of the file or inside a function; tests and migrations
are exempt."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["core", "communes", "households", "assistance", "scenario", "config"]


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(FLOORS)


def modules_of(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            yield path


@pytest.mark.parametrize("package", FLOORS)
def test_a_package_imports_nothing_from_a_floor_above_it(package):
    above = set(FLOORS[FLOORS.index(package) + 1 :])
    upward = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & above) for path in modules_of(package)
    }
    assert {module: names for module, names in upward.items() if names} == {}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("package", FLOORS)
def test_nothing_imports_a_views_module(package):
    """Views are the top of a request, not a library: what two pages share lives in a module below them."""
    views = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if re.fullmatch(r"(\w+_)?views", name.rsplit(".", 1)[-1])
        )
        for path in modules_of(package)
        if path.name != "urls.py"
    }
    assert {module: names for module, names in views.items() if names} == {}


def test_no_module_is_over_700_lines():
    """A file past ~600 lines is two files (STYLE.md); migrations and the catalogue are exempt."""
    long = {
        str(path.relative_to(ROOT)): lines
        for package in FLOORS + ["tests"]
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 700
    }
    assert long == {}
