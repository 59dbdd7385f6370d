"""A user name typed with capitals or spaces becomes the same lower-case name whether the
account is made on the page, through the API or from a spreadsheet (oversight.accounts)."""

import io

import pytest

from vaora.people.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(users, signed_in):
    return signed_in(users["provincial_oversight"])


def test_it_stores_the_normalised_name_from_the_page(official, tenant_a):
    official.post("/oversight/accounts/", {"username": "  TNV.Vinh ", "role": "helper",
                                           "jurisdiction": tenant_a.commune.pk,
                                           "phone": "0913222333"})  # fmt: skip
    assert Account.objects.filter(username="tnv.vinh").exists()


def test_it_stores_the_normalised_name_from_the_api(official, tenant_a):
    body = {"username": " CanBo.ThanhVinh", "role": "oversight", "phone": "0913111222",
            "jurisdiction_id": tenant_a.commune.pk}  # fmt: skip
    answer = official.post("/api/v1/oversight/accounts", body, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    assert Account.objects.filter(username="canbo.thanhvinh").exists()


def test_it_stores_the_normalised_name_from_a_spreadsheet_row(official, tenant_a):
    data = io.BytesIO(f"username,role,jurisdiction,phone\n QuanLy.ABC ,oversight,"
                      f"{tenant_a.commune.code},0913000001\n".encode())  # fmt: skip
    data.name = "accounts.csv"
    report = official.post("/api/v1/oversight/accounts/import", {"file": data}).json()
    assert report["created"] == 1, report
    assert Account.objects.filter(username="quanly.abc").exists()
