"""A visit's person, venue, zone and recorder stay Django relations (cascades, protection,
joins) without database constraints (docs/decisions/0028): the check-in engine checks and locks
them per batch, and a deletion waits for that lock and looks again (visits/integrity.py).

PostgreSQL: the four foreign keys are dropped from the partitioned table (its partitions' go
with them) — a catalogue change, instant whatever the table's size. SQLite keeps a table's
foreign keys in its definition: the table is rebuilt once for all four (four AlterFields would
copy every visit four times). Reversible: going back adds them again (PostgreSQL checks every
row then) or rebuilds the SQLite table with them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "visits_visit"
COLUMNS = {"people_person": "person_id", "people_account": "recorded_by_id",
           "venues_venue": "venue_id", "venues_zone": "zone_id"}  # fmt: skip


def _rebuild_sqlite(apps, schema_editor) -> None:
    # The table as the state now describes it (with or without the constraints).
    schema_editor._remake_table(apps.get_model("visits", "Visit"))


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _rebuild_sqlite(apps, schema_editor)
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"
            " AND confrelid::regclass::text = ANY(%s)",
            [TABLE, list(COLUMNS)],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')


def add(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _rebuild_sqlite(apps, schema_editor)
        return
    for target, column in COLUMNS.items():
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_{column}_fk_{target}_id"
            f" FOREIGN KEY ({column}) REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )


def _field(name: str, **options):
    return migrations.AlterField(model_name="visit", name=name, field=models.ForeignKey(**options))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0014_sector_accounts"),
        ("venues", "0008_default_sectors"),
        ("visits", "0008_covering_index_carries_the_visit_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The state first, so that the rebuild below sees the fields without constraints
        # (and, going back, the rebuild runs before the state has them again).
        migrations.RunPython(migrations.RunPython.noop, add),
        migrations.SeparateDatabaseAndState(state_operations=[
            _field("person", db_constraint=False, db_index=False, related_name="visits",
                   on_delete=django.db.models.deletion.CASCADE, to="people.person"),
            _field("recorded_by", blank=True, db_constraint=False, null=True, related_name="+",
                   on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL),
            _field("venue", db_constraint=False, db_index=False, related_name="visits",
                   on_delete=django.db.models.deletion.PROTECT, to="venues.venue"),
            _field("zone", blank=True, db_constraint=False, db_index=False, null=True,
                   on_delete=django.db.models.deletion.PROTECT, to="venues.zone"),
        ]),  # fmt: skip
        migrations.RunPython(drop, migrations.RunPython.noop),
    ]
