"""Tracing a case again rewrites its contacts from the new trace, in a few statements whatever
their number: what officials already did with a contact (reached, tested, isolated) is kept,
and people the new trace no longer finds leave the list unless someone acted on them. A
contact's case, person, venue and zone are Django relations without a database constraint
(decisions 0022, 0026): deleting a person or a case still deletes the contacts that name them,
and the unique (person, case) index still refuses a person twice in one case."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.tracing.models import Case, Contact

pytestmark = pytest.mark.django_db

NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
M = datetime.timedelta(minutes=1)


def neighbours(count: int) -> list[Person]:
    return [Person.rows.create(name=f"Hàng Xóm {n}", phone=f"09130{n:05d}") for n in range(count)]


def open_case(client) -> str:
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = client.post("/api/v1/cases", body, content_type="application/json").json()
    return f"/api/v1/cases/{case['id']}"


def trace(client, url: str, **body) -> dict:
    response = client.post(url + "/trace", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def case_id(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def contacts(url: str) -> dict[int, Contact]:
    rows = Contact.objects.for_system("the test reads what was stored").filter(case_id=case_id(url))
    return {c.person_id: c for c in rows}


@freeze_time(NOW)
def test_it_keeps_a_contacts_state_and_rewrites_their_exposure(users, signed_in, citizen,
                                                              tenant_a):  # fmt: skip
    near = neighbours(1)[0]
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(near, tenant_a.venue, AT + 30 * M, 60 * M)
    make_visit(citizen.person, tenant_a.venue, AT + 1440 * M, 120 * M)
    make_visit(near, tenant_a.venue, AT + 1440 * M, 100 * M)  # the next day, longer
    health = signed_in(users["health"])
    url = open_case(health)
    assert trace(health, url)["contacts"] == 1
    first = contacts(url)[near.pk]
    assert first.overlap_minutes == 100
    state = health.patch(f"{url}/contacts/{first.pk}", {"state": "reached"},
                         content_type="application/json")  # fmt: skip
    assert state.status_code == 200
    narrowed = health.patch(url, {"window_end": "2026-11-23T12:00:00Z"},
                            content_type="application/json")  # fmt: skip
    assert narrowed.status_code == 200
    assert trace(health, url)["contacts"] == 1
    again = contacts(url)[near.pk]
    assert (again.pk, again.state) == (first.pk, "reached")
    assert again.overlap_minutes == 60  # only the first day is left in the window
    assert again.exposed_from == AT + 30 * M


@freeze_time(NOW)
def test_it_drops_people_no_longer_found_unless_someone_acted_on_them(users, signed_in, citizen,
                                                                      tenant_a):  # fmt: skip
    reached, untouched = neighbours(2)
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(reached, tenant_a.venue, AT + 30 * M, 60 * M)
    make_visit(untouched, tenant_a.venue, AT + 30 * M, 60 * M)
    health = signed_in(users["health"])
    url = open_case(health)
    assert trace(health, url)["contacts"] == 2
    contact = contacts(url)[reached.pk]
    health.patch(f"{url}/contacts/{contact.pk}", {"state": "tested"},
                 content_type="application/json")  # fmt: skip
    assert trace(health, url, min_overlap=90)["contacts"] == 0
    left = contacts(url)
    assert set(left) == {reached.pk}
    assert left[reached.pk].state == "tested"


@freeze_time(NOW)
def test_it_writes_any_number_of_contacts_with_the_same_statements(users, signed_in, citizen,
                                                                   tenant_a):  # fmt: skip
    people = neighbours(60)
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    health = signed_in(users["health"])
    statements = {}
    for count in (5, 60):
        for person in people[:count]:
            make_visit(person, tenant_a.venue, AT + 30 * M, 60 * M)
        url = open_case(health)
        with CaptureQueriesContext(connection) as queries:
            assert trace(health, url)["contacts"] == count
        statements[count] = len(queries)
        assert len(contacts(url)) == count
        with CaptureQueriesContext(connection) as queries:  # nothing changed: nothing rewritten
            assert trace(health, url)["contacts"] == count
        rewrites = ('INSERT INTO "tracing_contact"', 'UPDATE "tracing_contact"')
        assert not [q for q in queries if (q["sql"] or "").startswith(rewrites)]
    assert statements[60] == statements[5]


@freeze_time(NOW)
def test_it_deletes_a_persons_contacts_with_the_person(users, signed_in, citizen, tenant_a):
    near, other = neighbours(2)
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(near, tenant_a.venue, AT + 30 * M, 60 * M)
    make_visit(other, tenant_a.venue, AT + 3 * 60 * M, 60 * M)  # after the case left
    make_visit(near, tenant_a.venue, AT + 3 * 60 * M, 60 * M)  # near meets other: an F2
    health = signed_in(users["health"])
    url = open_case(health)
    assert trace(health, url, depth=2)["contacts"] == 2
    assert contacts(url)[other.pk].via_person_id == near.pk
    near.delete()
    assert contacts(url) == {}  # near as the contact, and as the F2's link to the case


@freeze_time(NOW)
def test_it_deletes_a_cases_contacts_with_the_case(users, signed_in, citizen, tenant_a):
    near, other = neighbours(2)
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(near, tenant_a.venue, AT + 30 * M, 60 * M)
    make_visit(other, tenant_a.venue, AT + 30 * M, 60 * M)
    health = signed_in(users["health"])
    url = open_case(health)
    assert trace(health, url)["contacts"] == 2
    Case.rows.get(pk=case_id(url)).delete()
    assert not Contact.rows.exists()


@freeze_time(NOW)
def test_it_refuses_a_person_twice_in_one_case(users, signed_in, citizen, tenant_a):
    near = neighbours(1)[0]
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(near, tenant_a.venue, AT + 30 * M, 60 * M)
    health = signed_in(users["health"])
    url = open_case(health)
    assert trace(health, url)["contacts"] == 1
    stored = contacts(url)[near.pk]
    stored.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        stored.save()
