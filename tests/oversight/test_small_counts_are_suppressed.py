"""No personal data on any dashboard: counts only, and counts from 1 to 4 are suppressed
("<5") in every chart, table and download — official and public."""

import datetime
import io

import openpyxl
import pytest
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def figures(markets):
    """Yesterday: 3 check-ins at one market (to suppress), 12 at another (to show)."""
    scans(markets["a1"], NOW - DAY, 3)
    scans(markets["a2"], NOW - DAY, 12)
    with freeze_time(NOW):
        rollups.refresh()
    return markets


def yesterday_label() -> str:
    return (NOW - DAY).strftime("%d/%m")


@freeze_time(NOW)
def test_it_suppresses_small_counts_in_the_official_api(figures, users, signed_in):
    client = signed_in(users["oversight"])
    series = {s["key"]: s for s in client.get("/api/v1/oversight/stats?days=7").json()}
    per_day = dict((p["label"], p["value"]) for p in series["per_day"]["points"])
    assert per_day[yesterday_label()] == 15  # 3 + 12: a sum of at least 5 is shown
    market = dict((p["label"], p["value"]) for p in series["by_kind"]["points"])
    assert market["Chợ"] == 15
    venues = client.get("/api/v1/oversight/venues?sort=name").json()["items"]
    assert {v["venue_name"]: v["scans_7d"] for v in venues}["Chợ Vinh"] == "<5"
    assert {v["venue_name"]: v["scans_7d"] for v in venues}["Chợ Ga"] == "12"


@freeze_time(NOW)
def test_it_suppresses_small_counts_in_charts_tables_and_downloads(figures, users, signed_in):
    client = signed_in(users["oversight"])
    # Hourly chart of yesterday: 3 check-ins at 17:00–17:02 local, 12 at the same hour too.
    day = (NOW - DAY).date().isoformat()
    page = client.get(f"/oversight/stats/?days=7&day={day}").content.decode()
    hourly = page.split('id="per_hour"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in hourly and "15" in hourly  # 3 + 12 in one hour: shown
    csv = client.get("/oversight/stats/?days=7&download=per_day&fmt=csv").content.decode(
        "utf-8-sig"
    )
    assert f"{yesterday_label()},15" in csv
    listing = client.get("/oversight/venues/?fmt=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(listing.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Chợ Vinh"][6] == "<5" and rows["Chợ Ga"][6] == "12"
    page = client.get("/oversight/venues/").content.decode()
    assert "&lt;5" in page


def test_it_suppresses_a_commune_total_under_5_everywhere(markets, users, signed_in):
    scans(markets["b1"], NOW - DAY, 2)  # commune B: only 2 check-ins
    scans(markets["a2"], NOW - DAY, 7)
    with freeze_time(NOW):
        rollups.refresh()
        client = signed_in(users["provincial_oversight"])
        by_commune = next(s for s in client.get("/api/v1/oversight/stats").json()
                          if s["key"] == "by_commune")  # fmt: skip
        values = {p["label"]: p["value"] for p in by_commune["points"]}
        assert values["Phường Trường Vinh"] is None and values["Phường Thành Vinh"] == 7
        xlsx = client.get("/oversight/stats/?download=by_commune&fmt=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        cells = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert cells["Phường Trường Vinh"] == "<5" and cells["Phường Thành Vinh"] == "7"
        public = client.get("/api/v1/stats/public").json()
        public_by_commune = next(s for s in public if s["key"] == "by_commune")
        assert {p["label"]: p["value"] for p in public_by_commune["points"]}[
            "Phường Trường Vinh"] is None  # fmt: skip


def test_it_shows_the_public_page_without_an_account_and_without_names(markets, client):
    scans(markets["a2"], NOW - DAY, 9)
    with freeze_time(NOW):
        rollups.refresh()
        page = client.get("/stats/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Chợ Ga" not in text and "Khách" not in text
    assert "Phường Thành Vinh" in text
