"""Venue operations (gate staff): scanning visitors' personal QR codes, checking in people
without a device by hand, and live occupancy. Officials may read venues but never create or
change visits (threat 9)."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from vaora.core import signing
from vaora.core.crypto import blind_indexes
from vaora.core.errors import VaoraError
from vaora.people import codes, idcard
from vaora.people.identity import (
    normalise_cccd,
    normalise_name,
    normalise_phone,
    require_contact,
)
from vaora.people.models import HealthDeclaration, Person, phone_name_indexes
from vaora.venues.models import Venue, Zone
from vaora.venues.services import require_gate_staff
from vaora.visits import cards, rules, services
from vaora.visits.models import Source, Visit

DECLARATION_FRESH = datetime.timedelta(hours=24)
HAND_ENTRY = "finding the person a hand entry names"


def zone_of(venue: Venue, zone_id: int | None) -> Zone | None:
    if zone_id is None:
        return None
    zone = venue.zones.filter(pk=zone_id).first()
    if zone is None:
        raise VaoraError("zone_unknown", "Khu vực không thuộc địa điểm này.",
                         "The zone does not belong to this venue.", 404)  # fmt: skip
    return zone


@dataclass
class ScanResult:
    status: str  # stored / duplicate / extended
    visit: Visit
    initial: str
    declaration: str  # "ok", "attention" or "none" (no health declaration in the last day)
    name: str | None = None  # masked (Nguyễn V. A.): identity cards only
    reachable: bool | None = None  # identity cards: whether tracing could reach them


def declaration_status(person: Person) -> str:
    latest = HealthDeclaration.objects.filter(
        person=person, declared_at__gte=timezone.now() - DECLARATION_FRESH
    ).first()
    if latest is None:
        return "none"
    return "attention" if latest.needs_attention else "ok"


def record(staff, venue: Venue, person: Person, *, direction: str, zone=None, at=None,
           client_id=None, source=Source.STAFF_SCAN) -> ScanResult:  # fmt: skip
    """An entry or exit recorded by staff for one person."""
    require_gate_staff(staff, venue)
    client_id = client_id or uuid.uuid4()
    if direction == "out":
        open_visit = services.open_visits(person, at).filter(person=person, venue=venue).first()
        if open_visit is None:
            raise VaoraError("not_inside", "Người này chưa được ghi nhận vào địa điểm.",
                             "This person is not checked in here.", 404)  # fmt: skip
        outcome = services.check_out(open_visit, at=at, client_id=client_id)
    else:
        outcome = services.check_in(person, venue, zone, at=at, client_id=client_id,
                                    source=source, recorded_by=staff)  # fmt: skip
    return ScanResult(outcome.status, outcome.visit, person.initial, declaration_status(person))


def person_of_code(code: str) -> Person:
    """The person a personal QR (phone or printed card) or a valid travel-declaration QR names."""
    token = code.strip().rsplit("/", 1)[-1]
    if signing.verify(token).kind == signing.Kind.TRAVEL:
        return codes.resolve_travel(token).person
    return codes.resolve_person(token)


def scan(staff, venue: Venue, code: str, *, direction="in", zone=None, at=None, client_id=None,
         phone: str = ""):  # fmt: skip
    """A visitor's code scanned at the gate: a personal QR, a travel declaration's QR, or the
    QR on a citizen identity card (visits/cards.py)."""
    require_gate_staff(staff, venue)
    if idcard.looks_like_card(code):
        return cards.check_in_card(staff, venue, idcard.read_card(code), direction=direction,
                                   zone=zone, at=at, client_id=client_id, phone=phone)  # fmt: skip
    person = person_of_code(code)
    return record(staff, venue, person, direction=direction, zone=zone, at=at,
                  client_id=client_id)  # fmt: skip


def identify_person(name: str, phone: str = "", cccd: str = ""):
    """(the person a hand entry names, or None; the normalised name, phone and CCCD): by CCCD,
    else by phone with the same name. (One phone is often shared by a family, so a phone alone
    does not decide who it is.)"""
    name = normalise_name(name)
    if len(name) < 2:
        raise VaoraError("name_required", "Cần nhập họ tên.", "A full name is required.", 422)
    cccd = normalise_cccd(cccd) if cccd.strip() else ""
    phone = normalise_phone(phone) if phone.strip() else ""
    found = None
    if cccd:
        found = (
            Person.objects.for_system(HAND_ENTRY)
            .filter(cccd_index__in=blind_indexes("cccd", cccd))
            .first()
        )
    if found is None and phone:
        found = (
            Person.objects.for_system(HAND_ENTRY)
            .filter(phone_name_index__in=phone_name_indexes(phone, name))
            .first()
        )
    return found, name, phone, cccd


def find_or_create_person(name: str, phone: str = "", cccd: str = "") -> Person:
    """The person a hand entry names (identify_person), else a new one."""
    found, name, phone, cccd = identify_person(name, phone, cccd)
    return found or Person.objects.create(name=name, phone=phone or None, cccd=cccd or None)


def assisted(staff, venue: Venue, *, name, phone="", cccd="", zone=None, at=None,
             client_id=None) -> ScanResult:  # fmt: skip
    """Checks in someone without a device, typed in by staff; the visit is marked assisted."""
    require_gate_staff(staff, venue)
    require_contact(phone, cccd)
    retried = Visit.objects.for_system("a retried hand entry").filter(client_id=client_id)
    if client_id and retried.exists():
        visit = retried.get()
        return ScanResult("duplicate", visit, visit.person.initial, "none")
    person = find_or_create_person(name, phone, cccd)
    return record(staff, venue, person, direction="in", zone=zone, at=at, client_id=client_id,
                  source=Source.ASSISTED)  # fmt: skip


def assisted_today(staff, venue: Venue):
    """The visitors this venue's staff entered by hand today (to pick again, or check out)."""
    require_gate_staff(staff, venue)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Visit.objects.visible_to(staff)
        .filter(venue=venue, source=Source.ASSISTED, entered_at__gte=start)
        .select_related("person")
        .order_by("-entered_at")
    )


def hand_entered(staff, venue: Venue, day: datetime.date):
    """The visits this venue's staff entered by hand or from paper on one (local) day."""
    require_gate_staff(staff, venue)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return (
        Visit.objects.visible_to(staff)
        .filter(
            venue=venue,
            source__in=[Source.ASSISTED, Source.PAPER],
            entered_at__gte=start,
            entered_at__lt=start + datetime.timedelta(days=1),
        )
        .select_related("person")
        .order_by("entered_at")
    )


def occupancy(venue: Venue, now=None) -> dict:
    """Counts only — who is inside is for health officials with a case."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # The venue's province names its node under Citus (decision 0018); a visit lasts at most
    # MAX_STAY, which bounds the days read (decision 0017).
    visits = Visit.objects.for_system("occupancy: counts only").filter(
        venue=venue, province_code=venue.province_code, entered_at__gt=start - rules.MAX_STAY
    )
    inside = visits.filter(entered_at__lte=now, ends_at__gt=now, left_at__isnull=True)
    today = visits.filter(entered_at__gte=start, entered_at__lte=now)
    hour = ExtractHour("entered_at", tzinfo=timezone.get_current_timezone())
    by_hour = today.annotate(hour=hour).values("hour").annotate(n=Count("id")).order_by("hour")
    zones = (inside.exclude(zone__isnull=True).values("zone_id", "zone__name")
             .annotate(n=Count("id")).order_by("zone__name"))  # fmt: skip
    return {
        "inside_now": inside.count(),
        "entries_today": today.count(),
        "exits_today": visits.filter(Q(left_at__gte=start) & Q(left_at__lte=now)).count(),
        "entries_by_hour": {row["hour"]: row["n"] for row in by_hour},
        "inside_by_zone": [{"zone_id": z["zone_id"], "zone": z["zone__name"], "inside": z["n"]}
                           for z in zones],
    }  # fmt: skip
