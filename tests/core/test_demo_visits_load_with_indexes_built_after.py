"""`vaora demo --visits` into an empty table drops the visit table's secondary indexes (and, on
PostgreSQL, its unique constraints), loads, and builds them again: afterwards the catalogue
holds exactly what migrations made, the rules still hold (a duplicate client id is refused),
and a load that fails leaves the table as it was. A visit's person and places have no database
constraint (decision 0028): the check-in engine refuses a visit of nobody
(tests/visits/test_a_visits_references_hold_without_database_constraints.py)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from vaora.core import bulk_load
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db

TABLE = Visit._meta.db_table


@pytest.fixture(autouse=True)
def debug_mode(settings):
    settings.DEBUG = True


def catalogue() -> list:
    """The table's indexes and constraints as the database describes them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = %s"
                           " AND type = 'index' ORDER BY name", [TABLE])  # fmt: skip
            return cursor.fetchall()
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)"
                       " FROM pg_index WHERE indrelid = %s::regclass ORDER BY 1",
                       [TABLE])  # fmt: skip
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                       " WHERE conrelid = %s::regclass ORDER BY 1", [TABLE])  # fmt: skip
        return indexes + cursor.fetchall()


def test_it_rebuilds_exactly_the_indexes_and_constraints_migrations_made(places, capsys):
    before = catalogue()
    assert len(before) >= 5
    call_command("demo", "--people", "60", "--venues", "40", "--visits", "5000")
    assert Visit.rows.count() == 5000
    assert catalogue() == before


def test_it_still_refuses_a_duplicate_client_id(places, capsys):
    call_command("demo", "--people", "60", "--venues", "40", "--visits", "500")
    visit = Visit.rows.order_by("pk").first()
    fields = {f.attname: getattr(visit, f.attname) for f in Visit._meta.concrete_fields}
    fields.pop("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.rows.create(**fields)


def test_a_failed_load_leaves_every_index_in_place():
    before = catalogue()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with bulk_load.indexes_built_after(TABLE):
            assert catalogue() != before
            1 / 0  # noqa: B018 - the load fails half-way
    assert catalogue() == before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_drop_indexes_outside_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        with bulk_load.indexes_built_after(TABLE):
            pass
