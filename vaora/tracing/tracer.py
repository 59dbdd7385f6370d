"""The contact tracer. For each visit of an infectious person inside their infectious window,
every other visit at the same venue (and zone, when both have one; a vehicle is a venue, so
co-passengers come out the same way) whose interval overlaps their presence — widened by the
rule's buffers — by at least the rule's minimum is an exposure. Declared travel on the same
vehicle on the same day is an exposure too. F2 are the contacts of each F1 from the F1's own
first exposure onward, never someone already found; and so on to the depth asked.

A visit's end is its check-out or automatic check-out (`ends_at`), counted for at most
LOOKBACK after entry — so each venue is read over a bounded time range (an index range scan),
whatever the size of the table. The obviously-correct reference this is tested against
(tests/tracing) applies the same cap.

This module only computes; services.py decides who may run it and records that they did."""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from vaora.core.bulk import gc_paused
from vaora.people.models import TravelDeclaration
from vaora.tracing.rules import Rules
from vaora.venues.models import Kind, Venue, Zone
from vaora.visits.models import Visit

LOOKBACK = datetime.timedelta(hours=48)
CHUNK = 500
RANGES_PER_QUERY = 100
DAY = datetime.timedelta(days=1)


@dataclass
class Exposure:
    person_id: int
    degree: int
    via_person_id: int
    start: datetime.datetime  # of the overlap (or the day of the shared journey)
    end: datetime.datetime
    overlap: datetime.timedelta | None  # None: declared on the same vehicle the same day
    risk: str  # "high" or "low"
    earliest: datetime.datetime  # first exposure of this person: their own window starts here
    venue_id: int | None = None
    zone_id: int | None = None
    visit_id: int | None = None
    transport_ref: str = ""

    @property
    def overlap_minutes(self) -> int | None:
        return None if self.overlap is None else int(self.overlap.total_seconds() // 60)


ZERO = datetime.timedelta()


def _naive(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC).replace(tzinfo=None)


def _others_sql(terms: int) -> str:
    """Visits in `terms` (venue, from, to, ended after) ranges. SQLite: OR-ed conditions (one
    index range each). PostgreSQL: the ranges as a VALUES list joined to the table, so each is
    an index-only scan of the covering index (an OR becomes a bitmap heap scan that reads
    every row from the table). Both return the datetimes as naive-UTC text, which
    datetime.fromisoformat reads in C: the drivers' converters (Django's timestamptz loader
    runs in Python) took more time than the query on a 250,000-row F2."""
    table = Visit._meta.db_table
    if connection.vendor == "sqlite":
        one = ("(venue_id = %s AND province_code = %s AND entered_at >= %s AND entered_at < %s"
               " AND ends_at > %s)")  # fmt: skip
        return (f"SELECT id, person_id, venue_id, zone_id, entered_at || '', ends_at || '' "  # noqa: S608
                f"FROM {table} WHERE " + " OR ".join([one] * terms))  # fmt: skip
    row = "(%s::bigint, %s::text, %s::timestamptz, %s::timestamptz, %s::timestamptz)"
    return (f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, "  # noqa: S608
            f"(v.entered_at AT TIME ZONE 'UTC')::text, (v.ends_at AT TIME ZONE 'UTC')::text "
            f"FROM (VALUES {', '.join([row] * terms)}) AS t(venue, province, lo, hi, after) "
            f"JOIN {table} v ON v.venue_id = t.venue AND v.province_code = t.province "
            f"AND v.entered_at >= t.lo "
            f"AND v.entered_at < t.hi AND v.ends_at > t.after")  # fmt: skip


def _param():
    """Naive UTC → a query parameter compared with stored datetimes."""
    if connection.vendor == "sqlite":
        return lambda value: value.isoformat(" ")
    return lambda value: value.replace(tzinfo=datetime.UTC)


def effective_end(entered: datetime.datetime, ends: datetime.datetime) -> datetime.datetime:
    return min(ends, entered + LOOKBACK)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _offer(best: dict, person: int, rank: tuple, details: tuple, start) -> None:
    """Keeps, per person, the exposure shown — the lowest rank: (-overlap, low risk?, start,
    visit id), so the longest overlap, then the higher risk, then the earliest, then the lowest
    visit id; a shared journey ranks with a zero overlap, after any timed one — and the
    earliest start of all their exposures (their own window begins there)."""
    current = best.get(person)
    if current is None:
        best[person] = [rank, details, start]
        return
    if rank < current[0]:
        current[0], current[1] = rank, details
    if start < current[2]:
        current[2] = start


class Tracer:
    def __init__(self, rules: Rules | None = None, *, include_sensitive: bool = False):
        """`include_sensitive`: trace through clinics and places of worship too — only when the
        official stated why for this case (threat 22; services.trace_case)."""
        self.rules = rules or Rules()
        self.include_sensitive = include_sensitive
        self.sensitive: set[int] = set()
        self.visits_read = 0
        widest = [max(r.before, r.after) for r in self.rules.table.values()]
        self.widest = max([*widest, datetime.timedelta()])
        self.venues: dict[int, tuple[str, str]] = {}  # id → (kind, plate)
        self.provinces: dict[int, str] = {}  # venue id → province (its node under Citus)
        self.zones: dict[int, str] = {}  # id → kind
        self.rule_cache: dict[tuple, object] = {}

    def trace(self, person_id: int, start, end, depth: int = 2) -> list[Exposure]:
        with gc_paused():
            return self._trace(person_id, start, end, depth)

    def _trace(self, person_id: int, start, end, depth: int) -> list[Exposure]:
        known = {person_id}
        infectors = {person_id: start}
        found_all: list[Exposure] = []
        for degree in range(1, depth + 1):
            if not infectors:
                break
            level = self._level(infectors, end, degree, known)
            found_all.extend(sorted(level.values(), key=lambda e: (e.start, e.person_id)))
            known.update(level)
            infectors = {p: e.earliest for p, e in level.items()}
        return found_all

    # --- one degree ----------------------------------------------------------------------

    def _level(self, infectors: dict, end, degree: int, known: set) -> dict[int, Exposure]:
        visits = self._infector_visits(infectors, end)
        self._learn_places({v[2] for v in visits}, {v[3] for v in visits if v[3]})
        if not self.include_sensitive:  # nobody is found through a clinic or a pagoda
            visits = [v for v in visits if v[2] not in self.sensitive]
        spans = self._spans(visits, infectors, end)
        others = self._others(spans)
        self._learn_places(set(), {o[3] for rows in others.values() for o in rows if o[3]})
        best: dict[int, list] = {}
        for venue_id, rows in others.items():
            self._at_venue(venue_id, spans[venue_id], rows, known, best)
        self._co_travellers(infectors, visits, end, known, best)
        found: dict[int, Exposure] = {}
        utc = datetime.UTC
        for person, ((minus, low, start, visit_id), details, earliest) in best.items():
            via, venue_id, zone, ref = details
            begins = start.replace(tzinfo=utc)
            overlap = None if ref else -minus
            found[person] = Exposure(
                person, degree, via, begins, begins + (overlap or DAY), overlap,
                "low" if low else "high", earliest.replace(tzinfo=utc), venue_id, zone,
                visit_id or None, ref,
            )  # fmt: skip
        return found

    @staticmethod
    def _spans(visits, infectors, end) -> dict[int, list]:
        """Per venue, the infectious presences clipped to each infector's window, sorted; in
        naive UTC, as the hot loop below compares them with rows read straight from SQL."""
        spans = defaultdict(list)
        for _id, person, venue, zone, entered, ends in visits:
            a, b = max(entered, infectors[person]), min(effective_end(entered, ends), end)
            if b > a:
                spans[venue].append((_naive(a), _naive(b), person, zone))
        for venue_spans in spans.values():
            venue_spans.sort(key=lambda span: (span[0], span[1]))
        return spans

    def _others(self, spans: dict) -> dict[int, list]:
        """Every visit that may overlap a presence. Each presence (or run of presences that
        overlap) is one term — an index range on (venue, entered_at) going back LOOKBACK, where
        the database itself drops visits that ended before the presence — and many terms are
        OR-ed into one raw query (the ORM took longer to build them than the database to run
        them)."""
        terms = []
        for venue_id, venue_spans in spans.items():
            lo = hi = None
            for a, b, _person, _zone in venue_spans:
                start, stop = a - self.widest, b + self.widest
                if lo is not None and start <= hi:
                    hi = max(hi, stop)
                    continue
                if lo is not None:
                    terms.append((venue_id, lo, hi))
                lo, hi = start, stop
            terms.append((venue_id, lo, hi))
        when, read_time = _param(), datetime.datetime.fromisoformat
        others, seen = defaultdict(list), set()
        with connection.cursor() as cursor:
            for chunk in _chunks(terms, RANGES_PER_QUERY):
                params = []
                for venue_id, lo, hi in chunk:
                    params += [venue_id, self.provinces[venue_id], when(lo - LOOKBACK), when(hi),
                               when(lo)]  # fmt: skip
                cursor.execute(_others_sql(len(chunk)), params)
                for pk, person, venue, zone, entered, ends in cursor.fetchall():
                    if pk not in seen:  # ranges of one venue may share a stretch of time
                        seen.add(pk)
                        others[venue].append((pk, person, venue, zone, read_time(entered),
                                              read_time(ends)))  # fmt: skip
        self.visits_read += sum(len(rows) for rows in others.values())
        return others

    def _infector_visits(self, infectors: dict, end) -> list[tuple]:
        """(id, person, venue, zone, entered, ends) of each infector inside their window."""
        earliest = min(infectors.values())
        rows = []
        for chunk in _chunks(list(infectors)):
            rows += (
                Visit.objects.for_system("tracing inside a case")
                .filter(person_id__in=chunk, entered_at__lt=end, entered_at__gt=earliest - LOOKBACK)
                .values_list("id", "person_id", "venue_id", "zone_id", "entered_at", "ends_at")
            )
        self.visits_read += len(rows)
        return [v for v in rows if effective_end(v[4], v[5]) > infectors[v[1]]]

    def _learn_places(self, venue_ids: set, zone_ids: set) -> None:
        missing = list(venue_ids - self.venues.keys())
        for chunk in _chunks(missing):
            for pk, kind, plate, sensitive, province in Venue.objects.filter(
                pk__in=chunk
            ).values_list("pk", "kind", "plate_number", "sensitive", "province_code"):
                self.venues[pk] = (kind, plate)
                self.provinces[pk] = province
                if sensitive:
                    self.sensitive.add(pk)
        for chunk in _chunks(list(zone_ids - self.zones.keys())):
            for pk, kind in Zone.objects.filter(pk__in=chunk).values_list("pk", "kind"):
                self.zones[pk] = kind

    def _rule(self, kind: str, zone, via_zone):
        ward = "ward" in (self.zones.get(zone), self.zones.get(via_zone))
        key = (kind, ward)
        rule = self.rule_cache.get(key)
        if rule is None:
            rule = self.rule_cache[key] = self.rules.for_place(kind, "ward" if ward else None)
        return rule

    def _at_venue(self, venue_id, spans, others, known, best) -> None:
        """Compares each visit with the presences that can overlap it (see _offer)."""
        kind = self.venues[venue_id][0]
        plain = self._rule(kind, None, None)  # most visits have no zone: one lookup per venue
        starts = [span[0] for span in spans]
        longest = max(b - a for a, b, _p, _z in spans)
        for visit_id, person, _venue, zone, entered, ends in others:
            if person in known:
                continue
            until = min(ends, entered + LOOKBACK)
            # Only presences that start before this visit ends (plus the widest buffer) and
            # end after it starts can overlap it: a window of the sorted starts.
            last = bisect.bisect_left(starts, until + self.widest)
            first = bisect.bisect_left(starts, entered - self.widest - longest)
            for a, b, via, via_zone in spans[first:last]:
                if zone and via_zone and zone != via_zone:
                    continue
                rule = self._rule(kind, zone, via_zone) if zone or via_zone else plain
                s, e = a - rule.before, b + rule.after
                overlap = min(until, e) - max(entered, s)
                if overlap <= ZERO or overlap < rule.min_overlap:
                    continue
                start = max(entered, s)
                _offer(best, person, (-overlap, overlap < rule.high_risk, start, visit_id),
                       (via, venue_id, zone or via_zone, ""), start)  # fmt: skip

    def _co_travellers(self, infectors, visits, end, known, best) -> None:
        """Declared journeys on the same vehicle (plate, train or flight) on the same day as an
        infector's declared journey or vehicle visit."""
        journeys: dict[tuple[str, datetime.date], int] = {}
        for chunk in _chunks(list(infectors)):
            declared = TravelDeclaration.objects.filter(
                person_id__in=chunk, departure_date__lte=timezone.localdate(end)
            ).exclude(transport_ref="")
            for who, ref, day in declared.values_list("person_id", "transport_ref",
                                                      "departure_date"):  # fmt: skip
                if day >= timezone.localdate(infectors[who]):
                    journeys.setdefault((ref, day), who)
        for _id, person, venue_id, _zone, entered, ends in visits:
            kind, plate = self.venues[venue_id]
            if kind == Kind.VEHICLE and plate and effective_end(entered, ends) > infectors[person]:
                journeys.setdefault((plate, timezone.localdate(entered)), person)
        if not journeys:
            return
        refs = {ref for ref, _day in journeys}
        days = {day for _ref, day in journeys}
        for person, ref, day in TravelDeclaration.objects.filter(
            transport_ref__in=refs, departure_date__in=days
        ).values_list("person_id", "transport_ref", "departure_date"):
            via = journeys.get((ref, day))
            if via is None or person in known:
                continue
            begins = _naive(timezone.make_aware(datetime.datetime.combine(day, datetime.time())))
            _offer(best, person, (ZERO, False, begins, 0), (via, None, None, ref), begins)
