"""One table of scenarios (tests/visits/doors.py) through every door a visit can enter by — the
citizen page, the citizen sync API, the fast path, the gate scanner and its offline queue,
assisted check-in and paper registers: each leaves the same visits, because each asks the one
decision (visits/rules.py) through the one engine (visits/engine.py)."""

import pytest

from tests.visits import doors

PAIRS = [(name, door) for name, scenario in doors.SCENARIOS.items() for door in doors.DOORS
         if door(None).can(scenario)]  # fmt: skip


def play(world, door_class, name):
    scenario = doors.SCENARIOS[name]
    door = door_class(world)
    answers = doors.run(world, door, scenario)
    assert answers == scenario.refusals_for(door.name)
    for subject, expected in scenario.visits.items():
        assert doors.visits_of(world, subject) == expected, subject


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "door_class"),
                         [p for p in PAIRS if p[1] is not doors.FastPathDoor],
                         ids=lambda v: v if isinstance(v, str) else v.name)  # fmt: skip
def test_it_leaves_the_same_visits_whichever_door(world, name, door_class):
    play(world, door_class, name)


@pytest.mark.django_db(transaction=True)  # the fast path writes on its own thread and connection
@pytest.mark.parametrize("name", [n for n, d in PAIRS if d is doors.FastPathDoor])
def test_it_leaves_the_same_visits_through_the_fast_path(world, name):
    from vaora.ingest.directory import directory

    directory.clear()
    play(world, doors.FastPathDoor, name)
