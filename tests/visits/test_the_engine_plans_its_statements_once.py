"""On PostgreSQL the check-in engine's statements are prepared on the server, once per
connection: their text does not depend on how many scans a batch holds or which provinces it
names (each list is one array parameter), so the server plans them once instead of once per
batch — planning a statement over thirty day partitions cost more than running it
(visits/visit_sql.py). The decisions are the same as ever."""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import engine_place
from vaora.people.models import Person
from vaora.visits import engine, rules
from vaora.visits.models import Source, Visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="SQLite has no server to prepare statements on"
    ),  # fmt: skip
]


def engine_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements"
                       " WHERE statement LIKE %s OR statement LIKE %s",
                       ["%visits_visit%", "%people_person%"])  # fmt: skip
        return [row[0] for row in cursor.fetchall()]


def test_it_prepares_each_statement_once_whatever_the_batch_size(tenant_a, tenant_b):
    places = [engine_place(t.venue) for t in (tenant_a, tenant_b)]
    persons = Person.rows.bulk_create([Person(name=f"Người {n}") for n in range(40)])
    now = timezone.now()
    stored = 0
    for size in range(1, 9):  # batches of 1 to 8 scans: 8 different IN-list lengths
        requests = [engine.CheckIn(persons[(size * 5 + n) % 40].pk, uuid.uuid4(),
                                   now - datetime.timedelta(minutes=60 - size), places[n % 2],
                                   Source.SELF_SCAN, throttle=True)
                    for n in range(size)]  # fmt: skip
        with transaction.atomic():
            results = engine.apply(requests)
        assert all(result.ok for result in results)
        stored += sum(result.status == "stored" for result in results)
    statements = engine_statements()
    # Persons, visits by client id, the persons' timelines, the insert, the update: each one
    # text, prepared after psycopg's threshold (5 runs) — not one per batch size.
    assert 3 <= len(statements) <= 5, statements
    assert all("$1" in sql for sql in statements)
    assert Visit.rows.count() == stored


def test_a_retry_through_prepared_statements_is_still_the_same_visit(tenant_a):
    scan = engine.CheckIn(tenant_a.person.pk, uuid.uuid4(),
                          timezone.now() - datetime.timedelta(minutes=5),
                          engine_place(tenant_a.venue), Source.SELF_SCAN)  # fmt: skip
    for _ in range(8):  # beyond the threshold: the later runs go through the prepared plan
        with transaction.atomic():
            (result,) = engine.apply([scan])
    assert result.status == "duplicate"
    assert Visit.rows.filter(client_id=scan.client_id).count() == 1


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_a_paper_sized_batch_is_planned_for_its_own_values(tenant_a):
    """From engine.CUSTOM_PLAN_REQUESTS scans (a register's chunk), until its transaction ends:
    a generic plan tested `person_id = ANY($n)` element by element on every visit of the
    window; a custom plan hashes the list (decision 0023)."""
    place = engine_place(tenant_a.venue)
    persons = Person.rows.bulk_create([Person(name=f"Người {n}")
                                       for n in range(engine.CUSTOM_PLAN_REQUESTS)])  # fmt: skip
    at = timezone.now() - datetime.timedelta(days=2)

    def scans(count: int) -> list:
        return [engine.CheckIn(person.pk, uuid.uuid4(), at, place, Source.PAPER,
                               mode=rules.Mode.PAPER) for person in persons[:count]]  # fmt: skip

    with transaction.atomic():
        engine.apply(scans(engine.CUSTOM_PLAN_REQUESTS - 1))
        assert plan_cache_mode() == "auto"  # a live batch keeps its prepared plan
    with transaction.atomic():
        results = engine.apply(scans(engine.CUSTOM_PLAN_REQUESTS))
        assert plan_cache_mode() == "force_custom_plan"
    assert sum(r.status == "duplicate" for r in results) == engine.CUSTOM_PLAN_REQUESTS - 1
