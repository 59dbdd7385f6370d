"""The health department edits a case's infectious window, which narrows or widens the trace."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.people.models import Person

pytestmark = pytest.mark.django_db


NOW = "2026-11-25T03:00:00Z"


AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)


M = datetime.timedelta(minutes=1)


@freeze_time(NOW)
def test_it_lets_the_window_be_edited_and_narrows_the_trace(users, signed_in, citizen, tenant_a):
    neighbour = Person.rows.create(name="Hàng Xóm", phone="0912000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(neighbour, tenant_a.venue, AT + 30 * M, 60 * M)
    health = signed_in(users["health"])
    body = {"phone": "0912000009", "test_date": "2026-11-24", "purpose": "Ca F0, theo CDC tỉnh"}
    case = health.post("/api/v1/cases", body, content_type="application/json").json()
    assert case["window_start"] == "2026-11-22T00:00:00+07:00"  # 2 days before the test
    url = f"/api/v1/cases/{case['id']}"
    narrowed = health.patch(
        url, {"window_start": "2026-11-24T00:00:00Z"}, content_type="application/json"
    )
    assert narrowed.status_code == 200
    traced = health.post(url + "/trace", {}, content_type="application/json").json()
    assert traced["contacts"] == 0
    empty = health.patch(
        url, {"window_end": "2026-11-20T00:00:00Z"}, content_type="application/json"
    )
    assert empty.status_code == 422
