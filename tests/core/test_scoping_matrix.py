"""A user of commune/organisation A never reaches an object of commune/organisation B: 404, not
403 (which would confirm the object exists). Extended by every issue that adds an endpoint."""

import pytest

from tests.scoping import CHANGES, ENDPOINTS, SCOPED_ROLES, send

pytestmark = pytest.mark.django_db

ids = [e.name for e in ENDPOINTS]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_it_answers_404_for_another_tenants_object(endpoint, role, users, tenant_b, signed_in):
    client = signed_in(users[role])
    response = client.get(endpoint.url(tenant_b))
    assert response.status_code == 404, (endpoint.name, role, response.content[:200])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_it_lets_each_role_read_only_what_it_may_in_its_own_tenant(
    endpoint, role, users, tenant_a, signed_in
):
    client = signed_in(users[role])
    expected = endpoint.expected_for_own(role)
    assert client.get(endpoint.url(tenant_a)).status_code == expected, (endpoint.name, role)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_it_lets_a_provincial_official_or_admin_reach_every_commune(
    endpoint, users, tenant_b, signed_in
):
    admin = signed_in(users["admin"])
    assert admin.get(endpoint.url(tenant_b)).status_code == endpoint.expected_for_own("admin")
    provincial = signed_in(users["provincial_oversight"])
    expected = endpoint.expected_for_own("oversight")
    assert provincial.get(endpoint.url(tenant_b)).status_code == expected


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_it_refuses_anonymous_callers(endpoint, client, tenant_a):
    response = client.get(endpoint.url(tenant_a))
    assert response.status_code in (302, 401)


def test_it_lists_only_the_venues_in_scope(users, tenant_a, tenant_b, signed_in):
    client = signed_in(users["oversight"])
    listed = {v["id"] for v in client.get("/api/v1/venues").json()["items"]}
    assert tenant_a.venue.pk in listed
    assert tenant_b.venue.pk not in listed
    page = client.get("/home/").content.decode()
    assert tenant_a.venue.name in page
    assert tenant_b.venue.name not in page


change_ids = [c.name for c in CHANGES]


@pytest.mark.parametrize("change", CHANGES, ids=change_ids)
@pytest.mark.parametrize("role", SCOPED_ROLES + ["org_manager"])
def test_it_refuses_changes_to_another_tenants_objects_with_404(
    change, role, users, tenant_b, signed_in
):
    response = send(signed_in(users[role]), change, tenant_b)
    assert response.status_code == 404, (change.name, role)


@pytest.mark.parametrize("change", CHANGES, ids=change_ids)
@pytest.mark.parametrize("role", ["venue_staff", "oversight", "health", "helper"])
def test_it_refuses_changes_by_roles_that_only_read(change, role, users, tenant_a, signed_in):
    response = send(signed_in(users[role]), change, tenant_a)
    assert response.status_code == 403, (change.name, role)


@pytest.mark.parametrize("change", CHANGES, ids=change_ids)
def test_it_lets_the_organisations_manager_make_the_change(change, users, tenant_a, signed_in):
    response = send(signed_in(users["org_manager"]), change, tenant_a)
    assert response.status_code in (200, 201, 302), (change.name, response.content[:300])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_it_answers_404_to_a_sector_that_does_not_hold_the_object(
    endpoint, sectors, tenant_a, signed_in
):
    """Tenant A's hospital is neither a school nor in the board's park."""
    for account in (sectors.education_account, sectors.board_account):
        response = signed_in(account).get(endpoint.url(tenant_a))
        assert response.status_code == 404, (endpoint.name, account.username)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids)
def test_it_lets_a_sector_holding_the_object_read_it_as_an_oversight_official(
    endpoint, users, tenant_b, signed_in
):
    from tests.conftest import make_account
    from vaora.venues.models import Sector

    defaults = {"name_vi": "Sở Y tế", "name_en": "Department of Health", "kinds": ["hospital"]}
    health, _ = Sector.objects.get_or_create(code="y-te", defaults=defaults)
    department = make_account("oversight", "so-y-te", sector=health,
                              jurisdiction=users["provincial_oversight"].jurisdiction)  # fmt: skip
    expected = endpoint.expected_for_own("oversight")
    assert signed_in(department).get(endpoint.url(tenant_b)).status_code == expected
