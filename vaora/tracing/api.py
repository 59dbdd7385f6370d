"""Tracing API for health officials: open a case, trace it, read and act on its contacts,
export them. Other roles get 403; a case outside the official's area is 404."""

import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from vaora.core import exports
from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import ObjectId
from vaora.tracing import services
from vaora.tracing.export import contacts_response
from vaora.tracing.models import Case


def HealthOfficialAuth() -> RoleAuth:  # noqa: N802 - used like the class it was
    """Signed in, and a health official: a venue's staff gets 403 from every tracing route,
    whatever it sends."""
    return RoleAuth(services.require_health_official)


router = Router(tags=["contact tracing"], auth=HealthOfficialAuth())


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CaseIn(Strict):
    phone: str = Field("", max_length=20)
    cccd: str = Field("", max_length=20)
    test_date: datetime.date
    onset_date: datetime.date | None = None
    isolated_at: datetime.datetime | None = None
    window_start: datetime.datetime | None = None
    window_end: datetime.datetime | None = None
    purpose: str = Field(max_length=300, description="why the data is read (≥ 10 characters)")


class CaseOut(Schema):
    id: int
    person_initial: str
    status: str
    purpose: str
    test_date: datetime.date
    onset_date: datetime.date | None
    window_start: datetime.datetime
    window_end: datetime.datetime
    opened_at: datetime.datetime
    last_traced_at: datetime.datetime | None

    @staticmethod
    def resolve_person_initial(case) -> str:
        return case.person.initial


class TraceIn(Strict):
    depth: int = Field(2, ge=1, le=3)
    min_overlap: int | None = Field(None, ge=0, le=1440, description="minutes, for every kind")
    sensitive_reason: str = Field("", max_length=300, description=(
        "why this case must be traced through clinics and places of worship (left out "
        "otherwise); kept on the case and audited"))  # fmt: skip


class TraceOut(Schema):
    contacts: int
    visits_read: int
    f1: int = 0
    f2: int = 0
    f3: int = 0


class ContactOut(Schema):
    id: int
    degree: int
    name: str
    phone: str | None
    venue: str | None
    zone: str | None
    transport_ref: str
    exposed_from: datetime.datetime
    exposed_until: datetime.datetime
    overlap_minutes: int | None
    risk: str
    state: str

    @staticmethod
    def resolve_name(c) -> str:
        return c.shown.name  # services.read_page: masked past the approval threshold

    @staticmethod
    def resolve_phone(c) -> str | None:
        return c.shown.phone

    @staticmethod
    def resolve_venue(c) -> str | None:
        return c.venue.name if c.venue else None

    @staticmethod
    def resolve_zone(c) -> str | None:
        return c.zone.name if c.zone else None


class ContactFilter(Schema):
    degree: int | None = Field(None, ge=1, le=3)
    risk: Literal["high", "low"] | None = None
    state: Literal["found", "reached", "tested", "isolated"] | None = None
    venue_id: int | None = Field(None, ge=1, le=2**62)


class Paging(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


class ContactPage(Schema):
    items: list[ContactOut]
    count: int


class StateIn(Strict):
    state: Literal["found", "reached", "tested", "isolated"]


@router.post("/cases", response={201: CaseOut}, summary="Open a case for an F0")
def open_case(request, payload: CaseIn):
    return Status(201, services.open_case(request.user, **payload.dict()))


@router.get("/cases", response=list[CaseOut], summary="Cases in the official's area")
@paginate
def cases(request):
    return Case.objects.visible_to(request.user).select_related("person")


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def case(request, case_id: ObjectId):
    return services.get_case(request.user, case_id)


class WindowIn(Strict):
    window_start: datetime.datetime | None = None
    window_end: datetime.datetime | None = None
    isolated_at: datetime.datetime | None = None


@router.patch("/cases/{case_id}", response=CaseOut, summary="Edit the infectious window")
def edit(request, case_id: ObjectId, payload: WindowIn):
    found = services.get_case(request.user, case_id)
    return services.edit_window(request.user, found, **payload.dict())


@router.post("/cases/{case_id}/trace", response=TraceOut, summary="Find F1 (and F2, F3)")
def trace(request, case_id: ObjectId, payload: TraceIn):
    found = services.get_case(request.user, case_id)
    return services.trace_case(request.user, found, depth=payload.depth,
                               min_overlap=payload.min_overlap,
                               sensitive_reason=payload.sensitive_reason)  # fmt: skip


@router.post("/cases/{case_id}/close", response=CaseOut, summary="Close a case")
def close(request, case_id: ObjectId):
    return services.close_case(request.user, services.get_case(request.user, case_id))


@router.get("/cases/{case_id}/contacts", response=ContactPage,
            summary="The contacts found, a page at a time (each read is audited)")  # fmt: skip
def contacts(request, case_id: ObjectId, filters: Query[ContactFilter], paging: Query[Paging]):
    found = services.get_case(request.user, case_id)
    rows = services.contacts(request.user, found, **filters.dict())
    end = paging.offset + paging.limit
    return {"items": services.read_page(request.user, found, rows[paging.offset : end]),
            "count": rows.count()}  # fmt: skip


@router.patch("/cases/{case_id}/contacts/{contact_id}", response=ContactOut,
              summary="Mark a contact reached, tested or isolated")  # fmt: skip
def set_state(request, case_id: ObjectId, contact_id: ObjectId, payload: StateIn):
    found = services.get_case(request.user, case_id)
    contact = services.set_state(request.user, found, contact_id, payload.state)
    return services.read_page(request.user, found, [contact])[0]


@router.get("/cases/{case_id}/contacts.{fmt}", summary="Export the contacts (csv or xlsx)")
def export(request, case_id: ObjectId, fmt: str, filters: Query[ContactFilter]):
    if fmt not in exports.FORMATS:
        return exports.response(fmt, [], [], "contacts")  # the coded 404 for a wrong format
    found = services.get_case(request.user, case_id)
    return contacts_response(request.user, found, fmt, filters.dict())
