"""PostgreSQL: visits_visit becomes a table partitioned by day of entered_at (docs/decisions/0017).
SQLite: nothing changes.

An installation that already has visits is upgraded in this one transaction: the table is
renamed, the partitioned table made beside it with the same columns, defaults, checks, indexes
and foreign keys, every row copied (ids kept, the id sequence continued), and the old table
dropped — nothing is lost, and a failure rolls it all back. Its time is about that of copying
the rows and building the indexes (tested in tests/visits/test_visits_are_partitioned_by_day.py;
docs/operations.md says how long to plan for). Reversible: going back rebuilds one plain table
the same way.

Self-contained on purpose (a migration must keep working when app code changes): the names and
the partition bounds are computed here, the same way vaora/visits/partitions.py does."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

TABLE = "visits_visit"
OLD = "visits_visit_rebuilt"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
AHEAD_DAYS = 7


def _catalogue(cursor):
    """(plain index definitions, foreign-key constraints, client-id key name, check-out index
    name) of the current table."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid), x.indisunique FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
        " AND NOT x.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [TABLE],
    )
    indexes = cursor.fetchall()
    checkout = next(name for name, _sql, unique in indexes if unique)
    # A partitioned table's index reads "ON ONLY …" (the parent alone): made anew, it must
    # reach every partition.
    plain = [(name, sql.replace(" ON ONLY ", " ON ")) for name, sql, unique in indexes
             if not unique]  # fmt: skip
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [TABLE],
    )
    constraints = cursor.fetchall()
    foreign = [(name, sql) for name, sql, kind in constraints if kind == "f"]
    client_key = next(name for name, _sql, kind in constraints if kind == "u")
    return plain, foreign, client_key, checkout


def _bounds(day):
    start = datetime.datetime.combine(day, datetime.time(), LOCAL)
    return start, start + datetime.timedelta(days=1)


def _rebuild(cursor, partitioned: bool) -> None:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
    if (cursor.fetchone()[0] == "p") == partitioned:
        return
    plain, foreign, client_key, checkout = _catalogue(cursor)
    # The old table steps aside: renamed, its names freed for the new one.
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    cursor.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
    for name, _sql in foreign:
        cursor.execute(f"ALTER TABLE {OLD} DROP CONSTRAINT {name}")
    cursor.execute(f"ALTER TABLE {OLD} DROP CONSTRAINT {client_key}")
    cursor.execute(f"DROP INDEX {checkout}")
    for name, _sql in plain:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")
    cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP DEFAULT")
    cursor.execute(f"DROP SEQUENCE IF EXISTS {TABLE}_id_seq")
    # The new table: same columns, defaults and checks; rows first, keys and indexes after
    # (one sort per index instead of an index insert per row).
    by_day = " PARTITION BY RANGE (entered_at)" if partitioned else ""
    cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                   f"{by_day}")  # fmt: skip
    cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
    cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
    if partitioned:
        _make_partitions(cursor)
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608
    cursor.execute(f"SELECT setval('{TABLE}_id_seq', COALESCE(max(id), 0) + 1, false)"  # noqa: S608
                   f" FROM {TABLE}")  # fmt: skip
    cursor.execute(f"DROP TABLE {OLD}")
    # A partitioned table's unique keys carry the partition column; they carry the
    # distribution column too (province_code: docs/decisions/0018).
    if partitioned:
        key, client, out = ("id, entered_at, province_code",
                            "client_id, province_code, entered_at",
                            "checkout_client_id, province_code, entered_at")  # fmt: skip
    else:
        key, client, out = "id", "client_id", "checkout_client_id"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY ({key})")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {client_key} UNIQUE ({client})")
    cursor.execute(f"CREATE UNIQUE INDEX {checkout} ON {TABLE} ({out})"
                   " WHERE checkout_client_id IS NOT NULL")  # fmt: skip
    for _name, sql in plain:
        cursor.execute(sql)
    for name, sql in foreign:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {sql}")


def _make_partitions(cursor) -> None:
    """A default partition and one per day, from the oldest visit still worth a partition (no
    older than retention allows, plus a margin) to a week ahead."""
    cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    today = datetime.datetime.now(LOCAL).date()
    first = today - datetime.timedelta(days=settings.VAORA_RETENTION_DAYS + 3)
    cursor.execute(f"SELECT min(entered_at) FROM {OLD}")  # noqa: S608
    (oldest,) = cursor.fetchone()
    if oldest is not None:
        first = max(first, min(oldest.astimezone(LOCAL).date(), today))
    day = first
    while day <= today + datetime.timedelta(days=AHEAD_DAYS):
        start, end = _bounds(day)
        cursor.execute(f"CREATE TABLE {TABLE}_p{day:%Y%m%d} PARTITION OF {TABLE}"
                       " FOR VALUES FROM (%s) TO (%s)", [start, end])  # fmt: skip
        day += datetime.timedelta(days=1)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("visits", "0005_fail_closed_managers")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
