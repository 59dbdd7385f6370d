"""An exposure site made from a case warns the people who were there — not the confirmed case
herself, whose own visit is why the site exists; and a health official who prepared a batch
of notices is not offered an "approve" button that can only refuse them."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.roles import Role
from vaora.people.models import Person

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def case_with_site(users, signed_in, tenant_a, citizen):
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)  # the citizen is the F0
    other = Person.rows.create(name="Người Ở Đó", phone="0912000077")
    make_visit(other, tenant_a.venue, AT + 0.5 * H, H)
    health = signed_in(users[Role.HEALTH])
    opened = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca dương tính"}
    case_id = post(health, "/api/v1/cases", opened).json()["id"]
    site = post(health, "/api/v1/exposure-sites", {
        "venue_id": tenant_a.venue.pk, "starts_at": AT.isoformat(),
        "ends_at": (AT + 2 * H).isoformat(), "case_id": case_id})  # fmt: skip
    assert site.status_code == 200, site.json()
    return health, case_id, other


@freeze_time(NOW)
def test_it_warns_the_others_but_not_the_case(case_with_site, citizen, client):
    from tests.conftest import make_account

    _health, _case, other = case_with_site
    client.force_login(citizen)
    assert client.get("/api/v1/me/exposure-check").json() == []
    client.force_login(make_account(Role.CITIZEN, "other", person=other))
    assert len(client.get("/api/v1/me/exposure-check").json()) == 1


@freeze_time(NOW)
def test_it_shows_the_preparer_a_wait_not_an_approve_button(case_with_site, settings):
    settings.VAORA_APPROVAL_THRESHOLD = 0
    health, case_id, _other = case_with_site
    post(health, f"/api/v1/cases/{case_id}/trace")
    batch = post(health, f"/api/v1/cases/{case_id}/notices").json()
    assert batch["status"] == "pending"
    page = health.get(f"/cases/{case_id}/").content.decode()
    assert "Đang chờ một cán bộ y tế khác duyệt" in page
    assert f"/cases/{case_id}/notices/{batch['id']}/approve/" not in page
