"""Reading a case's contacts a page at a time writes one audit event per page with the number
of people that page showed — not the size of the whole list — on the API and on the case page."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.models import AuditEvent
from vaora.core.roles import Role
from vaora.people.models import Person

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


@pytest.fixture
def case_of_five(users, signed_in, tenant_a, citizen):
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)
    for i in range(5):
        make_visit(Person.rows.create(name=f"Người {i}", phone=f"091200010{i}"),
                   tenant_a.venue, AT + 0.5 * H, H)  # fmt: skip
    health = signed_in(users[Role.HEALTH])
    case_id = health.post("/api/v1/cases", {
        "phone": "0912000009", "test_date": "2026-11-24",
        "purpose": "Ca dương tính ngày 24/11, truy vết theo CDC"},
        content_type="application/json").json()["id"]  # fmt: skip
    health.post(f"/api/v1/cases/{case_id}/trace", {}, content_type="application/json")
    return health, case_id


@freeze_time(NOW)
def test_it_audits_the_people_an_api_page_returned(case_of_five):
    health, case_id = case_of_five
    page = health.get(f"/api/v1/cases/{case_id}/contacts?limit=2&offset=1").json()
    assert (len(page["items"]), page["count"]) == (2, 5)
    read = AuditEvent.objects.filter(action="case.contacts_read").get()
    assert read.row_count == 2


@freeze_time(NOW)
def test_it_audits_the_people_the_case_page_showed(case_of_five):
    health, case_id = case_of_five
    assert health.get(f"/cases/{case_id}/").status_code == 200
    assert AuditEvent.objects.get(action="case.contacts_read").row_count == 5


@freeze_time(NOW)
def test_it_bounds_the_paging_limits(case_of_five):
    health, case_id = case_of_five
    for query in ("limit=0", "limit=501", "offset=-1", "offset=99999999999999999999"):
        assert health.get(f"/api/v1/cases/{case_id}/contacts?{query}").status_code == 422, query
