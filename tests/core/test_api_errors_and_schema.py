"""The API answers every refusal with a coded error in Vietnamese and English, and publishes its
OpenAPI schema; its docs page loads nothing from a CDN."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_publishes_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "vaora API"
    for path in ["/api/v1/places", "/api/v1/me", "/api/v1/venues/{venue_id}",
                 "/api/v1/people/{person_id}"]:  # fmt: skip
        assert path in schema["paths"], path


def test_its_docs_page_uses_only_bundled_assets(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


def test_it_answers_401_with_a_coded_bilingual_error(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"] == body["message_vi"] == "Bạn cần đăng nhập để dùng chức năng này."
    assert body["message_en"] == "You need to sign in to use this."


def test_it_answers_in_english_when_asked(client):
    body = client.get("/api/v1/me", headers={"accept-language": "en"}).json()
    assert body["message"] == "You need to sign in to use this."


def test_it_answers_404_with_a_code(users, signed_in):
    body = signed_in(users["admin"]).get("/api/v1/venues/999999").json()
    assert body["code"] == "not_found"


def test_it_answers_422_for_malformed_input(users, signed_in):
    response = signed_in(users["admin"]).get("/api/v1/venues/not-a-number")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_it_lists_places_with_pagination_and_filters(client, places):
    body = client.get("/api/v1/places", {"parent": "40", "limit": 20}).json()
    assert body["count"] == 130 and len(body["items"]) == 20
    assert {item["parent_code"] for item in body["items"]} == {"40"}
    found = client.get("/api/v1/places", {"q": "Thành Vinh", "parent": "40"}).json()["items"]
    assert [item["code"] for item in found] == ["16681"]
    assert client.get("/api/v1/places", {"limit": 100000}).status_code == 422


def test_it_describes_the_signed_in_account(users, signed_in):
    body = signed_in(users["oversight"]).get("/api/v1/me").json()
    assert body["role"] == "oversight"
    assert body["jurisdiction"]["code"] == "16681"


def test_it_never_returns_a_full_phone_or_cccd(users, tenant_a, signed_in):
    body = signed_in(users["health"]).get(f"/api/v1/people/{tenant_a.person.pk}").json()
    assert body["phone_masked"] == "091****001"
    assert "phone" not in body and "cccd" not in body
    assert "0912000001" not in str(body) and "912000001" not in str(body)
