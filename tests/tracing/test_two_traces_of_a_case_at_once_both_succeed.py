"""Two officials press "Trace" on the same case at the same moment: both traces succeed and the
case holds each contact once — the second store waits for the first and compares with it."""

import datetime
import threading

import pytest
from django.db import connection
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.tracing import contact_store, services
from vaora.tracing.models import Case, Contact

AT = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
M = datetime.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
@freeze_time("2026-11-25T03:00:00Z")
def test_it_stores_each_contact_once_when_two_traces_meet(users, citizen, tenant_a,
                                                          monkeypatch):  # fmt: skip
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is one connection: writers cannot overlap there")
    for n in range(5):
        person = Person.rows.create(name=f"Hàng Xóm {n}", phone=f"09160{n:05d}")
        make_visit(person, tenant_a.venue, AT + n * M, 60 * M)
    make_visit(citizen.person, tenant_a.venue, AT, 120 * M)
    health = users["health"]
    case = services.open_case(health, phone="0912000009", test_date=datetime.date(2026, 11, 24),
                              purpose="Ca F0, theo CDC tỉnh")  # fmt: skip
    # Both stores reach "what does the case hold" together, unless one is made to wait: a
    # barrier that gives up after a second (the waiting one then arrives alone).
    together = threading.Barrier(2, timeout=1)
    read = contact_store.exposures

    def meet_then_read(case_id):
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass
        return read(case_id)

    monkeypatch.setattr(contact_store, "exposures", meet_then_read)
    results, errors = [], []

    def trace():
        try:
            found = Case.objects.for_system("the test's own case").get(pk=case.pk)
            results.append(services.trace_case(health, found, depth=1)["contacts"])
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=trace) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert results == [5, 5]
    stored = Contact.objects.for_system("the test reads what was stored").filter(case=case)
    assert stored.count() == 5
