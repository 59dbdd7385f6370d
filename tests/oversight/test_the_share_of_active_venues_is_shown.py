"""The "share of venues with check-ins" chart shows its share every day: venue counts are about
organisations, not people, so small-count suppression does not apply to them (it hid every day
as "<5"). A chart with nothing to draw says why instead of drawing an empty frame."""

import datetime

import pytest
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import rollups

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@freeze_time(NOW)
def test_it_shows_the_share_of_venues_with_check_ins(markets, users, signed_in):
    from vaora.venues.models import Venue

    Venue.objects.update(created_at=NOW - 30 * DAY)  # registered long before
    scans(markets["a1"], NOW - DAY, 3)
    rollups.refresh()
    client = signed_in(users["oversight"])
    series = {s["key"]: s for s in client.get("/api/v1/oversight/stats?days=7").json()}
    share = dict((p["label"], p["value"]) for p in series["active_share"]["points"])
    registered = dict((p["label"], p["value"]) for p in series["registered"]["points"])
    yesterday = (NOW - DAY).strftime("%d/%m")
    assert registered[yesterday] >= 4 and share[yesterday] == 1 / registered[yesterday]
    page = client.get("/oversight/stats/?days=7").content.decode()
    chart = page.split('id="active_share"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in chart and "&lt;5" not in chart


@freeze_time(NOW)
def test_it_says_why_a_chart_is_empty(markets, users, signed_in):
    rollups.refresh()
    page = signed_in(users["oversight"]).get("/oversight/stats/?days=7").content.decode()
    assert "Không có số liệu nào trong khoảng thời gian này ở địa bàn này." in page


@freeze_time(NOW)
def test_it_says_when_every_figure_is_hidden(markets, users, signed_in):
    scans(markets["a1"], NOW - DAY, 2)
    rollups.refresh()
    page = signed_in(users["oversight"]).get("/oversight/stats/?days=7").content.decode()
    chart = page.split('id="per_day"', 1)[1].split("</section>", 1)[0]
    assert "đều dưới 5 nên được ẩn" in chart and "&lt;5" in chart  # the table still says it
