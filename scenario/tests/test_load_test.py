"""The load test command against the README's deployment server (gunicorn, several workers) on SQLite."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from scenario.management.commands.load_test import form_values

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_form_is_posted_back_as_a_browser_would():
    page = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="code" value="01001"><input type="checkbox" name="flag" value="on">
      <input type="checkbox" name="kept" value="on" checked>
      <select name="village"><option value="1">A</option><option value="2" selected>B</option></select>
      <textarea name="note">
Thôn &amp; bản</textarea><button type="submit">Lưu</button></form>"""
    assert form_values(page) == {
        "csrfmiddlewaretoken": "t",
        "code": "01001",
        "kept": "on",
        "village": "2",
        "note": "Thôn & bản",
    }


def test_it_refuses_a_server_elsewhere():
    with pytest.raises(CommandError, match="only against this machine"):
        call_command("load_test", "--url", "http://192.0.2.10:8000", "--force")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="it starts its own SQLite server; the suite's PostgreSQL run would only repeat it",
)
def test_concurrent_writers_lose_no_write_on_sqlite_under_gunicorn(tmp_path):
    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ},
        "DEBUG": "true",
        "SECRET_KEY": "load-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
    }

    def manage(*arguments, timeout=300):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    assert manage("migrate", "--noinput").returncode == 0
    households = (  # what the writers edit: six households of the demo's geography
        "from communes import demo; from communes.models import Commune; "
        "from households.tests.helpers import make_household; demo.seed_geography(); "
        "commune = Commune.objects.get(code=demo.MUONG_HOONG['code']); "
        "[make_household(commune, f'0100{n}') for n in range(6)]"
    )
    assert manage("shell", "-c", households).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        result = manage("load_test", "--url", f"http://127.0.0.1:{port}", "--writers", "6", "--seconds", "4")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 writers with a lost write" in result.stdout
    assert int(result.stdout.split(" writes (")[0].rsplit(" ", 1)[1]) >= 6  # every writer wrote
