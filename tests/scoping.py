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
    _managed("page import template", lambda t: f"/org/{t.organisation.pk}/import/template.xlsx"),
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
    Change("page revoke venue", "post_form", lambda t: f"/venues/{t.venue.pk}/revoke/",
           {"confirmed": "yes"}),
    Change("page reissue zone", "post_form", lambda t: f"/zones/{t.zone.pk}/reissue/",
           {"confirmed": "yes"}),
]  # fmt: skip


def send(client, change: Change, tenant):
    url = change.url(tenant)
    if change.method == "post_form":
        return client.post(url, change.body)
    return getattr(client, change.method)(url, change.body, content_type="application/json")


# Tracing: routes that read a case. A health official of commune A reads A's case and gets 404
# for B's; every other role 403 for any id (tests/tracing/test_tracing_scoping.py).
TRACING_ROUTES = [
    "/api/v1/cases/{id}", "/api/v1/cases/{id}/contacts", "/api/v1/cases/{id}/contacts.csv",
    "/api/v1/cases/{id}/contacts.xlsx", "/cases/{id}/", "/cases/{id}/contacts.csv",
]  # fmt: skip

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
    "/oversight/groups/", "/api/v1/oversight/groups", "/oversight/ranking/",
    "/api/v1/oversight/ranking", "/api/v1/oversight/ranking/export",
]  # fmt: skip


# --- every route with an object id, attacked across tenants ---------------------------------
#
# `tests/core/test_every_route_with_an_id_is_covered.py` enumerates every page route with an
# `<id:...>` and every API operation with an id in its path, and fails when one is covered by
# none of the lists in this module: ENDPOINTS and CHANGES above, ATTACKS below. ATTACKS aim at
# tenant B's objects of every kind (`tests/tenant_objects.py`) as every role of tenant A:
# the answer is 404 (not found in their scope), 403 (their role may not use the route at all),
# or — for a citizen's own pages opened by another role — a redirect to their home page;
# never the object.


@dataclass(frozen=True)
class Attack:
    name: str
    method: str  # get, post, patch, put (JSON), post_form (a page's form), post_file (upload)
    url: Callable  # (tenant B's objects) -> str
    body: dict | Callable | None = None  # a dict, or (objects) -> dict

    def body_for(self, objects) -> dict:
        return self.body(objects) if callable(self.body) else (self.body or {})


def _a(name, method, url, body=None):
    return Attack(name, method, url, body)


ATTACKS = [
    # venues, zones, organisations
    _a("page organisation", "get", lambda o: f"/org/{o.organisation.pk}/"),
    _a("page new venue", "post_form", lambda o: f"/org/{o.organisation.pk}/venues/new/",
       {"name": "X", "kind": "market"}),
    _a("page import venues", "get", lambda o: f"/org/{o.organisation.pk}/import/"),
    _a("page import template", "get",
       lambda o: f"/org/{o.organisation.pk}/import/template.csv"),
    _a("page organisation posters", "get", lambda o: f"/org/{o.organisation.pk}/posters.pdf"),
    _a("page organisation export", "get", lambda o: f"/org/{o.organisation.pk}/venues.csv"),
    _a("page venue", "get", lambda o: f"/venues/{o.venue.pk}/"),
    _a("page venue edit", "post_form", lambda o: f"/venues/{o.venue.pk}/edit/", {"name": "X"}),
    _a("page venue revoke", "post_form", lambda o: f"/venues/{o.venue.pk}/revoke/", {}),
    _a("page venue poster", "get", lambda o: f"/venues/{o.venue.pk}/poster?format=svg"),
    _a("page new zone", "post_form", lambda o: f"/venues/{o.venue.pk}/zones/new/",
       {"name": "X", "kind": "gate"}),
    _a("page zone edit", "post_form", lambda o: f"/zones/{o.zone.pk}/edit/", {"name": "X"}),
    _a("page zone reissue", "post_form", lambda o: f"/zones/{o.zone.pk}/reissue/", {}),
    _a("page zone poster", "get", lambda o: f"/zones/{o.zone.pk}/poster?format=svg"),
    _a("api organisation", "get", lambda o: f"/api/v1/organisations/{o.organisation.pk}"),
    _a("api new venue", "post", lambda o: f"/api/v1/organisations/{o.organisation.pk}/venues",
       lambda o: {"name": "X", "kind": "market", "commune_code": o.tenant.commune.code}),
    _a("api import venues", "post_file",
       lambda o: f"/api/v1/organisations/{o.organisation.pk}/venues/import"),
    _a("api organisation posters", "get",
       lambda o: f"/api/v1/organisations/{o.organisation.pk}/posters"),
    _a("api venue", "get", lambda o: f"/api/v1/venues/{o.venue.pk}"),
    _a("api patch venue", "patch", lambda o: f"/api/v1/venues/{o.venue.pk}", {"route": "x"}),
    _a("api revoke venue", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/revoke", {}),
    _a("api reissue venue", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/reissue", {}),
    _a("api venue code", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/code"),
    _a("api venue poster", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/poster?format=svg"),
    _a("api venue zones", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/zones"),
    _a("api new zone", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/zones",
       {"name": "X", "kind": "gate"}),
    _a("api zone", "get", lambda o: f"/api/v1/zones/{o.zone.pk}"),
    _a("api patch zone", "patch", lambda o: f"/api/v1/zones/{o.zone.pk}", {"name": "X"}),
    _a("api revoke zone", "post", lambda o: f"/api/v1/zones/{o.zone.pk}/revoke", {}),
    _a("api reissue zone", "post", lambda o: f"/api/v1/zones/{o.zone.pk}/reissue", {}),
    _a("api zone poster", "get", lambda o: f"/api/v1/zones/{o.zone.pk}/poster?format=svg"),
    # a citizen's own things
    _a("page remove family member", "post_form",
       lambda o: f"/me/family/{o.dependant.pk}/remove/", {}),
    _a("page health declaration", "get", lambda o: f"/me/health/{o.health.pk}/"),
    _a("page travel declaration", "get", lambda o: f"/me/travel/{o.travel.pk}/"),
    _a("page check out", "post_form", lambda o: f"/me/visits/{o.visit.pk}/checkout/", {}),
    _a("page correct times", "get", lambda o: f"/me/visits/{o.visit.pk}/correct/"),
    _a("api correct times", "patch", lambda o: f"/api/v1/me/visits/{o.visit.pk}",
       {"entered_at": "2026-11-25T01:00:00Z", "left_at": "2026-11-25T02:00:00Z"}),
    _a("api person", "get", lambda o: f"/api/v1/people/{o.person.pk}"),
    # gates, hand entries, paper registers
    _a("page gate", "get", lambda o: f"/venues/{o.venue.pk}/gate/"),
    _a("page assisted", "get", lambda o: f"/venues/{o.venue.pk}/assisted/"),
    _a("page assisted again", "post_form",
       lambda o: f"/venues/{o.venue.pk}/assisted/{o.assisted_visit.pk}/out/", {}),
    _a("page occupancy", "get", lambda o: f"/venues/{o.venue.pk}/occupancy/"),
    _a("page hand-entered export", "get", lambda o: f"/venues/{o.venue.pk}/entered-by-staff.csv"),
    _a("api scan", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/scan",
       lambda o: {"client_id": "6f1c3e6e-0000-4000-8000-000000000001", "code": o.person_code}),
    _a("api assisted", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/assisted",
       {"client_id": "6f1c3e6e-0000-4000-8000-000000000002", "name": "Ai Đó"}),
    _a("api staff sync", "post", lambda o: f"/api/v1/venues/{o.venue.pk}/staff-sync",
       {"items": []}),
    _a("api occupancy", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/occupancy"),
    _a("api assisted today", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/assisted-today"),
    _a("page paper", "get", lambda o: f"/venues/{o.venue.pk}/paper/"),
    _a("page blank register", "get", lambda o: f"/venues/{o.venue.pk}/paper/register.pdf"),
    _a("page register template", "get", lambda o: f"/venues/{o.venue.pk}/paper/template.csv"),
    _a("page paper upload", "get", lambda o: f"/venues/{o.venue.pk}/paper/{o.upload.pk}/"),
    _a("page rejected rows", "get",
       lambda o: f"/venues/{o.venue.pk}/paper/{o.upload.pk}/rejected.csv"),
    _a("api paper upload (new)", "post_file",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-uploads"),
    _a("api paper uploads", "get", lambda o: f"/api/v1/venues/{o.venue.pk}/paper-uploads"),
    _a("api paper upload", "get",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-uploads/{o.upload.pk}"),
    _a("page cancel paper upload", "post_form",
       lambda o: f"/venues/{o.venue.pk}/paper/{o.upload.pk}/cancel", {}),
    _a("api cancel paper upload", "post",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-uploads/{o.upload.pk}/cancel", {}),
    _a("api rejected rows", "get",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-uploads/{o.upload.pk}/rejected"),
    _a("api blank register", "get",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-register.pdf"),
    _a("api register template", "get",
       lambda o: f"/api/v1/venues/{o.venue.pk}/paper-template.xlsx"),
    # tracing
    _a("page case", "get", lambda o: f"/cases/{o.case.pk}/"),
    _a("page trace", "post_form", lambda o: f"/cases/{o.case.pk}/trace/", {"depth": "1"}),
    _a("page close case", "post_form", lambda o: f"/cases/{o.case.pk}/close/", {}),
    _a("page prepare notices", "post_form", lambda o: f"/cases/{o.case.pk}/notices/", {}),
    _a("page approve batch", "post_form",
       lambda o: f"/cases/{o.case.pk}/notices/{o.batch.pk}/approve/", {}),
    _a("page contact state", "post_form",
       lambda o: f"/cases/{o.case.pk}/contacts/{o.contact.pk}/state/", {"state": "reached"}),
    _a("page publish visit", "post_form",
       lambda o: f"/cases/{o.case.pk}/visits/{o.visit.pk}/publish/",
       {"confirmed": "yes", "starts_at": "2026-11-23T08:30", "ends_at": "2026-11-23T11:00",
        "advice_vi": "Theo dõi sức khỏe."}),
    _a("page export contacts", "get", lambda o: f"/cases/{o.case.pk}/contacts.csv"),
    _a("page approve reveal", "post_form",
       lambda o: f"/cases/{o.case.pk}/reveals/{o.reveal.pk}/approve/", {}),
    _a("api case", "get", lambda o: f"/api/v1/cases/{o.case.pk}"),
    _a("api edit case", "patch", lambda o: f"/api/v1/cases/{o.case.pk}",
       {"isolated_at": "2026-11-25T01:00:00Z"}),
    _a("api trace", "post", lambda o: f"/api/v1/cases/{o.case.pk}/trace", {"depth": 1}),
    _a("api close case", "post", lambda o: f"/api/v1/cases/{o.case.pk}/close", {}),
    _a("api contacts", "get", lambda o: f"/api/v1/cases/{o.case.pk}/contacts"),
    _a("api contact state", "patch",
       lambda o: f"/api/v1/cases/{o.case.pk}/contacts/{o.contact.pk}", {"state": "reached"}),
    _a("api export contacts", "get", lambda o: f"/api/v1/cases/{o.case.pk}/contacts.csv"),
    _a("api withdraw site", "post", lambda o: f"/api/v1/exposure-sites/{o.site.pk}/withdraw", {}),
    _a("api prepare notices", "post", lambda o: f"/api/v1/cases/{o.case.pk}/notices", {}),
    _a("api batch", "get", lambda o: f"/api/v1/notice-batches/{o.batch.pk}"),
    _a("api approve batch", "post", lambda o: f"/api/v1/notice-batches/{o.batch.pk}/approve", {}),
    _a("api send batch", "post", lambda o: f"/api/v1/notice-batches/{o.batch.pk}/send", {}),
    _a("api approve reveal", "post",
       lambda o: f"/api/v1/cases/{o.case.pk}/reveal-requests/{o.reveal.pk}/approve", {}),
    # accounts and helpers
    _a("page account action", "post_form",
       lambda o: f"/oversight/accounts/{o.staff_account.pk}/deactivate/", {}),
    _a("page approve duty", "post_form", lambda o: f"/oversight/approvals/{o.approval.pk}/approve/",
       {}),
    _a("page hand over", "post_form", lambda o: f"/helpers/{o.helper_org.pk}/hand-over/",
       {"username": "ql.moi", "phone": "0913777000"}),
    *[_a(f"api account {action}", "post",
         lambda o, action=action: f"/api/v1/oversight/accounts/{o.staff_account.pk}/{action}", {})
      for action in ("deactivate", "activate", "resend-activation", "reset-second-factor")],
    _a("api approve duty", "post", lambda o: f"/api/v1/oversight/approvals/{o.approval.pk}/approve",
       {}),
    _a("api hand over", "post",
       lambda o: f"/api/v1/helpers/organisations/{o.helper_org.pk}/hand-over",
       {"username": "ql.moi", "phone": "0913777000"}),
    # organisation groups kept by boards (a group of tenant B's commune, holding its hospital)
    _a("page group", "get", lambda o: f"/oversight/groups/{o.group.pk}/"),
    _a("page group add", "post_form", lambda o: f"/oversight/groups/{o.group.pk}/add/",
       lambda o: {"organisation": [o.helper_org.pk]}),
    _a("page group remove", "post_form",
       lambda o: f"/oversight/groups/{o.group.pk}/members/{o.organisation.pk}/remove/", {}),
    _a("api group members", "get", lambda o: f"/api/v1/oversight/groups/{o.group.pk}/members"),
    _a("api group history", "get", lambda o: f"/api/v1/oversight/groups/{o.group.pk}/history"),
    _a("api group add", "post", lambda o: f"/api/v1/oversight/groups/{o.group.pk}/members",
       lambda o: {"organisation_ids": [o.helper_org.pk]}),
    _a("api group import", "post_file",
       lambda o: f"/api/v1/oversight/groups/{o.group.pk}/members/import"),
    _a("api group remove", "delete",
       lambda o: f"/api/v1/oversight/groups/{o.group.pk}/members/{o.organisation.pk}"),
]  # fmt: skip

# Routes with a path parameter that names no tenant's object (a GSO code, a template's key, a
# kind of venue): public or shared across the installation, checked by their own tests.
NOT_TENANT_OBJECTS = {
    "GET /api/v1/places/{code}", "PUT /api/v1/notice-templates/{key}",
    "PUT /api/v1/exposure-rules/{kind}", "GET /api/v1/oversight/reminder-templates/{key}",
    "PUT /api/v1/oversight/reminder-templates/{key}",
    # the installation's job queue: system administrators only (tests/core/test_jobs_*.py)
    "POST /api/v1/ops/jobs/{job_id}/retry",
}  # fmt: skip
