"""Retention: personal visit and declaration data older than VAORA_RETENTION_DAYS is deleted
(threat 18). `vaora purge` does it; server processes also run it once a day."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

log = logging.getLogger(__name__)
DAY = 24 * 3600


@transaction.atomic
def purge(now=None) -> dict[str, int]:
    """Deletes what is past retention; returns how many rows of each kind went."""
    from vaora.core.models import SmsMessage
    from vaora.paper.models import PaperUpload
    from vaora.people.models import HealthDeclaration, OtpChallenge, TravelDeclaration
    from vaora.tracing.models import Contact, ExposureSite, Notice
    from vaora.visits.models import Visit

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.VAORA_RETENTION_DAYS)
    code_cutoff = now - datetime.timedelta(days=1)
    counts = {
        "visits": Visit.objects.filter(ends_at__lt=cutoff).delete()[0],
        "health_declarations": HealthDeclaration.objects.filter(declared_at__lt=cutoff).delete()[0],
        "travel_declarations": TravelDeclaration.objects.filter(declared_at__lt=cutoff).delete()[0],
        "sms": SmsMessage.objects.filter(created_at__lt=cutoff).delete()[0],
        # One-time codes are useless after minutes; their rows only feed rate limits (a day).
        "otp_challenges": OtpChallenge.objects.filter(created_at__lt=code_cutoff).delete()[0],
        # What tracing derived from visits goes with them; the case record (who traced, why)
        # stays for accountability, without its contacts.
        "contacts": Contact.objects.filter(exposed_until__lt=cutoff).delete()[0],
        "notices": Notice.objects.filter(created_at__lt=cutoff).delete()[0],
        "exposure_sites": ExposureSite.objects.filter(ends_at__lt=cutoff).delete()[0],
        # Uploads keep their refused rows (names, phones): they go with the visits.
        "paper_uploads": PaperUpload.objects.filter(created_at__lt=cutoff).delete()[0],
    }  # fmt: skip
    log.info("purge: %s", counts)  # counts only, never personal values
    return counts


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
