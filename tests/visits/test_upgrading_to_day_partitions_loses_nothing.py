"""An installation upgraded from a version with one plain visits table (PostgreSQL): migration
0006 turns it into day partitions with every visit, id, index, key and foreign key kept, and
the id sequence continued. Going back (0005) rebuilds the plain table, also losing nothing."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from vaora.visits import partitions
from vaora.visits.models import Visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite keeps one table"),
]
BEFORE = [("visits", "0005_fail_closed_managers")]
LATEST = None  # every migration of the app: the test database is left as it found it
COLUMNS = ("id", "person_id", "venue_id", "client_id", "entered_at", "ends_at", "left_at",
           "checkout_client_id", "province_code", "source")  # fmt: skip


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes("visits"))


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index"
                       " WHERE indrelid = 'visits_visit'::regclass")  # fmt: skip
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'visits_visit'::regclass"
        )
        return indexes | {row[0] for row in cursor.fetchall()}


def relkind() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'visits_visit'::regclass")
        return cursor.fetchone()[0]


def test_it_partitions_an_existing_table_with_nothing_lost(tenant_a, tenant_b):
    names = index_names()
    migrate(BEFORE)
    try:
        assert relkind() == "r"
        now = timezone.now()
        for days in (0, 1, 5, 20, 45, -3):  # today, recent, old (past retention), tomorrow-ish
            for tenant in (tenant_a, tenant_b):
                at = now - datetime.timedelta(days=days, minutes=17)
                Visit.rows.create(person=tenant.person, venue=tenant.venue,
                                  province_code=tenant.venue.province_code, entered_at=at,
                                  ends_at=at + datetime.timedelta(hours=2), source="paper",
                                  client_id=uuid.uuid4(), checkout_client_id=uuid.uuid4(),
                                  scanned_at=at, received_at=now)  # fmt: skip
        before = sorted(Visit.rows.values_list(*COLUMNS))
        top = max(row[0] for row in before)
    finally:
        migrate(LATEST)
    assert relkind() == "p" and partitions.is_partitioned()
    assert sorted(Visit.rows.values_list(*COLUMNS)) == before
    assert index_names() >= names  # every name kept (partitions add their own elsewhere)
    fresh = Visit.rows.create(person=tenant_a.person, venue=tenant_a.venue,
                              province_code="40", entered_at=now, ends_at=now, source="paper",
                              client_id=uuid.uuid4(), scanned_at=now, received_at=now)  # fmt: skip
    assert fresh.pk > top
    twin = {c: getattr(fresh, c) for c in ("person_id", "venue_id", "province_code",
                                           "entered_at", "ends_at", "source", "client_id",
                                           "scanned_at", "received_at")}  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.rows.create(**twin)


def test_going_back_rebuilds_one_plain_table_with_nothing_lost(tenant_a):
    now = timezone.now()
    Visit.rows.create(person=tenant_a.person, venue=tenant_a.venue, province_code="40",
                      entered_at=now, ends_at=now, source="paper", client_id=uuid.uuid4(),
                      scanned_at=now, received_at=now)  # fmt: skip
    before = sorted(Visit.rows.values_list(*COLUMNS))
    migrate(BEFORE)
    try:
        assert relkind() == "r"
        assert sorted(Visit.rows.values_list(*COLUMNS)) == before
    finally:
        migrate(LATEST)
    assert relkind() == "p"
    assert sorted(Visit.rows.values_list(*COLUMNS)) == before
