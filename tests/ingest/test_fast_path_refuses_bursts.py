"""Threat 2 on the fast path: one pass checked in again and again across venues is refused
after the same limit as the other doors (429), and flagged for officials the same way."""

import uuid

import pytest
from freezegun import freeze_time

from tests.ingest.asgi_client import call
from vaora.core.models import AuditEvent
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.venues import tokens
from vaora.venues.models import Venue
from vaora.visits import rules
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


@freeze_time("2026-11-25T02:00:00Z", tick=True)
def test_it_refuses_the_check_in_past_the_limit_and_flags_it(tenant_a):
    directory.clear()
    venues = [tenant_a.venue] + [
        Venue.objects.create(organisation=tenant_a.organisation, name=f"Quầy {n}",
                             kind="market", commune=tenant_a.commune) for n in range(2)
    ]  # fmt: skip
    holder = passes.issue(tenant_a.person.pk)
    statuses = []
    for n in range(rules.BURST_LIMIT + 5):
        body = {"client_id": str(uuid.uuid4()), "token": tokens.token_for(venues[n % 3])}
        statuses.append(call("/ingest/v1/check-in", body, holder))
    assert [s for s, _ in statuses[: rules.BURST_LIMIT]] == [201] * rules.BURST_LIMIT
    refused = statuses[rules.BURST_LIMIT :]
    assert {s for s, _ in refused} == {429}
    assert refused[0][1]["code"] == "too_many_check_ins"
    assert refused[0][1]["message_vi"].startswith("Quá nhiều lượt")
    assert Visit.rows.count() == rules.BURST_LIMIT
    flags = AuditEvent.objects.filter(action="visit.burst_refused")
    assert flags.count() == 5 and {f.subject_person_id for f in flags} == {tenant_a.person.pk}
