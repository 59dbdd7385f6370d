"""A run that recomputes most days reads every visit once on SQLite (oversight/visit_groups.py,
decision 0032), a run that recomputes few reads each day's: both make the same rollups —
days without visits, days beyond the ones asked for, visits newer than the run's watermark,
every province — on both databases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.oversight.conftest import NOW, make_market, scans
from vaora.oversight import rollups, visit_groups
from vaora.oversight.models import AreaDay, AreaHour, RollupState, SectorHour, VenueDay

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def tables():
    return (
        sorted(VenueDay.objects.values_list("venue_id", "day", "entries", "paper", "assisted",
                                            "paper_delay_seconds", "last_entry_at")),
        sorted(AreaHour.objects.values_list("commune_id", "kind", "hour", "entries")),
        sorted(AreaDay.objects.values_list("commune_id", "kind", "day", "entries", "paper",
                                           "registered_venues", "active_venues")),
        sorted(SectorHour.objects.values_list("sector_id", "commune_id", "hour", "entries")),
    )  # fmt: skip


def first_run(monkeypatch, *, one_pass: bool):
    monkeypatch.setattr(visit_groups, "one_pass_suits", lambda days: one_pass)
    RollupState.objects.all().delete()
    with freeze_time(NOW):
        counts = rollups.refresh()
    return counts, tables()


@pytest.fixture
def weeks_of_visits(markets, tenant_a):
    """Visits on 12 of the last 20 days, late at night and early in the morning (local days
    begin at 17:00 UTC), in two provinces, some from paper registers; none on the other
    days."""
    elsewhere = make_market(tenant_a.commune, "Chợ Đêm")
    for back in (20, 19, 17, 14, 12, 11, 9, 6, 4, 3, 1, 0):
        at = NOW - back * DAY
        scans(markets["a1"], at.replace(hour=16, minute=50), 2)  # 23:50 in Vinh
        scans(markets["b1"], at.replace(hour=17, minute=5), 1)  # 00:05 the next day in Vinh
        scans(elsewhere, at.replace(hour=2), 1, source="paper", received_at=at + DAY)
    return markets


def test_it_makes_the_same_rollups_in_one_pass_as_day_by_day(monkeypatch, weeks_of_visits):
    counts_by_day, by_day = first_run(monkeypatch, one_pass=False)
    counts, in_one_pass = first_run(monkeypatch, one_pass=True)
    assert in_one_pass == by_day
    # Every day from the first visit, with visits or not.
    assert counts["visit_days"] == counts_by_day["visit_days"] == 21
    venue_days, hours, _area, _sectors = in_one_pass
    # All but one: today's 00:05 visit in B is tomorrow's, a day no run recomputes yet.
    assert sum(row[2] for row in venue_days) == 12 * 4 - 1
    assert sum(row[3] for row in hours) == 12 * 4 - 1


def test_it_leaves_newer_visits_to_the_next_run_in_one_pass(monkeypatch, weeks_of_visits):
    monkeypatch.setattr(visit_groups, "one_pass_suits", lambda days: True)
    with freeze_time(NOW):
        rollups.refresh()
    upper = RollupState.objects.get(name="visits").last_id
    later = scans(weeks_of_visits["a2"], NOW - 5 * DAY, 3)
    assert min(v.pk for v in later) > upper
    stream = visit_groups.by_day([(NOW - 5 * DAY).date()], [], upper, rollups._visits)
    ((_day, counted),) = list((day, list(groups)) for day, groups in stream)
    assert weeks_of_visits["a2"].pk not in {g[visit_groups.VENUE] for g in counted}


def test_it_reads_every_visit_once_on_sqlite_for_a_first_run(weeks_of_visits):
    RollupState.objects.all().delete()
    with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
        rollups.refresh()
    grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"] and "visits_visit" in q["sql"]
               and "venue_id" in q["sql"] and "ORDER BY" in q["sql"]]  # fmt: skip
    assert len(grouped) == (1 if connection.vendor == "sqlite" else 0)
