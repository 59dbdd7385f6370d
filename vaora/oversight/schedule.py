"""The oversight jobs in the serving process: the rollup every VAORA_ROLLUP_MINUTES (default
10; 0 turns it off, e.g. when cron runs `vaora rollup` instead) and the daily digest once a
day after 07:00 local time. One background thread per process."""

import datetime
import logging
import os
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)
DIGEST_HOUR = 7
_started = threading.Event()


def _loop(minutes: int) -> None:
    from vaora.oversight import reminders, rollups

    digest_sent_for: datetime.date | None = None
    while True:
        try:
            close_old_connections()
            now = timezone.now()
            rollups.refresh(now)
            today = timezone.localdate(now)
            if timezone.localtime(now).hour >= DIGEST_HOUR and digest_sent_for != today:
                reminders.send_digests(now)
                digest_sent_for = today
        except Exception:  # noqa: BLE001 - logged; the next round tries again
            log.exception("oversight rollup failed")
        finally:
            close_old_connections()
        time.sleep(minutes * 60)


def start() -> None:
    minutes = int(os.environ.get("VAORA_ROLLUP_MINUTES", "10") or 0)
    if minutes > 0 and not _started.is_set():
        _started.set()
        threading.Thread(target=_loop, args=(minutes,), name="vaora-rollup", daemon=True).start()
