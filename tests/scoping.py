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
    own_visible: frozenset = frozenset()  # roles that see the object but may not do this: 403

    def expected_for_own(self, role) -> int:
        if role in self.own_allowed:
            return 200
        return 403 if role in self.own_visible else 404


ALL_STAFF_AND_OFFICIALS = frozenset(
    {Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.HEALTH, Role.HELPER, Role.ADMIN}
)

MANAGERS = frozenset({Role.ORG_MANAGER, Role.ADMIN})


def _readable(name, url):
    return Endpoint(name, url, ALL_STAFF_AND_OFFICIALS)


GATE_STAFF = frozenset({Role.VENUE_STAFF, Role.ORG_MANAGER})


def _gate_staff(name, url):
    """Venue operations: the organisation's own staff and managers; officials see the venue but
    not its visitors (403); everyone else 404."""
    return Endpoint(name, url, GATE_STAFF, ALL_STAFF_AND_OFFICIALS - GATE_STAFF)


def _managed(name, url):
    """Pages that change an organisation's venues: its managers only; others who can see the
    organisation get 403, everyone else 404."""
    return Endpoint(name, url, MANAGERS, ALL_STAFF_AND_OFFICIALS - MANAGERS)


ENDPOINTS = [
    _readable("api venue", lambda t: f"/api/v1/venues/{t.venue.pk}"),
    _readable("api venue code", lambda t: f"/api/v1/venues/{t.venue.pk}/code"),
    _readable("api venue poster", lambda t: f"/api/v1/venues/{t.venue.pk}/poster?format=svg"),
    _readable("api venue zones", lambda t: f"/api/v1/venues/{t.venue.pk}/zones"),
    _readable("api zone", lambda t: f"/api/v1/zones/{t.zone.pk}"),
    _readable("api zone poster", lambda t: f"/api/v1/zones/{t.zone.pk}/poster?format=svg"),
    _readable("api organisation", lambda t: f"/api/v1/organisations/{t.organisation.pk}"),
    _readable("page venue", lambda t: f"/venues/{t.venue.pk}/"),
    _readable("page venue poster", lambda t: f"/venues/{t.venue.pk}/poster?format=svg"),
    _readable("page zone poster", lambda t: f"/zones/{t.zone.pk}/poster?format=svg"),
    _readable("page organisation", lambda t: f"/org/{t.organisation.pk}/"),
    _readable("page organisation export", lambda t: f"/org/{t.organisation.pk}/venues.csv"),
    _readable("api venue occupancy", lambda t: f"/api/v1/venues/{t.venue.pk}/occupancy"),
    _readable("page venue occupancy", lambda t: f"/venues/{t.venue.pk}/occupancy/"),
    _gate_staff("api assisted today", lambda t: f"/api/v1/venues/{t.venue.pk}/assisted-today"),
    _gate_staff("page gate scanner", lambda t: f"/venues/{t.venue.pk}/gate/"),
    _gate_staff("page assisted", lambda t: f"/venues/{t.venue.pk}/assisted/"),
    _gate_staff("page hand-entered export", lambda t: f"/venues/{t.venue.pk}/entered-by-staff.csv"),
    _gate_staff("page paper registers", lambda t: f"/venues/{t.venue.pk}/paper/"),
    _gate_staff("page blank register", lambda t: f"/venues/{t.venue.pk}/paper/register.pdf"),
    _gate_staff("page register template", lambda t: f"/venues/{t.venue.pk}/paper/template.csv"),
    _gate_staff("api paper uploads", lambda t: f"/api/v1/venues/{t.venue.pk}/paper-uploads"),
    _gate_staff("api blank register", lambda t: f"/api/v1/venues/{t.venue.pk}/paper-register.pdf"),
    _gate_staff(
        "api register template", lambda t: f"/api/v1/venues/{t.venue.pk}/paper-template.xlsx"
    ),
    _managed("page venue edit", lambda t: f"/venues/{t.venue.pk}/edit/"),
    _managed("page zone edit", lambda t: f"/zones/{t.zone.pk}/edit/"),
    _managed("page new venue", lambda t: f"/org/{t.organisation.pk}/venues/new/"),
    _managed("page new zone", lambda t: f"/venues/{t.venue.pk}/zones/new/"),
    _managed("page import", lambda t: f"/org/{t.organisation.pk}/import/"),
    Endpoint(
        "api person",
        lambda t: f"/api/v1/people/{t.person.pk}",
        frozenset({Role.CITIZEN, Role.HEALTH, Role.ADMIN}),
    ),
]

# Roles whose scope is tenant A (the admin sees everything, so is not in the cross-tenant check).
SCOPED_ROLES = [
    Role.CITIZEN,
    Role.VENUE_STAFF,
    Role.ORG_MANAGER,
    Role.OVERSIGHT,
    Role.HEALTH,
    Role.HELPER,
]


@dataclass(frozen=True)
class Change:
    """An endpoint that changes something: only managers of tenant A may use it on tenant A's
    objects (others who see them get 403); on tenant B's objects everyone gets 404."""

    name: str
    method: str
    url: Callable
    body: dict


CHANGES = [
    Change("api patch venue", "patch", lambda t: f"/api/v1/venues/{t.venue.pk}", {"route": "x"}),
    Change("api revoke venue", "post", lambda t: f"/api/v1/venues/{t.venue.pk}/revoke", {}),
    Change("api reissue venue", "post", lambda t: f"/api/v1/venues/{t.venue.pk}/reissue", {}),
    Change("api new zone", "post", lambda t: f"/api/v1/venues/{t.venue.pk}/zones",
           {"name": "Cổng 9", "kind": "gate"}),
    Change("api patch zone", "patch", lambda t: f"/api/v1/zones/{t.zone.pk}", {"name": "Khoa 2"}),
    Change("api revoke zone", "post", lambda t: f"/api/v1/zones/{t.zone.pk}/revoke", {}),
    Change("api reissue zone", "post", lambda t: f"/api/v1/zones/{t.zone.pk}/reissue", {}),
    Change("api new venue", "post", lambda t: f"/api/v1/organisations/{t.organisation.pk}/venues",
           {"name": "Cổng 2", "kind": "hospital", "commune_code": "16681"}),
    Change("page revoke venue", "post_form", lambda t: f"/venues/{t.venue.pk}/revoke/", {}),
    Change("page reissue zone", "post_form", lambda t: f"/zones/{t.zone.pk}/reissue/", {}),
]  # fmt: skip


def send(client, change: Change, tenant):
    url = change.url(tenant)
    if change.method == "post_form":
        return client.post(url, change.body)
    return getattr(client, change.method)(url, change.body, content_type="application/json")


# Oversight: lists and statistics narrowed to a commune. Oversight officials of commune A get
# 200 for A and 404 for B; a provincial official and the admin 200 for both; every other role
# 403 (the role is checked before the commune).
OVERSIGHT_ENDPOINTS = [
    ("page venues", lambda t: f"/oversight/venues/?commune={t.commune.pk}"),
    ("page venues export", lambda t: f"/oversight/venues/?commune={t.commune.pk}&fmt=csv"),
    ("api venues", lambda t: f"/api/v1/oversight/venues?commune={t.commune.pk}"),
    ("api venues export", lambda t: f"/api/v1/oversight/venues/export?commune={t.commune.pk}"),
    ("api status counts", lambda t: f"/api/v1/oversight/status-counts?commune={t.commune.pk}"),
    ("page required", lambda t: f"/oversight/required/?commune={t.commune.pk}"),
    ("api required", lambda t: f"/api/v1/oversight/required?commune={t.commune.pk}"),
    ("page stats", lambda t: f"/oversight/stats/?commune={t.commune.pk}"),
    ("page stats download",
     lambda t: f"/oversight/stats/?commune={t.commune.pk}&download=per_day&fmt=xlsx"),
    ("api stats", lambda t: f"/api/v1/oversight/stats?commune={t.commune.pk}"),
]  # fmt: skip
OVERSIGHT_UNSCOPED = [  # the official's whole jurisdiction: 200 for overseers, 403 for others
    "/oversight/", "/oversight/reminders/", "/oversight/accounts/", "/api/v1/oversight/reminders",
    "/api/v1/oversight/accounts", "/api/v1/oversight/reminder-templates/silent",
]  # fmt: skip
