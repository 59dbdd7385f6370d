"""Retention: personal visit and declaration data older than VAORA_RETENTION_DAYS is deleted
(threat 18). `vaora purge` does it; the worker runs it once a day (core/tasks.py)."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core import hooks

log = logging.getLogger(__name__)


@transaction.atomic
def purge(now=None) -> dict[str, int]:
    """Deletes what is past retention; returns how many rows of each kind went. Each app says
    what it keeps and for how long (its "retention.purge" hook, registered in its AppConfig);
    core only asks them all, in one transaction."""
    from vaora.core import jobs
    from vaora.core.models import SmsMessage

    now = now or timezone.now()
    counts = {"sms": SmsMessage.objects.filter(created_at__lt=cutoff(now)).delete()[0]}
    counts.update(jobs.purge(now))
    for answer in hooks.answers("retention.purge", now):
        counts.update(answer)
    for answer in hooks.answers("retention.after", now):  # what needs the others' purge done
        counts.update(answer)
    log.info("purge: %s", counts)  # counts only, never personal values
    return counts


def cutoff(now) -> datetime.datetime:
    """Personal data older than this goes (VAORA_RETENTION_DAYS)."""
    return now - datetime.timedelta(days=settings.VAORA_RETENTION_DAYS)
