"""The tracing part of the scoping matrix: for every tracing route with a case id, a health
official of commune A reads A's case and gets 404 for commune B's (a provincial one reaches
both); every other role gets 403 from every route, for any id (function-level authorisation,
threat 13 — so a 403 confirms nothing about the case)."""

import datetime

import pytest
from django.utils import timezone

from tests.scoping import TRACING_ROUTES
from vaora.core.roles import Role
from vaora.tracing.models import Case

pytestmark = pytest.mark.django_db
ROUTES = TRACING_ROUTES
OTHERS = [Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT]


def case_of(tenant) -> Case:
    now = timezone.now()
    return Case.rows.create(
        person=tenant.person,
        place=tenant.commune,
        purpose="Ca kiểm thử phạm vi truy vết",
        test_date=now.date(),
        window_start=now - datetime.timedelta(days=3),
        window_end=now,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_health_officials_reach_only_their_area(
    route, users, tenant_a, tenant_b, signed_in
):
    own, other = case_of(tenant_a), case_of(tenant_b)
    health = signed_in(users[Role.HEALTH])
    assert health.get(route.format(id=own.pk)).status_code == 200
    assert health.get(route.format(id=other.pk)).status_code == 404
    provincial_health = users["provincial_oversight"]  # made a provincial health official
    provincial_health.role = Role.HEALTH
    provincial_health.save()
    health = signed_in(provincial_health)
    assert health.get(route.format(id=other.pk)).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", OTHERS)
def test_it_answers_403_to_every_other_role_for_any_case(route, role, users, tenant_a, tenant_b,
                                                signed_in):  # fmt: skip
    own, other = case_of(tenant_a), case_of(tenant_b)
    client = signed_in(users[role])
    for case in (own, other):
        assert client.get(route.format(id=case.pk)).status_code == 403, (role, route)
