"""docs/decisions/0018: vaora obeys Citus's rules today, so a country can spread it over a
cluster by province without a rewrite — checked over the models, the database's catalogue and
the SQL the hot paths send (ingest, tracing, occupancy, rollups). Citus itself cannot be
installed here: the layout command refuses without it, and shows what it would run."""

import datetime
import re
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import engine_place
from vaora.core import citus
from vaora.oversight import rollups
from vaora.tracing.tracer import Tracer
from vaora.visits import engine, staff
from vaora.visits.models import Source

pytestmark = pytest.mark.django_db
VISITS = re.compile(r'(FROM|JOIN|INTO|UPDATE)\s+"?visits_visit"?(\s|$)', re.IGNORECASE)
# Queries that cannot name a province, by nature; Citus runs them on every node, an index
# lookup each (decision 0018 lists them with the same reasons).
FAN_OUT = {
    "a check-out names a visit by client id or id (the device does not know the province)":
        re.compile(r"WHERE (client_id|checkout_client_id|id) (IN \(|= ANY\()"),
    "tracing reads a person's own visits (a person visits any province)":
        re.compile(r'("visits_visit"\."person_id"|\bv\.person_id) (IN \(|= ANY\(|= t\.person\b)'),
    "the rollup finds the days of visits new since its last run (by id)":
        re.compile(r'"visits_visit"\."id" > '),
}  # fmt: skip


def test_every_distributed_table_carries_a_non_null_province_code():
    for label in citus.DISTRIBUTED:
        field = apps.get_model(label)._meta.get_field(citus.DISTRIBUTION_COLUMN)
        assert not field.null and not field.blank and field.max_length == 2, label


def test_every_key_of_a_distributed_table_includes_the_province():
    if connection.vendor != "postgresql":
        pytest.skip("Citus is PostgreSQL; SQLite keeps UNIQUE (client_id) (decision 0017)")
    for table in citus.tables(citus.DISTRIBUTED):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.relname, array_agg(a.attname::text) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid"
                " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)"
                " WHERE x.indrelid = %s::regclass AND x.indisunique GROUP BY i.relname",
                [table],
            )
            keys = dict(cursor.fetchall())
        assert len(keys) >= 3, keys  # primary key, client id, check-out id
        for name, columns in keys.items():
            assert citus.DISTRIBUTION_COLUMN in columns, (name, columns)


def hot_path_sql(tenant_a, tenant_b) -> list[str]:
    """What ingest (the engine every door uses), tracing, occupancy and the rollup send."""
    now = timezone.now()
    places = [engine_place(t.venue) for t in (tenant_a, tenant_b)]
    first, second = uuid.uuid4(), uuid.uuid4()
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            engine.apply([
                engine.CheckIn(tenant_a.person.pk, first, now - datetime.timedelta(minutes=50),
                               places[0], Source.SELF_SCAN),
                engine.CheckIn(tenant_b.person.pk, uuid.uuid4(),
                               now - datetime.timedelta(minutes=45), places[0], Source.SELF_SCAN),
            ])  # fmt: skip
        with transaction.atomic():
            engine.apply([
                engine.CheckIn(tenant_a.person.pk, second, now - datetime.timedelta(minutes=20),
                               places[1], Source.SELF_SCAN),  # closes the first visit
                engine.CheckIn(tenant_a.person.pk, first, now - datetime.timedelta(minutes=50),
                               places[0], Source.SELF_SCAN),  # a retry
                engine.CheckOut(tenant_a.person.pk, uuid.uuid4(), now,
                                visit_client_id=second),
            ])  # fmt: skip
        found = Tracer().trace(tenant_a.person.pk, now - datetime.timedelta(days=2), now, depth=2)
        staff.occupancy(tenant_a.venue)
        rollups.refresh()
    assert [e.person_id for e in found] == [tenant_b.person.pk]  # the flow did real work
    return [query["sql"] for query in captured.captured_queries]


def test_the_hot_paths_name_the_province_of_every_visit_they_read(tenant_a, tenant_b):
    if connection.vendor != "postgresql":
        pytest.skip("Citus is PostgreSQL; SQLite's rollup reads id ranges of all provinces at once")
    statements = [sql for sql in hot_path_sql(tenant_a, tenant_b) if VISITS.search(sql)]
    assert len(statements) >= 8
    for sql in statements:
        if any(pattern.search(sql) for pattern in FAN_OUT.values()):
            continue
        # Each part of a UNION ALL (the tracer reads a range's recent visits and its long
        # stays apart, decision 0036) on its own: one province, no visits joined with visits
        # (a distributed table with a distributed one).
        for part in re.split(r"\bUNION ALL\b", sql):
            assert citus.DISTRIBUTION_COLUMN in part, sql
            found = re.findall(r'(FROM|JOIN)\s+"?visits_visit"?\s', part, re.IGNORECASE)
            assert len(found) <= 1, sql


def test_check_ins_and_their_retries_read_the_visits_of_their_provinces_only(tenant_a):
    """No statement of a check-in batch fans out: a retry's id is looked for in its place's
    province and days (decision 0024)."""
    if connection.vendor != "postgresql":
        pytest.skip("Citus is PostgreSQL")
    scan = engine.CheckIn(tenant_a.person.pk, uuid.uuid4(),
                          timezone.now() - datetime.timedelta(minutes=5),
                          engine_place(tenant_a.venue), Source.SELF_SCAN)  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        for _ in range(2):  # stored, then a retry
            with transaction.atomic():
                engine.apply([scan])
    statements = [q["sql"] for q in captured.captured_queries if VISITS.search(q["sql"])]
    assert len(statements) >= 3
    for sql in statements:
        assert citus.DISTRIBUTION_COLUMN in sql, sql


def test_the_layout_command_refuses_where_citus_is_not_installed():
    with pytest.raises(CommandError, match="citus"):
        call_command("citus_layout")


def test_it_shows_the_layout_it_would_make(capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the layout reads PostgreSQL's catalogue")
    call_command("citus_layout", "--print")
    out = capsys.readouterr().out
    assert "SELECT create_distributed_table('visits_visit', 'province_code');" in out
    for table in citus.tables(citus.REFERENCE):
        assert f"SELECT create_reference_table('{table}');" in out
    assert "ALTER TABLE visits_visit" not in out  # it has no foreign keys (decision 0028)


def test_it_drops_a_foreign_key_citus_cannot_keep_and_keeps_one_to_a_reference_table(capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the layout reads PostgreSQL's catalogue")
    with connection.cursor() as cursor:  # as an installation from before decision 0028 had
        for target, column in (("people_person", "person_id"), ("venues_venue", "venue_id")):
            cursor.execute(
                f"ALTER TABLE visits_visit ADD CONSTRAINT old_{column}"
                f" FOREIGN KEY ({column}) REFERENCES {target} (id)"
            )
    call_command("citus_layout", "--print")
    out = capsys.readouterr().out
    assert "ALTER TABLE visits_visit DROP CONSTRAINT old_person_id;  -- to people_person" in out
    assert "-- to venues_venue" not in out  # a reference table: its foreign key stays
