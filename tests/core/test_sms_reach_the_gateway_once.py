"""SMS through a real (local) HTTP gateway: queued by the request, sent by the worker at the set
rate; an outage of any length loses nothing and the first success after it sends the rest; a
message a killed sender left half-sent goes again with the same key, which the gateway drops;
a number the gateway refuses for good fails without retries."""

import datetime

import pytest
from django.utils import timezone

from tests.gateway import Gateway
from tests.jobs import run_jobs
from vaora.core import delivery, sms
from vaora.core.models import SmsMessage

pytestmark = pytest.mark.django_db
Status = SmsMessage.Status
PHONES = [f"+8491200{i:04d}" for i in range(30)]


@pytest.fixture
def gateway(settings):
    with Gateway() as running:
        settings.VAORA_SMS_BACKEND = "http"
        settings.VAORA_SMS_HTTP_URL = running.url
        settings.VAORA_SMS_RATE = 1000
        yield running


def queue(count: int = len(PHONES)) -> None:
    sms.send_many([(phone, f"vaora: tin {i}") for i, phone in enumerate(PHONES[:count])],
                  "exposure_notice", batch_key="notices:1")  # fmt: skip


def statuses() -> dict[str, int]:
    rows = SmsMessage.objects.values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_it_queues_in_the_request_and_sends_from_the_worker(gateway):
    queue()
    assert statuses() == {Status.QUEUED: 30} and gateway.requests == 0
    assert run_jobs() >= 1  # the job queued with the messages
    assert statuses() == {Status.SENT: 30}
    assert sorted(m["to"] for m in gateway.accepted.values()) == sorted(PHONES)
    assert gateway.texts_to(PHONES[3]) == ["vaora: tin 3"]
    assert sms.progress("notices:1").sent == 30


def test_it_keeps_to_the_rate(gateway, settings):
    settings.VAORA_SMS_RATE = 4
    queue(6)
    slept = []
    delivery.deliver(sleep=slept.append)
    assert statuses() == {Status.SENT: 6}
    assert len(slept) == 6 and all(0.2 < pause <= 0.25 for pause in slept)


def test_an_outage_loses_nothing_and_the_end_of_it_sends_everything(gateway):
    queue()
    gateway.down = True
    delivery.deliver(sleep=lambda s: None)
    assert gateway.requests == 1  # one probe, not 30 failures
    assert statuses() == {Status.RETRYING: 1, Status.QUEUED: 29}
    waiting = SmsMessage.objects.get(status=Status.RETRYING)
    assert waiting.next_attempt_at > timezone.now() and waiting.attempts == 1
    for _ in range(5):  # a long outage: every round probes once, nothing is given up
        delivery.deliver(sleep=lambda s: None)
    assert gateway.requests == 6 and not SmsMessage.objects.filter(status=Status.FAILED).exists()
    gateway.down = False
    delivery.deliver(sleep=lambda s: None)  # the first success puts the retries back in line
    assert statuses() == {Status.SENT: 30} and len(gateway.accepted) == 30


def test_it_backs_off_exponentially_up_to_the_limit(settings):
    settings.VAORA_SMS_MAX_BACKOFF_SECONDS = 600
    waits = [delivery.backoff(n).total_seconds() for n in range(1, 10)]
    assert 4 <= waits[0] <= 5 and 8 <= waits[1] <= 10 and 16 <= waits[2] <= 20
    assert max(waits) <= 600 and waits[-1] >= 480


def test_a_message_left_half_sent_by_a_killed_sender_goes_once(gateway):
    queue(1)
    message = SmsMessage.objects.get()
    delivery._post(message)  # the gateway got it, then the worker was killed before recording
    SmsMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))  # fmt: skip
    delivery.deliver(sleep=lambda s: None)
    assert statuses() == {Status.SENT: 1}
    assert gateway.requests == 2 and len(gateway.accepted) == 1  # the copy was dropped


def test_a_number_the_gateway_refuses_fails_without_retrying(gateway):
    queue(2)
    gateway.refuse = True
    delivery.deliver(sleep=lambda s: None)
    assert statuses() == {Status.FAILED: 2}
    assert SmsMessage.objects.first().error == "HTTP 400"
    assert not delivery.due().exists()


def test_two_senders_never_share_the_gateway(gateway):
    queue(3)
    from vaora.core import jobs

    assert jobs.acquire(delivery.LEASE, "another-worker", 60)
    assert delivery.deliver(sleep=lambda s: None) == {"busy": 1}
    assert statuses() == {Status.QUEUED: 3}


def test_the_outbox_backend_records_without_a_worker(settings):
    settings.VAORA_SMS_BACKEND = "outbox"
    queue(2)
    assert statuses() == {Status.RECORDED: 2} and run_jobs() == 0
