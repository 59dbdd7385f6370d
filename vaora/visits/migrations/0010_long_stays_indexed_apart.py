"""PostgreSQL: the visits that lasted longer than 12 hours get a partial index of their own,
visit_long_stays (docs/decisions/0036). The tracer then looks back 12 hours in the covering
index for each range it reads — one or two day partitions instead of three or four — and reads
the longer stays, the few that can still overlap, from this small index
(tracing/tracer_sql.py states the same predicate, which the planner needs to use it).

Made on the partitioned table, so every partition has it, and every partition made later. On
an installation that already has visits it is built in this migration, reading every visit
once (1.1 s for 10 million visits here, none of them long); inserts wait meanwhile. SQLite:
nothing (the tracer reads its one table over the whole look-back). Reversible: going back
drops the index."""

from django.db import migrations

NAME = "visit_long_stays"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON visits_visit (province_code, venue_id, entered_at)"
    " INCLUDE (ends_at, id, person_id, zone_id)"
    " WHERE (ends_at - entered_at) > '12:00:00'::interval"
)


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0009_visits_without_database_constraints")]

    operations = [migrations.RunPython(create, drop)]
