"""Threats 8 and 25: without a second official's approval an official sees at most the
threshold of identified people per case — on the API's pages whatever the paging and filters,
on the case page, in exports — the rest masked; after approval, everyone."""

import csv
import datetime
import io

import pytest
from freezegun import freeze_time

from tests.conftest import make_account, make_visit
from vaora.core.models import AuditEvent
from vaora.core.roles import Role
from vaora.people.models import Person

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)
THRESHOLD = 5  # each degree (4 people) exports alone; together they are 8
NAMES = [f"Nguyễn Văn Khách{i}" for i in range(8)]


@pytest.fixture
def big_case(users, signed_in, tenant_a, citizen, settings):
    """An F0 and eight contacts, four F1 at the venue and four F2 the next day."""
    settings.VAORA_APPROVAL_THRESHOLD = THRESHOLD
    make_visit(citizen.person, tenant_a.venue, AT, 2 * H)
    people = [Person.rows.create(name=name, phone=f"09120002{i:02d}")
              for i, name in enumerate(NAMES)]  # fmt: skip
    for i, person in enumerate(people):
        make_visit(person, tenant_a.venue, AT + (0.5 * H if i < 4 else 30 * H), H)
        if i >= 4:  # met an F1 the next day
            make_visit(people[i - 4], tenant_a.venue, AT + 30 * H, H)
    health = signed_in(users[Role.HEALTH])
    case_id = health.post("/api/v1/cases", {"phone": "0912000009", "test_date": "2026-11-24",
                                            "purpose": "Ca dương tính 24/11, truy vết theo CDC"},
                          content_type="application/json").json()["id"]  # fmt: skip
    traced = health.post(f"/api/v1/cases/{case_id}/trace", {"depth": 2},
                         content_type="application/json").json()  # fmt: skip
    assert traced["contacts"] == 8
    return health, case_id


def identified(names) -> set[str]:
    return {n for n in names if n in NAMES}


@freeze_time(NOW)
def test_it_identifies_at_most_the_threshold_however_the_api_is_paged(big_case):
    health, case_id = big_case
    seen = set()
    for query in [*(f"limit=1&offset={n}" for n in range(8)), "degree=1", "degree=2",
                  "limit=500", "risk=high", "risk=low", "state=found"]:  # fmt: skip
        page = health.get(f"/api/v1/cases/{case_id}/contacts?{query}").json()
        seen |= identified(item["name"] for item in page["items"])
        for item in page["items"]:
            if item["name"] not in NAMES:
                assert "*" in item["name"] and "*" in (item["phone"] or "*"), item
    assert len(seen) == THRESHOLD


@freeze_time(NOW)
def test_it_identifies_at_most_the_threshold_on_the_case_page_and_in_exports(big_case):
    health, case_id = big_case
    page = health.get(f"/cases/{case_id}/").content.decode()
    on_page = identified(name for name in NAMES if name in page)
    exported = set()
    for degree in ("1", "2"):
        body = health.get(f"/api/v1/cases/{case_id}/contacts.csv?degree={degree}")
        assert body.status_code == 200
        rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
        exported |= identified(row[1] for row in rows[1:])
    assert len(on_page) == THRESHOLD and len(on_page | exported) == THRESHOLD


@freeze_time(NOW)
def test_it_identifies_everyone_once_a_second_official_approves(big_case, users, signed_in,
                                                                 tenant_a):  # fmt: skip
    health, case_id = big_case
    refused = health.get(f"/api/v1/cases/{case_id}/contacts.csv")
    assert (refused.status_code, refused.json()["code"]) == (403, "approval_required")
    request_id = AuditEvent.objects.get(action="reveal.requested").details["request"]
    second = signed_in(make_account(Role.HEALTH, "health-a2", jurisdiction=tenant_a.commune))
    approved = second.post(f"/api/v1/cases/{case_id}/reveal-requests/{request_id}/approve")
    assert approved.status_code == 200
    health = signed_in(users[Role.HEALTH])
    page = health.get(f"/api/v1/cases/{case_id}/contacts?limit=500").json()
    assert identified(item["name"] for item in page["items"]) == set(NAMES)


@freeze_time(NOW)
def test_it_audits_how_many_people_a_read_identified(big_case):
    health, case_id = big_case
    health.get(f"/api/v1/cases/{case_id}/contacts?limit=500")
    assert AuditEvent.objects.get(action="case.contacts_read").row_count == THRESHOLD
