"""Notices to a case's contacts: a small batch goes out with the edited template; above the
threshold one official alone cannot send, and a large export needs a second official too."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_account, make_visit
from tests.jobs import run_jobs
from vaora.core.models import AuditEvent, SmsMessage
from vaora.core.roles import Role
from vaora.people.models import Person
from vaora.tracing.models import Notice, RevealRequest

pytestmark = pytest.mark.django_db


NOW = "2026-11-25T03:00:00Z"


AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)


H = datetime.timedelta(hours=1)


PURPOSE = "Ca dương tính ngày 24/11, truy vết theo chỉ đạo CDC tỉnh"


@pytest.fixture
def traced_case(users, signed_in, tenant_a, citizen):
    """The citizen is F0; two others shared the venue with them."""
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)
    for i in range(2):
        person = Person.rows.create(name=f"Người {i}", phone=f"091200000{i}")
        make_visit(person, tenant_a.venue, AT + 0.5 * H, H)
    client = signed_in(users[Role.HEALTH])
    case_id = client.post("/api/v1/cases", {"phone": "0912000009", "test_date": "2026-11-24",
                                            "purpose": PURPOSE},
                          content_type="application/json").json()["id"]  # fmt: skip
    client.post(f"/api/v1/cases/{case_id}/trace", {}, content_type="application/json")
    return client, case_id


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@freeze_time(NOW)
def test_it_needs_a_second_official_to_send_above_the_threshold(traced_case, settings, signed_in,
                                                            tenant_a):  # fmt: skip
    settings.VAORA_APPROVAL_THRESHOLD = 1
    client, case_id = traced_case
    batch = post(client, f"/api/v1/cases/{case_id}/notices").json()
    assert (batch["size"], batch["status"]) == (2, "pending")
    refused = post(client, f"/api/v1/notice-batches/{batch['id']}/send")
    assert refused.status_code == 403 and refused.json()["code"] == "approval_required"
    own = post(client, f"/api/v1/notice-batches/{batch['id']}/approve")
    assert own.status_code == 403 and own.json()["code"] == "second_official_required"
    assert not Notice.rows.exists() and not SmsMessage.objects.exists()
    second = signed_in(make_account(Role.HEALTH, "health-a2", jurisdiction=tenant_a.commune))
    assert post(second, f"/api/v1/notice-batches/{batch['id']}/approve").json()["status"] == (
        "approved"
    )
    sent = post(second, f"/api/v1/notice-batches/{batch['id']}/send").json()
    assert sent["status"] == "sending"  # the worker writes the notices and queues the SMS
    assert run_jobs() == 1
    done = second.get(f"/api/v1/notice-batches/{batch['id']}").json()
    assert (done["status"], done["notices_made"], done["sms_sent"]) == ("sent", 2, 2)
    assert Notice.rows.count() == 2 and SmsMessage.objects.count() == 2
    assert AuditEvent.objects.filter(action="notices.sent", row_count=2).count() == 1
    post(second, f"/api/v1/notice-batches/{batch['id']}/send")  # again: nothing more
    assert run_jobs() == 0
    assert Notice.rows.count() == 2 and SmsMessage.objects.count() == 2


@freeze_time(NOW)
def test_it_sends_a_small_batch_with_the_edited_template(traced_case):
    client, case_id = traced_case
    answer = client.put("/api/v1/notice-templates/f1",
                        {"text_vi": "Sở Y tế: bạn đã ở {venue} ngày {date}. Gọi 1900 9095.",
                         "text_en": "Health department: you were at {venue} on {date}."},
                        content_type="application/json")  # fmt: skip
    assert answer.status_code == 200
    batch = post(client, f"/api/v1/cases/{case_id}/notices", {"degree": 1}).json()
    assert batch["status"] == "approved"
    post(client, f"/api/v1/notice-batches/{batch['id']}/send")
    run_jobs()
    texts = set(Notice.rows.values_list("text_vi", flat=True))
    assert texts == {"Sở Y tế: bạn đã ở Cổng chính An ngày 23/11/2026. Gọi 1900 9095."}
    again = post(client, f"/api/v1/cases/{case_id}/notices")
    assert again.status_code == 409 and again.json()["code"] == "nobody_to_notify"


@freeze_time(NOW)
def test_it_needs_a_second_official_for_a_large_export(traced_case, settings, signed_in, tenant_a,
                                                users):  # fmt: skip
    settings.VAORA_APPROVAL_THRESHOLD = 1
    client, case_id = traced_case
    refused = client.get(f"/api/v1/cases/{case_id}/contacts.csv")
    assert refused.status_code == 403 and refused.json()["code"] == "approval_required"
    request_id = RevealRequest.rows.get().pk
    assert f"#{request_id}" in refused.json()["message_en"]
    own = post(client, f"/api/v1/cases/{case_id}/reveal-requests/{request_id}/approve")
    assert own.status_code == 403
    second = signed_in(make_account(Role.HEALTH, "health-a3", jurisdiction=tenant_a.commune))
    page = second.get(f"/cases/{case_id}/").content.decode()
    assert f"#{request_id}" in page
    approved = post(second, f"/api/v1/cases/{case_id}/reveal-requests/{request_id}/approve")
    assert approved.status_code == 200
    first = signed_in(users[Role.HEALTH])
    allowed = first.get(f"/api/v1/cases/{case_id}/contacts.csv")
    assert allowed.status_code == 200 and "Người 0" in allowed.content.decode("utf-8-sig")


@freeze_time(NOW)
def test_it_shows_the_text_and_the_sms_count_before_approving(traced_case, settings, signed_in,
                                                              tenant_a):  # fmt: skip
    settings.VAORA_APPROVAL_THRESHOLD = 1
    client, case_id = traced_case
    post(client, f"/api/v1/cases/{case_id}/notices")
    second = signed_in(make_account(Role.HEALTH, "health-a3", jurisdiction=tenant_a.commune))
    page = second.get(f"/cases/{case_id}/").content.decode()
    text = page.split('class="sms-preview">', 1)[1].split("</blockquote>", 1)[0]
    assert "Nội dung sẽ gửi (2 SMS)" in page and tenant_a.venue.name in text
    assert not SmsMessage.objects.exists()
