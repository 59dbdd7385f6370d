"""Each venue's activity row is written again only when something it shows changed: a steady
run with nothing new writes none, a new check-in rewrites its venue's row alone, and the rows
always equal those a run from scratch makes (silent_since included)."""

import datetime

import pytest
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups
from vaora.oversight.activity import SHOWN
from vaora.oversight.models import VenueActivity

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def rows() -> list[tuple]:
    return sorted(VenueActivity.objects.values_list("venue_id", *SHOWN))


def test_it_writes_only_the_rows_that_changed(markets):
    scans(markets["a1"], NOW - 9 * DAY, 5)
    scans(markets["a2"], NOW - DAY, 6)
    with freeze_time(NOW):
        first = rollups.refresh()
        assert first["venue_rows_written"] == first["venues"] == 6  # 4 markets, 2 hospitals
        assert rollups.refresh()["venue_rows_written"] == 0
        scans(markets["a2"], NOW - datetime.timedelta(hours=1), 2)  # no peer's status moves
        assert rollups.refresh()["venue_rows_written"] == 1
        assert VenueActivity.objects.get(venue=markets["a2"]).scans_today == 2
        steady = rows()
        VenueActivity.objects.all().delete()  # a run from scratch makes the same rows
        rollups.refresh()
        assert rows() == steady


def test_it_keeps_when_a_venue_went_silent_across_runs(markets):
    scans(markets["a1"], NOW - 9 * DAY, 5)
    for day in range(1, 9):  # its peers keep scanning: silent, not resting
        scans(markets["a2"], NOW - day * DAY, 1)
        scans(markets["a3"], NOW - day * DAY, 1)
    with freeze_time(NOW - DAY):
        rollups.refresh()
    since = VenueActivity.objects.get(venue=markets["a1"]).silent_since
    assert since is not None
    with freeze_time(NOW):
        rollups.refresh()
    assert VenueActivity.objects.get(venue=markets["a1"]).silent_since == since
