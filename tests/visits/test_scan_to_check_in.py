"""A person with only a phone browser opens a poster's URL, signs up on the way, lands back on
the check-in, checks in with a dependant and checks out."""

import re

import pytest

from vaora.core import sms
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_it_takes_a_new_person_from_scan_to_sign_up_family_check_in_and_check_out(client, tenant_a):
    poster = "/V/" + tokens.token_for(tenant_a.venue)
    page = client.get(poster).content.decode()
    assert "Đăng nhập để khai báo" in page or "Sign in to check in" in page
    signin = re.search(r'href="(/signin/\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    client.get(signin)
    client.post("/signin/", {"phone": "0977 000 111"})
    code = re.search(r"\d{6}", sms.last_message_to("+84977000111").body).group()
    assert client.post("/signin/code/", {"code": code}).url == "/me/profile/"
    commune = tenant_a.commune
    client.post("/me/profile/", {"name": "Phan Văn Đức", "birth_year": "1985", "province": "40",
                                 "home_commune": commune.pk, "save": "1"})  # fmt: skip
    back = client.post("/me/consent/")
    assert back.url == poster

    from vaora.people.models import Person

    me = Person.rows.by_phone("0977000111").get()
    assert me.name == "Phan Văn Đức"
    child = Person.rows.create(name="Phan Bé Su", birth_year=2020, guardian=me)
    page = client.get(poster).content.decode()
    assert "Phan Bé Su" in page
    client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
    response = client.post(poster, {"client_id": client_id, "dependants": [child.pk]})
    assert response.status_code == 302
    client.post(poster, {"client_id": client_id, "dependants": [child.pk]})  # a double tap
    assert Visit.rows.filter(venue=tenant_a.venue).count() == 2
    current = client.get("/me/visits/").content.decode()
    assert tenant_a.venue.name in current and "Phan Bé Su" in current
    mine = Visit.rows.get(person=me)
    client.post(f"/me/visits/{mine.pk}/checkout/")
    mine.refresh_from_db()
    assert mine.left_at is not None


def test_it_refuses_a_citizen_checking_out_someone_elses_visit(client, citizen, tenant_a, tenant_b,
                                                       signed_in):  # fmt: skip
    from vaora.visits import services

    other = services.check_in(tenant_b.person, tenant_b.venue).visit
    response = signed_in(citizen).post(f"/me/visits/{other.pk}/checkout/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.left_at is None
