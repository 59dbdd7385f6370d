"""A visit's person, venue, zone and recording account carry no database constraint (decision
0028). They still hold: the check-in engine refuses a request whose person, place or recorder
is gone, and a deletion that meets a check-in landing at the same moment waits for it, then
cascades to its visit, clears its recorder or refuses (a venue or zone with visits stays)."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone

from tests.conftest import engine_place, make_account
from vaora.people import retention
from vaora.people.models import Person, Role
from vaora.venues.models import Venue
from vaora.visits import engine, rules
from vaora.visits.models import Source, Visit

pytestmark = pytest.mark.django_db


def check_in(person_id: int, place: rules.Place, recorded_by_id: int | None = None):
    return engine.CheckIn(person_id, uuid.uuid4(), timezone.now(), place, Source.PAPER,
                          mode=rules.Mode.PAPER, recorded_by_id=recorded_by_id)  # fmt: skip


def apply(*requests) -> list[engine.Result]:
    with transaction.atomic():
        return engine.apply(list(requests))


def new_venue(tenant) -> Venue:
    return Venue.objects.create(organisation=tenant.organisation, name="Chợ mới", kind="market",
                                commune=tenant.commune)  # fmt: skip


def zone_place(zone) -> rules.Place:
    return rules.Place(zone.venue_id, zone.pk, zone.venue.province_code,
                       datetime.timedelta(hours=1))  # fmt: skip


def test_it_keeps_no_database_constraint_on_a_visits_references():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Visit._meta.db_table)
    assert [name for name, c in constraints.items() if c["foreign_key"]] == []


def test_it_refuses_a_check_in_at_a_venue_deleted_after_its_code_was_read(tenant_a):
    gone = new_venue(tenant_a)
    place = engine_place(gone)
    gone.delete()
    other = Person.rows.create(name="Trần Thị Bình", phone="0912000077")
    refused, stored = apply(check_in(tenant_a.person.pk, place),
                            check_in(other.pk, engine_place(tenant_a.venue)))  # fmt: skip
    assert refused.error.code == "place_unknown" and refused.visit_id is None
    assert refused.error.message_en and refused.error.message_vi
    assert stored.status == "stored"
    assert list(Visit.rows.values_list("venue_id", flat=True)) == [tenant_a.venue.pk]


def test_it_refuses_a_check_in_in_a_zone_deleted_meanwhile(tenant_a):
    place = zone_place(tenant_a.zone)
    tenant_a.zone.delete()
    (refused,) = apply(check_in(tenant_a.person.pk, place))
    assert refused.error.code == "place_unknown"
    assert not Visit.rows.exists()


def test_it_refuses_a_line_recorded_by_an_account_deleted_meanwhile(tenant_a):
    staff = make_account(Role.VENUE_STAFF, organisation=tenant_a.organisation)
    staff_id = staff.pk
    staff.delete()
    (refused,) = apply(check_in(tenant_a.person.pk, engine_place(tenant_a.venue), staff_id))
    assert refused.error.code == "recorder_unknown"
    assert not Visit.rows.exists()


def test_it_refuses_a_person_deleted_meanwhile(tenant_a):
    gone = Person.rows.create(name="Lê Văn Cường", phone="0912000078")
    gone_id = gone.pk
    gone.delete()
    (refused,) = apply(check_in(gone_id, engine_place(tenant_a.venue)))
    assert refused.error.code == "person_unknown"
    assert not Visit.rows.exists()


def deletion_collected_before(instance) -> Collector:
    """A deletion that has collected what refers to `instance` (Django's first step) and not
    yet deleted: what the admin or a service is doing when a check-in lands."""
    collector = Collector(using="default", origin=instance)
    collector.collect([instance])
    return collector


def test_a_venue_whose_first_visit_lands_while_it_is_deleted_stays(tenant_a):
    venue = new_venue(tenant_a)
    deletion = deletion_collected_before(venue)  # no visits yet: nothing protects it
    (stored,) = apply(check_in(tenant_a.person.pk, engine_place(venue)))
    with pytest.raises(ProtectedError), transaction.atomic():
        deletion.delete()
    assert Venue.objects.filter(pk=venue.pk).exists()
    assert Visit.rows.get(pk=stored.visit_id).venue_id == venue.pk


def test_a_person_deleted_as_their_visit_lands_takes_the_visit_along(tenant_a):
    person = Person.rows.create(name="Phạm Thị Dung", phone="0912000079")
    deletion = deletion_collected_before(person)
    apply(check_in(person.pk, engine_place(tenant_a.venue)))
    deletion.delete()
    assert not Visit.rows.filter(person_id=person.pk).exists()


def test_a_recorder_deleted_as_their_line_lands_is_cleared_from_it(tenant_a):
    staff = make_account(Role.VENUE_STAFF, organisation=tenant_a.organisation)
    deletion = deletion_collected_before(staff)
    (stored,) = apply(check_in(tenant_a.person.pk, engine_place(tenant_a.venue), staff.pk))
    deletion.delete()
    assert Visit.rows.get(pk=stored.visit_id).recorded_by_id is None


def test_the_purge_keeps_a_forgotten_walk_in_whose_visit_lands_while_it_runs(tenant_a, monkeypatch):
    walk_in = Person.rows.create(name="Võ Văn Em", phone="0912000080")
    Person.rows.filter(pk=walk_in.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    chunks = retention.bulk.chunks

    def visit_lands_then_chunks(ids, size):  # after the purge listed them, before it deletes
        monkeypatch.setattr(retention.bulk, "chunks", chunks)  # the engine chunks too
        assert walk_in.pk in ids
        apply(check_in(walk_in.pk, engine_place(tenant_a.venue)))
        return chunks(ids, size)

    monkeypatch.setattr(retention.bulk, "chunks", visit_lands_then_chunks)
    assert retention.purge_forgotten_persons(timezone.now()) == {"persons_without_data": 0}
    assert Person.rows.filter(pk=walk_in.pk).exists()
    assert Visit.rows.filter(person_id=walk_in.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_deletion_waits_for_the_check_in_that_holds_the_venue(tenant_a):
    """Two connections (PostgreSQL): a check-in batch at a new venue is stored, not yet
    committed; the venue's deletion, already past Django's check, waits for it and then
    refuses — before decision 0028 a foreign key's check at commit refused it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is one connection: writers cannot overlap there")
    venue = new_venue(tenant_a)
    stored, committing, outcome = threading.Event(), threading.Event(), []

    def check_in_then_wait():
        try:
            with transaction.atomic():
                engine.apply([check_in(tenant_a.person.pk, engine_place(venue))])
                stored.set()
                committing.wait(timeout=10)
        finally:
            connection.close()

    def delete():
        try:
            deletion = deletion_collected_before(venue)
            stored.wait(timeout=10)
            deletion.delete()
            outcome.append("deleted")
        except ProtectedError:
            outcome.append("protected")
        finally:
            connection.close()

    writer, deleter = threading.Thread(target=check_in_then_wait), threading.Thread(target=delete)
    writer.start()
    deleter.start()
    deleter.join(timeout=1)
    assert deleter.is_alive()  # waiting for the batch's lock on the venue
    committing.set()
    writer.join(timeout=10)
    deleter.join(timeout=10)
    assert outcome == ["protected"]
    assert Visit.rows.filter(venue_id=venue.pk).count() == 1
