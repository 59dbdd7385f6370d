"""Threat 18: after the retention purge, a person known only from a gate, a hand entry or a paper
register — no account, nothing left of theirs — is deleted with their name, phone and CCCD;
citizens with accounts, their families and anyone with data still kept remain."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.conftest import make_visit
from vaora.core.retention import purge
from vaora.people.models import Person

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_it_deletes_a_walk_in_once_their_visits_are_gone(tenant_a, citizen, settings):
    settings.VAORA_RETENTION_DAYS = 21
    long_ago = timezone.now() - 40 * DAY
    with freeze_time(long_ago):
        walk_in = Person.rows.create(name="Khách Vãng Lai", phone="0912000601",
                                        cccd="040190012345")  # fmt: skip
        regular = Person.rows.create(name="Khách Quen", phone="0912000602")
    make_visit(walk_in, tenant_a.venue, long_ago, datetime.timedelta(hours=1))
    make_visit(regular, tenant_a.venue, long_ago, datetime.timedelta(hours=1))
    make_visit(regular, tenant_a.venue, timezone.now() - DAY, datetime.timedelta(hours=1))
    make_visit(citizen.person, tenant_a.venue, long_ago, datetime.timedelta(hours=1))
    family = [citizen.person.pk, *citizen.person.dependants.values_list("pk", flat=True)]
    Person.rows.filter(pk__in=family).update(created_at=long_ago)  # old enough to go too
    counts = purge()
    assert counts["persons_without_data"] == 1
    assert not Person.rows.filter(pk=walk_in.pk).exists()
    assert not Person.rows.by_cccd("040190012345").exists()
    assert Person.rows.filter(pk=regular.pk).exists()  # a visit inside retention
    # A citizen with an account keeps their person (and their dependants), visits or not.
    assert Person.rows.filter(pk=citizen.person.pk).exists()
    assert citizen.person.dependants.count() == 2


def test_it_keeps_a_person_created_inside_retention(tenant_a):
    fresh = Person.rows.create(name="Khách Mới", phone="0912000603")
    assert purge()["persons_without_data"] == 0
    assert Person.rows.filter(pk=fresh.pk).exists()
