"""Jurisdiction scoping: the one way querysets are narrowed to what a user may see.

Every model that officials or staff read has a queryset with `visible_to(user)`; views and API
routes fetch through it, so an object out of scope is simply not found (404), never "forbidden"
(which would confirm it exists).
"""

from django.db.models import Q

from vaora.core.roles import OFFICIAL_ROLES, ORGANISATION_ROLES, Role

NOTHING = Q(pk__in=[])


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def sector_of(user):
    """The sector a department's or board's account oversees (venues.sectors.Sector), or None
    for an account scoped by territory alone."""
    if role_of(user) is None or getattr(user, "sector_id", None) is None:
        return None
    return user.sector


def within_jurisdiction(user, place_field: str, organisation_field: str | None = None) -> Q:
    """Rows whose `place_field` (a Place foreign key) lies in the official's jurisdiction.

    A sector account (a department, a board) sees only its sector's organisations, so its rows
    need `organisation_field` (a path to the owning Organisation, "" for Organisation itself);
    a query that cannot name one — statistics by commune, persons, cases — shows it nothing.
    That is the fail-closed default: a new query is sector-blind until it says otherwise."""
    if role_of(user) not in OFFICIAL_ROLES or user.jurisdiction_id is None:
        return NOTHING
    area = Q(**{f"{place_field}__path__startswith": user.jurisdiction.path})
    sector = sector_of(user)
    if sector is None:
        return area
    if organisation_field is None:
        return NOTHING
    return area & sector.organisations_q(organisation_field)


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def in_area(user, place_field: str, organisation_field: str | None = None) -> Q:
    """Like within_jurisdiction, with administrators seeing everything."""
    if is_admin(user):
        return Q()
    return within_jurisdiction(user, place_field, organisation_field)


def by_organisation(user, organisation_field: str, place_field: str) -> Q:
    """Rows owned by an organisation: staff and managers see their organisation's, officials
    those in their jurisdiction (and sector), administrators all, everyone else none.
    `organisation_field` ends in "_id" ("pk" for Organisation itself)."""
    if is_admin(user):
        return Q()
    if role_of(user) in ORGANISATION_ROLES:
        return Q(**{organisation_field: user.organisation_id})
    relation = "" if organisation_field == "pk" else organisation_field.removesuffix("_id")
    return within_jurisdiction(user, place_field, relation)


def place_in_area(user, place) -> bool:
    """Whether a Place lies in the user's jurisdiction (administrators: anywhere) — the same
    rule as in_area, for one place already loaded."""
    if is_admin(user):
        return True
    if role_of(user) not in OFFICIAL_ROLES or user.jurisdiction_id is None:
        return False
    return place.path.startswith(user.jurisdiction.path)


def places_in_area(user):
    """The current places (province, communes) inside the user's jurisdiction."""
    from vaora.core.models import Place

    places = Place.objects.filter(scheme=Place.Scheme.CURRENT)
    if is_admin(user):
        return places
    if role_of(user) not in OFFICIAL_ROLES or user.jurisdiction_id is None:
        return places.none()
    return places.filter(path__startswith=user.jurisdiction.path)
