"""Transport: people on the same bus at the same time are F1 whatever the overlap (a vehicle's
rule is 0 minutes), and so is anyone who declared the same plate on the same day. The command
line traces a phone number over dates and prints JSON."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.models import AuditEvent
from vaora.people.models import Means, Person, TravelDeclaration
from vaora.tracing.rules import Rules
from vaora.tracing.tracer import Tracer
from vaora.venues.models import Kind, Venue

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
M = datetime.timedelta(minutes=1)


@pytest.fixture
def bus(tenant_a):
    return Venue.objects.create(
        organisation=tenant_a.organisation,
        name="Xe khách Vinh - Hà Nội",
        kind=Kind.VEHICLE,
        commune=tenant_a.commune,
        plate_number="37B-123.45",
    )


def declare(person, tenant, plate, day):
    return TravelDeclaration.objects.create(
        person=person,
        province_code="40",
        from_commune=tenant.commune,
        to_commune=tenant.commune,
        departure_date=day,
        means=Means.COACH,
        transport_ref=plate,
        valid_until=AT + datetime.timedelta(days=3),
    )


@freeze_time(NOW)
def test_co_passengers_by_scan_and_by_declaration(bus, tenant_a):
    f0, seat_mate, declared, other_day = (
        Person.objects.create(name=n) for n in ("F Không", "Bạn Cùng Xe", "Khai Báo", "Hôm Khác")
    )
    make_visit(f0, bus, AT, 180 * M)
    make_visit(seat_mate, bus, AT + 175 * M, 60 * M)  # 5 minutes together: enough in a vehicle
    declare(f0, tenant_a, "37B12345", datetime.date(2026, 11, 23))
    declare(declared, tenant_a, "37B12345", datetime.date(2026, 11, 23))
    declare(other_day, tenant_a, "37B12345", datetime.date(2026, 11, 20))
    found = {
        e.person_id: e
        for e in Tracer(Rules()).trace(
            f0.pk, AT - datetime.timedelta(days=2), AT + datetime.timedelta(days=1), 1
        )
    }
    assert set(found) == {seat_mate.pk, declared.pk}
    assert (found[seat_mate.pk].overlap_minutes, found[seat_mate.pk].risk) == (5, "high")
    assert (found[declared.pk].transport_ref, found[declared.pk].overlap) == ("37B12345", None)


@freeze_time(NOW)
def test_the_command_traces_a_phone_over_dates_as_json(citizen, tenant_a):
    neighbour = Person.objects.create(name="Hàng Xóm", phone="0912000001")
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


def test_the_command_refuses_a_phone_trace_without_a_purpose(citizen):
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


@freeze_time(NOW)
def test_the_window_is_editable_and_narrows_the_trace(users, signed_in, citizen, tenant_a):
    neighbour = Person.objects.create(name="Hàng Xóm", phone="0912000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(neighbour, tenant_a.venue, AT + 30 * M, 60 * M)
    health = signed_in(users["health"])
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = health.post("/api/v1/cases", body, content_type="application/json").json()
    assert case["window_start"] == "2026-11-22T00:00:00+07:00"  # 2 days before the test
    url = f"/api/v1/cases/{case['id']}"
    narrowed = health.patch(
        url, {"window_start": "2026-11-24T00:00:00Z"}, content_type="application/json"
    )
    assert narrowed.status_code == 200
    traced = health.post(url + "/trace", {}, content_type="application/json").json()
    assert traced["contacts"] == 0
    empty = health.patch(
        url, {"window_end": "2026-11-20T00:00:00Z"}, content_type="application/json"
    )
    assert empty.status_code == 422


@freeze_time(NOW)
def test_the_health_department_edits_what_counts_as_exposure(users, signed_in, citizen,
                                                             tenant_a):  # fmt: skip
    neighbour = Person.objects.create(name="Hàng Xóm", phone="0912000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(neighbour, tenant_a.venue, AT + 30 * M, 60 * M)  # 60 minutes together
    rule = {"min_overlap_minutes": 90, "high_risk_minutes": 120}
    staff = signed_in(users["venue_staff"])
    assert staff.put("/api/v1/exposure-rules/hospital", rule,
                     content_type="application/json").status_code == 403  # fmt: skip
    health = signed_in(users["health"])
    saved = health.put("/api/v1/exposure-rules/hospital", rule, content_type="application/json")
    assert saved.status_code == 200
    assert health.put("/api/v1/exposure-rules/spaceport", rule,
                      content_type="application/json").status_code == 404  # fmt: skip
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = health.post("/api/v1/cases", body, content_type="application/json").json()
    traced = health.post(f"/api/v1/cases/{case['id']}/trace", {},
                         content_type="application/json").json()  # fmt: skip
    assert traced["contacts"] == 0  # 60 minutes is under the department's 90
    assert AuditEvent.objects.filter(action="exposure_rule.saved").count() == 1
