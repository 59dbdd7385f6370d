"""The health department edits what counts as exposure at each kind of place."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.models import AuditEvent
from vaora.people.models import Person

pytestmark = pytest.mark.django_db


NOW = "2026-11-25T03:00:00Z"


AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)


M = datetime.timedelta(minutes=1)


@freeze_time(NOW)
def test_it_lets_the_health_department_edit_what_counts_as_exposure(users, signed_in, citizen,
                                                             tenant_a):  # fmt: skip
    neighbour = Person.rows.create(name="Hàng Xóm", phone="0912000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(neighbour, tenant_a.venue, AT + 30 * M, 60 * M)  # 60 minutes together
    rule = {"min_overlap_minutes": 90, "high_risk_minutes": 120}
    staff = signed_in(users["venue_staff"])
    assert staff.put("/api/v1/exposure-rules/hospital", rule,
                     content_type="application/json").status_code == 403  # fmt: skip
    health = signed_in(users["health"])
    saved = health.put("/api/v1/exposure-rules/hospital", rule, content_type="application/json")
    assert saved.status_code == 200
    assert health.put("/api/v1/exposure-rules/spaceport", rule,
                      content_type="application/json").status_code == 404  # fmt: skip
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = health.post("/api/v1/cases", body, content_type="application/json").json()
    traced = health.post(f"/api/v1/cases/{case['id']}/trace", {},
                         content_type="application/json").json()  # fmt: skip
    assert traced["contacts"] == 0  # 60 minutes is under the department's 90
    assert AuditEvent.objects.filter(action="exposure_rule.saved").count() == 1
