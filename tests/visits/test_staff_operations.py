"""Venue staff record entries and exits: a visitor's personal QR, a grandmother without a phone
typed in by hand (matched to the same person next time), an offline gate queue synced once, and
live occupancy as counts. Officials never create visits (threat 9); another organisation's
staff never reach the venue (404)."""

import uuid

import pytest
from freezegun import freeze_time

from vaora.people import codes
from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T02:00:00Z"  # 09:00 in Việt Nam


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def gate(users, signed_in):
    return signed_in(users["venue_staff"])


@freeze_time(NOW)
def test_it_records_entry_then_exit_from_a_personal_qr(gate, citizen, tenant_a):
    code = codes.person_url(citizen.person)
    url = f"/api/v1/venues/{tenant_a.venue.pk}/scan"
    entry = post(gate, url, {"client_id": str(uuid.uuid4()), "code": code}).json()
    assert (
        entry["status"] == "stored" and entry["initial"] == "C" and entry["declaration"] == "none"
    )
    visit = Visit.rows.get(pk=entry["visit_id"])
    assert (visit.source, visit.recorded_by.username) == ("staff_scan", "staff-a")
    leave = post(gate, url, {"client_id": str(uuid.uuid4()), "code": code, "direction": "out"})
    assert leave.json()["status"] == "stored"
    visit.refresh_from_db()
    assert visit.left_at is not None
    assert "Lê Văn Công" not in str(entry)  # staff see an initial, not the name


@freeze_time(NOW)
def test_it_refuses_a_replaced_or_forged_personal_code_with_its_reason(gate, citizen, tenant_a):
    code = codes.person_url(citizen.person)
    codes.replace_person_code(citizen.person)
    answer = post(gate, f"/api/v1/venues/{tenant_a.venue.pk}/scan",
                  {"client_id": str(uuid.uuid4()), "code": code})  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (410, "person_code_replaced")
    poster = post(gate, f"/api/v1/venues/{tenant_a.venue.pk}/scan",
                  {"client_id": str(uuid.uuid4()), "code": "HTTPS://X/V/AAAA"})  # fmt: skip
    assert poster.status_code == 400


def test_it_checks_in_a_visitor_without_a_phone_by_hand_and_finds_them_again(gate, tenant_a):
    url = f"/api/v1/venues/{tenant_a.venue.pk}/assisted"
    with freeze_time(NOW) as clock:
        first = post(gate, url, {"client_id": str(uuid.uuid4()), "name": "Nguyễn Thị Bà",
                                 "phone": "0912 777 888"}).json()  # fmt: skip
        clock.tick(600)  # ten minutes later, typed again a little differently
        second = post(gate, url, {"client_id": str(uuid.uuid4()), "name": "nguyễn thị bà",
                                  "phone": "+84912777888"}).json()  # fmt: skip
        same_moment = post(gate, url, {"client_id": str(uuid.uuid4()), "name": "Nguyễn Thị Bà",
                                       "phone": "0912777888"}).json()  # fmt: skip
    assert (first["status"], second["status"]) == ("stored", "extended")
    assert same_moment["status"] == "duplicate"  # nothing new to record
    assert Person.rows.by_phone("0912777888").count() == 1
    with freeze_time(NOW):
        grandson = post(gate, url, {"client_id": str(uuid.uuid4()), "name": "Nguyễn Văn Cháu",
                                    "phone": "0912777888"}).json()  # fmt: skip
        listed = gate.get(f"/api/v1/venues/{tenant_a.venue.pk}/assisted-today").json()
    assert grandson["status"] == "stored"  # same phone, another person
    assert Person.rows.by_phone("0912777888").count() == 2
    assert Visit.rows.filter(source="assisted").count() == 2
    assert {row["name"] for row in listed} == {"Nguyễn Thị Bà", "Nguyễn Văn Cháu"}


@freeze_time(NOW)
def test_it_stores_an_offline_gate_queue_sent_three_times_once(gate, citizen, tenant_a):
    items = [
        {"kind": "scan", "scan": {"client_id": str(uuid.uuid4()),
                                  "code": codes.person_url(citizen.person),
                                  "at": "2026-11-25T01:30:00Z"}},
        {"kind": "assisted", "assisted": {"client_id": str(uuid.uuid4()), "name": "Trần Văn Ông",
                                          "phone": "0912 000 321",
                                          "at": "2026-11-25T01:40:00Z"}},
        {"kind": "scan", "scan": {"client_id": str(uuid.uuid4()), "code": "garbage"}},
    ]  # fmt: skip
    url = f"/api/v1/venues/{tenant_a.venue.pk}/staff-sync"
    first = post(gate, url, {"items": items}).json()
    assert [r["status"] for r in first] == ["stored", "stored", "rejected"]
    for _ in range(2):
        again = post(gate, url, {"items": items}).json()
        assert [r["status"] for r in again] == ["duplicate", "duplicate", "rejected"]
    assert Visit.rows.count() == 2
    assert Visit.rows.get(source="staff_scan").is_late


@freeze_time(NOW)
def test_it_counts_occupancy_by_hour_and_zone(gate, citizen, tenant_a):
    post(gate, f"/api/v1/venues/{tenant_a.venue.pk}/scan",
         {"client_id": str(uuid.uuid4()), "code": codes.person_url(citizen.person),
          "zone_id": tenant_a.zone.pk})  # fmt: skip
    walk_in = {"client_id": str(uuid.uuid4()), "name": "Hồ Thị Lan", "cccd": "040190000123"}
    post(gate, f"/api/v1/venues/{tenant_a.venue.pk}/assisted", walk_in)
    counts = gate.get(f"/api/v1/venues/{tenant_a.venue.pk}/occupancy").json()
    assert counts["inside_now"] == 2 and counts["entries_today"] == 2
    assert counts["entries_by_hour"] == {"9": 2}
    assert counts["inside_by_zone"] == [{"zone_id": tenant_a.zone.pk, "zone": "Khoa Nhi",
                                         "inside": 1}]  # fmt: skip
    assert "Hồ Thị Lan" not in str(counts)


@pytest.mark.parametrize("role", ["oversight", "health"])
def test_it_refuses_officials_creating_visits(role, users, signed_in, tenant_a, citizen):
    client = signed_in(users[role])
    answer = post(client, f"/api/v1/venues/{tenant_a.venue.pk}/assisted",
                  {"client_id": str(uuid.uuid4()), "name": "Giả Mạo"})  # fmt: skip
    assert answer.status_code == 403
    assert not Visit.rows.exists()


def test_it_answers_404_to_another_organisations_staff(tenant_b, users, signed_in):
    client = signed_in(users["venue_staff"])
    for url in [f"/api/v1/venues/{tenant_b.venue.pk}/occupancy",
                f"/api/v1/venues/{tenant_b.venue.pk}/assisted-today"]:  # fmt: skip
        assert client.get(url).status_code == 404
    answer = post(client, f"/api/v1/venues/{tenant_b.venue.pk}/assisted",
                  {"client_id": str(uuid.uuid4()), "name": "Ai Đó"})  # fmt: skip
    assert answer.status_code == 404
