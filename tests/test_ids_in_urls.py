"""A citizen ID number typed into a URL is echoed nowhere: not on the 404 page, not in a log line."""

import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ID_NUMBER = "004155000002"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_404_page_does_not_echo_an_id_number(client_of, department_officer):
    response = client_of(department_officer).get(f"/households/{ID_NUMBER}/?q={ID_NUMBER}")
    assert response.status_code == 404
    page = response.content.decode()
    assert ID_NUMBER not in page and "0xx…002" in page


@pytest.mark.django_db
def test_the_sign_in_page_does_not_echo_an_id_number_from_next(client):
    response = client.get(f"/sign-in/?next=/households/{ID_NUMBER}/")
    assert response.status_code == 200
    assert ID_NUMBER not in response.content.decode()


def _handlers_reached(logger: logging.Logger) -> list[logging.Handler]:
    handlers = []
    while logger:
        handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return handlers


@pytest.mark.parametrize("name", ["django.request", "django.server", "django.security.csrf"])
def test_djangos_own_loggers_mask_id_numbers(name):
    handlers = _handlers_reached(logging.getLogger(name))
    assert handlers
    for handler in handlers:
        record = logging.LogRecord(
            name, logging.WARNING, __file__, 1, "Not Found: /households/%s/", (ID_NUMBER,), None
        )
        assert handler.filter(record)
        assert handler.format(record) == "Not Found: /households/0xx…002/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_gunicorn_access_log_masks_id_numbers(tmp_path):
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/households/{ID_NUMBER}/?id={ID_NUMBER}", timeout=2
                )
            except urllib.error.HTTPError:
                break  # answered (a redirect to sign-in or a 404)
            except OSError:
                time.sleep(0.1)
        time.sleep(0.3)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "/households/0xx…002/" in output
    assert ID_NUMBER not in output
