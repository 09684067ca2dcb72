"""A lost database connection costs the request in flight a clear page, and the next request works."""

import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends import utils
from django.test import RequestFactory

from core.errors import server_error
from tests.databases import postgres_only, terminate


def _page_for(error: Exception):
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/"))


def test_a_lost_database_gives_a_503_page_that_says_so():
    response = _page_for(OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Tạm thời không kết nối được cơ sở dữ liệu" in response.content.decode()
    assert "không có gì được lưu dở dang" in response.content.decode()


def test_another_fault_gives_the_500_page():
    response = _page_for(ZeroDivisionError())
    assert response.status_code == 500 and "Đã xảy ra lỗi" in response.content.decode()


def test_connections_are_checked_before_they_are_reused():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_during_a_request_then_the_next_request_works(
    live_server, client, department_officer, monkeypatch
):
    client.force_login(department_officer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"{live_server.url}/communes/"
    assert _get(url, cookie)[0] == 200

    original = utils.CursorWrapper.execute
    dropped = []

    def drop_once(self, sql, params=None):
        if not dropped and "communes_commune" in sql:
            dropped.append(True)
            terminate(self.db.connection.info.backend_pid)  # as a database restart does
        return original(self, sql, params)

    monkeypatch.setattr(utils.CursorWrapper, "execute", drop_once)
    status, page = _get(url, cookie)
    assert dropped and status == 503 and "Tạm thời không kết nối được cơ sở dữ liệu" in page
    assert _get(url, cookie)[0] == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_at_the_next_request():
    from django.core.signals import request_finished, request_started

    connection.ensure_connection()
    terminate(connection.connection.info.backend_pid)  # the server restarted while the connection idled
    request_finished.send(sender=None)
    request_started.send(sender=None)  # the next request: its first query checks the kept connection
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)
