"""API routes for organisations, venues and zones. Reads go through visible_to(user); changes
through services, which check the caller manages the organisation. Input schemas forbid unknown
fields, so nothing outside them (organisation, codes, versions) can be set."""

from decimal import Decimal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from vaora.core.api_types import ObjectId, OptionalIdQuery
from vaora.core.errors import InvalidFields
from vaora.core.models import Place
from vaora.venues import importer, posters, services, tokens
from vaora.venues.forms import MAX_IMPORT_BYTES
from vaora.venues.models import MAX_STAY_MINUTES, Kind, Organisation, Venue, ZoneKind

router = Router(tags=["venues"], auth=django_auth)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    registry_code: str
    commune_code: str = Field(validation_alias="commune.code")


class VenueOut(Schema):
    id: int
    organisation_id: int
    name: str
    kind: str
    address: str
    commune_code: str = Field(validation_alias="commune.code")
    province_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    capacity: int | None
    default_stay_minutes: int
    sensitive: bool
    plate_number: str
    route: str
    operator_name: str
    short_code: str
    qr_version: int
    revoked: bool = Field(validation_alias="is_revoked")
    revoked_reason: str


class VenueIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    commune_code: str = Field(pattern=r"^\d{5}$")
    address: str = Field("", max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    default_stay_minutes: int | None = Field(None, ge=1, le=MAX_STAY_MINUTES)
    plate_number: str = Field("", max_length=15)
    route: str = Field("", max_length=200)
    operator_name: str = Field("", max_length=200)


class VenuePatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Kind | None = None
    commune_code: str | None = Field(None, pattern=r"^\d{5}$")
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    default_stay_minutes: int | None = Field(None, ge=1, le=MAX_STAY_MINUTES)
    plate_number: str | None = Field(None, max_length=15)
    route: str | None = Field(None, max_length=200)
    operator_name: str | None = Field(None, max_length=200)


class ZoneIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: ZoneKind


class ZonePatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ZoneKind | None = None


class ZoneOut(Schema):
    id: int
    venue_id: int
    name: str
    kind: str
    short_code: str
    qr_version: int
    revoked: bool = Field(validation_alias="is_revoked")


class RevokeIn(Strict):
    reason: str = Field("", max_length=200)


class CodeOut(Schema):
    url: str
    token: str


class PosterQuery(Schema):
    format: str = Field("pdf", pattern="^(pdf|png|svg)$")
    size: str = Field("a4", pattern="^(a4|a5|a6)$")


class ImportReportOut(Schema):
    total_rows: int
    created: int
    unchanged: int
    rejected: list[dict]


def _fields(payload: Schema) -> dict:
    data = payload.model_dump(exclude_unset=True)
    if "commune_code" in data:
        code = data.pop("commune_code")
        commune = Place.objects.filter(scheme="2025", level="commune", code=code).first()
        if commune is None:
            raise InvalidFields({"commune_code": [f"Không có xã/phường mã {code}"]})
        data["commune"] = commune
    return data


def _poster(obj, query: PosterQuery) -> HttpResponse:
    body = posters.poster(obj, query.format, query.size)
    services.count_posters_issued([obj])
    return HttpResponse(body, content_type=posters.CONTENT_TYPES[query.format])


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations in scope")
@paginate
def list_organisations(request):
    return Organisation.objects.visible_to(request.user).select_related("commune")


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="One organisation")
def get_organisation(request, org_id: ObjectId):
    return services.get_organisation(request.user, org_id)


@router.post("/organisations/{org_id}/venues", response={201: VenueOut}, summary="Create a venue")
def create_venue(request, org_id: ObjectId, payload: VenueIn):
    organisation = services.get_organisation(request.user, org_id)
    return Status(201, services.create_venue(request.user, organisation, _fields(payload)))


@router.post("/organisations/{org_id}/venues/import", response=ImportReportOut,
             summary="Import venues from .csv or .xlsx")  # fmt: skip
def import_venues(request, org_id: ObjectId, file: UploadedFile = File(...)):
    organisation = services.get_organisation(request.user, org_id)
    if file.size > MAX_IMPORT_BYTES:
        raise importer.too_large()
    return importer.import_venues(request.user, organisation, file.file, file.name).as_dict()


@router.get("/organisations/{org_id}/posters", summary="All posters of an organisation (PDF)")
def organisation_posters(request, org_id: ObjectId, size: str = Query("a4", pattern="^(a4|a5|a6)$"),
                         zones: bool = False):  # fmt: skip
    organisation = services.get_organisation(request.user, org_id)
    objects = (
        services.zones_for_posters(organisation) if zones
        else organisation.venues.filter(revoked_at__isnull=True).select_related("commune")
    )  # fmt: skip
    objects = list(objects)
    services.count_posters_issued(objects)
    return HttpResponse(posters.posters_pdf(objects, size), content_type="application/pdf")


@router.get("/venues", response=list[VenueOut], summary="Venues the caller may see")
@paginate
def list_venues(request, kind: Kind | None = None, organisation_id: OptionalIdQuery = None):
    venues = Venue.objects.visible_to(request.user).select_related("commune")
    if kind:
        venues = venues.filter(kind=kind)
    if organisation_id:
        venues = venues.filter(organisation_id=organisation_id)
    return venues


@router.get("/venues/{venue_id}", response=VenueOut, summary="One venue")
def get_venue(request, venue_id: ObjectId):
    return services.get_venue(request.user, venue_id)


@router.patch("/venues/{venue_id}", response=VenueOut, summary="Change a venue")
def update_venue(request, venue_id: ObjectId, payload: VenuePatch):
    venue = services.get_venue(request.user, venue_id)
    return services.update_venue(request.user, venue, _fields(payload))


@router.post("/venues/{venue_id}/revoke", response=VenueOut, summary="Revoke a venue's posters")
def revoke_venue(request, venue_id: ObjectId, payload: RevokeIn):
    venue = services.get_venue(request.user, venue_id)
    return services.revoke(request.user, venue, payload.reason)


@router.post("/venues/{venue_id}/reissue", response=VenueOut, summary="New code version")
def reissue_venue(request, venue_id: ObjectId):
    return services.reissue(request.user, services.get_venue(request.user, venue_id))


@router.get("/venues/{venue_id}/code", response=CodeOut, summary="The signed code and its URL")
def venue_code(request, venue_id: ObjectId):
    venue = services.get_venue(request.user, venue_id)
    token = tokens.token_for(venue)
    return {"token": token, "url": tokens.qr_url(token)}


@router.get("/venues/{venue_id}/poster", summary="A venue's poster (PDF, PNG or SVG)")
def venue_poster(request, venue_id: ObjectId, query: Query[PosterQuery]):
    return _poster(services.get_venue(request.user, venue_id), query)


@router.get("/venues/{venue_id}/zones", response=list[ZoneOut], summary="Zones of a venue")
def list_zones(request, venue_id: ObjectId):
    return services.get_venue(request.user, venue_id).zones.all()


@router.post("/venues/{venue_id}/zones", response={201: ZoneOut}, summary="Create a zone")
def create_zone(request, venue_id: ObjectId, payload: ZoneIn):
    venue = services.get_venue(request.user, venue_id)
    return Status(201, services.create_zone(request.user, venue, payload.model_dump()))


@router.get("/zones/{zone_id}", response=ZoneOut, summary="One zone")
def get_zone(request, zone_id: ObjectId):
    return services.get_zone(request.user, zone_id)


@router.patch("/zones/{zone_id}", response=ZoneOut, summary="Change a zone")
def update_zone(request, zone_id: ObjectId, payload: ZonePatch):
    zone = services.get_zone(request.user, zone_id)
    return services.update_zone(request.user, zone, payload.model_dump(exclude_unset=True))


@router.post("/zones/{zone_id}/revoke", response=ZoneOut, summary="Revoke a zone's posters")
def revoke_zone(request, zone_id: ObjectId, payload: RevokeIn):
    return services.revoke(request.user, services.get_zone(request.user, zone_id), payload.reason)


@router.post("/zones/{zone_id}/reissue", response=ZoneOut, summary="New zone code version")
def reissue_zone(request, zone_id: ObjectId):
    return services.reissue(request.user, services.get_zone(request.user, zone_id))


@router.get("/zones/{zone_id}/poster", summary="A zone's poster (PDF, PNG or SVG)")
def zone_poster(request, zone_id: ObjectId, query: Query[PosterQuery]):
    return _poster(services.get_zone(request.user, zone_id), query)
