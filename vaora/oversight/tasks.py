"""Oversight's background jobs: the rollup every VAORA_ROLLUP_MINUTES (default 10; 0 turns it
off, e.g. when cron runs `vaora rollup` instead) and the daily digest after 07:00 local time.
Enqueued by the one scheduler of the installation (core/jobs.py), run by `vaora worker`."""

import datetime
import os

from django.utils import timezone
from django_tasks import task

from vaora.core import jobs

DIGEST_HOUR = 7


@task()
def refresh_rollups() -> None:
    from vaora.oversight import rollups

    rollups.refresh(timezone.now())


@task()
def send_digests() -> int:
    from vaora.oversight import reminders

    return reminders.send_digests(timezone.now())


def periodic() -> list[jobs.Periodic]:
    minutes = int(os.environ.get("VAORA_ROLLUP_MINUTES", "10") or 0)
    chosen = [jobs.Periodic("digest", send_digests, daily_at_hour=DIGEST_HOUR)]
    if minutes > 0:
        chosen.append(jobs.Periodic("rollup", refresh_rollups,
                                    every=datetime.timedelta(minutes=minutes)))  # fmt: skip
    return chosen
