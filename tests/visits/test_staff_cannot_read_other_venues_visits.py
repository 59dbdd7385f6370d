"""Venue staff see their own venue's counts and the visitors they entered by hand — never
another venue's visits, uploads or visitors, and never a person's record (threats 10, 11)."""

import io
import uuid

import pytest
from freezegun import freeze_time

from vaora.core.roles import Role
from vaora.paper.importer import import_register
from vaora.paper.models import PaperUpload
from vaora.visits import staff

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T02:00:00Z"


@pytest.fixture
def venue_b_has_visitors(tenant_b, users):
    """Tenant B's gate entered a visitor by hand and uploaded a register."""
    from vaora.people.models import Account

    staff_b = Account.objects.create_user("staff-b", password="x" * 12, role=Role.VENUE_STAFF,
                                          organisation=tenant_b.organisation)  # fmt: skip
    done = staff.assisted(staff_b, tenant_b.venue, name="Bà Khách Bê", phone="0912000999",
                          client_id=uuid.uuid4())  # fmt: skip
    body = io.BytesIO("Họ tên,SĐT,Giờ vào\nÔng Giấy Bê,0912000888,25/11/2026 08:00\n".encode())
    import_register(tenant_b.venue, body, "b.csv")
    upload = PaperUpload.rows.create(venue=tenant_b.venue, filename="b.csv")
    return done.visit, upload


@freeze_time(NOW)
def test_it_lets_staff_of_venue_a_reach_nothing_of_venue_b(users, signed_in, tenant_b,
                                                    venue_b_has_visitors):  # fmt: skip
    visit, upload = venue_b_has_visitors
    gate = signed_in(users[Role.VENUE_STAFF])
    b = tenant_b.venue.pk
    for url in (f"/api/v1/venues/{b}/assisted-today", f"/api/v1/venues/{b}/occupancy",
                f"/venues/{b}/entered-by-staff.csv", f"/venues/{b}/assisted/",
                f"/api/v1/venues/{b}/paper-uploads/{upload.pk}",
                f"/api/v1/venues/{b}/paper-uploads/{upload.pk}/rejected",
                f"/venues/{b}/paper/{upload.pk}/",
                f"/api/v1/people/{visit.person_id}"):  # fmt: skip
        answer = gate.get(url)
        assert answer.status_code == 404, url
        assert (
            "Khách Bê" not in answer.content.decode() and "Giấy Bê" not in answer.content.decode()
        )
    checkout = gate.post(f"/venues/{b}/assisted/{visit.pk}/out/")
    assert checkout.status_code == 404


@freeze_time(NOW)
def test_it_shows_staff_only_hand_entered_visitors_of_their_own_venue(users, signed_in, tenant_a,
                                                                 citizen):  # fmt: skip
    from vaora.visits import services

    services.check_in(citizen.person, tenant_a.venue, None)  # a self-scan
    gate = signed_in(users[Role.VENUE_STAFF])
    gate.post(f"/venues/{tenant_a.venue.pk}/assisted/", {"name": "Bà Tay", "phone": "0912000777"})
    names = [
        v["name"] for v in gate.get(f"/api/v1/venues/{tenant_a.venue.pk}/assisted-today").json()
    ]
    assert names == ["Bà Tay"]
