"""GET /metrics in the Prometheus text format: off unless asked, behind its token when one is
set; check-ins counted by result and refusal code whichever door decided them (page API and
the fast path alike), SMS by outcome, responses by status class, the database's health. No
personal value in any label."""

import re
import uuid

import pytest
from django.test import override_settings
from freezegun import freeze_time

from vaora.venues import tokens

pytestmark = pytest.mark.django_db(transaction=True)
NOW = "2026-11-25T02:00:00Z"


def value(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{") or line.startswith(f"{name} "):
            found = re.match(rf"{re.escape(name)}(?:{{(.*)}})? (\S+)", line)
            if (
                ",".join(sorted(found.group(1).split(","))) == wanted
                if found.group(1)
                else not wanted
            ):
                return float(found.group(2))
    return 0.0


def scrape(client) -> str:
    answer = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode()


@override_settings(VAORA_METRICS=False)
def test_it_is_off_unless_asked(client):
    assert client.get("/metrics").status_code == 404


@override_settings(VAORA_METRICS=True, VAORA_METRICS_TOKEN="s3cret-metrics-token")
def test_it_needs_the_token(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    text = scrape(client)
    assert "vaora_database_up 1.0" in text and "vaora_http_responses_total" in text


@freeze_time(NOW)
@override_settings(VAORA_METRICS=True, VAORA_METRICS_TOKEN="s3cret-metrics-token")
def test_it_counts_check_ins_by_result_whichever_door(client, citizen, tenant_a, signed_in):
    before = scrape(client)
    token = tokens.token_for(tenant_a.venue)
    body = {"items": [{"client_id": str(uuid.uuid4()), "action": "check_in", "token": token,
                       "at": "2026-11-25T01:59:00Z"}]}  # fmt: skip
    phone = signed_in(citizen)
    assert (
        phone.post("/api/v1/visits/sync", body, content_type="application/json").status_code == 200
    )
    phone.post("/api/v1/visits/sync", body, content_type="application/json")  # a retry
    after = scrape(client)
    stored = value(after, "vaora_checkins_total", result="stored", code="")
    assert stored - value(before, "vaora_checkins_total", result="stored", code="") == 1
    duplicate = value(after, "vaora_checkins_total", result="duplicate", code="")
    assert duplicate - value(before, "vaora_checkins_total", result="duplicate", code="") == 1
    # Label values are where a personal value could leak; the numbers beside them (process
    # memory, GC counts) may contain any digits, so a phone prefix is not searched for there.
    labels = " ".join(re.findall(r"\{([^}]*)\}", after))
    assert citizen.person.name not in after and citizen.person.phone not in after
    assert citizen.person.phone[:4] not in labels


@override_settings(VAORA_METRICS=True, VAORA_METRICS_TOKEN="s3cret-metrics-token")
def test_it_counts_the_fast_path_and_its_refusals(client, tenant_a):
    from tests.ingest.asgi_client import call
    from vaora.ingest.directory import directory
    from vaora.people import passes

    directory.clear()
    before = scrape(client)
    body = {"client_id": str(uuid.uuid4()), "token": tokens.token_for(tenant_a.venue)}
    assert call("/ingest/v1/check-in", body, passes.issue(tenant_a.person.pk))[0] == 201
    refused = call("/ingest/v1/check-in", body | {"token": "FORGED"}, passes.issue(
        tenant_a.person.pk))  # fmt: skip
    directory.clear()
    after = scrape(client)
    assert value(after, "vaora_checkins_total", result="stored", code="") - value(
        before, "vaora_checkins_total", result="stored", code="") == 1  # fmt: skip
    code = refused[1]["code"]
    assert value(after, "vaora_checkins_total", result="rejected", code=code) - value(
        before, "vaora_checkins_total", result="rejected", code=code) == 1  # fmt: skip
    assert value(after, "vaora_ingest_batch_size_count") > value(
        before, "vaora_ingest_batch_size_count")  # fmt: skip


@override_settings(VAORA_METRICS=True, VAORA_METRICS_TOKEN="s3cret-metrics-token")
def test_it_counts_sms_by_outcome(client):
    from vaora.core import sms

    before = value(scrape(client), "vaora_sms_total", status="recorded")
    sms.send("+84912000111", "Mã đăng nhập vaora: 123456", "sign_in")
    text = scrape(client)
    assert value(text, "vaora_sms_total", status="recorded") - before == 1
    assert "123456" not in text and "+84912000111" not in text


@override_settings(
    VAORA_METRICS=True,
    VAORA_METRICS_TOKEN="s3cret-metrics-token",
    VAORA_SMS_BACKEND="http",
    VAORA_SMS_HTTP_URL="http://127.0.0.1:9/",
)
def test_it_shows_the_job_queue_and_the_sms_waiting(client):
    from vaora.core import sms
    from vaora.oversight.tasks import send_digests

    sms.send("+84912000111", "vaora: tin", "reminder")  # queued for a worker that is not running
    send_digests.enqueue()
    text = scrape(client)
    assert value(text, "vaora_jobs", status="READY") == 2  # the delivery round and the digest
    assert value(text, "vaora_workers") == 0 and value(text, "vaora_sms_waiting") == 1
