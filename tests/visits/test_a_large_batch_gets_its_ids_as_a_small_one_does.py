"""A large batch (a paper register's: visit_sql.COPY_FROM new visits or more) is written another
way than a live one — copied on PostgreSQL, its ids returned by the insert on SQLite — and
answers the same: every stored line has the id of the row it stored, and a line whose client id
an older visit beyond the engine's window already holds is never handed that visit."""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import engine_place
from vaora.people.models import Person
from vaora.visits import engine, rules, visit_sql
from vaora.visits.models import Source, Visit

pytestmark = pytest.mark.django_db


def paper_scan(person_id, place, at, client_id) -> engine.CheckIn:
    return engine.CheckIn(person_id, client_id, at, place, Source.PAPER, mode=rules.Mode.PAPER)


def apply(requests) -> list[engine.Result]:
    with transaction.atomic():
        return engine.apply(requests)


@pytest.mark.parametrize("size", [3, visit_sql.COPY_FROM + 20])
def test_it_gives_each_stored_line_the_id_of_its_row(tenant_a, size):
    place = engine_place(tenant_a.venue)
    persons = Person.rows.bulk_create([Person(name=f"Khách {n}") for n in range(size)])
    start = timezone.now() - datetime.timedelta(hours=5)
    requests = [paper_scan(person.pk, place, start + datetime.timedelta(seconds=n), uuid.uuid4())
                for n, person in enumerate(persons)]  # fmt: skip
    results = apply(requests)
    assert [result.status for result in results] == ["stored"] * size
    stored = dict(Visit.rows.filter(venue=tenant_a.venue).values_list("client_id", "id"))
    assert {request.client_id: result.visit_id
            for request, result in zip(requests, results, strict=True)} == stored  # fmt: skip


@pytest.mark.parametrize("size", [1, visit_sql.COPY_FROM + 20])
def test_it_never_hands_a_line_the_older_visit_that_holds_its_id(tenant_a, size):
    place = engine_place(tenant_a.venue)
    reused = uuid.uuid4()
    (old,) = apply([paper_scan(tenant_a.person.pk, place,
                               timezone.now() - datetime.timedelta(days=8), reused)])  # fmt: skip
    persons = Person.rows.bulk_create([Person(name=f"Khách {n}") for n in range(size - 1)])
    start = timezone.now() - datetime.timedelta(days=1)
    requests = [paper_scan(tenant_a.person.pk, place, start, reused)] + [
        paper_scan(person.pk, place, start + datetime.timedelta(seconds=n + 1), uuid.uuid4())
        for n, person in enumerate(persons)
    ]
    first, *others = apply(requests)
    assert [result.status for result in others] == ["stored"] * (size - 1)
    assert first.visit_id != old.visit_id
    if connection.vendor == "postgresql":  # the key is the id, the province and the time
        assert first.status == "stored"
        assert Visit.rows.filter(client_id=reused).count() == 2
    else:  # SQLite's key is the id alone
        assert first.status == "rejected" and first.error.code == "client_id_conflict"
        assert Visit.rows.filter(client_id=reused).count() == 1
