"""Native apps: sign in by SMS code for a bearer token, then read and change the citizen's own
profile, family and declarations, and sync visits — with the token or the web session. A
personal QR value opens nothing (threat 5)."""

import re

import pytest

from vaora.core import sms
from vaora.people import codes
from vaora.people.models import ApiToken, HealthDeclaration

pytestmark = pytest.mark.django_db


def post(client, url, body, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def get(client, url, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


@pytest.fixture
def app_token(client, places):
    assert post(client, "/api/v1/auth/code", {"phone": "0933 444 555"}).status_code == 202
    code = re.search(r"\d{6}", sms.last_message_to("+84933444555").body).group()
    answer = post(client, "/api/v1/auth/token", {"phone": "0933444555", "code": code,
                                                  "device_name": "Android"}).json()  # fmt: skip
    assert answer["needs_profile"] and answer["needs_consent"]
    return answer["token"]


def test_it_lets_a_native_app_sign_up_fill_the_profile_and_declare(client, app_token):
    profile = {"name": "Vũ Thị Hạnh", "birth_year": 1975, "cccd": "",
               "home_commune_code": "16681"}  # fmt: skip
    changed = client.put("/api/v1/me/person", profile, content_type="application/json",
                         headers={"authorization": f"Bearer {app_token}"})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["phone_masked"] == "093****555"
    assert post(client, "/api/v1/me/consent", {}, app_token).status_code == 204
    child = post(client, "/api/v1/me/dependants", {"name": "Vũ Bé An", "birth_year": 2017},
                 app_token)  # fmt: skip
    assert child.status_code == 201
    health = post(client, "/api/v1/me/health-declarations",
                  {"symptoms": ["cough"], "contact_with_case": False, "in_outbreak_area": False,
                   "vaccine_doses": 3}, app_token)  # fmt: skip
    assert health.status_code == 201 and health.json()["needs_attention"] is True
    trip = post(client, "/api/v1/me/travel-declarations",
                {"from_commune_code": "16681", "to_commune_code": "00004",
                 "departure_date": "2026-11-26", "means": "flight", "transport_ref": "vn 1234"},
                app_token)  # fmt: skip
    assert trip.status_code == 201, trip.json()
    assert trip.json()["transport_ref"] == "VN1234" and "/T/" in trip.json()["qr_url"]
    data = get(client, "/api/v1/me/data", app_token).json()
    assert data["person"]["name"] == "Vũ Thị Hạnh" and len(data["travel_declarations"]) == 1


def test_it_stores_only_a_digest_of_the_token(app_token):
    stored = ApiToken.objects.get()
    assert app_token not in stored.digest and len(stored.digest) == 64


def test_it_reads_nothing_with_a_wrong_or_missing_token(client, app_token, citizen):
    assert get(client, "/api/v1/me/data").status_code == 401
    assert get(client, "/api/v1/me/data", "vat_not-a-real-token").status_code == 401
    personal_qr = codes.person_url(citizen.person).rsplit("/", 1)[1]
    assert get(client, "/api/v1/me/data", personal_qr).status_code == 401  # threat 5
    assert get(client, f"/api/v1/me/data?token={personal_qr}").status_code == 401


def test_it_refuses_unknown_fields_and_values_in_declarations(client, app_token):
    bad = post(client, "/api/v1/me/health-declarations",
               {"symptoms": ["plague"], "contact_with_case": False, "in_outbreak_area": False,
                "vaccine_doses": 1, "person_id": 1}, app_token)  # fmt: skip
    assert bad.status_code == 422 and not HealthDeclaration.objects.exists()


def test_it_refuses_an_official_on_citizen_routes(users, signed_in):
    assert signed_in(users["health"]).get("/api/v1/me/person").status_code == 403
