"""The compliance list: posters issued, filters by commune and kind, sorting, the rollup
command, and an empty state before the first rollup."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_it_counts_posters_issued_per_venue(markets, users, signed_in):
    manager_client = signed_in(users["admin"])
    manager_client.get(f"/venues/{markets['a1'].pk}/poster?format=svg")
    manager_client.get(f"/api/v1/venues/{markets['a1'].pk}/poster?format=svg")
    manager_client.get(f"/org/{markets['a2'].organisation_id}/posters.pdf")
    rollups.refresh()
    rows = signed_in(users["oversight"]).get("/api/v1/oversight/venues").json()["items"]
    issued = {r["venue_name"]: r["posters_issued"] for r in rows}
    assert issued["Chợ Vinh"] == 2 and issued["Chợ Ga"] == 1 and issued["Chợ Quang Trung"] == 0


def test_it_filters_and_sorts(markets, users, signed_in):
    scans(markets["a2"], NOW - DAY, 9)
    scans(markets["a3"], NOW - DAY, 6)
    with freeze_time(NOW):
        rollups.refresh()
        client = signed_in(users["provincial_oversight"])
        by_scans = client.get("/api/v1/oversight/venues?sort=-scans_7d").json()["items"]
        assert [r["venue_name"] for r in by_scans[:2]] == ["Chợ Ga", "Chợ Quang Trung"]
        commune_b = markets["b1"].commune_id
        only_b = client.get(f"/api/v1/oversight/venues?commune={commune_b}").json()["items"]
        assert [r["venue_name"] for r in only_b] == ["Chợ Hưng Dũng", "Cổng chính Bình"]
        hospitals = client.get("/api/v1/oversight/venues?kind=hospital").json()["items"]
        assert {r["kind"] for r in hospitals} == {"hospital"}
        counts = client.get("/api/v1/oversight/status-counts").json()
        assert counts == {"active": 2, "never_used": 4}
        page = client.get("/oversight/venues/?status=never_used&sort=commune").content.decode()
        assert "Chợ Vinh" in page and "Chợ Ga" not in page


def test_it_reports_what_the_rollup_command_did(markets):
    scans(markets["a1"], NOW - DAY, 2)
    out = StringIO()
    with freeze_time(NOW):
        call_command("rollup", "--json", "--digest", stdout=out)
    report = json.loads(out.getvalue())
    assert report["venues"] == 6 and report["digest_messages"] == 0 and "seconds" in report


def test_it_says_when_there_are_no_figures_yet(users, signed_in):
    page = signed_in(users["oversight"]).get("/oversight/").content.decode()
    assert "Chưa có số liệu" in page
