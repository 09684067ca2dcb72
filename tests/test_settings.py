"""Settings come from the environment; production settings pass `check --deploy`."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x8#kq2!v9zL0pR7mT4wY6bN1cF3hJ5dS8gA0eU2iO4lK7nM9qW",
    "ALLOWED_HOSTS": "assist.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://assist.example.gov.vn",
    "DATABASE_URL": "postgres://app:secret@db.internal:5433/assist",
}
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG, "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST"), "PORT": db.get("PORT"),
    "STATIC_STORAGE": settings.STORAGES["staticfiles"]["BACKEND"], "SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""


def run(code_or_args, env, tmp_path):
    """Runs Python in a clean environment, without the developer's .env file."""
    test_only = {"SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        key: value for key, value in os.environ.items() if key not in PRODUCTION and key not in test_only
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    clean.setdefault("ENV_FILE", str(tmp_path / "absent.env"))
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], env=clean, cwd=tmp_path, capture_output=True, text=True)


def test_settings_are_read_from_the_environment(tmp_path):
    result = run(PRINT_SETTINGS, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["DEBUG"] is False
    assert read["ALLOWED_HOSTS"] == ["assist.example.gov.vn"]
    assert read["CSRF_TRUSTED_ORIGINS"] == ["https://assist.example.gov.vn"]
    assert read["ENGINE"] == "django.db.backends.postgresql"
    assert (read["NAME"], read["HOST"], read["PORT"]) == ("assist", "db.internal", 5433)
    assert read["STATIC_STORAGE"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert read["SECURE"] is True


def test_database_defaults_to_sqlite_in_the_project(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "DATABASE_URL"}
    result = run(PRINT_SETTINGS, env, tmp_path)
    read = json.loads(result.stdout)
    assert read["ENGINE"] == "django.db.backends.sqlite3"
    assert read["NAME"] == str(ROOT / "db.sqlite3")


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = run(PRINT_SETTINGS, env, tmp_path)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_variables_can_come_from_an_env_file(tmp_path):
    env_file = tmp_path / "site.env"
    env_file.write_text(
        "DEBUG=false\nSECRET_KEY=from-the-file-" + "z" * 40 + "\nALLOWED_HOSTS=a.gov.vn,b.gov.vn\n"
    )
    result = run(PRINT_SETTINGS, {"ENV_FILE": str(env_file)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ALLOWED_HOSTS"] == ["a.gov.vn", "b.gov.vn"]


def test_debug_mode_serves_static_files_without_a_manifest(tmp_path):
    result = run(PRINT_SETTINGS, {"DEBUG": "true"}, tmp_path)
    read = json.loads(result.stdout)
    assert read["DEBUG"] is True
    assert read["STATIC_STORAGE"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert read["SECURE"] is False


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"}
    result = run([str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_documents_every_variable_the_settings_read():
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    settings_text = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', settings_text))
    assert read, "no variable found in settings.py"
    assert read <= documented, f"not in .env.example: {sorted(read - documented)}"
