"""Property test: random scan sequences (check-ins and check-outs, late offline uploads, three
places) sent through a random door each — the citizen sync, the fast path, the gate scanner and
its queue, assisted check-in, a paper register — leave exactly the visits the engine leaves when
the same sequence is given to it directly, and no person is ever in two places at once."""

import datetime
import uuid

import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.visits import doors
from vaora.people.models import Person
from vaora.visits import services
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)  # the fast path has its own connection

IN_DOORS = ["sync", "fast path", "gate", "gate sync", "assisted", "paper"]
OUT_DOORS = ["sync", "fast path"]


@st.composite
def sequences(draw):
    steps = []
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["in", "in", "in", "out"]))
        place = draw(st.sampled_from(["V", "Z", "M"]))
        # On a coarse grid, so scans meet: re-scans, visits cut short, late scans inside others.
        minute = draw(st.integers(-6, 0)) * 30 + draw(st.sampled_from([0, 0, 1]))
        delay = draw(st.sampled_from([0, 0, 1, 60, 240, 420]))  # most are sent at once
        door = draw(st.sampled_from(IN_DOORS if kind == "in" else OUT_DOORS))
        steps.append((kind, place, minute, minute + delay, door))
    return sorted(steps, key=lambda step: step[3])  # delivered in the order they are sent


def _latest_visit(person, places, label, when):
    return (Visit.rows.filter(person=person, venue=places.venue_of(label),
                                 entered_at__lte=when).first())  # fmt: skip


def _reference(twin, places, steps):
    """The same sequence given to the engine directly, for a second person. A paper register
    line is its own identity (venue, person, minute, zone: a register uploaded twice stores its
    lines once), so a second identical paper line is no scan at all."""
    paper_lines = set()
    for kind, label, minute, sent, door in steps:
        if door == "paper":
            if (label, minute) in paper_lines:
                continue
            paper_lines.add((label, minute))
        with freeze_time(doors.at(sent)):
            when = doors.at(minute)
            if kind == "in":
                zone = places.Z if label == "Z" else None
                services.check_in(twin, places.venue_of(label), zone, at=when,
                                  client_id=uuid.uuid4())  # fmt: skip
            elif (visit := _latest_visit(twin, places, label, when)) is not None:
                services.check_out(visit, at=when, client_id=uuid.uuid4())


def _through_doors(world, steps):
    by_name = {door.name: door(world) for door in doors.DOORS}
    for kind, label, minute, sent, door in steps:
        with freeze_time(doors.at(sent)):
            when = doors.at(minute)
            if kind == "in":
                refused = by_name[door].check_in(world.person, label, when)
                assert refused is None, (door, refused)
            elif (visit := _latest_visit(world.person, world.places, label, when)) is not None:
                assert by_name[door].check_out(world.person, visit, when) is None


def _spans(person) -> list[tuple]:
    return [(v.venue_id, v.zone_id, v.entered_at, v.ends_at, v.left_at)
            for v in Visit.rows.filter(person=person).order_by("entered_at", "id")]  # fmt: skip


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=sequences())
@example(steps=[("in", "Z", 0, 0, "paper"), ("in", "V", 0, 0, "sync"), ("in", "Z", 0, 0, "paper")])
def test_it_agrees_with_the_engine_and_never_overlaps(world, steps):
    from vaora.ingest.directory import directory

    directory.clear()
    Visit.rows.all().delete()
    twin = Person.rows.by_phone("0912000077").first() or Person.rows.create(
        name="Song sinh", phone="0912000077")  # fmt: skip
    _through_doors(world, steps)
    _reference(twin, world.places, steps)
    mine, reference = _spans(world.person), _spans(twin)
    assert mine == reference
    for (_v, _z, _entered, ends, _left), (_v2, _z2, next_entered, _e2, _l2) in zip(
        mine, mine[1:], strict=False
    ):
        assert ends <= next_entered  # never in two places at once
    assert all(entered <= ends for _v, _z, entered, ends, _left in mine)
    assert all(ends - entered <= datetime.timedelta(hours=72) for _v, _z, entered, ends, _l in mine)
