"""A range of the tracer looks back 12 hours in the covering index and reads the stays longer
than that from an index of their own on PostgreSQL (decision 0036): a contact who arrived the
day before and was still there is found on both databases, and PostgreSQL's plan reads the long
stays from that index — a query whose predicate drifted from the index's would still be right,
only slower, which no other test would see."""

import datetime

import pytest
from django.db import connection

from tests.conftest import make_visit
from vaora.core.epoch import us
from vaora.people.models import Person
from vaora.tracing.rules import MINUTE, Rules
from vaora.tracing.tracer import Tracer
from vaora.tracing.tracer_sql import others_params, others_sql

pytestmark = pytest.mark.django_db
CASE_IN = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
CASE_STAY = 60 * MINUTE


def _person(phone: str) -> Person:
    return Person.rows.create(name=f"Người {phone}", phone=phone)


def _contacts(f0) -> dict:
    window = (CASE_IN - datetime.timedelta(days=1), CASE_IN + datetime.timedelta(days=1))
    return {e.person_id: e for e in Tracer(Rules()).trace(f0.pk, *window, depth=1)}


def test_it_finds_a_stay_that_began_the_day_before(tenant_a):
    f0 = _person("0912000501")
    make_visit(f0, tenant_a.venue, CASE_IN, CASE_STAY)
    ward = _person("0912000502")  # in since 30 hours before, for two days
    make_visit(ward, tenant_a.venue, CASE_IN - datetime.timedelta(hours=30), 48 * 60 * MINUTE)
    night = _person("0912000503")  # 13 hours, ending as the case leaves
    make_visit(night, tenant_a.venue, CASE_IN + CASE_STAY - 13 * 60 * MINUTE, 13 * 60 * MINUTE)
    gone = _person("0912000504")  # 13 hours, ended six hours before the case came
    make_visit(gone, tenant_a.venue, CASE_IN - 19 * 60 * MINUTE, 13 * 60 * MINUTE)
    found = _contacts(f0)
    assert set(found) == {ward.pk, night.pk}
    assert {e.venue_id for e in found.values()} == {tenant_a.venue.pk}


def test_postgresql_reads_the_long_stays_from_their_own_index(tenant_a):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads its one table over the whole look-back")
    make_visit(_person("0912000512"), tenant_a.venue, CASE_IN - datetime.timedelta(hours=20),
               24 * 60 * MINUTE)  # fmt: skip
    ranges = [(tenant_a.venue.pk, us(CASE_IN), us(CASE_IN + CASE_STAY))]
    params = others_params(tenant_a.venue.province_code, ranges)
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                       " WHERE i.inhparent = 'visit_long_stays'::regclass")  # fmt: skip
        long_stay_indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: plan as a large one
        cursor.execute("EXPLAIN " + others_sql(len(ranges)), params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert long_stay_indexes, "migration visits 0010 made no index on the partitions"
    assert any(name in plan for name in long_stay_indexes), plan
