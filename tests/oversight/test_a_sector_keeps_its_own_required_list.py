"""A department uploads its list of schools, a board its list of enterprises: each sector's
list of organisations required to register is its own — the territory's list and another
sector's stay apart, and the same registry code may be on both."""

import io

import pytest

pytestmark = pytest.mark.django_db


def upload(client, text: str):
    sheet = io.BytesIO(text.encode())
    sheet.name = "ds.csv"
    return client.post("/api/v1/oversight/required/import", {"file": sheet}).json()


def codes(client, registered=None) -> set[str]:
    url = "/api/v1/oversight/required?limit=500"
    if registered is not None:
        url += f"&registered={str(registered).lower()}"
    return {row["registry_code"] for row in client.get(url).json()["items"]}


def test_it_keeps_each_sectors_list_apart_from_the_territorys(sectors, users, signed_in):
    department = signed_in(sectors.education_account)
    report = upload(department, "ma_so_thue,ten,xa\n2900000003,THCS Đặng Thai Mai,16681\n"
                                "2900000077,THPT Chưa đăng ký,16690\n")  # fmt: skip
    assert report["created"] == 2
    assert codes(department, registered=False) == {"2900000077"}
    assert codes(department, registered=True) == {"2900000003"}
    province = signed_in(users["provincial_oversight"])
    assert upload(province, "ma_so_thue,ten,xa\n2900000077,THPT Chưa đăng ký,16690\n"
                  )["created"] == 1  # the same code on the territory's list  # fmt: skip
    assert codes(province) == {"2900000077"}
    board = signed_in(sectors.board_account)
    assert codes(board) == set()
