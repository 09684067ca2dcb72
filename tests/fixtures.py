"""Fixtures for every app's tests: the demo geography and one named actor per role."""

import time
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from communes import demo
from communes.models import Commune, Profile, Role

PASSWORD = "a-long-test-password"


@pytest.fixture
def geography(db):
    """Kon Tum with Đắk Glei, Mường Hoong and Ngọc Linh, merged into Xã Ngọc Linh of Quảng Ngãi."""
    demo.seed_geography()
    return {
        "muong_hoong": Commune.objects.get(code=demo.MUONG_HOONG["code"]),
        "ngoc_linh_old": Commune.objects.get(code=demo.NGOC_LINH_OLD["code"]),
        "ngoc_linh_new": Commune.objects.get(code=demo.NGOC_LINH_NEW["code"]),
    }


@contextmanager
def demo_for_the_module(django_db_blocker):
    """The demo seeded once for a module's tests, with ids from 1, and rolled back after them.

    Each test of the module runs in a savepoint inside it (`django_db`), so what a test writes is
    undone and the next test sees the demo as seeded. Seeding takes seconds: seed once, not per test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence")
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)
        call_command("seed_demo", "--force", verbosity=0)
        yield
        transaction.set_rollback(True)


def make_user(username, role, *, communes=(), all_communes=False, superuser=False, **profile):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=superuser, is_superuser=superuser
    )
    made = Profile.objects.create(user=user, role=role, all_communes=all_communes, **profile)
    made.communes.set(communes)
    return user


@pytest.fixture
def department_admin(db):
    return make_user("admin1", Role.DEPARTMENT_ADMIN, superuser=True)


@pytest.fixture
def department_officer(geography):
    return make_user("officer1", Role.DEPARTMENT_OFFICER, all_communes=True)


@pytest.fixture
def muong_hoong_officer(geography):
    return make_user("mh_officer", Role.COMMUNE_OFFICER, communes=[geography["muong_hoong"]])


@pytest.fixture
def other_commune_officer(geography):
    return make_user("nl_officer", Role.COMMUNE_OFFICER, communes=[geography["ngoc_linh_old"]])


@pytest.fixture
def viewer(geography):
    return make_user("viewer1", Role.VIEWER, all_communes=True)


@pytest.fixture
def client_of(client):
    """`client_of(user)` is the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        # As if the user had just loaded a page: the session's once-a-minute refresh is not due yet,
        # so query counts measure the page alone.
        session = client.session
        session["refreshed_at"] = int(time.time())
        session.save()
        return client

    return sign_in


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """No collectstatic manifest in tests: serve static files under their own names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Uploaded files (kept imports) go to the test's own folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
