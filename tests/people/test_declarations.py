"""Health declarations give a clear result with advice and a history; travel declarations yield
a signed QR valid for 3 days that a checkpoint can scan (and that expires)."""

import datetime
import re

import pytest
from freezegun import freeze_time

from vaora.people import codes
from vaora.people.models import HealthDeclaration, TravelDeclaration

pytestmark = pytest.mark.django_db


def test_it_reassures_when_there_are_no_symptoms(citizen, signed_in):
    client = signed_in(citizen)
    response = client.post("/me/health/", {"vaccine_doses": "3"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Không có triệu chứng" in page and "No symptoms" in page


def test_it_asks_for_attention_with_advice_on_symptoms_or_contact(citizen, signed_in):
    client = signed_in(citizen)
    form = {"symptoms": ["fever", "cough"], "contact_with_case": "on", "vaccine_doses": "2"}
    response = client.post("/me/health/", form)
    declaration = HealthDeclaration.objects.get()
    assert declaration.symptoms == ["cough", "fever"] and declaration.needs_attention
    page = client.get(response.url).content.decode()
    assert "Cần chú ý" in page and "trạm y tế" in page
    assert "cần chú ý" in client.get("/me/health/").content.decode()  # history


def test_it_refuses_a_bad_health_form_with_reasons(citizen, signed_in):
    response = signed_in(citizen).post("/me/health/", {"symptoms": ["plague"],
                                                       "vaccine_doses": "40"})  # fmt: skip
    assert response.status_code == 200 and not HealthDeclaration.objects.exists()


def travel_form(**overrides):
    form = {"from_commune": "16681", "to_commune": "00004", "departure_date": "2026-11-26",
            "means": "coach", "transport_ref": "37b 12345", "purpose": "Công tác"}  # fmt: skip
    return form | overrides


@freeze_time("2026-11-25 09:00:00")
def test_it_gives_a_travel_declaration_a_qr_that_a_checkpoint_reads(citizen, signed_in, client):
    response = signed_in(citizen).post("/me/travel/", travel_form())
    assert response.status_code == 302, response.content.decode()[:500]
    declaration = TravelDeclaration.objects.get()
    assert declaration.transport_ref == "37B-123.45" and declaration.province_code == "01"
    assert declaration.valid_until == declaration.declared_at + datetime.timedelta(days=3)
    page = signed_in(citizen).get(response.url).content.decode()
    assert "<svg" in page
    url = codes.travel_url(declaration)
    check = client.get("/" + url.split("/", 3)[3]).content.decode()
    assert "Tờ khai di chuyển hợp lệ" in check or "Valid travel declaration" in check
    assert citizen.person.name not in check  # only the initial


def test_it_expires_a_travel_qr_after_three_days(citizen, client):
    with freeze_time("2026-11-25 09:00:00"):
        from vaora.core.models import Place
        from vaora.people import declarations

        places = Place.objects.filter(level="commune")
        declaration = declarations.declare_travel(citizen.person, {
            "from_commune": places.get(code="16681"), "to_commune": places.get(code="00004"),
            "departure_date": datetime.date(2026, 11, 25), "means": "private"})  # fmt: skip
        url = codes.travel_url(declaration)
    with freeze_time("2026-11-28 09:00:01"):
        response = client.get("/" + url.split("/", 3)[3])
    assert response.status_code == 410 and "hết hạn" in response.content.decode()


def test_it_needs_the_plate_of_a_coach_trip(citizen, signed_in):
    response = signed_in(citizen).post("/me/travel/", travel_form(transport_ref=""))
    assert response.status_code == 200 and "biển số" in response.content.decode()
    assert not TravelDeclaration.objects.exists()


def test_it_adds_and_removes_family_members(citizen, signed_in):
    client = signed_in(citizen)
    client.post("/me/family/", {"name": "Nguyễn Bé Ba", "birth_year": "2021"})
    dependant = citizen.person.dependants.get(birth_year=2021)
    assert dependant.name == "Nguyễn Bé Ba"
    client.post(f"/me/family/{dependant.pk}/remove/")
    assert not citizen.person.dependants.filter(pk=dependant.pk).exists()


def test_it_identifies_by_personal_qr_and_never_reveals_history(
    citizen, signed_in, client, tenant_a
):
    """Threat 5: the QR value alone reads nothing."""
    from vaora.visits import services

    services.check_in(citizen.person, tenant_a.venue)
    page = signed_in(citizen).get("/me/qr/").content.decode()
    assert "<svg" in page
    url = codes.person_url(citizen.person)
    token = url.rsplit("/", 1)[1]
    client.logout()
    public = client.get(f"/P/{token}").content.decode()
    assert citizen.person.name not in public and tenant_a.venue.name not in public
    assert client.get("/api/v1/visits/sync").status_code in (401, 405)
    assert client.get("/me/visits/", {"token": token}).status_code == 302  # sign-in, no data
    assert codes.resolve_person(token) == citizen.person
    codes.replace_person_code(citizen.person)
    assert client.get(f"/P/{token}").status_code == 410


def test_it_names_every_family_member_on_the_qr_card_pdf(citizen, signed_in):

    import pypdfium2
    import zxingcpp

    body = signed_in(citizen).get("/me/qr/card.pdf").content
    page = pypdfium2.PdfDocument(body)[0]
    text = page.get_textpage().get_text_range()
    for member in [citizen.person, *citizen.person.dependants.all()]:
        assert member.name.split()[-1] in text
    codes_found = zxingcpp.read_barcodes(page.render(scale=4).to_pil())
    assert len(codes_found) == 3
    assert all(re.search(r"/P/[A-Z2-7]+$", c.text) for c in codes_found)
