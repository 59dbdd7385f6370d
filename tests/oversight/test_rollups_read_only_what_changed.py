"""The rollup's steady run reads only what changed (oversight/rollups.py): new visits are
counted by id and added; a day is read whole again only when something else changed it — a
late commit below the watermark, a correction, a deletion — and the counts always equal those
of a full recomputation."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups
from vaora.oversight.models import AreaDay, AreaHour, ChangedDay, RollupState, VenueDay
from vaora.people.models import Person
from vaora.visits import services
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def totals():
    return (sorted(VenueDay.objects.values_list("venue_id", "day", "entries", "paper",
                                                "assisted", "last_entry_at")),
            sorted(AreaHour.objects.values_list("commune_id", "kind", "hour", "entries")),
            sorted(AreaDay.objects.values_list("commune_id", "kind", "day", "entries", "paper",
                                               "registered_venues", "active_venues")))  # fmt: skip


def recomputed() -> tuple:
    """What a first run over every day makes of the same visits."""
    kept = totals()
    RollupState.objects.filter(name="visits").update(last_id=0, previous_id=0, previous_count=0)
    rollups.refresh()
    fresh = totals()
    assert fresh == kept, "the increments drifted from a full recomputation"
    return fresh


def grouped_reads(queries) -> list[str]:
    """The statements that count visits (GROUP BY over the visits table)."""
    return [q["sql"] for q in queries
            if re.search(r'FROM "visits_visit"', q["sql"]) and "GROUP BY" in q["sql"]]  # fmt: skip


@freeze_time(NOW)
def test_a_steady_run_adds_new_visits_and_reads_no_day_again(markets):
    scans(markets["a1"], NOW - 2 * HOUR, 4)
    scans(markets["a2"], NOW - 3 * DAY, 3, source="paper")
    rollups.refresh()
    scans(markets["a1"], NOW - HOUR, 2)
    scans(markets["b1"], NOW - 3 * DAY, 1, source="paper")  # a register uploaded late
    with CaptureQueriesContext(connection) as captured:
        counts = rollups.refresh()
    assert counts["visit_days"] == 0 and counts["visit_days_added_to"] == 2
    reads = grouped_reads(captured.captured_queries)
    assert reads and all('"visits_visit"."id" >' in sql for sql in reads), reads
    today = rollups.local_day(NOW)
    assert VenueDay.objects.get(venue=markets["a1"], day=today).entries == 6
    recomputed()


@freeze_time(NOW)
def test_a_visit_committed_late_below_the_watermark_is_counted(markets):
    rollups.refresh()
    first, gap, last = scans(markets["a1"], NOW - 2 * HOUR, 3)
    fields = {f.attname: getattr(gap, f.attname) for f in Visit._meta.concrete_fields}
    gap.delete()  # its id is free: a transaction that will commit after the next run
    rollups.refresh()
    assert VenueDay.objects.get(venue=markets["a1"]).entries == 2
    Visit.rows.create(**fields)  # commits now, with an id below the watermark
    rollups.refresh()
    assert VenueDay.objects.get(venue=markets["a1"]).entries == 3
    recomputed()


@freeze_time(NOW)
def test_a_visit_committed_while_a_run_reads_is_counted_by_the_next(markets, monkeypatch):
    scans(markets["a2"], NOW - HOUR, 1)
    rollups.refresh()  # a watermark: the next runs add by id
    first, gap, last = scans(markets["a1"], NOW - 3 * DAY, 3)  # a late register: an old day
    fields = {f.attname: getattr(gap, f.attname) for f in Visit._meta.concrete_fields}
    gap.delete()
    reading = rollups._add_new

    def commit_during_the_run(*args):
        read = reading(*args)
        Visit.rows.create(**fields)  # another transaction commits after the increments' read
        return read

    monkeypatch.setattr(rollups, "_add_new", commit_during_the_run)
    rollups.refresh()
    monkeypatch.setattr(rollups, "_add_new", reading)
    rollups.refresh()
    assert VenueDay.objects.get(venue=markets["a1"]).entries == 3
    recomputed()


@freeze_time(NOW)
def test_a_corrected_visit_moves_its_count_to_its_new_hour(markets, citizen):
    visit = scans(markets["a1"], NOW - 3 * HOUR, 1)[0]
    Visit.rows.filter(pk=visit.pk).update(person=citizen.person)
    rollups.refresh()
    visit.refresh_from_db()
    earlier = visit.entered_at - datetime.timedelta(minutes=90)
    services.correct_times(citizen, visit, earlier, visit.ends_at)
    assert ChangedDay.objects.count() == 1
    rollups.refresh()
    hours = dict(AreaHour.objects.filter(entries__gt=0).values_list("hour", "entries"))
    assert hours == {earlier.replace(minute=0, second=0, microsecond=0): 1}
    assert not ChangedDay.objects.exists()
    recomputed()


@freeze_time(NOW)
def test_visits_deleted_with_their_person_leave_todays_counts(markets):
    visits = scans(markets["a2"], NOW - 2 * HOUR, 3)
    rollups.refresh()
    Person.rows.filter(pk=visits[0].person_id).delete()
    rollups.refresh()
    assert VenueDay.objects.get(venue=markets["a2"]).entries == 2
    recomputed()
