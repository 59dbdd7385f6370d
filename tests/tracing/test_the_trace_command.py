"""vaora trace --phone opens a case with a purpose, traces it over dates and prints JSON; without a
purpose it refuses."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.models import AuditEvent
from vaora.people.models import Person

pytestmark = pytest.mark.django_db


NOW = "2026-11-25T03:00:00Z"


AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)


M = datetime.timedelta(minutes=1)


@freeze_time(NOW)
def test_it_traces_a_phone_over_dates_as_json_from_the_command_line(citizen, tenant_a):
    neighbour = Person.rows.create(name="Hàng Xóm", phone="0912000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(neighbour, tenant_a.venue, AT + 30 * M, 60 * M)
    out = io.StringIO()
    call_command(
        "trace",
        "--phone",
        "0912000009",
        "--purpose",
        "Ca F0 ngày 24/11 theo CDC",
        "--from",
        "2026-11-21",
        "--to",
        "2026-11-25",
        "--depth",
        "2",
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert (report["f1"], report["f2"]) == (1, 0)
    assert report["contacts"][0]["person_id"] == neighbour.pk
    assert report["contacts"][0]["overlap_minutes"] == 60
    assert AuditEvent.objects.get(action="case.traced").actor_label == "system"


def test_it_refuses_a_phone_trace_without_a_purpose_on_the_command_line(citizen):
    with pytest.raises(CommandError, match="purpose_required"):
        call_command(
            "trace",
            "--phone",
            "0912000009",
            "--from",
            "2026-11-21",
            "--to",
            "2026-11-25",
            stdout=io.StringIO(),
        )
