"""API routes for places (public reference data) and the signed-in account."""

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from vaora.core.errors import NotFound
from vaora.core.models import Place

router = Router(tags=["places and account"])


class PlaceOut(Schema):
    code: str
    name: str
    division_type: str
    level: str
    scheme: str
    province_code: str
    parent_code: str | None = Field(None, alias="parent.code")


class MeOut(Schema):
    username: str
    role: str
    display_name: str
    jurisdiction: PlaceOut | None
    organisation_id: int | None


@router.get("/places", response=list[PlaceOut], summary="List administrative units")
@paginate
def list_places(
    request,
    parent: str | None = None,
    level: Place.Level | None = None,
    q: str | None = None,
    scheme: Place.Scheme = Place.Scheme.CURRENT,
):
    """Current units by default. `parent` is a GSO code (e.g. 40 for Nghệ An's communes)."""
    places = Place.objects.filter(scheme=scheme).select_related("parent")
    if parent:
        places = places.filter(parent__code=parent, parent__scheme=scheme)
    if level:
        places = places.filter(level=level)
    if q:
        places = places.filter(Q(name__icontains=q) | Q(code=q))
    return places


class CommuneMatch(Schema):
    code: str
    name: str
    province: str
    label: str


@router.get("/places/search", response=list[CommuneMatch], summary="Find a commune by name")
def search_communes(request, q: str = Query(..., min_length=1, max_length=80)):
    """Communes and wards of any province whose name (with or without diacritics) or code
    matches `q`; "name, province" narrows to a province. At most 20, best first."""
    from vaora.core import commune_search

    return [{"code": e.code, "name": e.name, "province": e.province, "label": e.label}
            for e in commune_search.search(q)]  # fmt: skip


@router.get("/places/{code}", response=PlaceOut, summary="One administrative unit")
def get_place(request, code: str, level: Place.Level = Place.Level.COMMUNE):
    place = Place.objects.filter(scheme=Place.Scheme.CURRENT, level=level, code=code).first()
    if place is None:
        raise NotFound("đơn vị hành chính", "administrative unit")
    return place


@router.get("/me", response=MeOut, auth=django_auth, summary="The signed-in account")
def me(request):
    return request.user
