"""API routes for persons and citizens. Responses never carry a full phone or CCCD number of
anyone but the caller; a personal QR value authorises nothing (threat 5)."""

import datetime

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from vaora.core.api_types import ObjectId
from vaora.core.client_address import client_address
from vaora.core.errors import InvalidFields, VaoraError
from vaora.core.models import Place
from vaora.people import codes, declarations, mydata, otp, services, sessions, tokens_auth
from vaora.people.identity import mask_phone
from vaora.people.models import HealthDeclaration, Means, Person, Symptom, TravelDeclaration

router = Router(tags=["people"], auth=django_auth)
citizens = Router(tags=["citizens"], auth=tokens_auth.citizen_auth)
sign_in = Router(tags=["citizens"], auth=None)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PersonOut(Schema):
    id: int
    name: str
    phone_masked: str | None
    has_cccd: bool
    birth_year: int | None
    home_commune_code: str | None
    guardian_id: int | None

    @staticmethod
    def resolve_phone_masked(person: Person) -> str | None:
        return mask_phone(person.phone) if person.phone else None

    @staticmethod
    def resolve_has_cccd(person: Person) -> bool:
        return person.cccd_index is not None

    @staticmethod
    def resolve_home_commune_code(person: Person) -> str | None:
        return person.home_commune.code if person.home_commune else None


@router.get("/{person_id}", response=PersonOut, summary="One person (self, dependant, or in scope)")
def get_person(request, person_id: ObjectId):
    return services.read_person(request.user, person_id)


# --- sign-in for native apps -------------------------------------------------------------


class CodeIn(Strict):
    phone: str = Field(max_length=20)


class TokenIn(Strict):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)
    device_name: str = Field("", max_length=60)


class TokenOut(Schema):
    token: str
    needs_profile: bool
    needs_consent: bool


@sign_in.post("/auth/code", response={202: dict}, summary="Send a sign-in code by SMS")
def request_code(request, payload: CodeIn):
    otp.request_code(payload.phone, client_address(request.META))
    return Status(202, {"sent": True})


@sign_in.post("/auth/token", response=TokenOut, summary="Trade a proven code for a bearer token")
def issue_token(request, payload: TokenIn):
    from vaora.people.identity import normalise_phone

    phone = normalise_phone(payload.phone)
    otp.verify_code(phone, payload.code)
    account = services.citizen_for_phone(phone)
    return {"token": tokens_auth.issue(account, payload.device_name),
            "needs_profile": services.needs_profile(account),
            "needs_consent": services.needs_consent(account)}  # fmt: skip


# --- the citizen's own data --------------------------------------------------------------


def citizen_person(request) -> Person:
    """The signed-in citizen's own person (403 for any other role)."""
    if request.user.role != "citizen" or request.user.person_id is None:
        raise VaoraError("citizens_only", "Chỉ người dân dùng chức năng này.",
                         "Only citizens use this.", 403)  # fmt: skip
    return request.user.person


class ProfileIn(Strict):
    name: str = Field(min_length=2, max_length=120)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    cccd: str = Field("", max_length=20)
    home_commune_code: str | None = Field(None, pattern=r"^\d{5}$")


class DependantIn(Strict):
    name: str = Field(min_length=2, max_length=120)
    birth_year: int = Field(ge=1900, le=2100)


class HealthIn(Strict):
    symptoms: list[Symptom] = Field(default_factory=list, max_length=7)
    other_symptom: str = Field("", max_length=200)
    contact_with_case: bool
    in_outbreak_area: bool
    vaccine_doses: int = Field(ge=0, le=10)


class HealthOut(Schema):
    id: int
    declared_at: datetime.datetime
    symptoms: list[str]
    needs_attention: bool
    advice_vi: str
    advice_en: str

    @staticmethod
    def resolve_advice_vi(d: HealthDeclaration) -> str:
        return declarations.advice(d)[0]

    @staticmethod
    def resolve_advice_en(d: HealthDeclaration) -> str:
        return declarations.advice(d)[1]


class TravelIn(Strict):
    from_commune_code: str = Field(pattern=r"^\d{5}$")
    to_commune_code: str = Field(pattern=r"^\d{5}$")
    departure_date: datetime.date
    return_date: datetime.date | None = None
    means: Means
    transport_ref: str = Field("", max_length=20)
    purpose: str = Field("", max_length=200)


class TravelOut(Schema):
    id: int
    declared_at: datetime.datetime
    departure_date: datetime.date
    means: str
    transport_ref: str
    valid_until: datetime.datetime
    qr_url: str

    @staticmethod
    def resolve_qr_url(d: TravelDeclaration) -> str:
        return codes.travel_url(d)


def _commune(code: str | None, field: str):
    if code is None:
        return None
    place = Place.objects.filter(scheme="2025", level="commune", code=code).first()
    if place is None:
        raise InvalidFields(
            {field: [f"Không có xã/phường mã {code} / No commune with code {code}"]}
        )
    return place


@citizens.get("/me/person", response=PersonOut, summary="My profile")
def my_person(request):
    return citizen_person(request)


@citizens.put("/me/person", response=PersonOut, summary="Change my profile")
def update_my_person(request, payload: ProfileIn):
    data = payload.model_dump()
    data["home_commune"] = _commune(data.pop("home_commune_code"), "home_commune_code")
    return services.save_person(citizen_person(request), data)


@citizens.post("/me/consent", response={204: None}, summary="Agree to the privacy notice")
def my_consent(request):
    citizen_person(request)
    services.record_consent(request.user)
    return Status(204, None)


@citizens.get("/me/dependants", response=list[PersonOut], summary="My family members")
def my_dependants(request):
    return citizen_person(request).dependants.all()


@citizens.post("/me/dependants", response={201: PersonOut}, summary="Add a family member")
def add_dependant(request, payload: DependantIn):
    citizen_person(request)
    return Status(201, services.add_dependant(request.user, payload.model_dump()))


@citizens.get("/me/health-declarations", response=list[HealthOut], summary="My health declarations")
def my_health(request):
    return HealthDeclaration.objects.filter(person=citizen_person(request))[:100]


@citizens.post("/me/health-declarations", response={201: HealthOut}, summary="Declare my health")
def declare_health(request, payload: HealthIn):
    return Status(201, declarations.declare_health(citizen_person(request), payload.model_dump()))


@citizens.get("/me/travel-declarations", response=list[TravelOut], summary="My travel declarations")
def my_travel(request):
    return TravelDeclaration.objects.filter(person=citizen_person(request))[:100]


@citizens.post("/me/travel-declarations", response={201: TravelOut}, summary="Declare a trip")
def declare_travel(request, payload: TravelIn):
    data = payload.model_dump()
    data["from_commune"] = _commune(data.pop("from_commune_code"), "from_commune_code")
    data["to_commune"] = _commune(data.pop("to_commune_code"), "to_commune_code")
    return Status(201, declarations.declare_travel(citizen_person(request), data))


@citizens.get("/me/data", summary="Everything held about me (JSON)")
def my_data(request):
    return HttpResponse(
        mydata.export_json(citizen_person(request)), content_type="application/json"
    )


everywhere = Router(tags=["sign-in"], auth=tokens_auth.citizen_auth)


@everywhere.post("/auth/sign-out-everywhere", response={204: None},
                 summary="End every session, API token and pass of my account")  # fmt: skip
def sign_out_everywhere(request):
    sessions.sign_out_everywhere(request.user)
    return Status(204, None)
