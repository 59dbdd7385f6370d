"""Threat 27: the office that hands out accounts cannot give itself tracing powers. Oversight
officials neither create health accounts nor reset, re-link or re-enable them (403); a health
administrator provisions the health officials of their area; a system administrator's change to
a health account waits for a second administrator, and both steps are audited."""

import pytest

from tests.conftest import make_account
from vaora.core.models import AuditEvent
from vaora.core.roles import Role
from vaora.people.models import Account

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def new_health(client, commune, username="yte.moi"):
    return post(client, "/api/v1/oversight/accounts", {
        "username": username, "role": "health", "phone": "0913555000",
        "jurisdiction_id": commune.pk})  # fmt: skip


@pytest.fixture
def health_official(tenant_a):
    account = make_account(Role.HEALTH, "yte.cu", jurisdiction=tenant_a.commune)
    account.totp_secret, account.phone = "JBSWY3DPEHPK3PXP", "+84913555001"
    account.save()
    return account


@pytest.mark.parametrize("official", ["oversight", "provincial_oversight"])
def test_it_refuses_an_oversight_official_every_change_that_grants_tracing(
    official, users, signed_in, tenant_a, health_official
):
    client = signed_in(users[official])
    created = new_health(client, tenant_a.commune)
    assert (created.status_code, created.json()["code"]) == (403, "separation_of_duties")
    base = f"/api/v1/oversight/accounts/{health_official.pk}"
    for action in ("reset-second-factor", "resend-activation"):
        answer = post(client, f"{base}/{action}")
        assert (answer.status_code, answer.json()["code"]) == (403, "separation_of_duties")
    health_official.refresh_from_db()
    assert health_official.totp_secret == "JBSWY3DPEHPK3PXP"
    assert not Account.objects.filter(username="yte.moi").exists()
    # Taking powers away stays possible (an emergency lock); giving them back does not.
    assert post(client, f"{base}/deactivate").status_code == 200
    answer = post(client, f"{base}/activate")
    assert (answer.status_code, answer.json()["code"]) == (403, "separation_of_duties")


def test_it_lets_a_health_administrator_provision_health_officials_of_their_area(
    signed_in, tenant_a, tenant_b, health_official
):
    chief = make_account(Role.HEALTH, "yte.truong", jurisdiction=tenant_a.commune,
                         manages_health_accounts=True)  # fmt: skip
    client = signed_in(chief)
    assert new_health(client, tenant_a.commune).status_code == 201
    assert Account.objects.get(username="yte.moi").is_active
    outside = new_health(client, tenant_b.commune, "yte.khac")
    assert outside.status_code == 422 and "jurisdiction" in outside.json()["fields"]
    reset = post(client, f"/api/v1/oversight/accounts/{health_official.pk}/reset-second-factor")
    assert reset.status_code == 200
    health_official.refresh_from_db()
    assert health_official.totp_secret is None
    oversight = post(client, "/api/v1/oversight/accounts", {
        "username": "gs.moi", "role": "oversight", "phone": "0913555002",
        "jurisdiction_id": tenant_a.commune.pk})  # fmt: skip
    assert oversight.status_code == 422 and "role" in oversight.json()["fields"]


def test_it_holds_an_administrators_health_account_until_a_second_one_approves(
    users, signed_in, tenant_a
):
    first = signed_in(users["admin"])
    created = new_health(first, tenant_a.commune)
    assert created.status_code == 201
    account = Account.objects.get(username="yte.moi")
    assert not account.is_active and not account.activations.exists()
    pending = first.get("/api/v1/oversight/approvals").json()
    assert pending == []  # not one's own to approve
    second_admin = make_account(Role.ADMIN, "admin2", is_superuser=True)
    second = signed_in(second_admin)
    [approval] = second.get("/api/v1/oversight/approvals").json()
    assert (approval["action"], approval["username"]) == ("create", "yte.moi")
    assert post(second, f"/api/v1/oversight/approvals/{approval['id']}/approve").status_code == 200
    account.refresh_from_db()
    assert account.is_active and account.activations.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"duty.approval_requested", "duty.approved", "account.activation_sent"} <= actions


def test_it_refuses_an_administrator_approving_their_own_request(users, signed_in, tenant_a):
    admin = signed_in(users["admin"])
    new_health(admin, tenant_a.commune)
    from vaora.oversight.models import DutyApproval

    approval = DutyApproval.objects.get()
    answer = post(admin, f"/api/v1/oversight/approvals/{approval.pk}/approve")
    assert (answer.status_code, answer.json()["code"]) == (403, "second_administrator_required")
    assert not Account.objects.get(username="yte.moi").is_active


def test_it_lets_a_health_administrator_use_the_accounts_page_for_health_officials(
    signed_in, tenant_a
):
    chief = make_account(Role.HEALTH, "yte.truong", jurisdiction=tenant_a.commune,
                         manages_health_accounts=True)  # fmt: skip
    client = signed_in(chief)
    page = client.get("/oversight/accounts/")
    assert page.status_code == 200
    assert '<option value="health"' in page.content.decode()
    assert '<option value="oversight"' not in page.content.split(b"<form")[1].decode()
    created = client.post("/oversight/accounts/", {"username": "yte.trang", "role": "health",
                                                   "jurisdiction": tenant_a.commune.pk,
                                                   "phone": "0913555003"})  # fmt: skip
    assert created.status_code == 200 and Account.objects.filter(username="yte.trang").exists()
