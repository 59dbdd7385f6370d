"""Every API refusal is a coded error with a message in Vietnamese and English, never a bare
status."""

import pytest

pytestmark = pytest.mark.django_db


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
