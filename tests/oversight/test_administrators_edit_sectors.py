"""System administrators edit the sectors a province starts with — their organisation kinds,
territory and groups — at /admin/; a kind that does not exist is refused with a message, and
the change counts from today on (today's sector figures are recomputed by the next rollup)."""

import pytest

from vaora.oversight.models import ChangedDay
from vaora.venues.models import Sector

pytestmark = pytest.mark.django_db


def form(sector, kinds: str) -> dict:
    groups = [g.pk for g in sector.groups.all()]
    return {
        "code": sector.code,
        "name_vi": sector.name_vi,
        "name_en": sector.name_en,
        "kinds": kinds,
        "territory": "",
        "groups": groups,
    }


def test_it_lets_an_administrator_change_a_sectors_kinds(sectors, users, signed_in):
    client = signed_in(users["admin"])
    listing = client.get("/admin/venues/sector/").content.decode()
    assert "giao-duc" in listing and "khu-kinh-te" in listing
    ChangedDay.objects.all().delete()
    url = f"/admin/venues/sector/{sectors.education.pk}/change/"
    response = client.post(url, form(sectors.education, '["school"]'))
    assert response.status_code == 302, response.content.decode()[:500]
    sectors.education.refresh_from_db()
    assert sectors.education.kinds == ["school"]
    assert ChangedDay.objects.exists()  # today is recomputed with the new definition


def test_it_refuses_a_kind_that_does_not_exist(sectors, users, signed_in):
    client = signed_in(users["admin"])
    url = f"/admin/venues/sector/{sectors.education.pk}/change/"
    response = client.post(url, form(sectors.education, '["school", "spaceship"]'))
    assert response.status_code == 200
    assert "hospital" in response.content.decode()  # the message lists the kinds there are
    assert Sector.objects.get(pk=sectors.education.pk).kinds == ["school", "university"]


def test_it_keeps_sector_accounts_out_of_the_admin(sectors, signed_in):
    response = signed_in(sectors.education_account).get("/admin/venues/sector/")
    assert response.status_code == 302 and "/admin/login/" in response.url
