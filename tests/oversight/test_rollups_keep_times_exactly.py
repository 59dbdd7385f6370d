"""The rollups' times are the visits' own: a venue's last entry of a day to the microsecond, a
paper register's delay to the second, each hour's count at the start of its UTC hour — on the
first run over every day and when new visits are added. (On PostgreSQL they come back as
integers, made times again in Python: decision 0031.)"""

import datetime

import pytest
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups
from vaora.oversight.models import AreaHour, RollupState, VenueDay

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
# 08:59:58.123457 UTC: a time with microseconds, late in its hour.
ODD = NOW.replace(hour=8, minute=59, second=58, microsecond=123457) - 2 * DAY


def test_it_keeps_the_last_entry_of_a_day_to_the_microsecond(markets):
    scans(markets["a1"], ODD - datetime.timedelta(hours=3), 2)
    last = scans(markets["a1"], ODD, 1)[0]
    with freeze_time(NOW):
        rollups.refresh()
    row = VenueDay.objects.get(venue=markets["a1"], day=rollups.local_day(ODD))
    assert row.last_entry_at == last.entered_at == ODD
    assert row.entries == 3


def test_it_keeps_the_last_entry_exactly_when_new_visits_are_added(markets):
    scans(markets["a1"], ODD - datetime.timedelta(hours=3), 1)
    with freeze_time(NOW - DAY):
        rollups.refresh()
    assert RollupState.objects.get(name="visits").last_id  # the next run adds, not recomputes
    scans(markets["a1"], ODD, 1)
    with freeze_time(NOW - DAY + datetime.timedelta(minutes=10)):
        counts = rollups.refresh()
    assert counts["visit_days"] == 0  # added to, not recomputed whole
    row = VenueDay.objects.get(venue=markets["a1"], day=rollups.local_day(ODD))
    assert (row.entries, row.last_entry_at) == (2, ODD)


def test_it_counts_each_hour_at_the_start_of_its_utc_hour(markets):
    scans(markets["a2"], ODD, 2)  # 08:59:58 and 09:00:58 UTC
    with freeze_time(NOW):
        rollups.refresh()
    hours = dict(AreaHour.objects.filter(entries__gt=0).values_list("hour", "entries"))
    start = ODD.replace(minute=0, second=0, microsecond=0)
    assert hours == {start: 1, start + datetime.timedelta(hours=1): 1}


def test_it_sums_a_paper_registers_delay_in_seconds(markets):
    received = ODD + datetime.timedelta(hours=5, seconds=30)
    scans(markets["a3"], ODD, 2, source="paper", received_at=received)
    with freeze_time(NOW):
        rollups.refresh()
    row = VenueDay.objects.get(venue=markets["a3"], day=rollups.local_day(ODD))
    # The two visits entered a minute apart: 5 h 30 s and 4 h 59 min 30 s after them.
    assert row.paper == 2
    assert row.paper_delay_seconds == (5 * 3600 + 30) + (5 * 3600 + 30 - 60)
