"""A venue with no scans for 7 days while its peers scan is silent; after a reminder and a new
scan it turns active and the reminder is marked effective."""

import datetime

from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import reminders, rollups
from vaora.oversight.models import Reminder, Status, VenueActivity

DAY = datetime.timedelta(days=1)


def status(venue) -> str:
    return VenueActivity.objects.get(venue=venue).status


def test_it_lists_a_venue_quiet_for_7_days_while_peers_scan_as_silent(markets):
    scans(markets["a1"], NOW - 10 * DAY, 3)
    for key in ("a2", "a3", "b1"):
        scans(markets[key], NOW - 2 * DAY, 2)
    with freeze_time(NOW):
        rollups.refresh()
    assert status(markets["a1"]) == Status.SILENT
    assert status(markets["a2"]) == Status.ACTIVE
    assert status(markets["a3"]) == Status.ACTIVE


def test_it_calls_a_venue_resting_when_its_peers_are_quiet_too(markets):
    for venue in markets.values():
        scans(venue, NOW - 12 * DAY, 2)
    scans(markets["a2"], NOW - DAY, 1)
    with freeze_time(NOW):
        rollups.refresh()
    assert status(markets["a1"]) == Status.RESTING
    assert status(markets["a2"]) == Status.ACTIVE


def test_it_shows_a_venue_without_any_scan_as_never_used(markets):
    for key in ("a2", "a3", "b1"):
        scans(markets[key], NOW - DAY, 1)
    with freeze_time(NOW):
        rollups.refresh()
    assert status(markets["a1"]) == Status.NEVER_USED


def test_it_marks_the_reminder_effective_once_the_venue_scans_again(markets, users):
    from tests.conftest import make_account

    official = users["provincial_oversight"]
    make_account("org_manager", "quan-ly-cho", organisation=markets["a1"].organisation,
                 phone="+84912000555")  # someone to remind  # fmt: skip
    scans(markets["a1"], NOW - 10 * DAY, 3)
    for key in ("a2", "a3", "b1"):
        scans(markets[key], NOW - 2 * DAY, 2)
    with freeze_time(NOW):
        rollups.refresh()
        sent = reminders.send(official, [markets["a1"].pk])
    assert sent.reminders == 1
    reminder = Reminder.objects.get(venue=markets["a1"])
    assert reminder.status_at_send == Status.SILENT
    assert reminder.effective_at is None

    later = NOW + datetime.timedelta(hours=20)
    scans(markets["a1"], later - datetime.timedelta(hours=1), 1)
    with freeze_time(later):
        rollups.refresh()
    assert status(markets["a1"]) == Status.ACTIVE
    reminder.refresh_from_db()
    assert reminder.effective_at == later - datetime.timedelta(hours=1)


def test_it_flags_a_late_uploader_from_the_paper_delay(markets):
    for key in ("a2", "a3", "b1"):
        scans(markets[key], NOW - DAY, 1)
    entered = NOW - 3 * DAY
    scans(markets["a1"], entered, 2, source="paper", received_at=entered + 4 * DAY)
    with freeze_time(NOW + DAY):
        rollups.refresh()
    activity = VenueActivity.objects.get(venue=markets["a1"])
    assert activity.status == Status.LATE_UPLOADER
    assert 95 < activity.paper_delay_hours < 97
    assert activity.hand_entered_share == 1.0
