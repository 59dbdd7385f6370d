"""On PostgreSQL visits live in one partition per local day (visits/partitions.py, decision
0017); retention drops whole days and keeps a day's visits that are still within it; an
installation with an unpartitioned table is upgraded by migration 0006 with nothing lost.
SQLite keeps one table, and retention removes exactly the same visits there."""

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from vaora.core import retention
from vaora.visits import partitions, tasks
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="SQLite keeps one table")  # fmt: skip


@pytest.fixture(autouse=True)
def days_made_as_the_daily_job_makes_them(db):
    """The test database's day partitions were made when it was created. A run that crosses
    local midnight (17:00 UTC) needs the new day's and the one a week ahead: the daily job
    makes them, as in production (nothing to make on SQLite)."""
    tasks.make_partitions.call()


def visit(person, venue, entered_at, minutes=60) -> Visit:
    return Visit.rows.create(person=person, venue=venue, province_code=venue.province_code,
                             entered_at=entered_at, ends_at=entered_at + datetime.timedelta(
                                 minutes=minutes), source="self_scan", client_id=uuid.uuid4(),
                             scanned_at=entered_at, received_at=entered_at)  # fmt: skip


def where(visit_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM visits_visit WHERE id = %s",
                       [visit_id])  # fmt: skip
        return cursor.fetchone()[0]


def local_day_ago(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_it_keeps_one_table_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL partitions visits")
    assert not partitions.is_partitioned()
    assert partitions.ensure(timezone.localdate(), timezone.localdate()) == []
    assert tasks.periodic() == []


@postgresql_only
def test_it_puts_each_visit_in_its_local_days_partition(tenant_a):
    assert partitions.is_partitioned()
    days = partitions.existing()
    today = timezone.localdate()
    assert today + datetime.timedelta(days=partitions.AHEAD_DAYS) in days
    assert today - datetime.timedelta(days=21) in days
    late = visit(tenant_a.person, tenant_a.venue, local_day_ago(1, 23, 30))  # 16:30 UTC
    assert where(late.pk) == partitions.name_of(today - datetime.timedelta(days=1))
    stray = visit(tenant_a.person, tenant_a.venue, local_day_ago(400, 9))
    assert where(stray.pk) == partitions.DEFAULT


@postgresql_only
def test_it_makes_a_missing_day_and_moves_its_visits_out_of_the_default_partition(tenant_a):
    far = timezone.localdate() + datetime.timedelta(days=30)
    entered = timezone.make_aware(datetime.datetime.combine(far, datetime.time(10)))
    stranded = visit(tenant_a.person, tenant_a.venue, entered)
    assert where(stranded.pk) == partitions.DEFAULT
    assert partitions.ensure(far, far) == [partitions.name_of(far)]
    assert where(stranded.pk) == partitions.name_of(far)
    assert Visit.rows.filter(pk=stranded.pk).exists()
    assert partitions.ensure(far, far) == []


@postgresql_only
def test_the_daily_job_makes_the_week_ahead(tenant_a):
    ahead = timezone.localdate() + datetime.timedelta(days=partitions.AHEAD_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {partitions.name_of(ahead)}")
    assert [job.name for job in tasks.periodic()] == ["visit-partitions", "visit-statistics"]
    assert tasks.make_partitions.call() == {"partitions_made": 1}
    assert ahead in partitions.existing()


@postgresql_only
def test_a_new_days_partition_is_analysed_once_it_holds_visits(tenant_a):
    # Without statistics the engine's timeline lookup reads the whole window (decision 0020).
    today = partitions.name_of(timezone.localdate())
    statistics_job = next(job for job in tasks.periodic() if job.name == "visit-statistics")
    assert not statistics_job.wanted()  # an empty day: nothing to analyse
    visit(tenant_a.person, tenant_a.venue, timezone.now())  # today's, even just after midnight
    assert statistics_job.wanted()
    assert tasks.analyze_today.call() == {"analyzed": today}
    assert not statistics_job.wanted()  # analysed: the job is not queued again
    assert tasks.analyze_today.call() == {"analyzed": ""}


def test_retention_drops_old_days_whole_and_keeps_what_is_still_within_it(tenant_a, tenant_b):
    """Day 23 ago: three short visits go; one visit nobody closed that ends after the cutoff
    stays (and is still found); a visit of yesterday stays."""
    old = [visit(tenant_a.person, tenant_a.venue, local_day_ago(23, hour)) for hour in (8, 9, 10)]
    open_long = visit(tenant_b.person, tenant_b.venue, local_day_ago(23, 11), minutes=72 * 60)
    recent = visit(tenant_a.person, tenant_a.venue, local_day_ago(1, 9))
    counts = retention.purge()
    assert counts["visits"] == 3
    assert set(Visit.rows.values_list("pk", flat=True)) == {open_long.pk, recent.pk}
    assert not Visit.rows.filter(pk__in=[v.pk for v in old]).exists()
    if connection.vendor == "postgresql":
        gone = timezone.localdate() - datetime.timedelta(days=23)
        assert gone not in partitions.existing() and counts["visit_days_dropped"] >= 1
        assert where(open_long.pk) == partitions.DEFAULT
        kept = Visit.rows.get(pk=open_long.pk)
        assert (kept.client_id, kept.ends_at) == (open_long.client_id, open_long.ends_at)
