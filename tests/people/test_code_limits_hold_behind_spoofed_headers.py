"""Threat 28: the per-address limit on sign-in codes cannot be dodged by rotating
X-Forwarded-For from an untrusted peer; behind a trusted proxy the client's own address
counts; and a global hourly budget stops SMS pumping whatever the addresses, with an alert."""

import pytest

from vaora.core.models import AuditEvent
from vaora.people.models import OtpChallenge
from vaora.people.otp import PER_IP

pytestmark = pytest.mark.django_db
PER_IP_LIMIT = PER_IP[0][1]


def ask(client, n: int, **headers):
    return client.post("/api/v1/auth/code", {"phone": f"09{n:08d}"},
                       content_type="application/json", **headers)  # fmt: skip


def test_it_ignores_forwarded_for_from_an_untrusted_peer(client, places):
    statuses = [ask(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="198.51.100.7")
                .status_code for n in range(PER_IP_LIMIT + 5)]  # fmt: skip
    assert statuses[:PER_IP_LIMIT] == [202] * PER_IP_LIMIT
    assert set(statuses[PER_IP_LIMIT:]) == {429}
    assert OtpChallenge.objects.filter(ip="198.51.100.7").count() == PER_IP_LIMIT


def test_it_counts_the_client_behind_a_trusted_proxy(client, places, settings):
    settings.VAORA_TRUSTED_PROXIES = ("10.0.0.0/8",)
    for n in range(3):
        ask(client, n, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{n}", REMOTE_ADDR="10.0.0.2")
    ips = set(OtpChallenge.objects.values_list("ip", flat=True))
    assert ips == {"203.0.113.0", "203.0.113.1", "203.0.113.2"}


def test_it_stops_every_code_past_the_hourly_budget_and_raises_the_alarm(
    client, places, settings, caplog
):
    settings.VAORA_SMS_BUDGET_PER_HOUR = 5
    answers = [ask(client, n, REMOTE_ADDR=f"198.51.100.{n}") for n in range(8)]
    assert [a.status_code for a in answers[5:]] == [429] * 3
    assert answers[5].json()["code"] == "sms_budget_exhausted"
    assert OtpChallenge.objects.count() == 5
    assert AuditEvent.objects.filter(action="sms.budget_exhausted").count() == 1  # alarm once
    assert any(r.levelname == "ERROR" and "budget" in r.getMessage() for r in caplog.records)
