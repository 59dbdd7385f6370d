"""The tracer against a slow, obviously-correct reference on random small datasets: two venues
(one a vehicle), zones (one a hospital ward), visits that touch at their boundaries, long stays
past the 48 h cap, buffers, minimum overlaps, and depth 2 — and, for each person found, the
exposure shown (where, when, through whom) and the earliest. The reference compares every visit
with every other, with no database, no index ranges and no arrays."""

import datetime
import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vaora.people.models import Person
from vaora.tracing.rules import MINUTE, Rule, Rules
from vaora.tracing.tracer import Tracer
from vaora.tracing.tracer_sql import LOOKBACK
from vaora.venues.models import Kind, Venue, Zone, ZoneKind
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 10, tzinfo=datetime.UTC)
STEP = 15 * MINUTE  # times on a 15-minute grid: boundaries meet often


def reference(visits, f0, start, end, depth, rules):
    """visits: dicts with id, person, venue, venue_kind, zone, zone_kind, entered, ends."""

    def eff_end(v):
        return min(v["ends"], v["entered"] + LOOKBACK)

    known, infectors, result = {f0}, {f0: start}, {}
    for degree in range(1, depth + 1):
        level = {}
        for iv in visits:
            if iv["person"] not in infectors:
                continue
            a, b = max(iv["entered"], infectors[iv["person"]]), min(eff_end(iv), end)
            if b <= a:
                continue
            for cv in visits:
                if cv["venue"] != iv["venue"] or cv["person"] in known:
                    continue
                if cv["zone"] and iv["zone"] and cv["zone"] != iv["zone"]:
                    continue
                ward = ZoneKind.WARD in (cv["zone_kind"], iv["zone_kind"])
                rule = rules.for_place(cv["venue_kind"], ZoneKind.WARD if ward else None)
                s, e = a - rule.before, b + rule.after
                overlap = min(eff_end(cv), e) - max(cv["entered"], s)
                if overlap <= datetime.timedelta() or overlap < rule.min_overlap:
                    continue
                begin = max(cv["entered"], s)
                risk = "high" if overlap >= rule.high_risk else "low"
                # The exposure shown: the longest overlap, then the higher risk, then the
                # earliest, then the lowest visit id, then the lowest infector id, then the
                # zone shown (none first).
                zone = cv["zone"] or iv["zone"]
                rank = (-overlap, risk == "low", begin, cv["id"], iv["person"], zone or 0)
                shown = (overlap, risk, begin, cv["id"], iv["person"], cv["venue"], zone)
                best = level.get(cv["person"])
                earliest = min(begin, best["earliest"]) if best else begin
                if best is None or rank < best["rank"]:
                    best = {"rank": rank, "shown": shown}
                level[cv["person"]] = {**best, "earliest": earliest}
        for person, found in level.items():
            result[person] = (degree, *found["shown"], found["earliest"])
        known |= set(level)
        infectors = {p: f["earliest"] for p, f in level.items()}
    return result


visit_plan = st.tuples(
    st.integers(0, 5),  # person (0 is the F0)
    st.integers(0, 1),  # venue (1 is a vehicle)
    st.integers(0, 2),  # zone: none, ward, room (venue 0 only)
    st.integers(0, 4 * 24),  # entry, in 15-minute steps over a day
    # Length in steps, up to 60 h: 12 h and a step more are either side of the long stays
    # PostgreSQL reads from an index of their own (decision 0036).
    st.sampled_from([0, 1, 2, 4, 8, 24, 4 * 12, 4 * 12 + 1, 4 * 60]),
)


@pytest.fixture
def world(places):
    from vaora.core.models import Place
    from vaora.venues.models import Organisation

    commune = Place.objects.get(code="16681")
    org = Organisation.objects.create(name="Chợ Vinh", kind=Kind.MARKET, commune=commune)
    market = Venue.objects.create(organisation=org, name="Chợ", kind=Kind.MARKET, commune=commune)
    bus = Venue.objects.create(organisation=org, name="Xe 37B", kind=Kind.VEHICLE,
                               commune=commune, plate_number="37B-123.45")  # fmt: skip
    ward = Zone.objects.create(venue=market, name="Khu A", kind=ZoneKind.WARD)
    room = Zone.objects.create(venue=market, name="Khu B", kind=ZoneKind.ROOM)
    people = [Person.rows.create(name=f"Người {i}") for i in range(6)]
    return {"venues": [market, bus], "zones": [None, ward, room], "people": people}


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f0_visits=st.lists(visit_plan.map(lambda p: (0, *p[1:])), min_size=1, max_size=3),
    plans=st.lists(visit_plan, min_size=1, max_size=16),
    before=st.sampled_from([0, 30, 60]),
    after=st.sampled_from([0, 15, 60]),
    min_overlap=st.sampled_from([0, 15, 30]),
    window=st.tuples(st.integers(0, 4 * 12), st.integers(1, 4 * 24 * 2)),
)
def test_it_agrees_with_the_reference(world, f0_visits, plans, before, after, min_overlap,
                                      window):  # fmt: skip
    rule = Rule(min_overlap * MINUTE, before * MINUTE, after * MINUTE, 60 * MINUTE)
    rules = Rules({Kind.MARKET: rule})
    start = T0 + window[0] * STEP
    end = start + window[1] * STEP
    with transaction.atomic():
        rows, plain = [], []
        for person, venue, zone, entry, length in f0_visits + plans:
            v, z = world["venues"][venue], world["zones"][zone] if venue == 0 else None
            entered = T0 + entry * STEP
            visit = Visit(
                person=world["people"][person], venue=v, zone=z, province_code="40",
                entered_at=entered, ends_at=entered + length * STEP, source="self_scan",
                client_id=uuid.uuid4(), scanned_at=entered, received_at=entered,
            )  # fmt: skip
            rows.append(visit)
        Visit.rows.bulk_create(rows)
        for visit in Visit.rows.all():
            plain.append({"id": visit.pk, "person": visit.person_id, "venue": visit.venue_id,
                          "venue_kind": visit.venue.kind, "zone": visit.zone_id,
                          "zone_kind": visit.zone.kind if visit.zone else None,
                          "entered": visit.entered_at, "ends": visit.ends_at})  # fmt: skip
        f0 = world["people"][0].pk
        expected = reference(plain, f0, start, end, 2, rules)
        found = {e.person_id: (e.degree, e.overlap, e.risk, e.start, e.visit_id,
                               e.via_person_id, e.venue_id, e.zone_id, e.earliest)
                 for e in Tracer(rules).trace(f0, start, end, depth=2)}  # fmt: skip
        transaction.set_rollback(True)
    event(
        f"F1: {sum(d == 1 for d, *_ in expected.values())}, "
        f"F2: {sum(d == 2 for d, *_ in expected.values())}"
    )
    assert found == expected
