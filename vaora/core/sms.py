"""The SMS gateway, pluggable: `outbox` records messages in the database (development, tests,
and a pilot without a gateway); `http` queues them for the worker, which posts them to the
province's gateway at a set rate, retrying with back-off (core/delivery.py). Both leave a row in
SmsMessage, so every message is logged (encrypted) whichever backend runs."""

import dataclasses

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from vaora.core import metrics
from vaora.core.crypto import blind_index, blind_indexes
from vaora.core.models import SmsMessage

Status = SmsMessage.Status
PRIORITY = {"otp": 10, "activation": 5}  # what a person waits for goes first


def _message(phone_e164: str, body: str, purpose: str, batch_key: str, now) -> SmsMessage:
    queued = settings.VAORA_SMS_BACKEND == "http"
    return SmsMessage(
        phone=phone_e164, phone_index=blind_index("phone", phone_e164), body=body,
        purpose=purpose, batch_key=batch_key, priority=PRIORITY.get(purpose, 0),
        status=Status.QUEUED if queued else Status.RECORDED,
        next_attempt_at=now if queued else None,
    )  # fmt: skip


def send(phone_e164: str, body: str, purpose: str, *, batch_key: str = "") -> SmsMessage:
    """Records one SMS to a normalised +84… number, and queues it for the gateway when there is
    one: the caller never waits for the gateway."""
    message = _message(phone_e164, body, purpose, batch_key, timezone.now())
    message.save()
    _after_saving([message])
    return message


def send_many(messages: list[tuple[str, str]], purpose: str, *, batch_key: str = "") -> int:
    """Many (phone, text) at once, in one insert: a notice batch of thousands."""
    now = timezone.now()
    rows = [_message(phone, body, purpose, batch_key, now) for phone, body in messages]
    SmsMessage.objects.bulk_create(rows, batch_size=1000)
    _after_saving(rows)
    return len(rows)


def _after_saving(rows: list[SmsMessage]) -> None:
    recorded = sum(1 for row in rows if row.status == Status.RECORDED)
    if recorded:
        metrics.SMS.labels(status=Status.RECORDED).inc(recorded)
    if len(rows) > recorded:
        from vaora.core.tasks import wake_sender

        wake_sender()  # the job row commits with the messages (or not at all)


@dataclasses.dataclass
class Progress:
    queued: int
    sent: int
    failed: int
    retrying: int
    eta_seconds: int

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed + self.retrying


def progress(batch_key: str) -> Progress:
    """Where the messages of one batch stand, and when the rest should be out at the set rate."""
    counts = dict(
        SmsMessage.objects.filter(batch_key=batch_key)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    queued = counts.get(Status.QUEUED, 0) + counts.get(Status.SENDING, 0)
    retrying = counts.get(Status.RETRYING, 0)
    sent = counts.get(Status.SENT, 0) + counts.get(Status.RECORDED, 0)
    left = queued + retrying
    eta = round(left / settings.VAORA_SMS_RATE)
    return Progress(queued=queued, sent=sent, failed=counts.get(Status.FAILED, 0),
                    retrying=retrying, eta_seconds=eta)  # fmt: skip


def waiting() -> int:
    """SMS queued or waiting to retry (the jobs page and the metrics)."""
    return SmsMessage.objects.filter(status__in=(Status.QUEUED, Status.RETRYING)).count()


def reindex(message: SmsMessage) -> list[str]:
    """The phone's blind index under the current data key (a key rotation recomputes it)."""
    message.phone_index = blind_index("phone", message.phone)
    return ["phone_index"]


def last_message_to(phone_e164: str) -> SmsMessage | None:
    """The newest message to a number (what the development outbox page and tests read)."""
    return SmsMessage.objects.filter(phone_index__in=blind_indexes("phone", phone_e164)).first()
