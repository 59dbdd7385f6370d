"""Officials load the list of organisations required to register (a business-registry CSV);
one in the list without a registered venue is shown as not registered; bad rows are reported
by line and never stop the good ones."""

import io

import pytest

from tests.conftest import COMMUNE_A, COMMUNE_B
from vaora.oversight.models import RequiredOrganisation
from vaora.venues.models import Kind, Organisation, Venue

pytestmark = pytest.mark.django_db

REGISTRY = (
    "Mã số thuế;Tên doanh nghiệp;Xã;Loại hình\n"
    f"2900100001;Công ty May Vinh;{COMMUNE_A};nha_may\n"
    f"2900100002;Nhà hàng Sen;{COMMUNE_A};nha_hang\n"
    f";Không có mã;{COMMUNE_A};\n"
    f"2900100003;Ngoài địa bàn;{COMMUNE_B};\n"
    "2900100004;Xã không có;99999;\n"
    f"2900100001;Trùng mã;{COMMUNE_A};\n"
)


def upload(client, text: str, url="/api/v1/oversight/required/import"):
    data = io.BytesIO(text.encode("utf-8"))
    data.name = "dn.csv"
    return client.post(url, {"file": data})


def test_it_shows_a_required_organisation_without_a_venue_as_not_registered(
    users, tenant_a, signed_in
):
    client = signed_in(users["oversight"])
    report = upload(client, REGISTRY).json()
    assert report["created"] == 2
    assert [(r["line"], r["code"]) for r in report["rejected"]] == [
        (4, "missing_registry_code"), (5, "outside_jurisdiction"), (6, "unknown_commune"),
        (7, "duplicate_in_file"),
    ]  # fmt: skip
    # The May company registered itself, but has no venue yet: still "not registered".
    may = Organisation.objects.create(
        name="May Vinh", kind=Kind.FACTORY, commune=tenant_a.commune, registry_code="2900100001"
    )
    rows = {r["registry_code"]: r["registered"]
            for r in client.get("/api/v1/oversight/required").json()["items"]}  # fmt: skip
    assert rows == {"2900100001": False, "2900100002": False}
    Venue.objects.create(
        organisation=may, name="Xưởng 1", kind=Kind.FACTORY, commune=tenant_a.commune
    )
    rows = {r["registry_code"]: r["registered"]
            for r in client.get("/api/v1/oversight/required").json()["items"]}  # fmt: skip
    assert rows == {"2900100001": True, "2900100002": False}
    page = client.get("/oversight/required/").content.decode()
    assert "Nhà hàng Sen" in page and "Công ty May Vinh" not in page
    assert "1 trên 2 đơn vị bắt buộc chưa đăng ký địa điểm nào." in page


def test_it_updates_names_when_a_newer_list_is_loaded(users, signed_in):
    client = signed_in(users["oversight"])
    upload(client, REGISTRY)
    report = upload(client, f"mst,ten,xa\n2900100002,Nhà hàng Sen Vàng,{COMMUNE_A}\n").json()
    assert report["unchanged"] == 1 and report["created"] == 0
    assert RequiredOrganisation.objects.get(registry_code="2900100002").name == "Nhà hàng Sen Vàng"


def test_it_accepts_the_upload_on_the_page_too(users, signed_in):
    client = signed_in(users["provincial_oversight"])
    response = upload(client, REGISTRY, url="/oversight/required/")
    assert response.status_code == 200
    assert RequiredOrganisation.objects.count() == 3  # the provincial official may load B's too
    page = response.content.decode()
    assert "Không có xã/phường mã 99999" in page  # line 6's reason, in Vietnamese


def test_it_refuses_an_unreadable_file_with_a_coded_error(users, signed_in):
    client = signed_in(users["oversight"])
    data = io.BytesIO(b"PK\x03\x04 not really a workbook")
    data.name = "dn.xlsx"
    response = client.post("/api/v1/oversight/required/import", {"file": data})
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_file"
