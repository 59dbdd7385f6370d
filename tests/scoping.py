"""The scoping matrix: every endpoint that takes an object id, and how to build its URL for a
tenant. Later issues add their endpoints here; test_scoping_matrix.py proves, for each one and
each role, that a user of tenant A gets 404 for tenant B's object (and sees their own where the
role may).

An Endpoint names the object kind it reads and which roles of tenant A may read tenant A's one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from vaora.core.roles import Role


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: Callable  # (tenant) -> str
    own_allowed: frozenset  # roles of tenant A that get 200 for tenant A's object


ALL_STAFF_AND_OFFICIALS = frozenset(
    {Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.HEALTH, Role.ADMIN}
)

ENDPOINTS = [
    Endpoint("api venue", lambda t: f"/api/v1/venues/{t.venue.pk}", ALL_STAFF_AND_OFFICIALS),
    Endpoint("page venue", lambda t: f"/venues/{t.venue.pk}/", ALL_STAFF_AND_OFFICIALS),
    Endpoint(
        "api person",
        lambda t: f"/api/v1/people/{t.person.pk}",
        frozenset({Role.CITIZEN, Role.HEALTH, Role.ADMIN}),
    ),
]

# Roles whose scope is tenant A (the admin sees everything, so is not in the cross-tenant check).
SCOPED_ROLES = [Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.HEALTH]
