"""A closed case is read-only history: its counts and audit trail stay, but no page, API page or
export serves a contact's name or phone, nor the F0's visits."""

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


@pytest.fixture
def closed_case(users, signed_in, tenant_a, citizen):
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)
    make_visit(Person.rows.create(name="Trần Thị Hàng Xóm", phone="0912000301"),
               tenant_a.venue, AT + 0.5 * H, H)  # fmt: skip
    health = signed_in(users[Role.HEALTH])
    case_id = health.post("/api/v1/cases", {"phone": "0912000009", "test_date": "2026-11-24",
                                            "purpose": "Ca dương tính 24/11, truy vết theo CDC"},
                          content_type="application/json").json()["id"]  # fmt: skip
    health.post(f"/api/v1/cases/{case_id}/trace", {}, content_type="application/json")
    assert health.post(f"/api/v1/cases/{case_id}/close").status_code == 200
    return health, case_id


@freeze_time(NOW)
def test_it_masks_every_contact_of_a_closed_case(closed_case):
    health, case_id = closed_case
    page = health.get(f"/api/v1/cases/{case_id}/contacts").json()
    assert page["count"] == 1
    assert page["items"][0]["name"] != "Trần Thị Hàng Xóm" and "*" in page["items"][0]["name"]
    assert "0912000301" not in str(page) and "+84912000301" not in str(page)


@freeze_time(NOW)
def test_it_refuses_to_export_a_closed_case(closed_case):
    health, case_id = closed_case
    answer = health.get(f"/api/v1/cases/{case_id}/contacts.csv")
    assert (answer.status_code, answer.json()["code"]) == (403, "case_closed")


@freeze_time(NOW)
def test_its_page_keeps_counts_but_shows_no_names_or_visits(closed_case):
    health, case_id = closed_case
    page = health.get(f"/cases/{case_id}/").content.decode()
    assert "Trần Thị Hàng Xóm" not in page and "912000301" not in page
    assert "23/11 09:00" not in page  # the F0's visits (entered 09:00 local) are not listed
    assert "<td>F1</td><td>1</td>" in page  # the counts remain
