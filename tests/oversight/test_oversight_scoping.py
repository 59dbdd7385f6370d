"""Oversight scoping: a commune official sees only their commune (another commune's venues,
statistics, required organisations, accounts and reminders are 404 or left out); a provincial
official the whole province; every other role is refused (403) before anything is read."""

import pytest

from tests.conftest import make_account
from tests.scoping import OVERSIGHT_ENDPOINTS, OVERSIGHT_UNSCOPED
from vaora.core.roles import Role

pytestmark = pytest.mark.django_db
ids = [name for name, _url in OVERSIGHT_ENDPOINTS]
OTHER_ROLES = [Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.HEALTH, Role.HELPER]


@pytest.mark.parametrize(("name", "url"), OVERSIGHT_ENDPOINTS, ids=ids)
def test_it_gives_a_commune_official_their_commune_and_404_for_another(
    name, url, users, tenant_a, tenant_b, signed_in
):
    client = signed_in(users[Role.OVERSIGHT])
    assert client.get(url(tenant_a)).status_code == 200, name
    assert client.get(url(tenant_b)).status_code == 404, name


@pytest.mark.parametrize(("name", "url"), OVERSIGHT_ENDPOINTS, ids=ids)
def test_it_gives_provincial_officials_and_the_admin_every_commune(
    name, url, users, tenant_a, tenant_b, signed_in
):
    for account in (users["provincial_oversight"], users[Role.ADMIN]):
        client = signed_in(account)
        assert client.get(url(tenant_a)).status_code == 200, name
        assert client.get(url(tenant_b)).status_code == 200, name


@pytest.mark.parametrize(("name", "url"), OVERSIGHT_ENDPOINTS, ids=ids)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_it_refuses_every_other_role(name, url, role, users, tenant_a, signed_in):
    assert signed_in(users[role]).get(url(tenant_a)).status_code == 403, (name, role)


@pytest.mark.parametrize("url", OVERSIGHT_UNSCOPED)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_it_refuses_other_roles_the_jurisdiction_wide_pages(url, role, users, signed_in):
    assert signed_in(users[role]).get(url).status_code == 403, (url, role)
    assert signed_in(users[Role.OVERSIGHT]).get(url).status_code == 200, url


@pytest.mark.parametrize("url", [u for _n, u in OVERSIGHT_ENDPOINTS] + OVERSIGHT_UNSCOPED)
def test_it_refuses_anonymous_callers(url, client, tenant_a):
    target = url(tenant_a) if callable(url) else url
    assert client.get(target).status_code in (302, 401)


@pytest.mark.parametrize("action", ["deactivate", "activate", "resend-activation",
                                    "reset-second-factor"])  # fmt: skip
def test_it_answers_404_for_another_communes_account(action, users, tenant_b, signed_in):
    other = make_account(Role.OVERSIGHT, "oversight-b", jurisdiction=tenant_b.commune,
                         phone="0912000777")  # fmt: skip
    client = signed_in(users[Role.OVERSIGHT])
    response = client.post(f"/api/v1/oversight/accounts/{other.pk}/{action}")
    assert response.status_code == 404
    page = client.post(f"/oversight/accounts/{other.pk}/{action.replace('-activation', '')}/")
    assert page.status_code == 404
    assert signed_in(users["provincial_oversight"]).post(
        f"/api/v1/oversight/accounts/{other.pk}/{action}").status_code == 200  # fmt: skip


def test_it_does_not_list_another_communes_accounts(users, tenant_b, signed_in):
    make_account(Role.OVERSIGHT, "oversight-b", jurisdiction=tenant_b.commune)
    listed = signed_in(users[Role.OVERSIGHT]).get("/api/v1/oversight/accounts").json()["items"]
    assert "oversight-b" not in {a["username"] for a in listed}
    assert "oversight-a" in {a["username"] for a in listed}
