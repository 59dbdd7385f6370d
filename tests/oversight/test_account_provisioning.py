"""A provincial official provisions accounts one at a time or from a spreadsheet (bad rows
reported by line, good rows kept); each gets a one-time activation link through the outbox and
must set a password; deactivated accounts cannot sign in; every change is audited."""

import datetime
import io
import re

import pytest
from django.core import mail
from freezegun import freeze_time

from tests.conftest import COMMUNE_A, COMMUNE_B
from vaora.core.models import AuditEvent, SmsMessage
from vaora.people.models import Account

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-rat-dai-2026"


def link_in_outbox() -> str:
    body = SmsMessage.objects.order_by("-id").first().body
    return re.search(r"https://vaora\.test(/activate/[\w-]+/)", body).group(1)


def create(client, **fields):
    body = {"username": "canbo.thanhvinh", "role": "oversight", "phone": "0913111222"} | fields
    return client.post("/api/v1/oversight/accounts", body, content_type="application/json")


def test_it_creates_an_account_that_activates_once_with_a_good_password(
    users, tenant_a, client, signed_in
):
    official = signed_in(users["provincial_oversight"])
    response = create(official, jurisdiction_id=tenant_a.commune.pk, email="cb@vinh.gov.vn")
    assert response.status_code == 201
    assert response.json()["activated"] is False
    account = Account.objects.get(username="canbo.thanhvinh")
    assert not account.has_usable_password() and account.created_by == users["provincial_oversight"]
    assert len(mail.outbox) == 1 and "/activate/" in mail.outbox[0].body
    link = link_in_outbox()
    official.post("/logout/")
    weak = client.post(link, {"password": "123", "password_again": "123"})
    assert weak.status_code == 400
    assert client.post(link, {"password": PASSWORD, "password_again": PASSWORD}).status_code == 302
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    again = client.get(link)
    assert again.status_code == 410
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.create", "account.activation_sent", "account.activated"} <= actions


def test_it_expires_the_link_after_72_hours(users, tenant_a, client, signed_in):
    create(signed_in(users["provincial_oversight"]), jurisdiction_id=tenant_a.commune.pk)
    link = link_in_outbox()
    client.post("/logout/")
    with freeze_time(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=73)):
        assert client.get(link).status_code == 410
    assert client.get("/activate/not-a-real-token/").status_code == 404


def test_it_refuses_accounts_outside_the_officials_jurisdiction(users, tenant_b, signed_in):
    response = create(signed_in(users["oversight"]), jurisdiction_id=tenant_b.commune.pk)
    assert response.status_code == 422
    assert "jurisdiction" in response.json()["fields"]
    assert not Account.objects.filter(username="canbo.thanhvinh").exists()


def test_it_needs_a_phone_or_email_for_the_link(users, tenant_a, signed_in):
    response = create(signed_in(users["oversight"]), jurisdiction_id=tenant_a.commune.pk, phone="")
    assert response.status_code == 422 and "phone" in response.json()["fields"]


def test_it_imports_a_spreadsheet_keeping_good_rows_and_reporting_bad_ones(
    users, tenant_a, signed_in
):
    tenant_a.organisation.registry_code = "2900999111"
    tenant_a.organisation.save()
    sheet = (
        "ten_dang_nhap,ho_ten,vai_tro,dia_ban,don_vi,dien_thoai,email\n"
        f"xa.thanhvinh,UBND Thành Vinh,can_bo_giam_sat,{COMMUNE_A},,0913000001,\n"
        f"yte.thanhvinh,Trạm Y tế,y_te,{COMMUNE_A},,,yte@vinh.gov.vn\n"
        "quanly.bv,Quản lý BV,quan_ly_don_vi,,2900999111,0913000003,\n"
        f"tnv.thanhvinh,Đoàn TN,tinh_nguyen_vien,{COMMUNE_B},,0913000004,\n"
        "x,Quá ngắn,giam_sat,40,,0913000005,\n"
        f"ai.do,Vai trò lạ,phu_trach,{COMMUNE_A},,0913000006,\n"
        f"xa.thanhvinh,Trùng,giam_sat,{COMMUNE_A},,0913000007,\n"
        f"khong.lienlac,Không liên lạc,giam_sat,{COMMUNE_A},,,\n"
        "tinh.khac,Địa bàn lạ,giam_sat,77777,,0913000009,\n"
    )
    data = io.BytesIO(sheet.encode())
    data.name = "tai-khoan.csv"
    client = signed_in(users["provincial_oversight"])
    report = client.post("/api/v1/oversight/accounts/import", {"file": data}).json()
    assert report["created"] == 3
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [
        (3, "role"),  # a health account: only a health administrator gives one (threat 27)
        (6, "username"), (7, "role"), (8, "username"), (9, "phone"), (10, "jurisdiction"),
    ]  # fmt: skip
    manager = Account.objects.get(username="quanly.bv")
    assert manager.role == "org_manager" and manager.organisation == tenant_a.organisation
    assert SmsMessage.objects.filter(purpose="activation").count() == 3
    assert len(mail.outbox) == 0  # the only e-mail address was the refused health account


def test_it_refuses_a_commune_official_importing_accounts_for_another_commune(users, signed_in):
    data = io.BytesIO(f"username,role,jurisdiction,phone\nb.one,oversight,{COMMUNE_B},0913000001\n"
                      .encode())  # fmt: skip
    data.name = "a.csv"
    report = signed_in(users["oversight"]).post("/api/v1/oversight/accounts/import",
                                                {"file": data}).json()  # fmt: skip
    assert report["created"] == 0 and report["rejected"][0]["field"] == "jurisdiction"


def test_it_refuses_deactivated_accounts_and_lists_the_last_use(users, tenant_a, client, signed_in):
    staff = users["venue_staff"]
    staff.set_password(PASSWORD)
    staff.save()
    assert (
        client.post("/login/", {"username": staff.username, "password": PASSWORD}).status_code
        == 302
    )
    client.post("/logout/")
    official = signed_in(users["oversight"])
    listed = {a["username"]: a for a in official.get("/api/v1/oversight/accounts").json()["items"]}
    assert listed[staff.username]["last_login"] is not None
    assert official.post(f"/api/v1/oversight/accounts/{staff.pk}/deactivate").status_code == 200
    official.post("/logout/")
    response = client.post("/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.deactivate", target_id=str(staff.pk)).exists()


def test_it_refuses_an_official_deactivating_themselves(users, signed_in):
    me = users["oversight"]
    response = signed_in(me).post(f"/api/v1/oversight/accounts/{me.pk}/deactivate")
    assert response.status_code == 400 and response.json()["code"] == "not_yourself"


def test_it_creates_an_account_on_the_page_and_shows_the_link_once(users, tenant_a, signed_in):
    client = signed_in(users["provincial_oversight"])
    response = client.post("/oversight/accounts/", {
        "username": "tnv.vinh", "role": "helper", "jurisdiction": tenant_a.commune.pk,
        "phone": "0913222333",
    })  # fmt: skip
    assert response.status_code == 200
    assert "/activate/" in response.content.decode()
    assert Account.objects.get(username="tnv.vinh").role == "helper"
