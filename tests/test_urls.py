"""Every URL in the URL configuration needs a signed-in user, but sign-in and the language switch."""

import pytest

from tests.urlwalk import PATTERNS, sample_path

PUBLIC = {"login", "set_language", "admin:login"}  # admin:login is the admin's own sign-in page


PRIVATE = [(route, name) for route, name in PATTERNS if name not in PUBLIC]


def test_the_walk_finds_the_apps_urls():
    names = {name for _, name in PATTERNS}
    assert {"home", "communes:list", "communes:detail", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), PRIVATE)
def test_every_url_needs_sign_in(client, route, name):
    response = client.get(sample_path(route))
    assert response.status_code in (301, 302, 404), response.status_code
    if response.status_code != 404:
        assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_sign_in_page_is_public_and_in_vietnamese(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_leads_home_in_vietnamese(client, department_officer):
    response = client.post(
        "/sign-in/", {"username": "officer1", "password": "a-long-test-password"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert '<html lang="vi">' in page
    assert "Xã của bạn" in page


@pytest.mark.django_db
def test_wrong_password_says_so_in_vietnamese(client, department_officer):
    response = client.post("/sign-in/", {"username": "officer1", "password": "wrong"})
    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in response.content.decode()


@pytest.mark.django_db
def test_sign_out_needs_post_and_ends_the_session(client_of, department_officer):
    client = client_of(department_officer)
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client):
    page = client.get("/sign-in/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in page
    response = client.post("/language/", {"language": "en", "next": "/sign-in/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()
