"""What /healthz reports: can we reach the database, and are all migrations applied."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def check() -> dict:
    report = {"database": "ok", "migrations": "ok"}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            report["migrations"] = f"{len(pending)} pending"
    except Exception as error:  # noqa: BLE001 - any failure means "unhealthy", reported as such
        report["database"] = f"unreachable: {type(error).__name__}"
        report["migrations"] = "unknown"
    report["ok"] = report["database"] == "ok" and report["migrations"] == "ok"
    return report
