"""The engine reads a person's visits entered within three days either side of a batch's scans,
but not those already over before the batch's first scan (rules.ends_after): none of them can
change a check-in. A throttled scan still counts what it entered in the burst window, and a
check-out still sees the next visit after the one it closes, however long ago that ended."""

import datetime
import uuid

import pytest
from django.db import transaction
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.visits import engine, rules, services, visit_sql
from vaora.visits.models import Source, Visit

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 25, 8, 0, tzinfo=datetime.UTC)


def minutes(n):
    return datetime.timedelta(minutes=n)


def paper_line(person, venue, at, left_at=None) -> engine.Result:
    request = engine.CheckIn(person.pk, uuid.uuid4(), at, services.place_of(venue),
                             Source.PAPER, mode=rules.Mode.PAPER, left_at=left_at)  # fmt: skip
    with transaction.atomic():
        (result,) = engine.apply([request])
    assert result.ok, result.error
    return result


@freeze_time(T0 + minutes(24 * 60))
def test_it_ends_a_visit_elsewhere_that_would_have_ended_moments_after_the_scan(tenant_a, market):
    first = paper_line(tenant_a.person, tenant_a.venue, T0, left_at=T0 + minutes(60.5))
    paper_line(tenant_a.person, market, T0 + minutes(60))
    ended = Visit.rows.get(pk=first.visit_id)
    assert ended.ends_at == ended.left_at == T0 + minutes(60)


def test_it_caps_a_check_out_at_the_next_visit_however_long_ago_that_one_ended(tenant_a, market):
    with freeze_time(T0):
        hospital = services.check_in(tenant_a.person, tenant_a.venue).visit  # ends at T0 + 4 h
    with freeze_time(T0 + minutes(300)):
        services.check_in(tenant_a.person, market)
    with freeze_time(T0 + minutes(20 * 60)):
        assert services.check_out(hospital).status == "stored"
    hospital.refresh_from_db()
    assert hospital.left_at == hospital.ends_at == T0 + minutes(300)


def test_it_reads_no_visit_of_the_person_that_was_over_before_the_scan(tenant_a):
    person, venue = tenant_a.person, tenant_a.venue
    over = make_visit(person, venue, T0 - minutes(48 * 60), minutes(60))
    in_progress = make_visit(person, venue, T0 - minutes(30), minutes(60))
    later = make_visit(person, venue, T0 + minutes(24 * 60), minutes(60))
    low, high = T0 - rules.MAX_STAY, T0 + rules.MAX_STAY
    with transaction.atomic(), visit_sql.cursor() as cursor:
        sql = visit_sql.VisitSql(cursor)
        provinces = {venue.province_code}
        everything = sql.visits_around([person.pk], low, high, provinces)
        needed = sql.visits_around([person.pk], low, high, provinces, rules.ends_after(
            T0, throttled=False))  # fmt: skip
    assert {s.id for s in everything} == {over.pk, in_progress.pk, later.pk}
    assert {s.id for s in needed} == {in_progress.pk, later.pk}


def test_a_throttled_scan_still_reads_the_burst_window_before_it():
    assert rules.ends_after(T0, throttled=True) == T0 - rules.BURST_WINDOW
    assert rules.ends_after(T0, throttled=False) == T0
