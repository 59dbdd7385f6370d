"""Threat 22: visits at clinics and places of worship are deleted after
VAORA_SENSITIVE_RETENTION_DAYS (shorter than the general retention)."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import make_visit
from vaora.core.retention import purge
from vaora.venues.models import Kind, Venue
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_it_deletes_visits_at_sensitive_places_sooner(tenant_a, settings):
    settings.VAORA_RETENTION_DAYS, settings.VAORA_SENSITIVE_RETENTION_DAYS = 21, 7
    clinic = Venue.objects.create(organisation=tenant_a.organisation, name="Phòng khám Tư",
                                  kind=Kind.CLINIC, commune=tenant_a.commune)  # fmt: skip
    now = timezone.now()
    at_clinic = make_visit(tenant_a.person, clinic, now - 10 * DAY, datetime.timedelta(hours=1))
    recent_clinic = make_visit(tenant_a.person, clinic, now - 3 * DAY, datetime.timedelta(hours=1))
    at_hospital = make_visit(tenant_a.person, tenant_a.venue, now - 10 * DAY,
                             datetime.timedelta(hours=1))  # fmt: skip
    counts = purge(now)
    assert counts["visits_at_sensitive_places"] == 1
    kept = set(Visit.rows.values_list("pk", flat=True))
    assert kept == {recent_clinic.pk, at_hospital.pk}
    assert at_clinic.pk not in kept
