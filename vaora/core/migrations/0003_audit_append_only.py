"""Database-level guard for the append-only audit log.

UPDATE is refused by a trigger on both databases. DELETE is refused by a row trigger on
PostgreSQL; on SQLite the model and queryset refuse it (a DELETE trigger there would also block
Django's test-database flush, which issues plain DELETEs; whoever holds the SQLite file holds all
of it anyway). See docs/decisions/0004-audit-append-only.md.
"""

from django.db import migrations

MESSAGE = "audit events are append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_update"]

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
        FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
