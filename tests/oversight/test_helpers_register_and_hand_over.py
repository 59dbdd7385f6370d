"""Volunteer helpers register an organisation and its venues on the owner's behalf, then hand
it over to its manager (new account, activation link) — after which the helper can no longer
change it."""

import pytest

from tests.conftest import COMMUNE_B, commune
from vaora.core.models import SmsMessage
from vaora.people.models import Account
from vaora.venues.models import Organisation

pytestmark = pytest.mark.django_db


def register(client, commune_id, **extra):
    body = {"name": "Quán Phở Bà Lan", "kind": "restaurant", "commune_id": commune_id} | extra
    return client.post("/api/v1/helpers/organisations", body, content_type="application/json")


def test_a_helper_registers_adds_a_venue_and_hands_over(users, tenant_a, signed_in):
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


def test_a_helper_registers_only_in_their_area_and_cannot_provision_others(
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


def test_a_helper_cannot_hand_over_someone_elses_organisation(users, tenant_a, signed_in):
    response = signed_in(users["helper"]).post(
        f"/api/v1/helpers/organisations/{tenant_a.organisation.pk}/hand-over",
        {"username": "steal.it", "phone": "0915000113"},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["citizen", "venue_staff", "org_manager", "health"])
def test_other_roles_cannot_register_for_owners(role, users, tenant_a, signed_in):
    assert register(signed_in(users[role]), tenant_a.commune.pk).status_code == 403


def test_the_helper_page_registers_and_lists(users, tenant_a, signed_in):
    helper = signed_in(users["helper"])
    response = helper.post("/helpers/", {"name": "Tiệm May Hoa", "kind": "shop",
                                         "commune": tenant_a.commune.pk})  # fmt: skip
    assert response.status_code == 302
    assert "Tiệm May Hoa" in helper.get("/helpers/").content.decode()


def test_a_helper_signs_up_a_person_without_a_phone_and_prints_the_card(users, tenant_a, signed_in):
    from vaora.core.models import AuditEvent
    from vaora.people.models import Person

    helper = signed_in(users["helper"])
    body = {"name": "Trần Thị Mơ", "cccd": "040190000123", "birth_year": 1950,
            "home_commune_id": tenant_a.commune.pk}  # fmt: skip
    response = helper.post("/api/v1/helpers/people", body, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    person = Person.objects.by_cccd("040190000123").get()
    assert person.birth_year == 1950 and person.qr_ref
    assert AuditEvent.objects.filter(action="person.assisted_sign_up",
                                     subject_person_id=person.pk).exists()  # fmt: skip
    again = helper.post("/api/v1/helpers/people", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    page = helper.post("/helpers/people/", {"name": "Lê Văn Tám", "phone": "0916000111",
                                            "home_commune": tenant_a.commune.pk})  # fmt: skip
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"


def test_a_helper_cannot_sign_up_a_resident_of_another_commune(users, signed_in):
    response = signed_in(users["helper"]).post(
        "/api/v1/helpers/people", {"name": "Ngô Văn Xa", "home_commune_id": commune(COMMUNE_B).pk},
        content_type="application/json")  # fmt: skip
    assert response.status_code == 422
