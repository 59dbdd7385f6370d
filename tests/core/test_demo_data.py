"""`vaora demo` is deterministic and idempotent: Nghệ An's communes, organisations of every kind,
people with dependants, and one user of every role."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from vaora.core.roles import Role
from vaora.people.models import Account, Person
from vaora.venues.models import Kind, Organisation, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_mode(settings):
    """`vaora demo` runs only in debug mode (test_it_refuses_outside_debug_mode)."""
    settings.DEBUG = True


def run_demo(capsys, *args):
    call_command("demo", "--people", "60", "--venues", "40", *args)
    return capsys.readouterr().out


def snapshot():
    return (
        sorted(Organisation.objects.values_list("registry_code", "name", "kind")),
        sorted(Venue.objects.values_list("name", "kind", "commune__code")),
        sorted((p.name, p.phone, p.birth_year) for p in Person.rows.all()),
    )


def test_it_creates_every_kind_people_with_dependants_and_every_role(capsys, places):
    out = run_demo(capsys)
    assert set(Venue.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Venue.objects.count() == 40
    assert Venue.objects.filter(province_code="40").count() == 40
    assert Organisation.objects.filter(name__contains="KCN").exists()  # industrial park
    assert Venue.objects.filter(kind=Kind.VEHICLE, name__startswith="Xe khách 37B-").exists()
    assert Person.rows.filter(guardian__isnull=True, phone_index__isnull=False).count() == 60
    assert Person.rows.filter(guardian__isnull=False).exists()
    assert set(Account.objects.values_list("role", flat=True)) == set(Role.values)
    assert "vaora-demo-2026" in out
    for username in ["admin", "so.tttt", "xa.tttt", "so.yte", "quanly", "nhanvien", "congdan"]:
        assert username in out


def test_it_adds_nothing_when_run_again(capsys, places):
    run_demo(capsys)
    first = snapshot()
    out = run_demo(capsys)
    assert snapshot() == first
    assert "organisations: 0 created" in out and "people: 0 adults" in out


def test_it_makes_the_same_data_from_the_same_seed(capsys, places, django_db_blocker):
    run_demo(capsys, "--seed", "3")
    first = snapshot()
    Person.rows.all().delete()
    Account.objects.all().delete()
    Venue.objects.all().delete()
    Organisation.objects.all().delete()
    run_demo(capsys, "--seed", "3")
    assert snapshot() == first


def test_it_extends_the_same_data_set_with_larger_counts(capsys, places):
    run_demo(capsys)
    first_people = set(Person.rows.values_list("phone_index", flat=True))
    call_command("demo", "--people", "90", "--venues", "40")
    people = set(Person.rows.values_list("phone_index", flat=True))
    assert first_people < people
    assert Person.rows.filter(guardian__isnull=True).count() == 90


def test_it_skips_a_database_that_already_has_data_when_asked(capsys, places):
    run_demo(capsys)
    out = run_demo(capsys, "--if-empty", "--seed", "9")
    assert "already has data" in out
    assert not Organisation.objects.filter(registry_code__startswith="DEMO-9-").exists()


def test_it_shows_the_demo_official_only_their_commune(capsys, places, client):
    run_demo(capsys)
    official = Account.objects.get(username="xa.tttt")
    visible = Venue.objects.visible_to(official)
    assert visible.exists()
    assert set(visible.values_list("commune_id", flat=True)) == {official.jurisdiction_id}


def test_it_gives_the_demo_both_axes_of_oversight(capsys, places):
    out = run_demo(capsys)
    assert "industrial park:" in out and "so.gddt" in out and "bql.kkt" in out
    education = Account.objects.get(username="so.gddt")
    kinds = set(Venue.objects.visible_to(education).values_list("kind", flat=True))
    assert kinds and kinds <= {Kind.SCHOOL, Kind.UNIVERSITY}
    board = Account.objects.get(username="bql.kkt")
    park = set(Venue.objects.visible_to(board).values_list("organisation_id", flat=True))
    assert park and park <= set(board.sector.groups.get().memberships.values_list(
        "organisation_id", flat=True))  # fmt: skip
    assert "industrial park: 0" not in run_demo(capsys)  # run again: the same members


def test_it_generates_visits_with_daily_patterns_and_adds_none_twice(capsys, places):
    from vaora.visits.models import Visit

    run_demo(capsys, "--visits", "3000", "--days", "14")
    assert Visit.rows.count() == 3000
    kinds = dict(Visit.rows.values_list("venue__kind").annotate(n=Count("id")))
    assert kinds["market"] > 300 and kinds.get("factory", 0) + kinds.get("school", 0) > 300
    hours = {timezone.localtime(v).hour for v in Visit.rows.values_list("entered_at", flat=True)}
    assert hours <= set(range(5, 22)), "people visit in the day"
    assert not Visit.rows.filter(ends_at__lt=F("entered_at")).exists()
    run_demo(capsys, "--visits", "3000", "--days", "14")
    assert Visit.rows.count() == 3000


def test_it_refuses_outside_debug_mode(settings, places):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="VAORA_DEBUG=1"):
        call_command("demo", "--people", "5", "--venues", "5")
    assert not Account.objects.exists() and not Organisation.objects.exists()


def test_it_generates_history_the_first_purge_keeps(places, settings):
    """make run's first daily purge must not delete the demo's own fresh visits."""
    from vaora.core import retention
    from vaora.visits.models import Visit

    call_command("demo", "--people", "40", "--venues", "10", "--visits", "400")
    before = Visit.rows.count()
    retention.purge()
    assert before > 0 and Visit.rows.count() == before
