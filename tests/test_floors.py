"""Floors run one way: config → scenario → assistance → households → communes → core. A module imports
only from its own floor or below, at the top of the file or inside a function; tests and migrations
are exempt."""

import ast
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
