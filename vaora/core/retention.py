"""Retention: personal visit and declaration data older than VAORA_RETENTION_DAYS is deleted
(threat 18). `vaora purge` does it; server processes also run it once a day."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from vaora.core import hooks

log = logging.getLogger(__name__)
DAY = 24 * 3600


@transaction.atomic
def purge(now=None) -> dict[str, int]:
    """Deletes what is past retention; returns how many rows of each kind went. Each app says
    what it keeps and for how long (its "retention.purge" hook, registered in its AppConfig);
    core only asks them all, in one transaction."""
    from vaora.core.models import SmsMessage

    now = now or timezone.now()
    counts = {"sms": SmsMessage.objects.filter(created_at__lt=cutoff(now)).delete()[0]}
    for answer in hooks.answers("retention.purge", now):
        counts.update(answer)
    for answer in hooks.answers("retention.after", now):  # what needs the others' purge done
        counts.update(answer)
    log.info("purge: %s", counts)  # counts only, never personal values
    return counts


def cutoff(now) -> datetime.datetime:
    """Personal data older than this goes (VAORA_RETENTION_DAYS)."""
    return now - datetime.timedelta(days=settings.VAORA_RETENTION_DAYS)


def _daily():
    while True:
        try:
            close_old_connections()
            purge()
        except Exception:  # noqa: BLE001 - a failed purge is logged and retried tomorrow
            log.exception("daily purge failed")
        finally:
            close_old_connections()
        time.sleep(DAY)


_started = threading.Event()


def start_daily_purge() -> None:
    """Starts the once-a-day purge in a background thread (once per process)."""
    if not _started.is_set():
        _started.set()
        threading.Thread(target=_daily, name="vaora-daily-purge", daemon=True).start()
