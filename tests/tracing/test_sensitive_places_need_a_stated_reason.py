"""Threat 22: a clinic or a place of worship is traced through only when the official states
why for this case (kept on the case, audited, shown to the person); without it the people met
there are not found."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.models import AuditEvent
from vaora.core.roles import Role
from vaora.people.models import Person
from vaora.venues.models import Kind, Venue

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


@pytest.fixture
def case_at_a_pagoda(users, signed_in, tenant_a, citizen):
    pagoda = Venue.objects.create(organisation=tenant_a.organisation, name="Chùa Cần Linh",
                                  kind=Kind.PLACE_OF_WORSHIP, commune=tenant_a.commune)  # fmt: skip
    assert pagoda.sensitive
    make_visit(citizen.person, pagoda, AT, 2 * H)
    make_visit(Person.rows.create(name="Phật Tử Một", phone="0912000401"), pagoda,
               AT + 0.5 * H, H)  # fmt: skip
    make_visit(citizen.person, tenant_a.venue, AT + 5 * H, H)
    make_visit(Person.rows.create(name="Khách Bệnh Viện", phone="0912000402"),
               tenant_a.venue, AT + 5.5 * H, H)  # fmt: skip
    health = signed_in(users[Role.HEALTH])
    case_id = health.post("/api/v1/cases", {"phone": "0912000009", "test_date": "2026-11-24",
                                            "purpose": "Ca dương tính 24/11, truy vết theo CDC"},
                          content_type="application/json").json()["id"]  # fmt: skip
    return health, case_id


def trace(health, case_id, **body):
    return health.post(f"/api/v1/cases/{case_id}/trace", body, content_type="application/json")


@freeze_time(NOW)
def test_it_leaves_sensitive_places_out_without_a_reason(case_at_a_pagoda):
    health, case_id = case_at_a_pagoda
    assert trace(health, case_id).json()["f1"] == 1  # the hospital visitor only
    names = [c["name"] for c in health.get(f"/api/v1/cases/{case_id}/contacts").json()["items"]]
    assert names == ["Khách Bệnh Viện"]


@freeze_time(NOW)
def test_it_traces_through_them_once_a_reason_is_stated_and_audits_it(case_at_a_pagoda, citizen):
    health, case_id = case_at_a_pagoda
    reason = "Ổ dịch tại lễ chùa ngày 23/11 theo báo cáo CDC"
    assert trace(health, case_id, sensitive_reason=reason).json()["f1"] == 2
    event = AuditEvent.objects.get(action="case.sensitive_included")
    assert (event.purpose, event.subject_person_id) == (reason, citizen.person.pk)
    assert trace(health, case_id).json()["f1"] == 2  # stated once for the case


@freeze_time(NOW)
def test_it_refuses_a_reason_too_short_to_mean_anything(case_at_a_pagoda):
    health, case_id = case_at_a_pagoda
    answer = trace(health, case_id, sensitive_reason="vì")
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_fields")
