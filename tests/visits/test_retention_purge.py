"""Retention (threat 18): freeze time, insert, move past retention, purge — the data is gone from
visits, declarations, the citizen's export and the SMS log."""

import json

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from vaora.core import retention, sms
from vaora.core.models import SmsMessage
from vaora.people import declarations
from vaora.people.models import HealthDeclaration
from vaora.visits import services
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_it_purges_data_past_retention_and_keeps_the_rest(citizen, tenant_a, signed_in,
                                                              capsys):  # fmt: skip
    with freeze_time("2026-11-01 08:00:00"):
        services.check_in(citizen.person, tenant_a.venue)
        declarations.declare_health(citizen.person, {"vaccine_doses": 2})
        sms.send("+84912000009", "test", "notification")
    with freeze_time("2026-11-20 08:00:00"):
        services.check_in(citizen.person, tenant_a.zone.venue, tenant_a.zone)
    with freeze_time("2026-11-23 08:00:00"):  # 22 days after the first visit ended
        call_command("purge", "--json")
        counts = json.loads(capsys.readouterr().out)
        assert counts["visits"] == 1 and counts["health_declarations"] == 1 and counts["sms"] == 1
        assert Visit.rows.count() == 1 and not HealthDeclaration.objects.exists()
        assert not SmsMessage.objects.exists()
        exported = signed_in(citizen).get("/me/data/download.json").json()
        assert len(exported["visits"]) == 1
        assert exported["visits"][0]["entered_at"].startswith("2026-11-20")


def test_it_purges_by_the_configured_retention(citizen, tenant_a, settings):
    settings.VAORA_RETENTION_DAYS = 7
    with freeze_time("2026-11-10 08:00:00"):
        services.check_in(citizen.person, tenant_a.venue)
    with freeze_time("2026-11-17 11:59:00"):
        from vaora.core.retention import purge

        assert purge()["visits"] == 0
    with freeze_time("2026-11-17 12:01:00"):
        assert purge()["visits"] == 1


def test_it_purges_what_tracing_and_paper_derived_from_old_visits(citizen, tenant_a):
    import datetime

    from vaora.paper.models import PaperUpload
    from vaora.tracing.models import Case, Contact, ExposureSite, Notice

    with freeze_time("2026-11-01 08:00:00"):
        now = datetime.datetime(2026, 11, 1, 8, tzinfo=datetime.UTC)
        case = Case.rows.create(
            person=tenant_a.person,
            place=tenant_a.commune,
            purpose="Ca kiểm thử lưu trữ",
            test_date=now.date(),
            window_start=now - datetime.timedelta(days=2),
            window_end=now,
        )
        Contact.rows.create(case=case, person=citizen.person, degree=1,
                               via_person=tenant_a.person, venue=tenant_a.venue,
                               exposed_from=now, exposed_until=now, overlap_minutes=30,
                               risk="low")  # fmt: skip
        Notice.rows.create(person=citizen.person, text_vi="x", text_en="x")
        ExposureSite.rows.create(venue=tenant_a.venue, starts_at=now, ends_at=now)
        PaperUpload.rows.create(venue=tenant_a.venue, filename="a.csv",
                                   rejected_csv="Tên,SĐT\nA,1")  # fmt: skip
    with freeze_time("2026-11-23 08:00:00"):
        counts = retention.purge()
    assert counts["contacts"] == counts["notices"] == counts["exposure_sites"] == 1
    assert counts["paper_uploads"] == 1 and not PaperUpload.rows.exists()
    assert Case.rows.filter(pk=case.pk).exists()  # the record of who traced, and why
