"""A check-in's client id is looked for where the visit it stored would be: in the place's
province, entered within the engine's window around the scan's time (visits/engine.py,
decision 0024). The visit a scan stores enters at the scan's time, so a retry — even one a
device sends days later, with the time it scanned — is always found; on PostgreSQL the day
partitions outside the window are never probed (a list of ids alone probed every one of them:
3.8 ms instead of 1.0 ms for 20 scans over 33 partitions, 623 ms instead of 102 ms for a paper
register's 5,000 lines)."""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import engine_place
from vaora.visits import engine, partitions, rules
from vaora.visits.models import Source, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(tenant_a) -> rules.Place:
    return engine_place(tenant_a.venue)


def paper_scan(person, place, at, client_id) -> engine.CheckIn:
    return engine.CheckIn(person.pk, client_id, at, place, Source.PAPER, mode=rules.Mode.PAPER)


def apply(*requests) -> list[engine.Result]:
    with transaction.atomic():
        return engine.apply(list(requests))


def test_it_finds_a_retry_sent_days_later_with_the_time_it_scanned(tenant_a, place):
    scanned = timezone.now() - datetime.timedelta(days=5)
    scan = paper_scan(tenant_a.person, place, scanned, uuid.uuid4())
    (first,) = apply(scan)
    (again,) = apply(scan)
    assert (first.status, again.status) == ("stored", "duplicate")
    assert again.visit_id == first.visit_id
    assert Visit.rows.filter(client_id=scan.client_id).count() == 1


def test_it_refuses_another_persons_scan_id_within_the_window(tenant_a, tenant_b, place):
    at = timezone.now() - datetime.timedelta(hours=2)
    client_id = uuid.uuid4()
    apply(paper_scan(tenant_a.person, place, at, client_id))
    (stolen,) = apply(paper_scan(tenant_b.person, place, at + datetime.timedelta(hours=1),
                                 client_id))  # fmt: skip
    assert stolen.status == "rejected" and stolen.error.code == "client_id_conflict"
    assert Visit.rows.filter(client_id=client_id).count() == 1


def test_it_never_answers_with_the_old_visit_for_an_id_used_again_after_the_window(tenant_a, place):
    """Beyond the window a reused id is a scan of its own: PostgreSQL, whose key is the id, the
    province and the time, stores it; SQLite's key is the id alone, so it refuses it as taken.
    Neither hands back the old visit as this scan's, nor loses or doubles a retry."""
    client_id = uuid.uuid4()
    old_at = timezone.now() - datetime.timedelta(days=8)
    (old,) = apply(paper_scan(tenant_a.person, place, old_at, client_id))
    (reused,) = apply(paper_scan(tenant_a.person, place, timezone.now() - datetime.timedelta(
        days=1), client_id))  # fmt: skip
    assert reused.visit_id != old.visit_id
    if connection.vendor == "postgresql":
        assert reused.status == "stored"
        assert Visit.rows.filter(client_id=client_id).count() == 2
    else:
        assert reused.status == "rejected" and reused.error.code == "client_id_conflict"
        assert Visit.rows.filter(client_id=client_id).count() == 1


def scanned_partitions() -> dict[str, int]:
    """Index scans per day partition in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, idx_scan FROM pg_stat_xact_user_tables"
                       " WHERE relname LIKE 'visits_visit_p%%'")  # fmt: skip
        return dict(cursor.fetchall())


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite keeps one table")
def test_it_probes_only_the_day_partitions_of_the_window(tenant_a, place):
    today = timezone.localdate()
    partitions.ensure(today - datetime.timedelta(days=20), today + datetime.timedelta(days=2))
    window_days = rules.MAX_STAY.days + 1
    near = {partitions.name_of(today - datetime.timedelta(days=n))
            for n in range(-window_days, window_days + 1)}  # fmt: skip
    with transaction.atomic():
        before = scanned_partitions()
        engine.apply([paper_scan(tenant_a.person, place, timezone.now(), uuid.uuid4())
                      for _ in range(3)])  # fmt: skip
        after = scanned_partitions()
    probed = {name for name, count in after.items() if count > before.get(name, 0)}
    assert probed, "the engine read no day partition at all"
    assert probed <= near, sorted(probed - near)
