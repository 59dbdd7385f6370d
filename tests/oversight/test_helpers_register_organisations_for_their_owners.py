"""A helper (union or youth volunteer) registers an organisation for its owner in their own area,
adds its venues and hands it over: the manager account is created with an activation link and
the helper's rights end. Other roles may not."""

import pytest

from tests.conftest import COMMUNE_B, commune
from vaora.core.models import SmsMessage
from vaora.people.models import Account
from vaora.venues.models import Organisation

pytestmark = pytest.mark.django_db


def register(client, commune_id, **extra):
    body = {"name": "Quán Phở Bà Lan", "kind": "restaurant", "commune_id": commune_id} | extra
    return client.post("/api/v1/helpers/organisations", body, content_type="application/json")


def test_it_lets_a_helper_register_add_a_venue_and_hand_over(users, tenant_a, signed_in):
    helper = signed_in(users["helper"])
    response = register(helper, tenant_a.commune.pk, registry_code="2901234567")
    assert response.status_code == 201
    org_id = response.json()["id"]
    venue = helper.post(f"/api/v1/organisations/{org_id}/venues",
                        {"name": "Quán chính", "kind": "restaurant", "commune_code": "16681"},
                        content_type="application/json")  # fmt: skip
    assert venue.status_code == 201
    handed = helper.post(f"/api/v1/helpers/organisations/{org_id}/hand-over",
                         {"username": "balan.pho", "phone": "0915000111"},
                         content_type="application/json")  # fmt: skip
    assert handed.status_code == 200 and handed.json()["handed_over_at"]
    manager = Account.objects.get(username="balan.pho")
    assert manager.role == "org_manager" and manager.organisation_id == org_id
    assert "/activate/" in SmsMessage.objects.get(purpose="activation").body
    late = helper.post(f"/api/v1/organisations/{org_id}/venues",
                       {"name": "Quán 2", "kind": "restaurant", "commune_code": "16681"},
                       content_type="application/json")  # fmt: skip
    assert late.status_code == 403
    again = helper.post(f"/api/v1/helpers/organisations/{org_id}/hand-over",
                        {"username": "balan.two", "phone": "0915000112"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 409


def test_it_lets_a_helper_register_only_in_their_area_and_provision_nobody(
    users, tenant_a, signed_in
):
    helper = signed_in(users["helper"])
    response = register(helper, commune(COMMUNE_B).pk)
    assert response.status_code == 422 and "commune" in response.json()["fields"]
    assert not Organisation.objects.filter(name="Quán Phở Bà Lan").exists()
    created = helper.post("/api/v1/oversight/accounts", {"username": "x.y.z", "role": "helper",
                          "jurisdiction_id": tenant_a.commune.pk, "phone": "0915000999"},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 403


def test_it_refuses_a_helper_handing_over_someone_elses_organisation(users, tenant_a, signed_in):
    response = signed_in(users["helper"]).post(
        f"/api/v1/helpers/organisations/{tenant_a.organisation.pk}/hand-over",
        {"username": "steal.it", "phone": "0915000113"},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["citizen", "venue_staff", "org_manager", "health"])
def test_it_refuses_other_roles_registering_for_owners(role, users, tenant_a, signed_in):
    assert register(signed_in(users[role]), tenant_a.commune.pk).status_code == 403


def test_it_registers_and_lists_on_the_helper_page(users, tenant_a, signed_in):
    helper = signed_in(users["helper"])
    response = helper.post("/helpers/", {"name": "Tiệm May Hoa", "kind": "shop",
                                         "commune": tenant_a.commune.pk})  # fmt: skip
    assert response.status_code == 302
    assert "Tiệm May Hoa" in helper.get("/helpers/").content.decode()
