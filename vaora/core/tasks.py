"""Core's background jobs (run by `vaora worker`; each safe to run twice, see core/jobs.py)."""

import datetime

from django_tasks import task

from vaora.core import delivery, jobs, retention
from vaora.core.models import SmsMessage


@task()
def deliver_messages() -> dict:
    """One round of SMS delivery; a round cut short by its time limit queues the next at once
    (one cut short by a gateway failure leaves the next to the scheduler's probe)."""
    counts = delivery.deliver()
    stopped_by_failure = counts.get(SmsMessage.Status.RETRYING) or counts.get("busy")
    if not stopped_by_failure and delivery.due().exists():
        deliver_messages.enqueue()
    return {str(key): value for key, value in counts.items()}


def wake_sender() -> None:
    """Messages were queued: a delivery round starts unless one is waiting or running."""
    if not jobs.pending(deliver_messages):
        deliver_messages.enqueue()


@task()
def purge() -> dict:
    return retention.purge()


def periodic() -> list[jobs.Periodic]:
    return [
        jobs.Periodic("purge", purge, daily_at_hour=2),
        jobs.Periodic(
            "sms-delivery",
            deliver_messages,
            every=datetime.timedelta(seconds=10),
            wanted=lambda: delivery.due().exists(),
        ),  # fmt: skip
    ]
