"""A travel declaration's communes are chosen by name — with or without diacritics, in any
province, the province after a comma when a name is shared — or by code; the page suggests
names from a search as one types, instead of shipping Nghệ An's list of codes."""

import pytest
from freezegun import freeze_time

from vaora.people.models import TravelDeclaration

pytestmark = pytest.mark.django_db


def declare(client, origin, destination):
    form = {"from_commune": origin, "to_commune": destination, "departure_date": "2026-11-26",
            "means": "coach", "transport_ref": "37B 12345", "purpose": "Thăm nhà"}  # fmt: skip
    return client.post("/me/travel/", form)


@freeze_time("2026-11-25 09:00:00")
def test_it_takes_names_with_or_without_accents_in_any_province(citizen, signed_in):
    answer = declare(signed_in(citizen), "truong vinh", "Tân Phú, Đồng Nai")
    assert answer.status_code == 302, answer.content.decode()[:400]
    declaration = TravelDeclaration.objects.get()
    assert declaration.from_commune.name == "Phường Trường Vinh"
    assert (declaration.to_commune.name, declaration.to_commune.parent.name) == (
        "Xã Tân Phú",
        "Đồng Nai",
    )


@freeze_time("2026-11-25 09:00:00")
def test_it_asks_for_the_province_when_a_name_is_shared(citizen, signed_in):
    page = declare(signed_in(citizen), "16681", "tan phu").content.decode()
    assert "ghi thêm tỉnh" in page and not TravelDeclaration.objects.exists()
    page = declare(signed_in(citizen), "16681", "Xã Không Có Thật").content.decode()
    assert "Không tìm thấy xã/phường" in page


def test_it_suggests_communes_as_one_types(client, places):
    found = client.get("/api/v1/places/search", {"q": "truong vinh"}).json()
    assert found[0]["label"] == "Phường Trường Vinh, Nghệ An"
    shared = client.get("/api/v1/places/search", {"q": "tan phu, dong nai"}).json()
    assert {f["province"] for f in shared} == {"Đồng Nai"}
    assert client.get("/api/v1/places/search", {"q": ""}).status_code == 422


def test_it_ships_no_list_of_codes_with_the_page(citizen, signed_in):
    page = signed_in(citizen).get("/me/travel/").content.decode()
    assert "<datalist" not in page and "people/communes" in page and "data-commune-search" in page
