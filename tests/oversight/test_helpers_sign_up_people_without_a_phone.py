"""A helper signs up a resident of their area who has no smartphone and prints their QR card."""

import pytest

from tests.conftest import COMMUNE_B, commune

pytestmark = pytest.mark.django_db


def test_it_lets_a_helper_sign_up_a_person_without_a_phone_and_print_the_card(
    users, tenant_a, signed_in
):
    from vaora.core.models import AuditEvent
    from vaora.people.models import Person

    helper = signed_in(users["helper"])
    body = {"name": "Trần Thị Mơ", "cccd": "040190000123", "birth_year": 1950,
            "home_commune_id": tenant_a.commune.pk}  # fmt: skip
    response = helper.post("/api/v1/helpers/people", body, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    person = Person.rows.by_cccd("040190000123").get()
    assert person.birth_year == 1950 and person.qr_ref
    assert AuditEvent.objects.filter(action="person.assisted_sign_up",
                                     subject_person_id=person.pk).exists()  # fmt: skip
    again = helper.post("/api/v1/helpers/people", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    page = helper.post("/helpers/people/", {"name": "Lê Văn Tám", "phone": "0916000111",
                                            "home_commune": tenant_a.commune.pk})  # fmt: skip
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"


def test_it_refuses_a_helper_signing_up_a_resident_of_another_commune(users, signed_in):
    response = signed_in(users["helper"]).post(
        "/api/v1/helpers/people", {"name": "Ngô Văn Xa", "home_commune_id": commune(COMMUNE_B).pk},
        content_type="application/json")  # fmt: skip
    assert response.status_code == 422
