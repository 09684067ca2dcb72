"""Test settings: production settings over plain HTTP, set before Django reads them.

pytest-django would load the settings before this file is read if pyproject named them, so the
settings module is named here and Django set up at once (the fixtures below import models).
"""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
# Playwright's sync API runs an event loop in the test thread (tests/browser.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Hashing a password the production way takes half a second; the tests make hundreds of accounts.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]

pytest_plugins = ["tests.fixtures", "tests.browser"]
