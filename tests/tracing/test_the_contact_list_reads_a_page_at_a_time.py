"""A case's contact list is read a page at a time in its one order — F1 before F2, high risk
before low, earliest exposure first — whatever the page size, with each line's person and
venue; the case page counts contacts per venue, two venues of the same name apart."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.tracing import services
from vaora.tracing.models import Case
from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db

NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
M = datetime.timedelta(minutes=1)


def traced_case(client) -> int:
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = client.post("/api/v1/cases", body, content_type="application/json").json()
    traced = client.post(f"/api/v1/cases/{case['id']}/trace", {"depth": 2},
                         content_type="application/json")  # fmt: skip
    assert traced.status_code == 200
    return case["id"]


def history(citizen, venue) -> list[Person]:
    """F1s at staggered times, some long (high risk) and some short (low), and F2s who met
    one F1 later at the same venue."""
    make_visit(citizen.person, venue, AT, 180 * M)
    people = [Person.rows.create(name=f"Người {n}", phone=f"09140{n:05d}") for n in range(14)]
    for n, person in enumerate(people[:10]):
        make_visit(person, venue, AT + n * 5 * M, (20 if n % 3 else 90) * M)
    for person in people[10:]:
        make_visit(people[0], venue, AT + 600 * M, 60 * M)
        make_visit(person, venue, AT + 610 * M, 30 * M)
    return people


@freeze_time(NOW)
def test_it_pages_through_every_contact_once_in_the_lists_order(users, signed_in, citizen,
                                                                tenant_a):  # fmt: skip
    history(citizen, tenant_a.venue)
    health = signed_in(users["health"])
    case_id = traced_case(health)
    whole = health.get(f"/api/v1/cases/{case_id}/contacts?limit=100").json()
    assert whole["count"] == 14
    listed = [(c["degree"], c["risk"] == "low", c["exposed_from"]) for c in whole["items"]]
    assert listed == sorted(listed)
    paged = []
    for offset in range(0, 14, 3):
        page = health.get(f"/api/v1/cases/{case_id}/contacts?limit=3&offset={offset}").json()
        paged += page["items"]
    assert [c["id"] for c in paged] == [c["id"] for c in whole["items"]]
    assert all(c["venue"] and c["name"] for c in paged)


@freeze_time(NOW)
def test_it_counts_contacts_per_venue_keeping_same_named_venues_apart(users, citizen, tenant_a,
                                                                      tenant_b):  # fmt: skip
    twin = tenant_b.venue  # another organisation's gate of the same name
    Venue.objects.filter(pk=twin.pk).update(name=tenant_a.venue.name)
    make_visit(citizen.person, tenant_a.venue, AT, 60 * M)
    make_visit(citizen.person, twin, AT + 120 * M, 60 * M)
    for n in range(3):
        make_visit(Person.rows.create(name=f"A {n}", phone=f"09150{n:05d}"), tenant_a.venue,
                   AT, 60 * M)  # fmt: skip
    make_visit(Person.rows.create(name="B", phone="0915100000"), twin, AT + 120 * M, 60 * M)
    health = users["health"]
    day = datetime.date(2026, 11, 24)
    case = services.open_case(health, phone="0912000009", test_date=day, purpose="Ca F0, CDC")
    services.trace_case(health, Case.objects.for_system("the test's own case").get(pk=case.pk),
                        depth=1)  # fmt: skip
    counted = services.busiest_venues(case)
    assert [(row["venue__name"], row["n"]) for row in counted] == [
        (tenant_a.venue.name, 3), (tenant_a.venue.name, 1)]  # fmt: skip
