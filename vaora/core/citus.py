"""The Citus layout (docs/decisions/0018): which tables are distributed by province, which are
copied to every node, and the DDL that makes it so. Models are named by label: core depends on
no app above it."""

from django.apps import apps
from django.db import connection

DISTRIBUTION_COLUMN = "province_code"
DISTRIBUTED = ["visits.Visit"]
REFERENCE = ["core.Place", "venues.Organisation", "venues.Venue", "venues.Zone"]


class CitusMissing(Exception):
    code = "citus_missing"
    vi = "Máy chủ PostgreSQL này chưa cài phần mở rộng Citus: không thể phân tán dữ liệu."
    en = "The citus extension is not installed in this PostgreSQL database: nothing to lay out."

    def __str__(self) -> str:
        return f"{self.code}: {self.vi} / {self.en}"


def tables(labels: list[str]) -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in labels]


def citus_installed() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def statements() -> list[str]:
    """The DDL, in order: foreign keys Citus cannot keep dropped (from a distributed or
    reference table to a table that stays local), reference tables made, the distributed
    tables distributed (co-located by province). PostgreSQL only (reads its catalogue)."""
    reference, distributed = tables(REFERENCE), tables(DISTRIBUTED)
    allowed = set(reference) | set(distributed)
    ddl = []
    with connection.cursor() as cursor:
        for table in [*reference, *distributed]:
            cursor.execute(
                "SELECT conname, confrelid::regclass::text FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            for name, target in cursor.fetchall():
                if target not in allowed:
                    ddl.append(f"ALTER TABLE {table} DROP CONSTRAINT {name};  -- to {target}")
    ddl += [f"SELECT create_reference_table('{table}');" for table in reference]
    ddl += [f"SELECT create_distributed_table('{table}', '{DISTRIBUTION_COLUMN}',"
            f" colocate_with => '{distributed[0]}');" if i else
            f"SELECT create_distributed_table('{table}', '{DISTRIBUTION_COLUMN}');"
            for i, table in enumerate(distributed)]  # fmt: skip
    return ddl
