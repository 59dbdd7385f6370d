"""A trace of a case and the store of its contacts run under one pause of the cyclic garbage
collector (decision 0027: with tens of thousands of exposures alive, the store's rows set off
full collections of the whole server process). The pause ends with the trace, whether it
stored or failed: a collector left off would keep every reference cycle of the process."""

import datetime
import gc

import pytest
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.tracing import services

pytestmark = pytest.mark.django_db

NOW = "2026-11-25T03:00:00Z"
AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
M = datetime.timedelta(minutes=1)


@pytest.fixture
def case_id(users, citizen, tenant_a) -> int:
    near = Person.rows.create(name="Hàng Xóm", phone="0913000001")
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    make_visit(near, tenant_a.venue, AT + 30 * M, 60 * M)
    case = services.open_case(users["health"], phone="0912000009",
                              test_date=datetime.date(2026, 11, 24),
                              purpose="Ca F0, theo CDC tỉnh")  # fmt: skip
    return case.pk


@freeze_time(NOW)
def test_it_stores_the_contacts_with_the_collector_paused(case_id, users, signed_in,
                                                          monkeypatch):  # fmt: skip
    client = signed_in(users["health"])
    seen = []
    store = services._store

    def watched(case, found):
        seen.append(gc.isenabled())
        store(case, found)

    monkeypatch.setattr(services, "_store", watched)
    assert gc.isenabled()
    response = client.post(f"/api/v1/cases/{case_id}/trace", {},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["contacts"] == 1
    assert seen == [False]
    assert gc.isenabled()


@freeze_time(NOW)
def test_it_restarts_the_collector_when_the_store_fails(case_id, users, monkeypatch):
    def failing(case, found):
        raise RuntimeError("the store failed")

    monkeypatch.setattr(services, "_store", failing)
    case = services.get_case(users["health"], case_id)
    with pytest.raises(RuntimeError, match="the store failed"):
        services.trace_case(users["health"], case)
    assert gc.isenabled()
