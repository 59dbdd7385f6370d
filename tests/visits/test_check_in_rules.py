"""The check-in rules, in frozen time: re-scanning extends, checking in elsewhere closes the
previous visit, a forgotten check-out ends at the default stay, retries never duplicate, device
times may be late but never in the future, and people may correct their own times a little."""

import datetime
import uuid

import pytest
from freezegun import freeze_time

from vaora.core.errors import InvalidFields, VaoraError
from vaora.visits import services
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 25, 8, 0, tzinfo=datetime.UTC)


def minutes(n):
    return datetime.timedelta(minutes=n)


@freeze_time(T0)
def test_it_ends_a_forgotten_check_out_at_the_venues_default_stay(tenant_a):
    visit = services.check_in(tenant_a.person, tenant_a.venue).visit
    assert visit.entered_at == T0 and visit.ends_at == T0 + minutes(240)  # hospital: 4 h
    assert visit.left_at is None and visit.received_at == visit.scanned_at == T0


def test_it_extends_on_a_rescan_of_the_same_venue_and_never_duplicates(tenant_a):
    with freeze_time(T0):
        first = services.check_in(tenant_a.person, tenant_a.venue)
    with freeze_time(T0 + minutes(60)):
        again = services.check_in(tenant_a.person, tenant_a.venue)
    assert again.status == "extended" and again.visit.pk == first.visit.pk
    assert Visit.rows.count() == 1
    assert Visit.rows.get().ends_at == T0 + minutes(60 + 240)


def test_it_closes_the_previous_visit_on_a_check_in_elsewhere(tenant_a, market):
    with freeze_time(T0):
        hospital = services.check_in(tenant_a.person, tenant_a.venue).visit
    with freeze_time(T0 + minutes(30)):
        services.check_in(tenant_a.person, market)
    hospital.refresh_from_db()
    assert hospital.left_at == hospital.ends_at == T0 + minutes(30)


def test_it_ends_the_visit_on_check_out_and_a_second_one_changes_nothing(tenant_a):
    with freeze_time(T0):
        visit = services.check_in(tenant_a.person, tenant_a.venue).visit
    with freeze_time(T0 + minutes(45)):
        assert services.check_out(visit).status == "stored"
    with freeze_time(T0 + minutes(50)):
        assert services.check_out(visit).status == "duplicate"
    visit.refresh_from_db()
    assert visit.left_at == visit.ends_at == T0 + minutes(45)


@freeze_time(T0)
def test_it_takes_the_same_client_id_for_the_same_visit(tenant_a, market):
    scan_id = uuid.uuid4()
    first = services.check_in(tenant_a.person, tenant_a.venue, client_id=scan_id)
    second = services.check_in(tenant_a.person, market, client_id=scan_id)
    assert second.status == "duplicate" and second.visit.pk == first.visit.pk
    assert Visit.rows.count() == 1


@freeze_time(T0)
def test_it_refuses_a_time_in_the_future(tenant_a):
    with pytest.raises(VaoraError) as refused:
        services.check_in(tenant_a.person, tenant_a.venue, at=T0 + minutes(10))
    assert refused.value.code == "time_in_future"
    assert not Visit.rows.exists()


@freeze_time(T0)
def test_it_keeps_a_late_upload_with_both_times_and_marks_it_late(tenant_a):
    visit = services.check_in(tenant_a.person, tenant_a.venue, at=T0 - minutes(180)).visit
    assert visit.scanned_at == visit.entered_at == T0 - minutes(180)
    assert visit.received_at == T0 and visit.is_late


@freeze_time(T0)
def test_it_refuses_an_upload_past_the_late_window(tenant_a):
    with pytest.raises(VaoraError, match="too_late"):
        services.check_in(tenant_a.person, tenant_a.venue, at=T0 - datetime.timedelta(hours=73))


@freeze_time(T0)
def test_it_ends_an_offline_scan_arriving_after_a_later_one_where_the_later_begins(
    tenant_a, market
):
    services.check_in(tenant_a.person, market, at=T0 - minutes(20))
    earlier = services.check_in(tenant_a.person, tenant_a.venue, at=T0 - minutes(90)).visit
    assert earlier.ends_at == T0 - minutes(20)


@freeze_time(T0)
def test_it_checks_a_family_in_with_one_scan_and_keeps_retries_single(tenant_a, citizen):
    person = citizen.person
    dependants = list(person.dependants.all())
    scan_id = uuid.uuid4()
    for _ in range(3):
        services.check_in_family(person, dependants, tenant_a.venue, client_id=scan_id)
    assert Visit.rows.count() == 3
    assert set(Visit.rows.values_list("person", flat=True)) == {
        person.pk,
        *(d.pk for d in dependants),
    }


def test_it_refuses_checking_in_someone_elses_dependant(tenant_a, tenant_b, citizen):
    from vaora.people.models import Person

    stranger = Person.rows.create(name="Người lạ", guardian=tenant_b.person)
    with pytest.raises(VaoraError, match="not_your_dependant"):
        services.check_in_family(citizen.person, [stranger], tenant_a.venue)


def test_it_lets_a_person_correct_their_times_by_up_to_two_hours(tenant_a, citizen):
    with freeze_time(T0):
        visit = services.check_in(citizen.person, tenant_a.venue).visit
    with freeze_time(T0 + minutes(300)):
        services.correct_times(citizen, visit, T0 - minutes(15), T0 + minutes(120))
        visit.refresh_from_db()
        assert (visit.entered_at, visit.left_at, visit.corrected) == (
            T0 - minutes(15), T0 + minutes(120), True)  # fmt: skip
        with pytest.raises(InvalidFields):
            services.correct_times(citizen, visit, T0 - minutes(200), T0 + minutes(120))
        with pytest.raises(InvalidFields):
            services.correct_times(citizen, visit, T0, T0 - minutes(5))
