"""The rollup job: running it twice changes nothing; a paper register uploaded days later lands
on the day of the visits; hours and days agree with the visits; declarations are counted by
commune and origin; expected-vs-actual flags a venue far below its peers."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from tests.oversight.conftest import NOW, make_market, scans
from vaora.oversight import rollups
from vaora.oversight.models import (
    AreaDay,
    AreaHour,
    DeclarationDay,
    Outlier,
    VenueActivity,
    VenueDay,
)
from vaora.people.models import HealthDeclaration, TravelDeclaration
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def totals():
    return (sorted(VenueDay.objects.values_list("venue_id", "day", "entries", "paper")),
            sorted(AreaHour.objects.values_list("commune_id", "kind", "hour", "entries")),
            sorted(AreaDay.objects.values_list("commune_id", "kind", "day", "entries",
                                               "registered_venues", "active_venues")))  # fmt: skip


def test_it_changes_nothing_when_run_twice(markets):
    scans(markets["a1"], NOW - 3 * DAY, 6)
    scans(markets["a2"], NOW - DAY, 2)
    with freeze_time(NOW):
        rollups.refresh()
        first = totals()
        rollups.refresh()
    assert totals() == first
    assert sum(n for *_x, n, _p in first[0]) == 8


def test_it_puts_a_late_paper_register_on_the_day_of_the_visits(markets):
    with freeze_time(NOW - 10 * DAY):
        rollups.refresh()
    entered = NOW - 10 * DAY + datetime.timedelta(hours=1)
    scans(markets["a1"], entered, 5, source="paper", received_at=NOW - datetime.timedelta(hours=2))
    with freeze_time(NOW):
        rollups.refresh()
    day = rollups.local_day(entered)
    row = VenueDay.objects.get(venue=markets["a1"], day=day)
    assert (row.entries, row.paper) == (5, 5)
    assert AreaDay.objects.get(commune=markets["a1"].commune, kind="market", day=day).entries == 5


def test_it_counts_hours_in_local_time_that_add_up_to_the_day(markets):
    evening = datetime.datetime(2026, 11, 19, 16, 30, tzinfo=datetime.UTC)  # 23:30 in Vinh
    scans(markets["a1"], evening, 6)
    with freeze_time(NOW):
        rollups.refresh()
    assert VenueDay.objects.get(venue=markets["a1"]).day == datetime.date(2026, 11, 19)
    hours = AreaHour.objects.filter(commune=markets["a1"].commune)
    assert sum(h.entries for h in hours) == 6
    assert {h.hour.astimezone(rollups.LOCAL).hour for h in hours} == {23}


def test_it_counts_declarations_by_commune_and_origin(markets, tenant_a, places):
    from tests.conftest import commune

    person = tenant_a.person
    with freeze_time(NOW - DAY):
        HealthDeclaration.objects.create(person=person, symptoms=["fever"], contact_with_case=False,
                                         province_code="40")  # fmt: skip
        HealthDeclaration.objects.create(person=person, symptoms=[], contact_with_case=False,
                                         province_code="40")  # fmt: skip
        hanoi = places.filter(level="commune", province_code="01").first()
        TravelDeclaration.objects.create(
            person=person, province_code="40", from_commune=hanoi, to_commune=tenant_a.commune,
            departure_date=(NOW - DAY).date(), means="car", valid_until=NOW + DAY,
        )  # fmt: skip
        TravelDeclaration.objects.create(
            person=person,
            province_code="40",
            from_commune=commune("16690"),
            to_commune=tenant_a.commune,
            departure_date=(NOW - DAY).date(),
            means="car",
            valid_until=NOW + DAY,
        )  # within the province: not "into" it
    with freeze_time(NOW):
        rollups.refresh()
    counts = {
        (k, o): n for k, o, n in DeclarationDay.objects.values_list("kind", "origin", "count")
    }
    assert counts == {("health", ""): 2, ("symptoms", ""): 1, ("travel_in", "01"): 1}


def test_it_flags_a_venue_far_below_its_peers(tenant_a):
    peers = [make_market(tenant_a.commune, f"Chợ {i}", capacity=200) for i in range(6)]
    for venue in peers:
        scans(venue, NOW - DAY, 30)
    laggard = make_market(tenant_a.commune, "Chợ Vắng", capacity=220)
    scans(laggard, NOW - DAY, 3)
    with freeze_time(NOW):
        rollups.refresh()
    row = VenueActivity.objects.get(venue=laggard)
    assert row.expected_7d == 30 and row.outlier == Outlier.BELOW
    assert VenueActivity.objects.get(venue=peers[0]).outlier == Outlier.NONE


def test_it_keeps_statistics_after_the_visits_are_purged(markets):
    scans(markets["a1"], NOW - 3 * DAY, 6)
    with freeze_time(NOW):
        rollups.refresh()
    Visit.rows.all().delete()  # as the retention purge does, weeks later
    with freeze_time(NOW):
        rollups.refresh()
    # The purged day is not recomputed (no new rows for it): its counts stay.
    assert VenueDay.objects.get(venue=markets["a1"]).entries == 6


def test_it_counts_a_venue_registered_since_the_last_run(markets, tenant_a):
    with freeze_time(NOW):
        rollups.refresh()
        venue = make_market(tenant_a.commune, "Chợ Mới")
        make_visit(tenant_a.person, venue, NOW - datetime.timedelta(hours=1),
                   datetime.timedelta(minutes=20))  # fmt: skip
        rollups.refresh()
    assert VenueActivity.objects.get(venue=venue).scans_today == 1
