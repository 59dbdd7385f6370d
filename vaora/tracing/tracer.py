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

Inside a trace, times are whole microseconds since the epoch (UTC), read as integers straight
from SQL: an F2 compares hundreds of thousands of visits, and integer arithmetic costs a fraction
of datetime arithmetic (and of parsing datetimes). They become datetimes again only in the
Exposures returned.

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
from vaora.visits import visit_sql
from vaora.visits.models import Visit

LOOKBACK = datetime.timedelta(hours=48)
CHUNK = 500
RANGES_PER_QUERY = 100
DAY = datetime.timedelta(days=1)
MICROSECOND = datetime.timedelta(microseconds=1)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


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


def _us(value: datetime.datetime | datetime.timedelta) -> int:
    """A datetime (aware) or a duration → whole microseconds (since the epoch)."""
    if isinstance(value, datetime.timedelta):
        return value // MICROSECOND
    return (value - EPOCH) // MICROSECOND


def _at(us: int) -> datetime.datetime:
    """Exact: a double holds every microsecond count of these centuries, and fromtimestamp
    rounds to the nearest microsecond (a third faster than adding a timedelta to the epoch)."""
    return datetime.datetime.fromtimestamp(us / 1_000_000, datetime.UTC)


LOOKBACK_US = _us(LOOKBACK)


def _epoch_us(column: str) -> str:
    """SQL: a stored datetime as whole microseconds since the epoch (an integer, exact).
    SQLite keeps naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (every path writes
    isoformat(" ")): seconds from strftime, the fraction's digits as they are. (The % is
    doubled: these statements take parameters.)"""
    if connection.vendor == "sqlite":
        return (f"(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 "
                f"+ CAST(substr({column}, 21, 6) AS INTEGER))")  # fmt: skip
    return f"(extract(epoch FROM {column}) * 1000000)::bigint"


def _others_sql(terms: int) -> str:
    """Visits in `terms` (venue, from, to, ended after) ranges. SQLite: OR-ed conditions (one
    index range each). PostgreSQL: the ranges as a VALUES list joined to the table, so each is
    an index-only scan of the covering index (an OR becomes a bitmap heap scan that reads
    every row from the table). Both return the times as integers (_epoch_us): the drivers'
    datetime converters took more time than the query on a 250,000-row F2."""
    table = Visit._meta.db_table
    times = f"{_epoch_us('v.entered_at')}, {_epoch_us('v.ends_at')}"
    if connection.vendor == "sqlite":
        one = ("(venue_id = %s AND province_code = %s AND entered_at >= %s AND entered_at < %s"
               " AND ends_at > %s)")  # fmt: skip
        return (f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, {times} "  # noqa: S608
                f"FROM {table} v WHERE " + " OR ".join([one] * terms))  # fmt: skip
    row = "(%s::bigint, %s::text, %s::timestamptz, %s::timestamptz, %s::timestamptz)"
    return (f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, {times} "  # noqa: S608
            f"FROM (VALUES {', '.join([row] * terms)}) AS t(venue, province, lo, hi, after) "
            f"JOIN {table} v ON v.venue_id = t.venue AND v.province_code = t.province "
            f"AND v.entered_at >= t.lo "
            f"AND v.entered_at < t.hi AND v.ends_at > t.after")  # fmt: skip


def _infector_sql(persons: int) -> str:
    """The visits of `persons` people entered inside (after, before)."""
    table = Visit._meta.db_table
    times = f"{_epoch_us('v.entered_at')}, {_epoch_us('v.ends_at')}"
    who = ("v.person_id IN (" + ", ".join(["%s"] * persons) + ")" if connection.vendor == "sqlite"
           else "v.person_id = ANY(%s::bigint[])")  # fmt: skip
    return (
        f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, {times} FROM {table} v "  # noqa: S608
        f"WHERE {who} AND v.entered_at < %s AND v.entered_at > %s"
    )


def _param():
    """Microseconds since the epoch → a query parameter compared with stored datetimes."""
    if connection.vendor == "sqlite":
        return lambda us: _at(us).replace(tzinfo=None).isoformat(" ")
    return _at


def effective_end(entered: int, ends: int) -> int:
    return min(ends, entered + LOOKBACK_US)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _offer(best: dict, person: int, rank: tuple, details: tuple, start) -> None:
    """Keeps, per person, the exposure shown — the lowest rank: (-overlap, low risk?, start,
    visit id, infector), so the longest overlap, then the higher risk, then the earliest, then
    the lowest visit id, then the lowest infector id (the same visit may overlap two infectors
    alike: the one named must not depend on the order rows come back in); a shared journey
    ranks with a zero overlap, after any timed one — and the earliest start of all their
    exposures (their own window begins there)."""
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
        self.widest = _us(max([*widest, datetime.timedelta()]))
        self.venues: dict[int, tuple[str, str]] = {}  # id → (kind, plate)
        self.provinces: dict[int, str] = {}  # venue id → province (its node under Citus)
        self.zones: dict[int, str] = {}  # id → kind
        self.rule_cache: dict[tuple, tuple[int, int, int, int]] = {}

    def trace(self, person_id: int, start, end, depth: int = 2) -> list[Exposure]:
        with gc_paused():
            return self._trace(person_id, _us(start), _us(end), depth)

    def _trace(self, person_id: int, start: int, end: int, depth: int) -> list[Exposure]:
        known = {person_id}
        infectors = {person_id: start}
        found_all: list[Exposure] = []
        for degree in range(1, depth + 1):
            if not infectors:
                break
            best = self._level(infectors, end, known)
            found_all += self._exposures(best, degree)
            known.update(best)
            if degree < depth:
                infectors = {person: found[2] for person, found in best.items()}
        return found_all

    # --- one degree ----------------------------------------------------------------------

    def _level(self, infectors: dict, end: int, known: set) -> dict[int, list]:
        """Everyone exposed to one of `infectors` (person → start of their window), not yet
        known: person → [rank, details, earliest] (see _offer)."""
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
        return best

    @staticmethod
    def _exposures(best: dict[int, list], degree: int) -> list[Exposure]:
        """The level's exposures in order of start, then person; datetimes again (aware UTC).
        Each distinct time and overlap is made once: an F2 names tens of thousands of people,
        many of them from the same arrival of the same infector."""
        times: dict[int, datetime.datetime] = {}
        overlaps: dict[int, datetime.timedelta] = {}
        found = []
        for start, person, (rank, details, earliest) in sorted(
            [(entry[0][2], person, entry) for person, entry in best.items()]
        ):
            via, venue_id, zone, ref = details
            begins = times.get(start) or times.setdefault(start, _at(start))
            first = times.get(earliest) or times.setdefault(earliest, _at(earliest))
            if ref:  # a shared journey: the day, no overlap
                overlap, ends = None, begins + DAY
            else:
                overlap = overlaps.get(rank[0]) or overlaps.setdefault(
                    rank[0], datetime.timedelta(microseconds=-rank[0])
                )
                ends = begins + overlap
            found.append(Exposure(person, degree, via, begins, ends, overlap,
                                  "low" if rank[1] else "high", first, venue_id, zone,
                                  rank[3] or None, ref))  # fmt: skip
        return found

    @staticmethod
    def _spans(visits, infectors, end: int) -> dict[int, list]:
        """Per venue, the infectious presences clipped to each infector's window, sorted."""
        spans = defaultdict(list)
        for _id, person, venue, zone, entered, ends in visits:
            a, b = max(entered, infectors[person]), min(effective_end(entered, ends), end)
            if b > a:
                spans[venue].append((a, b, person, zone))
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
        when = _param()
        others, seen = defaultdict(list), set()
        # Prepared after a few runs on PostgreSQL (visit_sql.cursor): every full chunk is the
        # same statement, and planning its join over the day partitions cost a third of running
        # it.
        with visit_sql.cursor() as cursor:
            for chunk in _chunks(terms, RANGES_PER_QUERY):
                params = []
                for venue_id, lo, hi in chunk:
                    params += [venue_id, self.provinces[venue_id], when(lo - LOOKBACK_US),
                               when(hi), when(lo)]  # fmt: skip
                cursor.execute(_others_sql(len(chunk)), params)
                for row in cursor.fetchall():
                    if row[0] not in seen:  # ranges of one venue may share a stretch of time
                        seen.add(row[0])
                        others[row[2]].append(row)
        self.visits_read += len(seen)
        return others

    def _infector_visits(self, infectors: dict, end: int) -> list[tuple]:
        """(id, person, venue, zone, entered, ends) of each infector inside their window."""
        when = _param()
        after, before = when(min(infectors.values()) - LOOKBACK_US), when(end)
        rows = []
        with connection.cursor() as cursor:
            for chunk in _chunks(list(infectors)):
                who = chunk if connection.vendor == "sqlite" else [chunk]
                cursor.execute(_infector_sql(len(chunk)), [*who, before, after])
                rows += cursor.fetchall()
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

    def _rule(self, kind: str, zone, via_zone) -> tuple[int, int, int, int]:
        """(before, after, minimum overlap, high-risk overlap) in microseconds."""
        ward = "ward" in (self.zones.get(zone), self.zones.get(via_zone))
        key = (kind, ward)
        rule = self.rule_cache.get(key)
        if rule is None:
            found = self.rules.for_place(kind, "ward" if ward else None)
            rule = (found.before, found.after, found.min_overlap, found.high_risk)
            rule = self.rule_cache[key] = tuple(_us(part) for part in rule)
        return rule

    def _at_venue(self, venue_id, spans, others, known, best) -> None:
        """Compares each visit with the presences that can overlap it (see _offer)."""
        kind = self.venues[venue_id][0]
        plain = self._rule(kind, None, None)  # most visits have no zone: one lookup per venue
        starts = [span[0] for span in spans]
        longest = max(b - a for a, b, _p, _z in spans)
        widest, lookback = self.widest, LOOKBACK_US
        for visit_id, person, _venue, zone, entered, ends in others:
            if person in known:
                continue
            until = entered + lookback
            if ends < until:
                until = ends
            # Only presences that start before this visit ends (plus the widest buffer) and
            # end after it starts can overlap it: a window of the sorted starts.
            last = bisect.bisect_left(starts, until + widest)
            first = bisect.bisect_left(starts, entered - widest - longest)
            for a, b, via, via_zone in spans[first:last]:
                if zone and via_zone and zone != via_zone:
                    continue
                before, after, minimum, high = (
                    self._rule(kind, zone, via_zone) if zone or via_zone else plain)  # fmt: skip
                s, e = a - before, b + after
                start = entered if entered > s else s
                overlap = (until if until < e else e) - start
                if overlap <= 0 or overlap < minimum:
                    continue
                _offer(best, person, (-overlap, overlap < high, start, visit_id, via),
                       (via, venue_id, zone or via_zone, ""), start)  # fmt: skip

    def _co_travellers(self, infectors, visits, end: int, known, best) -> None:
        """Declared journeys on the same vehicle (plate, train or flight) on the same day as an
        infector's declared journey or vehicle visit."""
        journeys: dict[tuple[str, datetime.date], int] = {}
        last_day = timezone.localdate(_at(end))
        for chunk in _chunks(list(infectors)):
            declared = TravelDeclaration.objects.filter(
                person_id__in=chunk, departure_date__lte=last_day
            ).exclude(transport_ref="")
            for who, ref, day in declared.values_list("person_id", "transport_ref",
                                                      "departure_date"):  # fmt: skip
                if day >= timezone.localdate(_at(infectors[who])):
                    journeys.setdefault((ref, day), who)
        for _id, person, venue_id, _zone, entered, ends in visits:
            kind, plate = self.venues[venue_id]
            if kind == Kind.VEHICLE and plate and effective_end(entered, ends) > infectors[person]:
                journeys.setdefault((plate, timezone.localdate(_at(entered))), person)
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
            begins = _us(timezone.make_aware(datetime.datetime.combine(day, datetime.time())))
            _offer(best, person, (0, False, begins, 0, via), (via, None, None, ref), begins)
