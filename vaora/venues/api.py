"""API routes for organisations and venues; every read goes through visible_to(user)."""

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from vaora.core.errors import NotFound
from vaora.venues.models import Venue

router = Router(tags=["venues"], auth=django_auth)


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    commune_code: str
    province_code: str
    organisation_id: int
    capacity: int | None
    default_stay_minutes: int
    sensitive: bool

    @staticmethod
    def resolve_commune_code(venue: Venue) -> str:
        return venue.commune.code


@router.get("", response=list[VenueOut], summary="Venues the caller may see")
@paginate
def list_venues(request, kind: str | None = None):
    venues = Venue.objects.visible_to(request.user).select_related("commune")
    return venues.filter(kind=kind) if kind else venues


@router.get("/{venue_id}", response=VenueOut, summary="One venue")
def get_venue(request, venue_id: int):
    venue = Venue.objects.visible_to(request.user).select_related("commune").filter(pk=venue_id)
    if not venue:
        raise NotFound("địa điểm", "venue")
    return venue[0]
