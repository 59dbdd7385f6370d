"""The tracer compares whole microseconds read straight from SQL (decision 0021): a contact who
overlapped the case by exactly the minimum is one, a microsecond less is not, and the times it
reports are the stored ones to the microsecond — on SQLite's text and PostgreSQL's timestamps."""

import datetime

import pytest

from tests.conftest import make_visit
from vaora.people.models import Person
from vaora.tracing.rules import MINUTE, Rules
from vaora.tracing.tracer import Tracer

pytestmark = pytest.mark.django_db
US = datetime.timedelta(microseconds=1)
CASE_IN = datetime.datetime(2026, 11, 23, 2, 0, 0, 123457, tzinfo=datetime.UTC)
CASE_OUT = CASE_IN + 2 * 60 * MINUTE


def _person(phone: str) -> Person:
    return Person.rows.create(name=f"Người {phone}", phone=phone)


@pytest.fixture
def case(tenant_a):
    f0 = _person("0912000401")
    make_visit(f0, tenant_a.venue, CASE_IN, CASE_OUT - CASE_IN)
    return f0


def _trace(f0):
    window = (CASE_IN - datetime.timedelta(days=1), CASE_OUT + datetime.timedelta(days=1))
    return {e.person_id: e for e in Tracer(Rules()).trace(f0.pk, *window, depth=1)}


def test_it_counts_an_overlap_of_exactly_the_minimum(case, tenant_a):
    # Arrives 15 minutes before the case leaves, to the microsecond: overlap = the minimum.
    exact = _person("0912000402")
    make_visit(exact, tenant_a.venue, CASE_OUT - 15 * MINUTE, 60 * MINUTE)
    found = _trace(case)
    assert exact.pk in found
    assert found[exact.pk].overlap == 15 * MINUTE
    assert found[exact.pk].start == CASE_OUT - 15 * MINUTE


def test_it_leaves_out_an_overlap_one_microsecond_short(case, tenant_a):
    short = _person("0912000403")
    make_visit(short, tenant_a.venue, CASE_OUT - 15 * MINUTE + US, 60 * MINUTE)
    assert short.pk not in _trace(case)


def test_it_reports_the_stored_times_to_the_microsecond(case, tenant_a):
    # Here before the case and still there when she leaves: the overlap is her whole stay,
    # and it starts at her arrival (CASE_IN has a fraction of a second).
    early = _person("0912000404")
    make_visit(early, tenant_a.venue, CASE_IN - 7 * MINUTE - 3 * US, 3 * 60 * MINUTE)
    exposure = _trace(case)[early.pk]
    assert exposure.start == CASE_IN
    assert exposure.overlap == CASE_OUT - CASE_IN
    assert exposure.earliest == CASE_IN
    assert exposure.start.tzinfo is not None
