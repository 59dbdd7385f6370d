"""A visitor typed in at the gate needs a phone or a CCCD number, as a paper register's row
does (one rule, people.identity.require_contact): on the page, through the API and from the
offline queue the refusal is the same coded error, and nothing is stored."""

import uuid

import pytest
from freezegun import freeze_time

from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T02:00:00Z"


@pytest.fixture
def gate(users, signed_in):
    return signed_in(users["venue_staff"])


@freeze_time(NOW)
def test_it_refuses_a_name_alone_on_the_page(gate, tenant_a):
    page = gate.post(f"/venues/{tenant_a.venue.pk}/assisted/", {"name": "Hồ Thị Lan"})
    assert page.status_code == 422
    assert "Cần số điện thoại hoặc số CCCD" in page.content.decode()
    assert (
        not Visit.rows.exists()
        and not Person.rows.filter(phone_index__isnull=True, cccd_index__isnull=True).exists()
    )


@freeze_time(NOW)
def test_it_refuses_a_name_alone_through_the_api_and_the_queue(gate, tenant_a):
    url = f"/api/v1/venues/{tenant_a.venue.pk}"
    body = {"client_id": str(uuid.uuid4()), "name": "Hồ Thị Lan", "phone": "  "}
    answer = gate.post(f"{url}/assisted", body, content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (422, "contact_required")
    items = [{"kind": "assisted", "assisted": {"client_id": str(uuid.uuid4()),
                                               "name": "Hồ Thị Lan"}}]  # fmt: skip
    synced = gate.post(f"{url}/staff-sync", {"items": items}, content_type="application/json")
    assert (synced.json()[0]["status"], synced.json()[0]["code"]) == (
        "rejected",
        "contact_required",
    )
    assert not Visit.rows.exists()


@freeze_time(NOW)
def test_it_takes_a_phone_or_a_cccd(gate, tenant_a):
    gate.post(
        f"/venues/{tenant_a.venue.pk}/assisted/", {"name": "Hồ Thị Lan", "phone": "0912 345 111"}
    )
    gate.post(
        f"/venues/{tenant_a.venue.pk}/assisted/", {"name": "Hồ Văn Minh", "cccd": "040090000777"}
    )
    assert Visit.rows.count() == 2
