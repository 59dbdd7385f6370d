"""Sở TT&TT provisions a department's or a board's account with a sector — one at a time on
the page or the API, or from a spreadsheet — with the same activation link; its area is the
sector's. A commune official cannot give a province-wide sector, a sector goes only with the
oversight role, and a sector account provisions nothing itself."""

import io

import pytest

from tests.conftest import make_account
from vaora.core.models import SmsMessage
from vaora.core.roles import Role
from vaora.people.models import Account
from vaora.venues.models import Sector

pytestmark = pytest.mark.django_db


def create(client, **body):
    payload = {"username": "so-gd", "role": "oversight", "phone": "0912345678"} | body
    return client.post("/api/v1/oversight/accounts", payload, content_type="application/json")


def test_it_creates_an_education_department_account_with_its_link(sectors, users, signed_in):
    response = create(signed_in(users["provincial_oversight"]), sector="giao-duc")
    assert response.status_code == 201, response.content
    assert response.json()["sector"] == "giao-duc"
    account = Account.objects.get(username="so-gd")
    assert account.sector == sectors.education
    assert account.jurisdiction == users["provincial_oversight"].jurisdiction  # the province
    assert "/activate/" in SmsMessage.objects.filter(purpose="activation").last().body


def test_it_creates_a_board_account_on_the_page(sectors, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    form = client.get("/oversight/accounts/").content.decode()
    assert 'name="sector"' in form and "khu-kinh-te" in form
    response = client.post("/oversight/accounts/", {
        "username": "bql-kcn", "role": "oversight", "sector": "khu-kinh-te",
        "phone": "0912345679"})  # fmt: skip
    assert response.status_code == 200
    assert Account.objects.get(username="bql-kcn").sector == sectors.board_sector


def test_it_imports_sector_accounts_from_a_spreadsheet(sectors, users, signed_in):
    sheet = io.BytesIO(b"ten_dang_nhap,vai_tro,nganh,dien_thoai\n"
                       b"so-gtvt,giam_sat,giao-thong,0912000101\n"
                       b"so-x,giam_sat,khong-co,0912000102\n"
                       b"yte-gd,y_te,giao-duc,0912000103\n")  # fmt: skip
    sheet.name = "tk.csv"
    report = signed_in(users["provincial_oversight"]).post(
        "/api/v1/oversight/accounts/import", {"file": sheet}).json()  # fmt: skip
    assert report["created"] == 1
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [(3, "sector"), (4, "role")]
    assert Account.objects.get(username="so-gtvt").sector.code == "giao-thong"


def test_it_refuses_a_province_wide_sector_to_a_commune_official(sectors, users, signed_in):
    response = create(signed_in(users[Role.OVERSIGHT]), sector="giao-duc")
    assert response.status_code == 422
    assert "sector" in response.json()["fields"]


def test_it_gives_a_sector_only_to_an_oversight_account(sectors, users, signed_in):
    response = create(signed_in(users["provincial_oversight"]), role="helper", sector="giao-duc")
    assert response.status_code == 422
    assert "sector" in response.json()["fields"]


def test_it_lets_a_commune_office_have_its_own_sector(sectors, users, tenant_a, signed_in):
    local = Sector.objects.create(code="phong-gd-thanh-vinh", name_vi="Phòng GD Thành Vinh",
                                  name_en="Thanh Vinh education office", kinds=["school"],
                                  territory=tenant_a.commune)  # fmt: skip
    assert create(signed_in(users[Role.OVERSIGHT]), sector=local.code).status_code == 201
    account = Account.objects.get(username="so-gd")
    assert account.jurisdiction == tenant_a.commune
    client = signed_in(account)
    names = {r["name"] for r in client.get("/api/v1/venues?limit=500").json()["items"]}
    assert names == {sectors.school_a.name}  # the school of commune B is not its


def test_it_lets_a_sector_account_provision_nothing(sectors, signed_in):
    client = signed_in(sectors.education_account)
    assert create(client).status_code == 403
    assert client.get("/oversight/accounts/").status_code == 403


def test_it_refuses_a_sector_on_a_non_oversight_account_in_the_database(sectors):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(Role.HEALTH, "yte-sector", jurisdiction=sectors.education_account.jurisdiction,
                     sector=sectors.education)  # fmt: skip


def test_it_keeps_a_sector_account_out_of_registering_organisations(sectors, tenant_a, signed_in):
    client = signed_in(sectors.education_account)
    response = client.post("/api/v1/helpers/organisations",
                           {"name": "Trường Mầm non Hoa Sen", "kind": "school",
                            "commune_id": tenant_a.commune.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
