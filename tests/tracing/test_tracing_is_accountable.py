"""Tracing is for health officials inside an open case with a purpose: each trace writes exactly
one audit event with the number of people found, which the F0 sees on their "my data" page;
venue staff and oversight officials cannot reach any tracing route; a health official of
another province gets 404; exports neutralise formula-looking names."""

import datetime
import io

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from tests.conftest import make_account, make_visit
from vaora.core.models import AuditEvent, Place
from vaora.core.roles import Role
from vaora.people.models import Person
from vaora.tracing.models import Case, Contact

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
H = datetime.timedelta(hours=1)
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)  # 09:00 two days ago
PURPOSE = "Ca dương tính ngày 24/11, truy vết F1 theo chỉ đạo CDC"


@pytest.fixture
def outbreak(tenant_a, citizen):
    """The citizen is the F0; a neighbour shared the venue for an hour (F1), and the
    neighbour's colleague met the neighbour the next day (F2)."""
    neighbour = Person.rows.create(name='=HYPERLINK("http://x","x")', phone="0912000001")
    colleague = Person.rows.create(name="@SUM(1) Đồng Nghiệp", phone="0912000002")
    stranger = Person.rows.create(name="Người Lạ", phone="0912000003")
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)
    make_visit(neighbour, tenant_a.venue, AT + 0.5 * H, 1 * H)
    make_visit(stranger, tenant_a.venue, AT + 5 * H, 1 * H)  # after the F0 left: not a contact
    make_visit(neighbour, tenant_a.venue, AT + 24 * H, 1 * H)
    make_visit(colleague, tenant_a.venue, AT + 24.5 * H, 1 * H)
    return {"f0": citizen.person, "f1": neighbour, "f2": colleague, "stranger": stranger}


@pytest.fixture
def health(users, signed_in):
    return signed_in(users[Role.HEALTH])


def open_case(client, **extra):
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": PURPOSE} | extra
    return client.post("/api/v1/cases", body, content_type="application/json")


@freeze_time(NOW)
def test_it_finds_f1_and_f2_and_writes_one_audit_event(health, outbreak, citizen):
    opened = open_case(health)
    assert opened.status_code == 201, opened.json()
    case_id = opened.json()["id"]
    before = AuditEvent.objects.count()
    traced = health.post(f"/api/v1/cases/{case_id}/trace", {"depth": 2},
                         content_type="application/json").json()  # fmt: skip
    assert (traced["f1"], traced["f2"]) == (1, 1)
    events = AuditEvent.objects.filter(action="case.traced")
    assert AuditEvent.objects.count() == before + 1 and events.count() == 1
    event = events.get()
    assert (event.row_count, event.purpose) == (2, PURPOSE)
    assert event.subject_person_id == outbreak["f0"].pk
    contacts = {c.person_id: c for c in Contact.rows.filter(case_id=case_id)}
    assert contacts[outbreak["f1"].pk].degree == 1 and contacts[outbreak["f2"].pk].degree == 2
    assert contacts[outbreak["f1"].pk].overlap_minutes == 60
    assert outbreak["stranger"].pk not in contacts
    # The traced citizen sees the access on their own data page.
    health.force_login(citizen)
    page = health.get("/me/data/").content.decode()
    assert "Truy vết tiếp xúc của một ca bệnh" in page and PURPOSE in page
    # …and the neighbour, found as F1, is told where their data was used.
    neighbour = make_account(Role.CITIZEN, "neighbour", person=outbreak["f1"])
    health.force_login(neighbour)
    assert "F1, Cổng chính An" in health.get("/me/data/").content.decode()


@freeze_time(NOW)
def test_it_reads_nothing_without_a_purpose_or_an_open_case(health, outbreak):
    refused = open_case(health, purpose="vì sao")
    assert refused.status_code == 403 and refused.json()["code"] == "purpose_required"
    case_id = open_case(health).json()["id"]
    health.post(f"/api/v1/cases/{case_id}/close")
    closed = health.post(f"/api/v1/cases/{case_id}/trace", {}, content_type="application/json")
    assert closed.status_code == 403 and closed.json()["code"] == "case_closed"
    assert not AuditEvent.objects.filter(action="case.traced").exists()


@freeze_time(NOW)
def test_it_keeps_venue_staff_and_oversight_officials_out_of_tracing(users, signed_in, health,
                                                                  outbreak):  # fmt: skip
    case_id = open_case(health).json()["id"]
    for role in (Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.CITIZEN):
        client = signed_in(users[role])
        for method, url in (("post", "/api/v1/cases"), ("get", "/api/v1/cases"),
                            ("get", f"/api/v1/cases/{case_id}"),
                            ("post", f"/api/v1/cases/{case_id}/trace"),
                            ("get", f"/api/v1/cases/{case_id}/contacts"),
                            ("get", f"/api/v1/cases/{case_id}/contacts.csv")):  # fmt: skip
            answer = getattr(client, method)(url, {} if method == "post" else None,
                                             content_type="application/json")  # fmt: skip
            assert answer.status_code == 403, (role, url, answer.status_code)


@freeze_time(NOW)
def test_it_answers_404_to_a_health_official_of_another_province(signed_in, health, outbreak):
    case_id = open_case(health).json()["id"]
    ha_noi = Place.objects.get(code="01", level=Place.Level.PROVINCE)
    elsewhere = signed_in(make_account(Role.HEALTH, "health-hn", jurisdiction=ha_noi))
    assert elsewhere.get(f"/api/v1/cases/{case_id}").status_code == 404
    trace = elsewhere.post(f"/api/v1/cases/{case_id}/trace", {}, content_type="application/json")
    assert trace.status_code == 404
    assert Case.rows.get().last_traced_at is None


@freeze_time(NOW)
def test_it_neutralises_formulas_and_types_cells_as_text_in_the_export(health, outbreak):
    case_id = open_case(health).json()["id"]
    health.post(f"/api/v1/cases/{case_id}/trace", {"depth": 2}, content_type="application/json")
    csv_text = health.get(f"/api/v1/cases/{case_id}/contacts.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM(1)" in csv_text
    xlsx = load_workbook(io.BytesIO(health.get(f"/api/v1/cases/{case_id}/contacts.xlsx").content))
    names = [row[1] for row in xlsx.active.iter_rows(min_row=2)]
    assert {n.value[:2] for n in names} == {"'=", "'@"} and {n.data_type for n in names} == {"s"}
    assert AuditEvent.objects.filter(action="case.contacts_exported").count() == 2


@freeze_time(NOW)
def test_it_keeps_a_contact_marked_reached_when_tracing_again(health, outbreak):
    case_id = open_case(health).json()["id"]
    health.post(f"/api/v1/cases/{case_id}/trace", {"depth": 1}, content_type="application/json")
    contact = Contact.rows.get(person=outbreak["f1"])
    answer = health.patch(f"/api/v1/cases/{case_id}/contacts/{contact.pk}", {"state": "reached"},
                          content_type="application/json")  # fmt: skip
    assert answer.json()["state"] == "reached"
    health.post(f"/api/v1/cases/{case_id}/trace", {"depth": 2}, content_type="application/json")
    assert Contact.rows.get(person=outbreak["f1"]).state == "reached"
    listed = health.get(f"/api/v1/cases/{case_id}/contacts?degree=2").json()["items"]
    assert [c["degree"] for c in listed] == [2]
