"""The visits app's background work on PostgreSQL (visits/partitions.py), by the
installation's one scheduler (core/jobs.py): day partitions made ahead once a day, and a new
day's partition analysed as soon as it holds visits."""

import datetime

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


@task()
def analyze_today() -> dict:
    name = partitions.without_statistics(timezone.localdate())
    if name is not None:
        partitions.analyze(name)
    return {"analyzed": name or ""}


def _today_needs_statistics() -> bool:
    return partitions.without_statistics(timezone.localdate()) is not None


def periodic() -> list[jobs.Periodic]:
    if connection.vendor != "postgresql":  # SQLite keeps one table
        return []
    return [jobs.Periodic("visit-partitions", make_partitions, daily_at_hour=0),
            jobs.Periodic("visit-statistics", analyze_today, every=datetime.timedelta(minutes=1),
                          wanted=_today_needs_statistics)]  # fmt: skip
