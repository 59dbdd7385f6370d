"""A department's or board's account (a sector) sees exactly the organisations of its sector,
across the province: the education department every school and no hospital, the industrial
park's board the park's enterprises and not the factory next door — on every page, list,
export and API, and nothing a sector cannot name (statistics by commune, persons, accounts)."""

import datetime

import pytest
from freezegun import freeze_time

from tests.oversight.conftest import NOW, scans
from vaora.oversight import reminders, rollups

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def listed(client, url="/api/v1/oversight/venues?limit=500") -> set[str]:
    return {row["venue_name"] for row in client.get(url).json()["items"]}


def test_it_shows_the_education_department_every_school_and_nothing_else(
    sectors, tenant_a, tenant_b, signed_in
):
    rollups.refresh()
    client = signed_in(sectors.education_account)
    assert listed(client) == {sectors.school_a.name, sectors.school_b.name}
    assert {v["name"] for v in client.get("/api/v1/venues?limit=500").json()["items"]} == {
        sectors.school_a.name, sectors.school_b.name}  # fmt: skip
    assert client.get(f"/venues/{sectors.school_b.pk}/").status_code == 200
    for venue in (tenant_a.venue, tenant_b.venue, sectors.factory_in):
        assert client.get(f"/venues/{venue.pk}/").status_code == 404
        assert client.get(f"/api/v1/venues/{venue.pk}").status_code == 404
        assert client.get(f"/api/v1/organisations/{venue.organisation_id}").status_code == 404


def test_it_shows_the_board_its_parks_enterprises_and_not_the_one_outside(sectors, signed_in):
    rollups.refresh()
    client = signed_in(sectors.board_account)
    assert listed(client) == {sectors.factory_in.name}
    assert client.get(f"/venues/{sectors.factory_in.pk}/").status_code == 200
    assert client.get(f"/venues/{sectors.factory_out.pk}/").status_code == 404
    assert client.get(f"/org/{sectors.factory_out.organisation_id}/").status_code == 404
    export = client.get("/api/v1/oversight/venues/export?fmt=csv").content.decode()
    assert sectors.factory_in.name in export and sectors.factory_out.name not in export
    page = client.get("/oversight/venues/").content.decode()
    assert sectors.factory_in.name in page and sectors.factory_out.name not in page
    assert "Ban Quản lý Khu kinh tế" in page  # the page says whose scope it is


def test_it_counts_statuses_and_reminds_only_inside_the_sector(sectors, signed_in):
    rollups.refresh()
    client = signed_in(sectors.board_account)
    assert client.get("/api/v1/oversight/status-counts").json() == {"never_used": 1}
    outside = client.post("/api/v1/oversight/reminders",
                          {"venue_ids": [sectors.factory_out.pk]},
                          content_type="application/json")  # fmt: skip
    assert outside.status_code == 404
    inside = client.post("/api/v1/oversight/reminders", {"venue_ids": [sectors.factory_in.pk]},
                         content_type="application/json")  # fmt: skip
    assert inside.status_code == 200


def test_it_gives_a_sector_account_no_figures_by_commune_nor_people_nor_accounts(
    sectors, tenant_a, signed_in
):
    from vaora.oversight.models import AreaDay
    from vaora.people.models import Account, Person

    scans(tenant_a.venue, NOW - DAY, 6)
    with freeze_time(NOW):
        rollups.refresh()
    account = sectors.education_account
    assert AreaDay.objects.visible_to(account).count() == 0
    assert Person.objects.visible_to(account).count() == 0
    assert Account.objects.visible_to(account).count() == 0
    client = signed_in(account)
    assert client.get("/oversight/accounts/").status_code == 403
    assert client.get("/api/v1/oversight/accounts").status_code == 403
    assert client.get(f"/api/v1/people/{tenant_a.person.pk}").status_code in (403, 404)
    put = client.put("/api/v1/oversight/reminder-templates/silent",
                     {"text_vi": "x {venue}", "text_en": "x {venue}"},
                     content_type="application/json")  # fmt: skip
    assert put.status_code == 403


def test_it_lists_only_the_sectors_new_silent_venues_in_its_digest(sectors, tenant_a):
    scans(sectors.school_a, NOW - 9 * DAY, 6)
    scans(tenant_a.venue, NOW - 9 * DAY, 6)
    for day in range(1, 9):  # peers keep scanning, so the school is silent, not resting
        scans(sectors.school_b, NOW - day * DAY, 1)
    with freeze_time(NOW - 2 * DAY):
        rollups.refresh()
    with freeze_time(NOW):
        rollups.refresh()
        names = {row.venue.name for row in reminders.new_silent(sectors.education_account,
                                                                 NOW - 2 * DAY)}  # fmt: skip
    assert sectors.school_a.name in names
    assert tenant_a.venue.name not in names
