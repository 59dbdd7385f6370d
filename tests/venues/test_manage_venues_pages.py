"""An organisation manager creates, edits, revokes and reissues venues and zones from the pages;
staff and officials read but cannot change; errors come back in the form, in Vietnamese."""

import pytest

from vaora.core.models import AuditEvent
from vaora.venues import tokens
from vaora.venues.models import Venue, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(users, signed_in):
    return signed_in(users["org_manager"])


def venue_form(tenant, **overrides):
    data = {"name": "Cổng phụ", "kind": "hospital", "address": "Số 1 Lê Lợi",
            "commune": tenant.commune.pk, "capacity": "300", "default_stay_minutes": "",
            "latitude": "18.6734", "longitude": "105.6813", "plate_number": "", "route": "",
            "operator_name": ""}  # fmt: skip
    return data | overrides


def test_it_lets_a_manager_create_a_venue_with_kind_defaults(manager, tenant_a):
    response = manager.post(f"/org/{tenant_a.organisation.pk}/venues/new/", venue_form(tenant_a))
    venue = Venue.objects.get(name="Cổng phụ")
    assert response.status_code == 302 and response.url == f"/venues/{venue.pk}/"
    assert venue.default_stay_minutes == 240 and venue.short_code and venue.qr_version == 1
    assert AuditEvent.objects.filter(action="venue.create", target_id=str(venue.pk)).exists()
    page = manager.get(response.url).content.decode()
    assert venue.display_code in page and "Tải áp phích" in page


def test_it_refuses_a_vehicle_without_a_plate_in_the_form(manager, tenant_a):
    form = venue_form(tenant_a, name="Xe 1", kind="vehicle")
    response = manager.post(f"/org/{tenant_a.organisation.pk}/venues/new/", form)
    assert response.status_code == 200
    assert "Phương tiện cần có biển số." in response.content.decode()
    assert not Venue.objects.filter(name="Xe 1").exists()


def test_it_refuses_a_duplicate_name_in_the_form(manager, tenant_a):
    form = venue_form(tenant_a, name=tenant_a.venue.name)
    page = manager.post(f"/org/{tenant_a.organisation.pk}/venues/new/", form).content.decode()
    assert "Đơn vị đã có địa điểm mang tên này." in page


def test_it_lets_a_manager_edit_a_venue(manager, tenant_a):
    form = venue_form(tenant_a, name="Cổng chính (mới)", capacity="50")
    response = manager.post(f"/venues/{tenant_a.venue.pk}/edit/", form)
    assert response.status_code == 302
    tenant_a.venue.refresh_from_db()
    assert (tenant_a.venue.name, tenant_a.venue.capacity) == ("Cổng chính (mới)", 50)


def test_it_lets_a_manager_add_and_rename_a_zone(manager, tenant_a):
    manager.post(f"/venues/{tenant_a.venue.pk}/zones/new/", {"name": "Tầng 2", "kind": "floor"})
    zone = Zone.objects.get(name="Tầng 2")
    manager.post(f"/zones/{zone.pk}/edit/", {"name": "Tầng 3", "kind": "floor"})
    zone.refresh_from_db()
    assert zone.name == "Tầng 3" and zone.short_code


def test_it_revokes_then_reissues_from_the_venue_page(manager, client, tenant_a):
    old = tokens.token_for(tenant_a.venue)
    asked = manager.post(f"/venues/{tenant_a.venue.pk}/revoke/", {"reason": "Áp phích bị đánh cắp"})
    assert "Thu hồi mọi áp phích?" in asked.content.decode()  # a second step, nothing changed
    assert client.get(f"/V/{old}").status_code == 200
    manager.post(f"/venues/{tenant_a.venue.pk}/revoke/", {"reason": "Áp phích bị đánh cắp",
                                                          "confirmed": "yes"})  # fmt: skip
    assert client.get(f"/V/{old}").status_code == 410
    page = manager.get(f"/venues/{tenant_a.venue.pk}/").content.decode()
    assert "Áp phích bị đánh cắp" in page and "Không có áp phích" in page
    assert manager.get(f"/venues/{tenant_a.venue.pk}/poster").status_code == 409
    api = manager.get(f"/api/v1/venues/{tenant_a.venue.pk}/poster")
    assert (api.status_code, api.json()["code"]) == (409, "poster_revoked")
    manager.post(f"/venues/{tenant_a.venue.pk}/reissue/")
    assert client.get(f"/V/{old}").status_code == 410  # not reissued without the second step
    manager.post(f"/venues/{tenant_a.venue.pk}/reissue/", {"confirmed": "yes"})
    assert client.get(f"/V/{old}").context["error"].code == "code_superseded"
    assert (
        client.get(f"/V/{tokens.token_for(Venue.objects.get(pk=tenant_a.venue.pk))}").status_code
        == 200
    )  # noqa: E501


def test_it_shows_staff_the_venue_without_change_buttons(users, signed_in, tenant_a):
    page = signed_in(users["venue_staff"]).get(f"/venues/{tenant_a.venue.pk}/").content.decode()
    assert tenant_a.venue.name in page
    assert "Thu hồi mọi áp phích" not in page and "Tải áp phích" in page


def test_it_lists_an_official_only_the_organisations_of_the_jurisdiction(users, signed_in, tenant_a,
                                                                  tenant_b):  # fmt: skip
    page = signed_in(users["oversight"]).get("/org/").content.decode()
    assert tenant_a.organisation.name in page and tenant_b.organisation.name not in page


def test_it_opens_the_venue_from_a_typed_code(client, tenant_a):
    code = tenant_a.venue.display_code.replace("-", " ").lower()
    response = client.get("/c/", {"code": code}, follow=True)
    assert response.status_code == 200 and tenant_a.venue.name in response.content.decode()


def test_it_explains_the_format_of_a_wrongly_typed_code(client, tenant_a):
    response = client.get("/c/", {"code": "OOOO-IIII"})
    assert response.status_code == 400
    assert "Mã địa điểm gồm 8 ký tự" in response.content.decode()
    assert client.get("/c/", {"code": "2222-2222"}).status_code == 404


def test_it_shows_the_confirmation_only_to_a_manager(users, signed_in, tenant_a):
    for role in ("venue_staff", "oversight", "health", "helper"):
        asked = signed_in(users[role]).post(f"/venues/{tenant_a.venue.pk}/revoke/", {})
        assert asked.status_code == 403, role
