"""The venue API: create, read, change, revoke and reissue venues and zones; inputs are explicit
schemas, so privileged or unknown fields are refused (threat 12)."""

import pytest

from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(users, signed_in):
    return signed_in(users["org_manager"])


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_it_gives_a_vehicle_created_by_a_manager_its_code(manager, tenant_a):
    body = {
        "name": "Xe buýt số 5",
        "kind": "vehicle",
        "commune_code": "16681",
        "plate_number": "37b 02468",
        "route": "Vinh – Cửa Lò",
        "operator_name": "Sông Lam",
    }
    response = post(manager, f"/api/v1/organisations/{tenant_a.organisation.pk}/venues", body)
    assert response.status_code == 201, response.json()
    venue = response.json()
    assert venue["plate_number"] == "37B-024.68" and venue["default_stay_minutes"] == 180
    code = manager.get(f"/api/v1/venues/{venue['id']}/code").json()
    assert code["url"].endswith(code["token"])


@pytest.mark.parametrize(
    "extra",
    [{"organisation_id": 999}, {"qr_version": 7}, {"short_code": "AAAAAAAA"},
     {"revoked_at": "2026-01-01T00:00:00Z"}, {"role": "admin"}],
)  # fmt: skip
def test_it_refuses_privileged_or_unknown_fields(manager, tenant_a, extra):
    body = {"name": "Cổng X", "kind": "shop", "commune_code": "16681"} | extra
    response = post(manager, f"/api/v1/organisations/{tenant_a.organisation.pk}/venues", body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    patch = manager.patch(f"/api/v1/venues/{tenant_a.venue.pk}", extra,
                          content_type="application/json")  # fmt: skip
    assert patch.status_code == 422
    assert not Venue.objects.filter(name="Cổng X").exists()


def test_it_explains_field_errors_in_both_languages(manager, tenant_a):
    body = {"name": "Xe 9", "kind": "vehicle", "commune_code": "16681"}
    response = post(manager, f"/api/v1/organisations/{tenant_a.organisation.pk}/venues", body)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "invalid_fields" and "plate_number" in error["fields"]
    assert error["message_vi"].startswith("Một số thông tin") and error["message_en"]


def test_it_refuses_an_unknown_commune(manager, tenant_a):
    body = {"name": "Cổng Y", "kind": "shop", "commune_code": "00000"}
    response = post(manager, f"/api/v1/organisations/{tenant_a.organisation.pk}/venues", body)
    assert response.status_code == 422 and "commune_code" in response.json()["fields"]


def test_it_patches_only_what_is_sent(manager, tenant_a):
    response = manager.patch(f"/api/v1/venues/{tenant_a.venue.pk}", {"capacity": 99},
                             content_type="application/json")  # fmt: skip
    assert response.json()["capacity"] == 99 and response.json()["name"] == tenant_a.venue.name


def test_it_reports_the_state_after_revoke_and_reissue(manager, tenant_a):
    revoked = post(manager, f"/api/v1/venues/{tenant_a.venue.pk}/revoke", {"reason": "đóng cửa"})
    assert revoked.json()["revoked"] is True and revoked.json()["revoked_reason"] == "đóng cửa"
    reissued = post(manager, f"/api/v1/venues/{tenant_a.venue.pk}/reissue", {})
    assert reissued.json()["revoked"] is False and reissued.json()["qr_version"] == 2
    zone = post(manager, f"/api/v1/zones/{tenant_a.zone.pk}/revoke", {}).json()
    assert zone["revoked"] is True


def test_it_makes_posters_in_each_format(manager, tenant_a):
    for fmt, kind in [("pdf", "application/pdf"), ("png", "image/png"), ("svg", "image/svg+xml")]:
        response = manager.get(f"/api/v1/venues/{tenant_a.venue.pk}/poster",
                               {"format": fmt, "size": "a6"})  # fmt: skip
        assert response.status_code == 200 and response["Content-Type"] == kind
    assert manager.get(f"/api/v1/venues/{tenant_a.venue.pk}/poster",
                       {"format": "gif"}).status_code == 422  # fmt: skip
    bulk = manager.get(f"/api/v1/organisations/{tenant_a.organisation.pk}/posters",
                       {"zones": True})  # fmt: skip
    assert bulk.status_code == 200 and bulk.content.startswith(b"%PDF")


def test_it_lists_the_venue_routes_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = [
        "/api/v1/organisations/{org_id}/venues",
        "/api/v1/venues/{venue_id}/revoke",
        "/api/v1/zones/{zone_id}/reissue",
        "/api/v1/organisations/{org_id}/venues/import",
    ]
    for path in expected:
        assert path in paths, path
