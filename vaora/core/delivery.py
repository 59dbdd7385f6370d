"""Delivering queued SMS to the province's gateway (the `http` backend), in the worker: at most
VAORA_SMS_RATE messages a second, one sender per installation (a lease), each message with its
own state (queued → sending → sent, or retrying with exponential back-off, or failed when the
gateway refuses it for good).

Never twice: every attempt carries the message's idempotency key (header `Idempotency-Key` and
field `id`), so a gateway that received a message before a worker was killed, and sees it again
on the retry, drops the copy. A gateway outage of any length loses nothing: a transient failure
ends the round (the next round, a few seconds later, probes again) and the first success after
an outage puts every waiting message back in line at once."""

import datetime
import json
import logging
import os
import random
import socket
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from vaora.core import jobs, metrics
from vaora.core.models import SmsMessage

log = logging.getLogger(__name__)
Status = SmsMessage.Status
TIMEOUT_SECONDS = 10
ROUND_SECONDS = 20  # a delivery job sends this long, then leaves the worker to other jobs
FIRST_RETRY_SECONDS = 5
LEASE = "sms-gateway"


class Refused(Exception):
    """The gateway refused the message for good (a 4xx other than 408/429): no retry."""


def _post(message: SmsMessage) -> None:
    key = str(message.idempotency_key)
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own setting
        settings.VAORA_SMS_HTTP_URL,
        data=json.dumps({"id": key, "to": message.phone, "text": message.body}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.VAORA_SMS_HTTP_TOKEN}",
            "Idempotency-Key": key,
        },  # fmt: skip
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise Refused(f"HTTP {error.code}") from None
        raise


def backoff(attempts: int) -> datetime.timedelta:
    """5 s, 10 s, 20 s … up to VAORA_SMS_MAX_BACKOFF_SECONDS, with jitter so that retries after
    an outage do not all arrive in the same second."""
    seconds = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
                  settings.VAORA_SMS_MAX_BACKOFF_SECONDS)  # fmt: skip
    return datetime.timedelta(seconds=seconds * random.uniform(0.8, 1.0))  # noqa: S311


def due(now=None):
    now = now or timezone.now()
    return SmsMessage.objects.filter(
        status__in=(Status.QUEUED, Status.RETRYING), next_attempt_at__lte=now
    )


def _recover_sending(now) -> int:
    """Messages a killed sender left "sending": the gateway may or may not have them, so they go
    again, with the same key (the gateway keeps the first)."""
    stuck_since = now - datetime.timedelta(seconds=2 * TIMEOUT_SECONDS + ROUND_SECONDS)
    return SmsMessage.objects.filter(status=Status.SENDING, next_attempt_at__lt=stuck_since).update(
        status=Status.RETRYING, next_attempt_at=now
    )


GROUP = 50  # messages claimed, and marked sent, per statement


def _attempt(message: SmsMessage) -> str:
    """One attempt at one claimed message; a success is recorded by the caller with its group
    (a message sent but not yet recorded when the worker dies is sent again, key and all, and
    the gateway drops the copy)."""
    try:
        _post(message)
    except Refused as error:
        SmsMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, error=str(error))
        return Status.FAILED
    except (TimeoutError, OSError, urllib.error.URLError) as error:
        SmsMessage.objects.filter(pk=message.pk).update(
            status=Status.RETRYING, error=type(error).__name__[:200],
            next_attempt_at=timezone.now() + backoff(message.attempts),
        )  # fmt: skip
        # The log names the message id, never the phone number or the text.
        log.warning("SMS %s to the gateway failed (%s); will retry", message.pk,
                    type(error).__name__)  # fmt: skip
        return Status.RETRYING
    return Status.SENT


def _claim_group(now) -> list[SmsMessage]:
    """The next due messages, marked "sending" in one statement (the lease makes this the only
    sender, so what it marks is what it holds)."""
    pks = list(due(now).order_by("-priority", "next_attempt_at", "pk")
               .values_list("pk", flat=True)[:GROUP])  # fmt: skip
    if not pks:
        return []
    due(now).filter(pk__in=pks).update(status=Status.SENDING, attempts=F("attempts") + 1,
                                       next_attempt_at=now)  # fmt: skip
    rows = SmsMessage.objects.filter(pk__in=pks, status=Status.SENDING)
    return sorted(rows, key=lambda m: (-m.priority, m.pk))


def _record_sent(pks: list[int]) -> None:
    if pks:
        SmsMessage.objects.filter(pk__in=pks).update(status=Status.SENT, sent_at=timezone.now(),
                                                     error="")  # fmt: skip


def _give_back(messages: list[SmsMessage]) -> None:
    """Claimed but not tried (the gateway went down first): back in line, attempt not counted."""
    if messages:
        SmsMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=Status.QUEUED, attempts=F("attempts") - 1, next_attempt_at=timezone.now()
        )


def deliver(*, seconds: float = ROUND_SECONDS, sleep=time.sleep) -> dict[str, int]:
    """One round: sends due messages for up to `seconds` at the set rate. Returns what happened
    (and "busy" when another sender holds the gateway)."""
    holder = f"{socket.gethostname()}:{os.getpid()}"
    counts = {Status.SENT: 0, Status.RETRYING: 0, Status.FAILED: 0}
    if not jobs.acquire(LEASE, holder, seconds + 2 * TIMEOUT_SECONDS):
        return {"busy": 1}
    try:
        _recover_sending(timezone.now())
        interval = 1.0 / settings.VAORA_SMS_RATE
        deadline = time.monotonic() + seconds
        gateway_answered = False
        while time.monotonic() < deadline and (group := _claim_group(timezone.now())):
            sent: list[int] = []
            try:
                for n, message in enumerate(group):
                    started = time.monotonic()
                    if started >= deadline:
                        _give_back(group[n:])
                        break
                    status = _attempt(message)
                    counts[status] += 1
                    metrics.SMS.labels(status=status).inc()
                    if status == Status.RETRYING:  # the gateway is down: probe again next round
                        _give_back(group[n + 1 :])
                        return counts
                    if status == Status.SENT:
                        sent.append(message.pk)
                        if not gateway_answered:
                            gateway_answered = True
                            _gateway_is_back()
                    sleep(max(0.0, interval - (time.monotonic() - started)))
            finally:
                _record_sent(sent)
    finally:
        jobs.release(LEASE, holder)
    return counts


def _gateway_is_back() -> None:
    """The gateway answers (first success of a round): whatever waits for a retry after an
    outage goes now, not after its back-off."""
    SmsMessage.objects.filter(status=Status.RETRYING, next_attempt_at__gt=timezone.now()).update(
        next_attempt_at=timezone.now()
    )
