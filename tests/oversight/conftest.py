"""Oversight fixtures: a few venues of one kind in two communes, visits at chosen times."""

import datetime

import pytest

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.venues.models import Kind, Organisation, Venue

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)  # 17:00 in Vinh


def make_market(commune, name: str, capacity: int | None = None) -> Venue:
    organisation = Organisation.objects.create(name=f"Ban quản lý {name}", kind=Kind.MARKET,
                                               commune=commune)  # fmt: skip
    return Venue.objects.create(organisation=organisation, name=name, kind=Kind.MARKET,
                                commune=commune, capacity=capacity)  # fmt: skip


def scans(venue, when: datetime.datetime, count: int, source: str = "self_scan", **extra):
    """`count` visits by different people at `when` (a minute apart)."""
    visits = []
    for i in range(count):
        person = Person.rows.create(name=f"Khách {venue.pk}-{when:%d%H}-{i}")
        visit = make_visit(person, venue, when + datetime.timedelta(minutes=i),
                           datetime.timedelta(minutes=30), source=source)  # fmt: skip
        if extra:
            type(visit).rows.filter(pk=visit.pk).update(**extra)
        visits.append(visit)
    return visits


@pytest.fixture
def markets(tenant_a, tenant_b):
    """Three markets in commune A, one in commune B; all scanned until 10 days ago, then only
    the first and the one in B go quiet... (tests arrange their own recent scans)."""
    return {
        "a1": make_market(tenant_a.commune, "Chợ Vinh"),
        "a2": make_market(tenant_a.commune, "Chợ Ga"),
        "a3": make_market(tenant_a.commune, "Chợ Quang Trung"),
        "b1": make_market(tenant_b.commune, "Chợ Hưng Dũng"),
    }
