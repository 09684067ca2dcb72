"""The Vietnamese catalogue is complete: every source string translated, nothing fuzzy, .mo compiled."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SOURCES = ["config", "core", "communes", "households", "assistance", "scenario", "templates"]


def test_committed_catalogue_has_no_missing_or_fuzzy_entry():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()


def test_compiled_catalogue_matches_the_source_catalogue():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(CATALOGUE)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    compiled.pop((None, ""), None)
    assert {key: str(value) for key, value in source.items()} == {
        key: str(value) for key, value in compiled.items()
    }


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch, settings):
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: install Debian's gettext package (scripts/test does).")
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("tests", "__pycache__")
            )
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["vi"], verbosity=0, no_obsolete=True)
    extracted = polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    translated = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)).translated_entries()}
    missing = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in translated)
    assert not missing, f"{len(missing)} strings not translated to Vietnamese, e.g. {missing[:5]}"
