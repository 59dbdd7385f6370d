"""Helpers' API (union and youth volunteers): register organisations for their owners and hand
them over, sign up people without a smartphone."""

import datetime

from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import ObjectId, id_field
from vaora.core.models import Place
from vaora.oversight import accounts, helpers
from vaora.people import cards

helpers_router = Router(tags=["helpers"], auth=RoleAuth(helpers.require_registrar))


class OrganisationIn(Schema):
    name: str = Field(max_length=200)
    kind: str
    commune_id: int = id_field()
    registry_code: str = Field("", max_length=20)


class HelperOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    commune_id: int
    registry_code: str
    handed_over_at: datetime.datetime | None


class HandOverIn(Schema):
    username: str = Field(max_length=150)
    display_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


@helpers_router.post("/helpers/organisations", response={201: HelperOrganisationOut},
                     summary="Register an organisation on its owner's behalf")  # fmt: skip
def register_organisation(request, body: OrganisationIn):
    organisation = helpers.register_organisation(
        request.user, name=body.name, kind=body.kind,
        commune=Place.objects.filter(pk=body.commune_id).first(), registry_code=body.registry_code,
    )  # fmt: skip
    return Status(201, organisation)


@helpers_router.get("/helpers/organisations", response=list[HelperOrganisationOut])
@paginate
def my_organisations(request):
    return helpers.registered_by(request.user)


@helpers_router.post("/helpers/organisations/{org_id}/hand-over", response=HelperOrganisationOut,
                     summary="Hand the organisation over to its manager (new account)")  # fmt: skip
def hand_over(request, org_id: ObjectId, body: HandOverIn):
    manager = accounts.NewAccount(username=body.username, role="org_manager",
                                  display_name=body.display_name, phone=body.phone,
                                  email=body.email)  # fmt: skip
    return helpers.hand_over(request.user, org_id, manager)[0]


class PersonIn(Schema):
    name: str = Field(max_length=120)
    phone: str = Field("", max_length=20)
    cccd: str = Field("", max_length=20)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    home_commune_id: int | None = id_field(None)


@helpers_router.post("/helpers/people", summary="Assisted sign-up: a new person's QR card (PDF)")
def sign_up_person(request, body: PersonIn):

    commune = Place.objects.filter(pk=body.home_commune_id, level="commune").first()
    person = helpers.sign_up_person(
        request.user, name=body.name, phone=body.phone, cccd=body.cccd,
        birth_year=body.birth_year, home_commune=commune,
    )  # fmt: skip
    return HttpResponse(cards.cards_pdf([person]), content_type="application/pdf")
