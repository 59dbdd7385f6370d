"""A card scanned at a gate makes a walk-in person; the citizen who signs in with their phone
and enters the same CCCD under the same name takes it over — its visits become theirs, one
person — while the number alone (it is printed and photocopied everywhere) hands nothing over."""

import uuid

import pytest
from freezegun import freeze_time

from tests.cards.samples import card
from vaora.core.models import AuditEvent
from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T02:00:00Z"


def gate_scan(client, venue, text):
    body = {"client_id": str(uuid.uuid4()), "code": text}
    answer = client.post(f"/api/v1/venues/{venue.pk}/scan", body, content_type="application/json")
    assert answer.status_code == 200, answer.json()


def change_profile(client, **fields):
    body = {"name": "Lê Văn Công", "birth_year": 1980, "cccd": "", "home_commune_code": None}
    return client.put("/api/v1/me/person", body | fields, content_type="application/json")


@pytest.fixture
def walk_in(users, signed_in, tenant_a):
    with freeze_time(NOW):
        gate_scan(signed_in(users["venue_staff"]), tenant_a.venue,
                  card(number="040080012345", name="Lê Văn Công", born="01011980"))  # fmt: skip
    return Person.rows.by_cccd("040080012345").get()


def test_it_moves_the_walk_ins_visits_to_the_citizen(walk_in, citizen, signed_in):
    answer = change_profile(signed_in(citizen), cccd="040080012345")
    assert answer.status_code == 200, answer.json()
    assert not Person.rows.filter(pk=walk_in.pk).exists()
    assert Person.rows.by_cccd("040080012345").get() == citizen.person
    assert Visit.rows.get().person == citizen.person
    event = AuditEvent.objects.get(action="citizen.claimed_walk_in")
    assert (event.subject_person_id, event.row_count) == (citizen.person.pk, 1)


def test_it_hands_nothing_over_under_another_name(walk_in, citizen, signed_in):
    answer = change_profile(signed_in(citizen), name="Trần Văn Khác", cccd="040080012345")
    assert answer.status_code == 422
    assert "040080012345" not in answer.content.decode()
    assert Visit.rows.get().person == walk_in


def test_it_hands_nothing_over_when_the_walk_in_has_another_phone(walk_in, citizen, signed_in):
    walk_in.phone = "0988000111"
    walk_in.save()
    assert change_profile(signed_in(citizen), cccd="040080012345").status_code == 422
    assert Visit.rows.get().person == walk_in


def test_it_never_hands_over_another_citizens_person(walk_in, citizen, signed_in):
    from tests.conftest import make_account

    make_account("citizen", "citizen-other", person=walk_in)
    assert change_profile(signed_in(citizen), cccd="040080012345").status_code == 422
    assert Person.rows.filter(pk=walk_in.pk).exists()
