"""The landing page explains vaora to citizens, venues and officials, in Vietnamese by default
(whatever the browser's language) and in English when chosen with the switcher; it loads
nothing from another origin."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_renders_in_vietnamese_by_default(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    assert "Quản lý ra vào bằng mã QR" in page
    assert "Dành cho người dân" in page
    assert "Dành cho cơ quan, doanh nghiệp, địa điểm" in page
    assert "Dành cho cán bộ quản lý" in page


def test_it_stays_vietnamese_for_an_english_browser_until_english_is_chosen(client):
    page = client.get("/", headers={"accept-language": "en-US,en"}).content.decode()
    assert '<html lang="vi">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/", headers={"accept-language": "en-US,en"}).content.decode()
    assert '<html lang="en">' in page
    assert "Entry and exit by QR code" in page
    assert "For citizens" in page


def test_it_switches_language_with_the_switcher_and_remembers_it(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "For officials" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Dành cho cán bộ quản lý" in client.get("/").content.decode()


def test_it_loads_no_external_resources_and_sends_a_strict_csp(client):
    response = client.get("/")
    page = response.content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith("/") or url.startswith("#"), url
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_it_serves_a_vietnamese_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
