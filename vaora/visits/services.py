"""Check-in and check-out for the doors that act on one scan at a time (the page, the citizen
sync, the gate, assisted check-in). They decide nothing themselves: each builds a request for
the check-in engine (visits/engine.py), which decides with the one rule in visits/rules.py.

- A retry with the same client id is the same visit (threat 24).
- Re-scanning the venue you are in extends that visit; it never makes a second one.
- Checking in elsewhere closes the visit you were in, at the new check-in time.
- Without a check-out a visit ends at entry + the venue's default stay.
- Times from devices may be late (offline queues) within a window, never in the future.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vaora.core import audit, hooks
from vaora.core.errors import InvalidFields, VaoraError
from vaora.people.models import Person
from vaora.venues.models import Venue, Zone
from vaora.visits import engine, rules
from vaora.visits.models import Source, Visit

MAX_CORRECTION = datetime.timedelta(hours=2)
MAX_VISIT = datetime.timedelta(hours=24)


@dataclass
class Outcome:
    visit: Visit
    status: str  # "stored", "duplicate", "extended"


def place_of(venue: Venue, zone: Zone | None = None) -> rules.Place:
    """The inputs the decision needs about a place."""
    stay = datetime.timedelta(minutes=venue.default_stay_minutes)
    return rules.Place(venue.pk, zone.pk if zone else None, venue.province_code, stay)


def check_time(at: datetime.datetime, now: datetime.datetime) -> None:
    """The live window (rules.check_time), for doors that refuse before queueing."""
    rules.check_time(at, now, rules.Mode.LIVE, engine.window())


def dependant_client_id(client_id: uuid.UUID, dependant: Person) -> uuid.UUID:
    """A stable id per dependant of one scan, so retries of a family check-in stay single."""
    return uuid.uuid5(client_id, f"dependant:{dependant.pk}")


def _outcomes(requests: list) -> list[Outcome]:
    """Applies the requests in one transaction (any refusal flag, e.g. a burst, is kept), then
    raises the first refusal, if any."""
    with transaction.atomic():
        results = engine.apply(requests)
    refused = next((r.error for r in results if r.error is not None), None)
    if refused is not None:
        raise refused
    visits = Visit.objects.for_system("the visits just decided").in_bulk(
        [r.visit_id for r in results]
    )
    return [Outcome(visits[r.visit_id], r.status) for r in results]


def check_in(person: Person, venue: Venue, zone: Zone | None = None, *, at=None, client_id=None,
             source: str = Source.SELF_SCAN, recorded_by=None) -> Outcome:  # fmt: skip
    """One scan of one person, recorded by staff or a device (not throttled: see
    check_in_family for the citizen's own scans)."""
    request = engine.CheckIn(
        person.pk, client_id or uuid.uuid4(), at or timezone.now(), place_of(venue, zone), source,
        recorded_by_id=recorded_by.pk if recorded_by else None,
    )  # fmt: skip
    return _outcomes([request])[0]


def check_in_family(person: Person, dependants: list[Person], venue: Venue, zone=None,
                    **options) -> list[Outcome]:  # fmt: skip
    """One scan for a person and the dependants they chose (children, elderly relatives):
    throttled as one family (threat 2)."""
    client_id = options.pop("client_id", None) or uuid.uuid4()
    at = options.pop("at", None) or timezone.now()
    source = options.pop("source", Source.SELF_SCAN)
    if options:
        raise TypeError(f"unexpected options: {sorted(options)}")
    for dependant in dependants:
        if dependant.guardian_id != person.pk:
            raise VaoraError("not_your_dependant", "Người này không thuộc gia đình bạn.",
                             "This person is not one of your dependants.", 404)  # fmt: skip
    place = place_of(venue, zone)
    members = [(person, client_id)]
    members += [(d, dependant_client_id(client_id, d)) for d in dependants]
    requests = [
        engine.CheckIn(member.pk, member_client_id, at, place, source, throttle=True,
                       group=client_id, group_size=len(members))
        for member, member_client_id in members
    ]  # fmt: skip
    return _outcomes(requests)


def check_out(visit: Visit, *, at=None, client_id=None) -> Outcome:
    """Ends a visit. A repeated check-out id, or a visit already ended, changes nothing."""
    request = engine.CheckOut(visit.person_id, client_id, at or timezone.now(), visit_id=visit.pk)
    return _outcomes([request])[0]


def check_out_by_client_id(person: Person, visit_client_id: uuid.UUID, *, at=None,
                           client_id=None) -> Outcome:  # fmt: skip
    """Ends the visit a device names by its check-in id: the person's own or a dependant's."""
    request = engine.CheckOut(person.pk, client_id, at or timezone.now(),
                              visit_client_id=visit_client_id)  # fmt: skip
    return _outcomes([request])[0]


def open_visits(person: Person, at=None):
    at = at or timezone.now()
    return (
        Visit.objects.for_system("a person's own open visits")
        .filter(person__in=[person, *person.dependants.all()], left_at__isnull=True, ends_at__gt=at)
        .select_related("venue", "zone", "person")
    )


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
    if left_at > now + rules.CLOCK_SKEW:
        problems.append("Không được ở tương lai / Not in the future")
    if problems:
        raise InvalidFields({"times": problems})
    days = {timezone.localdate(visit.entered_at), timezone.localdate(entered_at)}
    visit.entered_at, visit.left_at, visit.ends_at = entered_at, left_at, left_at
    visit.corrected = True
    visit.save(update_fields=["entered_at", "left_at", "ends_at", "corrected"])
    hooks.answers("visits.changed", days)  # counts by day are recomputed (oversight rollups)
    audit.record(account, "visit.correct", target=visit, subject_person_id=visit.person_id)
    return visit
