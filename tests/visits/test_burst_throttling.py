"""Threat 2 (Luca's zoo at night): a burst of check-ins from one account is refused with 429
and flagged in the audit log for oversight."""

import uuid

import pytest
from django.utils import timezone

from vaora.core.models import AuditEvent
from vaora.people.models import Person
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_it_refuses_and_flags_a_burst_to_one_venue(citizen, tenant_a, signed_in):
    for n in range(14):
        Person.rows.create(name=f"Người {n}", guardian=citizen.person)
    dependants = list(citizen.person.dependants.values_list("pk", flat=True))
    assert len(dependants) == 16
    client = signed_in(citizen)
    statuses = []
    for venue_token in [tokens.token_for(tenant_a.venue), tokens.token_for(tenant_a.zone)]:
        item = {"client_id": str(uuid.uuid4()), "action": "check_in", "token": venue_token,
                "at": timezone.now().isoformat(), "dependant_ids": dependants}  # fmt: skip
        body = {"items": [item]}
        answer = client.post("/api/v1/visits/sync", body, content_type="application/json").json()
        statuses.append(answer["results"][0]["status"])
    assert statuses == ["stored", "rejected"]
    assert Visit.rows.count() == 17
    flagged = AuditEvent.objects.get(action="visit.burst_refused")
    assert flagged.subject_person_id == citizen.person.pk


def test_it_answers_429_to_a_burst_on_the_page(citizen, tenant_a, signed_in):
    for n in range(14):
        Person.rows.create(name=f"Người {n}", guardian=citizen.person)
    client = signed_in(citizen)
    everyone = [str(pk) for pk in citizen.person.dependants.values_list("pk", flat=True)]
    first = client.post("/V/" + tokens.token_for(tenant_a.venue), {"dependants": everyone})
    second = client.post("/V/" + tokens.token_for(tenant_a.zone), {"dependants": everyone})
    assert first.status_code == 302 and second.status_code == 429
    assert "Quá nhiều lượt khai báo" in second.content.decode()


def test_it_keeps_a_family_at_fifteen_dependants(citizen, signed_in):
    client = signed_in(citizen)
    for n in range(15):
        client.post("/me/family/", {"name": f"Con {n}", "birth_year": "2015"})
    assert citizen.person.dependants.count() == 15
