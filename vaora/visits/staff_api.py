"""API for venue staff: scan a personal QR, check in someone without a device, sync a gate
scanner's offline queue, and read live occupancy. Every route fetches the venue through
visible_to(user) (another organisation's venue: 404) and records visits only for the venue's
own staff (officials: 403)."""

import datetime
import uuid
from typing import Literal

from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from vaora.core.api_types import ObjectId, id_field
from vaora.core.errors import VaoraError
from vaora.people import idcard
from vaora.venues.services import get_venue, require_gate_staff
from vaora.visits import cards, staff

router = Router(tags=["venue operations"], auth=django_auth)
MAX_ITEMS = 500


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ScanIn(Strict):
    client_id: uuid.UUID
    code: str = Field(max_length=600, description=(
        "what was scanned: a personal QR's text (URL or token), a travel declaration's, or the "
        "raw text of a citizen identity card's QR (read in memory; only the number, name and, "
        "where needed, birth year are kept)"))  # fmt: skip
    direction: Literal["in", "out"] = "in"
    at: datetime.datetime | None = None
    zone_id: int | None = id_field(None)
    phone: str = Field("", max_length=20, description="identity cards: a phone to reach them")


class CardIn(Strict):
    """What a gate's offline queue keeps of an identity card: never the address, the old ID,
    the birth date, sex or issue date."""

    client_id: uuid.UUID
    number: str = Field(min_length=12, max_length=12, pattern=r"^[0-9]{12}$")
    name: str = Field(min_length=2, max_length=120)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    direction: Literal["in", "out"] = "in"
    at: datetime.datetime | None = None
    zone_id: int | None = id_field(None)
    phone: str = Field("", max_length=20)


class AssistedIn(Strict):
    client_id: uuid.UUID
    name: str = Field(min_length=2, max_length=120)
    phone: str = Field("", max_length=20)
    cccd: str = Field("", max_length=20)
    at: datetime.datetime | None = None
    zone_id: int | None = id_field(None)


class ScanOut(Schema):
    status: str
    visit_id: int
    initial: str
    declaration: str
    name: str | None = Field(None, description="identity cards: the masked name (Nguyễn V. A.)")
    reachable: bool | None = Field(None, description="identity cards: a phone to reach them?")


class StaffItem(Strict):
    kind: Literal["scan", "assisted", "card"]
    scan: ScanIn | None = None
    assisted: AssistedIn | None = None
    card: CardIn | None = None


class StaffSyncIn(Strict):
    items: list[StaffItem] = Field(max_length=MAX_ITEMS)


class StaffResult(Schema):
    client_id: uuid.UUID | None
    status: Literal["stored", "duplicate", "extended", "rejected"]
    code: str | None = None
    message: str | None = None
    visit_id: int | None = None


def _out(result: staff.ScanResult) -> dict:
    return {"status": result.status, "visit_id": result.visit.pk, "initial": result.initial,
            "declaration": result.declaration, "name": result.name,
            "reachable": result.reachable}  # fmt: skip


def _scan(request, venue, payload: ScanIn):
    return staff.scan(request.user, venue, payload.code, direction=payload.direction,
                      zone=staff.zone_of(venue, payload.zone_id), at=payload.at,
                      client_id=payload.client_id, phone=payload.phone)  # fmt: skip


def _card(request, venue, payload: CardIn):
    card = idcard.read_minimum(payload.number, payload.name, payload.birth_year)
    return cards.check_in_card(request.user, venue, card, direction=payload.direction,
                               zone=staff.zone_of(venue, payload.zone_id), at=payload.at,
                               client_id=payload.client_id, phone=payload.phone)  # fmt: skip


def _assisted(request, venue, payload: AssistedIn):
    return staff.assisted(request.user, venue, name=payload.name, phone=payload.phone,
                          cccd=payload.cccd, zone=staff.zone_of(venue, payload.zone_id),
                          at=payload.at, client_id=payload.client_id)  # fmt: skip


DOORS = {"scan": _scan, "assisted": _assisted, "card": _card}


@router.post("/venues/{venue_id}/scan", response=ScanOut, summary="Record a scanned visitor")
def scan(request, venue_id: ObjectId, payload: ScanIn):
    return _out(_scan(request, get_venue(request.user, venue_id), payload))


@router.post("/venues/{venue_id}/assisted", response=ScanOut,
             summary="Check in a visitor without a device")  # fmt: skip
def assisted(request, venue_id: ObjectId, payload: AssistedIn):
    return _out(_assisted(request, get_venue(request.user, venue_id), payload))


@router.post("/venues/{venue_id}/staff-sync", response=list[StaffResult],
             summary="Send a gate scanner's queued scans")  # fmt: skip
def staff_sync(request, venue_id: ObjectId, payload: StaffSyncIn):
    venue = get_venue(request.user, venue_id)
    require_gate_staff(request.user, venue)
    results = {}
    # In the order of their scan times, as the citizen sync does: an exit after its entry.
    for index, item in sorted(enumerate(payload.items), key=_scan_order):
        body = getattr(item, item.kind)
        client_id = body.client_id if body else None
        try:
            if body is None:
                raise VaoraError("item_empty", "Mục trống.", "The item is empty.", 422)
            done = DOORS[item.kind](request, venue, body)
            results[index] = StaffResult(client_id=client_id, status=done.status,
                                         visit_id=done.visit.pk)  # fmt: skip
        except VaoraError as error:
            results[index] = StaffResult(client_id=client_id, status="rejected", code=error.code,
                                         message=error.message)  # fmt: skip
    return [results[index] for index in range(len(payload.items))]


def _scan_order(indexed: tuple[int, StaffItem]):
    index, item = indexed
    body = getattr(item, item.kind)
    exit_scan = getattr(body, "direction", "in") == "out"
    at = body.at if body is not None and body.at is not None else None
    # Items without a time are "now": after every timed one, in the order sent.
    return (at is None, at or datetime.datetime.min.replace(tzinfo=datetime.UTC), exit_scan, index)


@router.get("/venues/{venue_id}/occupancy", summary="Live counts for a venue")
def occupancy(request, venue_id: ObjectId):
    """Counts only: inside now, entries and exits today, entries by hour, inside by zone."""
    return staff.occupancy(get_venue(request.user, venue_id))


class AssistedVisitOut(Schema):
    visit_id: int
    name: str
    entered_at: datetime.datetime
    left_at: datetime.datetime | None


@router.get("/venues/{venue_id}/assisted-today", response=list[AssistedVisitOut],
            summary="Visitors this venue's staff entered by hand today")  # fmt: skip
def assisted_today(request, venue_id: ObjectId):
    visits = staff.assisted_today(request.user, get_venue(request.user, venue_id))
    return [{"visit_id": v.pk, "name": v.person.name, "entered_at": v.entered_at,
             "left_at": v.left_at} for v in visits]  # fmt: skip
