"""A sector's figures are the same counts as the territory's, venue for venue: the rollups by
sector (SectorDay, SectorHour) come from the same runs, whether the visits were counted on the
first run, added by a later one, or recomputed with their day; a group's membership counts from
the day it was added until the day it was removed."""

import datetime

import pytest
from django.db.models import Sum
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import groups, rollups, stats
from vaora.oversight.models import AreaDay, AreaHour, SectorDay, SectorHour, VenueDay
from vaora.venues.models import Kind, Venue

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def sector_total(sector, model=SectorDay) -> int:
    return model.objects.filter(sector=sector).aggregate(n=Sum("entries"))["n"] or 0


def venue_total(*venues) -> int:
    return VenueDay.objects.filter(venue__in=venues).aggregate(n=Sum("entries"))["n"] or 0


def test_it_counts_a_sectors_venues_as_the_territory_counts_them(sectors, tenant_a):
    Venue.objects.update(created_at=NOW - 30 * DAY)  # registered well before
    scans(sectors.school_a, NOW - 2 * DAY, 7)
    scans(sectors.school_b, NOW - DAY, 5)
    scans(tenant_a.venue, NOW - DAY, 9)  # a hospital: not education
    with freeze_time(NOW - DAY + datetime.timedelta(hours=2)):
        rollups.refresh()  # the first run: every day
    scans(sectors.school_b, NOW - datetime.timedelta(hours=1), 3)  # added by the next run
    with freeze_time(NOW):
        rollups.refresh()
    schools = (sectors.school_a, sectors.school_b)
    assert sector_total(sectors.education) == venue_total(*schools) == 15
    assert sector_total(sectors.education, SectorHour) == 15
    school_kinds = AreaDay.objects.filter(kind="school").aggregate(n=Sum("entries"))["n"]
    assert sector_total(sectors.education) == school_kinds
    hours = AreaHour.objects.filter(kind="school").aggregate(n=Sum("entries"))["n"]
    assert sector_total(sectors.education, SectorHour) == hours
    day = SectorDay.objects.get(sector=sectors.education, day=(NOW - 2 * DAY).date(),
                                commune=sectors.school_a.commune)  # fmt: skip
    assert (day.registered_venues, day.active_venues) == (1, 1)


def test_it_shows_the_department_the_same_charts_as_the_territory_for_its_venues(
    sectors, users, signed_in
):
    scans(sectors.school_a, NOW - DAY, 6)
    scans(sectors.school_b, NOW - DAY, 8)
    with freeze_time(NOW):
        rollups.refresh()
        department = signed_in(sectors.education_account)
        charts = {s["key"]: s for s in department.get("/api/v1/oversight/stats").json()}
        assert "symptoms" not in charts  # declarations are by home commune, not by sector
        per_day = {p["label"]: p["value"] for p in charts["per_day"]["points"]}
        assert per_day[(NOW - DAY).strftime("%d/%m")] == 14
        by_commune = {p["label"]: p["value"] for p in charts["by_commune"]["points"]}
        assert set(by_commune.values()) == {6, 8}
        page = department.get("/oversight/stats/")
        assert page.status_code == 200
        scope = stats.scope_for(users["provincial_oversight"], None, 30, None)
        province = {s.key: s for s in stats.dashboard(scope)}
        kinds = dict(province["by_kind"].rows)
        assert kinds[str(Kind.SCHOOL.label)] == 14  # the territory's figure for schools


def test_it_counts_a_member_from_the_day_it_joined_until_the_day_it_left(sectors, signed_in):
    start = NOW - 3 * DAY
    for day in range(4):  # the factory outside the park scans every day
        scans(sectors.factory_out, start + day * DAY, 5)
    with freeze_time(start + datetime.timedelta(hours=1)):
        rollups.refresh()
    with freeze_time(NOW - DAY):  # the board takes the factory in on day 3 ...
        groups.add_members(sectors.board_account, sectors.park.pk,
                           registry_codes=["2900000002"])  # fmt: skip
        rollups.refresh()
    with freeze_time(NOW):  # ... and lets it go on day 4
        groups.remove_member(sectors.board_account, sectors.park.pk,
                             sectors.factory_out.organisation_id)  # fmt: skip
        rollups.refresh()
    counted = dict(SectorDay.objects.filter(sector=sectors.board_sector,
                                            kind="factory").values_list("day")
                   .annotate(n=Sum("entries")))  # fmt: skip
    assert counted.get((NOW - DAY).date()) == 5  # its day in the park
    assert counted.get((NOW - 2 * DAY).date(), 0) == 0  # before: not the board's
    assert counted.get(NOW.date(), 0) == 0  # after it left
