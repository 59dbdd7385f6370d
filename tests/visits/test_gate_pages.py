"""The pages gate staff use: the scanner page carries what its script needs (venue, zone,
messages); a visitor without a phone is checked in by hand and out again; a travel-declaration
QR is accepted at the gate; occupancy shows counts, never the names of self-scanners; the
hand-entered list exports with formula-looking names neutralised."""

import datetime
import io
import json
import re
import uuid

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from vaora.core.roles import Role
from vaora.people import codes
from vaora.people.models import Means, TravelDeclaration
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NOW = "2026-11-25T02:00:00Z"  # 09:00 in Việt Nam


@pytest.fixture
def gate(users, signed_in):
    return signed_in(users[Role.VENUE_STAFF])


def test_it_serves_the_scanner_with_its_venue_zone_and_messages(gate, tenant_a):
    page = gate.get(f"/venues/{tenant_a.venue.pk}/gate/?zone={tenant_a.zone.pk}").content.decode()
    config = json.loads(re.search(r'id="gate-config" type="application/json">(.*?)</script>',
                                  page).group(1))  # fmt: skip
    assert (config["venue_id"], config["zone_id"]) == (tenant_a.venue.pk, tenant_a.zone.pk)
    assert config["messages"]["recorded_in"] == "Đã ghi nhận vào"
    assert "vendor/jsQR.js" in page and "visits/gate.js" in page


def test_it_refuses_a_zone_of_another_venue(gate, tenant_a, tenant_b):
    assert gate.get(f"/venues/{tenant_a.venue.pk}/gate/?zone={tenant_b.zone.pk}").status_code == 404


@freeze_time(NOW)
def test_it_checks_a_visitor_without_a_phone_in_by_hand_and_out_again(gate, tenant_a):
    url = f"/venues/{tenant_a.venue.pk}/assisted/"
    page = gate.post(url, {"name": "Bà Nguyễn Thị Tư", "phone": "", "cccd": "001056012345"})
    assert page.status_code == 200 and "Đã ghi nhận vào" in page.content.decode()
    visit = Visit.rows.get(venue=tenant_a.venue)
    assert visit.source == "assisted" and visit.person.name == "Bà Nguyễn Thị Tư"
    out = gate.post(f"/venues/{tenant_a.venue.pk}/assisted/{visit.pk}/out/")
    assert out.status_code == 302
    visit.refresh_from_db()
    assert visit.left_at is not None
    # Next time she comes, the same person is picked, not a new one.
    gate.post(url, {"name": "Bà Nguyễn Thị Tư", "cccd": "001 056 012 345"})
    assert Visit.rows.filter(person=visit.person).count() == 2


def test_it_says_so_when_a_hand_entry_has_no_name(gate, tenant_a):
    page = gate.post(f"/venues/{tenant_a.venue.pk}/assisted/", {"name": "", "phone": "0912"})
    assert page.status_code == 200 and not Visit.rows.exists()


@freeze_time(NOW)
def test_it_checks_in_the_person_of_a_valid_travel_declaration_qr(gate, citizen, tenant_a):
    declaration = TravelDeclaration.objects.create(
        person=citizen.person, province_code="40", from_commune=tenant_a.commune,
        to_commune=tenant_a.commune, departure_date=datetime.date(2026, 11, 25),
        means=Means.PRIVATE, purpose="work",
        valid_until=datetime.datetime(2026, 11, 27, tzinfo=datetime.UTC),
    )  # fmt: skip
    answer = gate.post(f"/api/v1/venues/{tenant_a.venue.pk}/scan",
                       {"client_id": str(uuid.uuid4()), "code": codes.travel_url(declaration)},
                       content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert Visit.rows.get().person == citizen.person


@freeze_time(NOW)
def test_it_shows_occupancy_as_counts_not_the_names_of_self_scanners(gate, citizen, tenant_a):
    from vaora.visits import services

    services.check_in(citizen.person, tenant_a.venue, None)
    page = gate.get(f"/venues/{tenant_a.venue.pk}/occupancy/").content.decode()
    assert re.search(r'id="inside-now">1<', page)
    assert citizen.person.name not in page


@freeze_time(NOW)
def test_it_neutralises_formulas_in_the_hand_entered_export(gate, tenant_a):
    """Threat 1: names typed at the gate (or from paper) that a spreadsheet would run."""
    names = ['=HYPERLINK("http://x","x")', "@SUM(1)", "\t=1", "-2+3"]
    for i, name in enumerate(names):
        answer = gate.post(f"/venues/{tenant_a.venue.pk}/assisted/",
                           {"name": name + " Khách", "phone": f"09123456{i:02d}"})  # fmt: skip
        assert answer.status_code == 200
    csv_text = gate.get(f"/venues/{tenant_a.venue.pk}/entered-by-staff.csv").content.decode(
        "utf-8-sig"
    )
    cells = [row.split(",")[0] for row in csv_text.splitlines()[1:]]
    assert len(cells) == 4 and not any(c.lstrip('"').startswith(FORMULA) for c in cells)
    xlsx = gate.get(f"/venues/{tenant_a.venue.pk}/entered-by-staff.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 4 and not any(v.startswith(FORMULA) for v in values)
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))
