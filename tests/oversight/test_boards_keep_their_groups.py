"""A board keeps its group's membership: it adds enterprises by registry code, by search or
from a spreadsheet (bad lines reported, good ones kept) and removes them; every change is a
dated row with who made it, and an audit event. Another board, a commune official or any other
role cannot see the group at all."""

import io

import pytest

from tests.conftest import make_account, make_venue
from vaora.core.models import AuditEvent
from vaora.core.roles import Role
from vaora.venues.models import GroupMembership, Kind

pytestmark = pytest.mark.django_db


def members(client, group) -> set[str]:
    rows = client.get(f"/api/v1/oversight/groups/{group.pk}/members").json()["items"]
    return {row["registry_code"] for row in rows}


def test_it_adds_by_registry_code_and_reports_the_unknown_ones(sectors, signed_in):
    client = signed_in(sectors.board_account)
    answer = client.post(f"/api/v1/oversight/groups/{sectors.park.pk}/members",
                         {"registry_codes": ["2900000002", " 2900000001 ", "9999999999"]},
                         content_type="application/json").json()  # fmt: skip
    assert answer == {"added": 1, "already": 1, "unknown": ["9999999999"]}
    assert members(client, sectors.park) == {"2900000001", "2900000002"}
    assert client.get(f"/venues/{sectors.factory_out.pk}/").status_code == 200  # now its own
    assert AuditEvent.objects.filter(action="group.member_added").count() == 1


def test_it_finds_organisations_by_name_and_adds_the_ticked_ones(sectors, signed_in):
    client = signed_in(sectors.board_account)
    page = client.get(f"/oversight/groups/{sectors.park.pk}/?find=Gỗ Hưng").content.decode()
    assert "Công ty Gỗ Hưng Lộc" in page
    response = client.post(f"/oversight/groups/{sectors.park.pk}/add/",
                           {"organisation": [sectors.factory_out.organisation_id]})  # fmt: skip
    assert response.status_code == 302
    assert members(client, sectors.park) == {"2900000001", "2900000002"}


def test_it_loads_a_spreadsheet_keeping_the_good_lines(sectors, tenant_a, signed_in):
    extra = make_venue(tenant_a.commune, "Công ty Điện tử Nghi Phú", Kind.FACTORY, "2900000009")
    upload = io.BytesIO("ma_so_thue,ten\n2900000009,Điện tử\n,Thiếu mã\n123,Không có\n"
                        "2900000001,Đã có\n".encode())  # fmt: skip
    upload.name = "kcn.csv"
    client = signed_in(sectors.board_account)
    report = client.post(f"/api/v1/oversight/groups/{sectors.park.pk}/members/import",
                         {"file": upload}).json()  # fmt: skip
    assert (report["created"], report["unchanged"]) == (1, 1)
    assert [(r["line"], r["code"]) for r in report["rejected"]] == [
        (3, "missing_registry_code"), (4, "unknown_organisation")]  # fmt: skip
    assert extra.organisation.registry_code in members(client, sectors.park)


def test_it_removes_a_member_from_today_and_keeps_the_trail(sectors, signed_in):
    client = signed_in(sectors.board_account)
    org = sectors.factory_in.organisation_id
    assert client.delete(f"/api/v1/oversight/groups/{sectors.park.pk}/members/{org}"
                         ).status_code == 204  # fmt: skip
    assert members(client, sectors.park) == set()
    assert client.get(f"/venues/{sectors.factory_in.pk}/").status_code == 404
    trail = client.get(f"/api/v1/oversight/groups/{sectors.park.pk}/history").json()["items"]
    assert trail[0]["removed_by"] == "bql-kkt" and trail[0]["until"] is not None
    again = client.delete(f"/api/v1/oversight/groups/{sectors.park.pk}/members/{org}")
    assert again.status_code == 404
    assert GroupMembership.objects.filter(organisation_id=org).count() == 1


def test_it_hides_the_group_from_everyone_outside_it(sectors, users, tenant_b, signed_in):
    outsiders = [sectors.education_account, users[Role.OVERSIGHT],
                 make_account(Role.OVERSIGHT, "gs-b", jurisdiction=tenant_b.commune)]  # fmt: skip
    for account in outsiders:
        client = signed_in(account)
        for url in (f"/oversight/groups/{sectors.park.pk}/",
                    f"/api/v1/oversight/groups/{sectors.park.pk}/members"):  # fmt: skip
            assert client.get(url).status_code == 404, (account.username, url)
        added = client.post(f"/api/v1/oversight/groups/{sectors.park.pk}/members",
                            {"registry_codes": ["2900000002"]},
                            content_type="application/json")  # fmt: skip
        assert added.status_code == 404
    for role in (Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.HEALTH, Role.HELPER):
        client = signed_in(users[role])
        assert client.get(f"/api/v1/oversight/groups/{sectors.park.pk}/members"
                          ).status_code == 403  # fmt: skip
    provincial = signed_in(users["provincial_oversight"])  # Sở TT&TT sees every group
    assert provincial.get(f"/oversight/groups/{sectors.park.pk}/").status_code == 200


def test_it_lets_the_provincial_office_create_a_group_for_a_board(sectors, users, signed_in):
    client = signed_in(users["provincial_oversight"])
    created = client.post("/api/v1/oversight/groups",
                          {"code": "kcn-nam-cam", "name": "KCN Nam Cấm",
                           "category": "industrial_park", "sector": "khu-kinh-te"},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and created.json()["sectors"] == ["khu-kinh-te"]
    taken = client.post("/api/v1/oversight/groups",
                        {"code": "kcn-nam-cam", "name": "X", "category": "nope"},
                        content_type="application/json")  # fmt: skip
    assert taken.status_code == 422
    assert set(taken.json()["fields"]) == {"code", "category"}
    board = signed_in(sectors.board_account)
    assert {g["code"] for g in board.get("/api/v1/oversight/groups").json()["items"]} == {
        "kcn-bac-vinh", "kcn-nam-cam"}  # fmt: skip
    refused = board.post("/api/v1/oversight/groups", {"code": "kcn-x", "name": "X"},
                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
