"""The health official's pages: from a phone number to a traced, notified, exported contact list,
without touching the API; other roles get 403, another province 404."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_account, make_visit
from tests.jobs import failed_jobs, run_jobs
from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.people.models import Person
from vaora.tracing.models import Case, Contact, ExposureSite, Notice
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


@pytest.fixture
def neighbour(tenant_a, citizen):
    other = Person.rows.create(name="Hàng Xóm", phone="0912000001")
    for person, start in ((citizen.person, AT), (other, AT + 0.5 * H)):
        make_visit(person, tenant_a.venue, start, H)
    return other


@freeze_time(NOW)
def test_it_goes_from_a_phone_number_to_a_notified_exported_list(
    users, signed_in, neighbour, tenant_a
):
    health = signed_in(users[Role.HEALTH])
    opened = health.post(
        "/cases/",
        {
            "phone": "0912 000 009",
            "test_date": "2026-11-24",
            "purpose": "Ca dương tính, truy vết theo chỉ đạo CDC",
        },
    )
    case = Case.rows.get()
    assert opened.status_code == 302 and opened.url == f"/cases/{case.pk}/"
    health.post(f"/cases/{case.pk}/trace/", {"depth": "2"})
    page = health.get(f"/cases/{case.pk}/").content.decode()
    assert "Hàng Xóm" in page and tenant_a.venue.name in page
    contact = Contact.rows.get()
    health.post(f"/cases/{case.pk}/contacts/{contact.pk}/state/", {"state": "reached"})
    assert Contact.rows.get().state == "reached"
    health.post(f"/cases/{case.pk}/notices/", {"degree": "1"})
    batch = case.notice_batches.get()
    health.post(f"/cases/{case.pk}/notices/{batch.pk}/send/")
    assert run_jobs() == 1 and failed_jobs() == []
    assert Notice.rows.get().person == neighbour
    export = health.get(f"/cases/{case.pk}/contacts.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    csv = health.get(f"/cases/{case.pk}/contacts.csv").content.decode("utf-8-sig")
    row = csv.splitlines()[1]
    assert "Đã liên lạc" in row  # the state in words, not "reached"
    assert ",reached" not in row and ",high" not in row and ",low" not in row
    visit = Visit.rows.get(person=case.person)
    health.post(f"/cases/{case.pk}/visits/{visit.pk}/publish/", {
        "confirmed": "yes", "starts_at": "2026-11-23T08:30", "ends_at": "2026-11-23T11:00",
        "advice_vi": "Theo dõi sức khỏe 14 ngày.", "advice_en": ""})  # fmt: skip
    site = ExposureSite.rows.get()
    assert (site.venue, site.advice_vi) == (tenant_a.venue, "Theo dõi sức khỏe 14 ngày.")
    assert tenant_a.venue.name in health.get("/exposure-sites/").content.decode()


@freeze_time(NOW)
def test_it_answers_403_to_other_roles_and_404_to_another_province(users, signed_in, neighbour):
    health = signed_in(users[Role.HEALTH])
    health.post(
        "/cases/",
        {
            "phone": "0912000009",
            "test_date": "2026-11-24",
            "purpose": "Ca dương tính, truy vết theo chỉ đạo CDC",
        },
    )
    case = Case.rows.get()
    for role in (Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.CITIZEN):
        client = signed_in(users[role])
        assert client.get("/cases/").status_code == 403, role
        assert client.get(f"/cases/{case.pk}/").status_code == 403, role
    ha_noi = Place.objects.get(code="01", level=Place.Level.PROVINCE)
    elsewhere = signed_in(make_account(Role.HEALTH, "health-hn", jurisdiction=ha_noi))
    assert elsewhere.get(f"/cases/{case.pk}/").status_code == 404
    assert elsewhere.post(f"/cases/{case.pk}/trace/", {"depth": "1"}).status_code == 404


@freeze_time(NOW)
def test_it_opens_no_case_without_a_purpose(users, signed_in, neighbour):
    health = signed_in(users[Role.HEALTH])
    page = health.post(
        "/cases/", {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "xem"}
    )
    assert page.status_code == 200 and not Case.rows.exists()


@freeze_time(NOW)
def test_it_keeps_the_filters_when_paging_the_contacts(users, signed_in, tenant_a, citizen):
    health = signed_in(users[Role.HEALTH])
    make_visit(citizen.person, tenant_a.venue, AT, 3 * H)
    for i in range(60):
        person = Person.rows.create(name=f"Khách {i}", phone=f"09120001{i:02d}")
        make_visit(person, tenant_a.venue, AT, H)
    health.post(
        "/cases/",
        {
            "phone": "0912000009",
            "test_date": "2026-11-24",
            "purpose": "Ca dương tính, truy vết theo chỉ đạo CDC",
        },
    )
    case = Case.rows.get()
    health.post(f"/cases/{case.pk}/trace/", {"depth": "1"})
    page = health.get(f"/cases/{case.pk}/?degree=1&risk=high").content.decode()
    assert "?degree=1&amp;risk=high&amp;page=2" in page


@freeze_time(NOW)
def test_it_shows_a_dependants_contact_with_the_guardians_phone(users, signed_in, tenant_a,
                                                               citizen):  # fmt: skip
    health = signed_in(users[Role.HEALTH])
    make_visit(citizen.person, tenant_a.venue, AT, 3 * H)
    mother = Person.rows.create(name="Mẹ Bé Bông", phone="0912333444")
    child = Person.rows.create(name="Bé Bông", birth_year=2019, guardian=mother)
    make_visit(child, tenant_a.venue, AT, H)
    health.post("/cases/", {"phone": "0912000009", "test_date": "2026-11-24",
                            "purpose": "Ca dương tính, truy vết theo chỉ đạo CDC"})  # fmt: skip
    case = Case.rows.get()
    health.post(f"/cases/{case.pk}/trace/", {"depth": "1"})
    page = health.get(f"/cases/{case.pk}/").content.decode()
    row = page.split("Bé Bông", 1)[1].split("</tr>", 1)[0]
    assert "+84912333444" in row or "0912333444" in row or "091*****444" in row
