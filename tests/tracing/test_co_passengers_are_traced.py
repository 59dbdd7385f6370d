"""People on the same vehicle are contacts whether they scanned its code or declared the trip."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
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
def test_it_finds_co_passengers_by_scan_and_by_declaration(bus, tenant_a):
    f0, seat_mate, declared, other_day = (
        Person.rows.create(name=n) for n in ("F Không", "Bạn Cùng Xe", "Khai Báo", "Hôm Khác")
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
