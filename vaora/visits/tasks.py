"""The visits app's background work: day partitions made ahead on PostgreSQL
(visits/partitions.py), once a day by the installation's one scheduler (core/jobs.py)."""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task

from vaora.core import jobs
from vaora.visits import partitions


@task()
def make_partitions() -> dict:
    made = partitions.ensure_ahead(timezone.localdate(), settings.VAORA_RETENTION_DAYS)
    return {"partitions_made": len(made)}


def periodic() -> list[jobs.Periodic]:
    if connection.vendor != "postgresql":  # SQLite keeps one table
        return []
    return [jobs.Periodic("visit-partitions", make_partitions, daily_at_hour=0)]
