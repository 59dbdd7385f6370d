"""Check-in and check-out rules.

- A retry with the same client id is the same visit (threat 24).
- Re-scanning the venue you are in extends that visit; it never makes a second one.
- Checking in elsewhere closes the visit you were in, at the new check-in time.
- Without a check-out a visit ends at entry + the venue's default stay.
- Times from devices may be late (offline queues) within a window, never in the future.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import InvalidFields, VaoraError
from vaora.people.models import Person
from vaora.venues.models import Venue, Zone
from vaora.visits.models import Source, Visit

CLOCK_SKEW = datetime.timedelta(minutes=2)
# Plausibility (threat 2: a photo of a poster used to check in crowds from afar): one family
# makes at most this many new visits in this window; more is refused (429) and flagged.
BURST_WINDOW = datetime.timedelta(minutes=10)
BURST_LIMIT = 30
MAX_CORRECTION = datetime.timedelta(hours=2)
MAX_VISIT = datetime.timedelta(hours=24)


@dataclass
class Outcome:
    visit: Visit
    status: str  # "stored", "duplicate", "extended"


def in_future() -> VaoraError:
    return VaoraError("time_in_future", "Thời gian quét ở tương lai: hãy kiểm tra đồng hồ máy.",
                      "The scan time is in the future: check the device clock.", 400)  # fmt: skip


def too_late() -> VaoraError:
    hours = settings.VAORA_LATE_UPLOAD_HOURS
    return VaoraError(
        "too_late", f"Lượt quét cũ hơn {hours} giờ không còn được nhận.",
        f"Scans older than {hours} hours are no longer accepted.", 400,
    )  # fmt: skip


def check_time(at: datetime.datetime, now: datetime.datetime) -> None:
    if at > now + CLOCK_SKEW:
        raise in_future()
    if at < now - datetime.timedelta(hours=settings.VAORA_LATE_UPLOAD_HOURS):
        raise too_late()


def _stay(venue: Venue) -> datetime.timedelta:
    return datetime.timedelta(minutes=venue.default_stay_minutes)


def dependant_client_id(client_id: uuid.UUID, dependant: Person) -> uuid.UUID:
    """A stable id per dependant of one scan, so retries of a family check-in stay single."""
    return uuid.uuid5(client_id, f"dependant:{dependant.pk}")


@transaction.atomic
def check_in(person: Person, venue: Venue, zone: Zone | None = None, *, at=None, client_id=None,
             source: str = Source.SELF_SCAN, recorded_by=None) -> Outcome:  # fmt: skip
    now = timezone.now()
    at = at or now
    client_id = client_id or uuid.uuid4()
    existing = Visit.objects.filter(client_id=client_id).first()
    if existing is not None:
        return Outcome(existing, "duplicate")
    check_time(at, now)
    # Lock the person's row: two scans of one person are decided one after the other.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = (
        Visit.objects.filter(
            person=person, left_at__isnull=True, entered_at__lte=at, ends_at__gt=at
        )
        .order_by("-entered_at")
        .first()
    )
    if (
        current is not None
        and current.venue_id == venue.pk
        and current.zone_id == (zone.pk if zone else None)
    ):
        current.ends_at = max(current.ends_at, at + _stay(venue))
        current.save(update_fields=["ends_at"])
        return Outcome(current, "extended")
    if current is not None:
        current.left_at = current.ends_at = at
        current.save(update_fields=["left_at", "ends_at"])
    # An offline scan may arrive after a later one: it then ends where the later visit begins.
    later = Visit.objects.filter(person=person, entered_at__gt=at).order_by("entered_at").first()
    ends_at = at + _stay(venue)
    if later is not None:
        ends_at = min(ends_at, later.entered_at)
    visit = Visit.objects.create(
        person=person, venue=venue, zone=zone, province_code=venue.province_code, entered_at=at,
        ends_at=ends_at, source=source, client_id=client_id, scanned_at=at,
        received_at=now, recorded_by=recorded_by,
    )  # fmt: skip
    return Outcome(visit, "stored")


def _refuse_bursts(person: Person, venue: Venue, coming: int) -> None:
    since = timezone.now() - BURST_WINDOW
    family = [person.pk, *person.dependants.values_list("pk", flat=True)]
    recent = Visit.objects.filter(person_id__in=family, received_at__gte=since).count()
    if recent + coming > BURST_LIMIT:
        audit.record(None, "visit.burst_refused", target=venue, subject_person_id=person.pk,
                     row_count=recent, details={"venue_id": venue.pk})  # fmt: skip
        raise VaoraError(
            "too_many_check_ins",
            "Quá nhiều lượt khai báo trong thời gian ngắn. Vui lòng thử lại sau.",
            "Too many check-ins in a short time. Please try again later.",
            429,
        )


def check_in_family(person: Person, dependants: list[Person], venue: Venue, zone=None,
                    **options) -> list[Outcome]:  # fmt: skip
    """One scan for a person and the dependants they chose (children, elderly relatives)."""
    client_id = options.pop("client_id", None) or uuid.uuid4()
    if not Visit.objects.filter(client_id=client_id).exists():
        _refuse_bursts(person, venue, 1 + len(dependants))
    outcomes = [check_in(person, venue, zone, client_id=client_id, **options)]
    for dependant in dependants:
        if dependant.guardian_id != person.pk:
            raise VaoraError("not_your_dependant", "Người này không thuộc gia đình bạn.",
                             "This person is not one of your dependants.", 404)  # fmt: skip
        own_id = dependant_client_id(client_id, dependant)
        outcomes.append(check_in(dependant, venue, zone, client_id=own_id, **options))
    return outcomes


@transaction.atomic
def check_out(visit: Visit, *, at=None, client_id=None) -> Outcome:
    """Ends a visit. A repeated check-out id, or a visit already ended, changes nothing."""
    now = timezone.now()
    at = at or now
    if client_id and Visit.objects.filter(checkout_client_id=client_id).exists():
        return Outcome(visit, "duplicate")
    check_time(at, now)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.left_at is not None:
        return Outcome(visit, "duplicate")
    end = max(at, visit.entered_at)
    visit.left_at = visit.ends_at = end
    visit.checkout_client_id = client_id
    visit.save(update_fields=["left_at", "ends_at", "checkout_client_id"])
    return Outcome(visit, "stored")


def open_visits(person: Person, at=None):
    at = at or timezone.now()
    return Visit.objects.filter(
        person__in=[person, *person.dependants.all()], left_at__isnull=True, ends_at__gt=at
    ).select_related("venue", "zone", "person")


@transaction.atomic
def correct_times(account, visit: Visit, entered_at, left_at) -> Visit:
    """A person may correct their own visit's times, by at most two hours each, into a visit
    of at most a day that is not in the future."""
    now = timezone.now()
    original_end = visit.left_at or visit.ends_at
    problems = []
    if (
        abs(entered_at - visit.entered_at) > MAX_CORRECTION
        or abs(left_at - original_end) > MAX_CORRECTION
    ):
        problems.append("Chỉ được sửa tối đa 2 giờ / At most two hours of change")
    if left_at <= entered_at or left_at - entered_at > MAX_VISIT:
        problems.append("Giờ ra phải sau giờ vào, trong 24 giờ / Leave after entry, within 24 h")
    if left_at > now + CLOCK_SKEW:
        problems.append("Không được ở tương lai / Not in the future")
    if problems:
        raise InvalidFields({"times": problems})
    visit.entered_at, visit.left_at, visit.ends_at = entered_at, left_at, left_at
    visit.corrected = True
    visit.save(update_fields=["entered_at", "left_at", "ends_at", "corrected"])
    audit.record(account, "visit.correct", target=visit, subject_person_id=visit.person_id)
    return visit
