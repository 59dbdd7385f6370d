"""The weekly ranking for a department's report: its units (organisations) ranked by the
share of days their venues had check-ins in the week, then by check-ins; small counts shown as
"<5"; the same as CSV/XLSX; only the units of the official's scope."""

import datetime

import pytest
from freezegun import freeze_time

from tests.oversight.conftest import scans
from vaora.oversight import rollups
from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2026, 11, 16, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Vinh
DAY = datetime.timedelta(days=1)


@pytest.fixture
def week(sectors, tenant_a):
    Venue.objects.update(created_at=MONDAY - 30 * DAY)
    for day in range(7):  # school B scans every day, a few people
        scans(sectors.school_b, MONDAY + day * DAY, 3)
    for day in range(2):  # school A two days, many people
        scans(sectors.school_a, MONDAY + day * DAY, 10)
    scans(tenant_a.venue, MONDAY, 40)  # a hospital: not education's
    with freeze_time(MONDAY + 8 * DAY):
        rollups.refresh()


def test_it_ranks_regular_scanning_above_many_scans(sectors, week, signed_in):
    client = signed_in(sectors.education_account)
    with freeze_time(MONDAY + 8 * DAY):
        rows = client.get("/api/v1/oversight/ranking").json()["items"]
    assert [(r["rank"], r["name"]) for r in rows] == [
        (1, sectors.school_b.organisation.name),
        (2, sectors.school_a.organisation.name),
    ]
    assert rows[0]["regularity"] == 1.0 and rows[0]["entries"] == "21"
    assert rows[1]["active_days"] == 2 and rows[1]["entries"] == "20"


def test_it_suppresses_small_counts_and_exports_the_same(sectors, week, signed_in):
    client = signed_in(sectors.education_account)
    week_of = (MONDAY + DAY).date().isoformat()  # any day of the week
    rows = client.get(f"/api/v1/oversight/ranking?week={week_of}").json()["items"]
    assert rows[0]["name"] == sectors.school_b.organisation.name
    csv = client.get(f"/api/v1/oversight/ranking/export?week={week_of}&fmt=csv").content.decode()
    assert sectors.school_b.organisation.name in csv and "Bệnh viện" not in csv
    page = client.get(f"/oversight/ranking/?week={week_of}").content.decode()
    assert sectors.school_a.organisation.name in page and "100%" in page
    quiet = client.get("/api/v1/oversight/ranking?week=2026-11-02").json()["items"]
    assert {r["entries"] for r in quiet} == {"0"}


def test_it_shows_an_empty_state_before_anything_was_registered(sectors, signed_in):
    page = signed_in(sectors.board_account).get("/oversight/ranking/?week=2020-01-06")
    assert page.status_code == 200
    assert "No unit to rank" in page.content.decode() or "Không có đơn vị" in page.content.decode()
