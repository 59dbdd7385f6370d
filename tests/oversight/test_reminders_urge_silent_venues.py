"""An oversight official reminds the managers of silent venues with an editable template; another
commune's venue is 404; a venue without a contact is counted, not silently skipped."""

import datetime

import pytest
from django.core import mail
from freezegun import freeze_time

from tests.conftest import make_account
from tests.oversight.conftest import NOW, scans
from vaora.core.models import SmsMessage
from vaora.core.roles import Role
from vaora.oversight import rollups
from vaora.oversight.models import Reminder

pytestmark = pytest.mark.django_db


DAY = datetime.timedelta(days=1)


@pytest.fixture
def silent(markets):
    """a1 and b1 silent (scanned 10 days ago), a2 and a3 active; a1's manager has a phone."""
    for key in ("a1", "b1"):
        scans(markets[key], NOW - 10 * DAY, 2)
    for key in ("a2", "a3"):
        scans(markets[key], NOW - DAY, 6)
    make_account(Role.ORG_MANAGER, "ql.chovinh", organisation=markets["a1"].organisation,
                 phone="0914000111", email="ql@chovinh.vn")  # fmt: skip
    with freeze_time(NOW):
        rollups.refresh()
    return markets


@freeze_time(NOW)
def test_it_sends_the_template_to_the_organisations_manager(silent, users, signed_in):
    client = signed_in(users["oversight"])
    ids = [silent["a1"].pk, silent["a2"].pk]
    result = client.post("/api/v1/oversight/reminders", {"venue_ids": ids},
                         content_type="application/json").json()  # fmt: skip
    # a2 is active: nothing to remind it of.
    assert result == {
        "reminders": 1,
        "messages": 2,
        "without_recipient": 0,
        "skipped": 1,
        "already_reminded": 0,
    }
    sms = SmsMessage.objects.get(purpose="reminder")
    assert "Chợ Vinh" in sms.body and "7 ngày" in sms.body
    assert "has had no QR check-ins" in mail.outbox[0].body
    assert not Reminder.objects.filter(venue=silent["b1"]).exists()


@freeze_time(NOW)
@freeze_time(NOW)
def test_it_answers_404_to_a_commune_official_for_another_communes_venue(silent, users, signed_in):
    client = signed_in(users["oversight"])
    ids = [silent["a1"].pk, silent["b1"].pk]
    response = client.post("/api/v1/oversight/reminders", {"venue_ids": ids},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    assert client.post("/oversight/reminders/send/", {"venue": ids}).status_code == 404
    assert not Reminder.objects.exists() and not SmsMessage.objects.filter(purpose="reminder")


@freeze_time(NOW)
def test_it_uses_the_edited_template(silent, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    response = client.put("/api/v1/oversight/reminder-templates/silent",
                          {"text_vi": "Nhắc {venue}: hãy quét mã.", "text_en": "Remind {venue}."},
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    client.post("/oversight/reminders/send/", {"venue": [silent["a1"].pk], "confirmed": "yes"})
    assert SmsMessage.objects.get(purpose="reminder").body == "Nhắc Chợ Vinh: hãy quét mã."


def test_it_refuses_templates_with_unknown_placeholders_and_commune_editors(users, signed_in):
    body = {"text_vi": "Nhắc {nguoi}", "text_en": "Remind {venue}"}
    provincial = signed_in(users["provincial_oversight"])
    bad = provincial.put("/api/v1/oversight/reminder-templates/silent", body,
                         content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_template"
    commune = signed_in(users["oversight"])
    good = {"text_vi": "Nhắc {venue}", "text_en": "Remind {venue}"}
    refused = commune.put("/api/v1/oversight/reminder-templates/silent", good,
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403


@freeze_time(NOW)
def test_it_counts_a_venue_without_a_manager_contact(silent, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    result = client.post("/api/v1/oversight/reminders", {"venue_ids": [silent["b1"].pk]},
                         content_type="application/json").json()  # fmt: skip
    assert (result["reminders"], result["messages"], result["without_recipient"]) == (0, 0, 1)
    assert not Reminder.objects.exists()  # nothing went out: nothing to count as a reminder


@freeze_time(NOW)
def test_it_asks_before_sending_and_says_when_nothing_could_go(silent, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    asked = client.post("/oversight/reminders/send/", {"venue": [silent["b1"].pk]})
    page = asked.content.decode()
    assert "Gửi lời nhắc?" in page and "không gửi được" in page
    assert "Gửi lời nhắc</button>" not in page  # nobody to send to: no send button
    assert not SmsMessage.objects.filter(purpose="reminder").exists()
    done = client.post("/oversight/reminders/send/", {"venue": [silent["b1"].pk],
                                                      "confirmed": "yes"}, follow=True)  # fmt: skip
    assert "Không có lời nhắc nào được gửi." in done.content.decode()


@freeze_time(NOW)
def test_it_does_not_remind_a_venue_twice_in_a_day(silent, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    body = {"venue": [silent["a1"].pk], "confirmed": "yes"}
    client.post("/oversight/reminders/send/", body)
    again = client.post("/oversight/reminders/send/", body, follow=True).content.decode()
    assert SmsMessage.objects.filter(purpose="reminder").count() == 1
    assert Reminder.objects.count() == 1 and "đã được nhắc trong 24 giờ qua" in again


def test_it_refuses_an_empty_selection(users, signed_in):
    response = signed_in(users["oversight"]).post(
        "/api/v1/oversight/reminders", {"venue_ids": []}, content_type="application/json"
    )
    assert response.status_code == 422


@freeze_time(NOW)
def test_it_reminds_again_after_the_configured_interval(silent, users, signed_in, settings):
    import datetime

    settings.VAORA_REMINDER_INTERVAL_HOURS = 2
    client = signed_in(users["provincial_oversight"])
    body = {"venue": [silent["a1"].pk], "confirmed": "yes"}
    client.post("/oversight/reminders/send/", body)
    with freeze_time(NOW + datetime.timedelta(hours=3)):
        client.post("/oversight/reminders/send/", body)
    assert Reminder.objects.count() == 2
