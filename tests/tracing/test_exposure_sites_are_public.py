"""Exposure sites are public (no personal data) and each citizen checks their own visits against
them; only health officials publish."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.roles import Role

pytestmark = pytest.mark.django_db


NOW = "2026-11-25T03:00:00Z"


AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)


H = datetime.timedelta(hours=1)


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@freeze_time(NOW)
def test_it_publishes_sites_and_each_citizen_checks_their_own_visits(
    users, signed_in, tenant_a, citizen, client
):
    make_visit(citizen.person, tenant_a.venue, AT, 1 * H)
    health = signed_in(users[Role.HEALTH])
    site = post(health, "/api/v1/exposure-sites", {
        "venue_id": tenant_a.venue.pk, "starts_at": (AT + 0.5 * H).isoformat(),
        "ends_at": (AT + 3 * H).isoformat()})  # fmt: skip
    assert site.status_code == 200, site.json()
    client.logout()
    listed = client.get("/api/v1/exposure-sites").json()["items"]
    assert [s["venue"] for s in listed] == [tenant_a.venue.name]
    assert citizen.person.name not in str(listed)
    client.force_login(citizen)
    check = client.get("/api/v1/me/exposure-check").json()
    assert len(check) == 1 and check[0]["site"]["venue"] == tenant_a.venue.name
    page = client.get("/me/").content.decode()
    assert tenant_a.venue.name in page and "14" in page  # the advice: watch health 14 days


@freeze_time(NOW)
def test_it_lets_only_health_officials_publish_sites(users, signed_in, tenant_a):
    for role in (Role.VENUE_STAFF, Role.OVERSIGHT, Role.CITIZEN):
        answer = post(signed_in(users[role]), "/api/v1/exposure-sites", {
            "venue_id": tenant_a.venue.pk, "starts_at": AT.isoformat(),
            "ends_at": (AT + H).isoformat()})  # fmt: skip
        assert answer.status_code == 403
