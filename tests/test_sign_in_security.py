"""Sign-in hardening: lockout after repeated failures, idle sessions end, security headers."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from core import middleware
from tests.fixtures import PASSWORD


def sign_in(client, password):
    return client.post(reverse("login"), {"username": "officer1", "password": password})


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_vietnamese_page(client, department_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "Đăng nhập bị khóa" in locked.content.decode()
    assert sign_in(client, PASSWORD).status_code == 429  # even the right password waits
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(client, department_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "wrong").status_code == 200


@pytest.mark.django_db
def test_an_idle_session_is_signed_out(client_of, department_officer):
    client = client_of(department_officer)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_a_used_session_is_kept_alive_with_a_write_at_most_each_minute(
    client_of, department_officer, monkeypatch, django_assert_num_queries
):
    clock = [1_000_000]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client = client_of(department_officer)
    client.get(reverse("communes:list"))
    first_expiry = Session.objects.get().expire_date
    clock[0] += 30
    client.get(reverse("communes:list"))
    assert Session.objects.get().expire_date == first_expiry  # no write within the minute
    clock[0] += 31
    client.get(reverse("communes:list"))
    assert Session.objects.get().expire_date > first_expiry


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client_of, department_officer):
    response = client_of(department_officer).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        if "<script>" in text or " onclick=" in text or "javascript:" in text:
            offenders.append(str(template.relative_to(root)))
    assert not offenders


def sign_in_from(client, address, password, *, through_proxy_as="127.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": "officer1", "password": password},
        REMOTE_ADDR=through_proxy_as,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_behind_one_proxy_an_attacker_elsewhere_cannot_lock_the_user_out(
    client, department_officer, settings
):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.66", "wrong")
    assert sign_in_from(client, "203.0.113.66", PASSWORD).status_code == 429
    # The real user, at another address behind the same proxy, still signs in.
    assert sign_in_from(client, "198.51.100.7", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, department_officer, settings):
    settings.PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The client writes its own X-Forwarded-For; the proxy appends the real address.
        sign_in_from(client, f"10.9.9.{number}, 203.0.113.66", "wrong")
    assert sign_in_from(client, "10.9.9.99, 203.0.113.66", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_without_a_proxy_the_forwarded_header_is_not_believed(client, department_officer, settings):
    settings.PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(client, f"203.0.113.{number}", "wrong", through_proxy_as="198.51.100.1")
    assert sign_in_from(client, "203.0.113.99", PASSWORD, through_proxy_as="198.51.100.1").status_code == 429


@pytest.mark.django_db
def test_attempts_during_a_lockout_do_not_restart_it(client, department_officer, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    started = AccessAttempt.objects.get().attempt_time
    for _ in range(3):
        assert sign_in(client, "wrong").status_code == 429
        assert sign_in(client, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().attempt_time == started
