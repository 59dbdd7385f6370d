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
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from vaora.core.bulk import gc_paused
from vaora.core.epoch import at, us
from vaora.people.models import TravelDeclaration
from vaora.tracing.rules import Rules
from vaora.tracing.tracer_sql import (
    LOOKBACK_US,
    among,
    chunk_size,
    infector_sql,
    others_params,
    others_sql,
    param,
    venues_sql,
    zones_sql,
)
from vaora.venues.models import Kind
from vaora.visits import visit_sql

CHUNK = 500
DAY = datetime.timedelta(days=1)


# Slots: an F2 makes tens of thousands of these; without a __dict__ each is made faster and is
# one object, not two, for the collector to walk once the trace's GC pause ends.
@dataclass(slots=True)
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
        self.widest = us(max([*widest, datetime.timedelta()]))
        self.venues: dict[int, tuple[str, str]] = {}  # id → (kind, plate)
        self.provinces: dict[int, str] = {}  # venue id → province (its node under Citus)
        self.zones: dict[int, str] = {}  # id → kind
        self.rule_cache: dict[tuple, tuple[int, int, int, int]] = {}

    def trace(self, person_id: int, start, end, depth: int = 2) -> list[Exposure]:
        with gc_paused():
            return self._trace(person_id, us(start), us(end), depth)

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
        self._learn_places({v[2] for v in visits})
        if not self.include_sensitive:  # nobody is found through a clinic or a pagoda
            visits = [v for v in visits if v[2] not in self.sensitive]
        spans = self._spans(visits, infectors, end)
        best: dict[int, list] = {}
        for others in self._others(spans):
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
        # By (start, person) as one integer, start × scale + person (exact: every person id is
        # below scale); sorting integers takes half the time of sorting tuples.
        scale = max(best, default=0) + 1
        for person, (rank, details, earliest) in sorted(
            best.items(), key=lambda item: item[1][0][2] * scale + item[0]
        ):
            start = rank[2]
            via, venue_id, zone, ref = details
            begins = times.get(start) or times.setdefault(start, at(start))
            first = times.get(earliest) or times.setdefault(earliest, at(earliest))
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

    def _others(self, spans: dict) -> Iterator[dict[int, list]]:
        """Every visit that may overlap a presence, by venue, a batch of ranges at a time (each
        batch is compared before the next is read: memory stays at one batch's rows): the
        ranges of one province (one node under Citus) a raw query (the ORM took longer to build
        them than the database to run them). One thread: reading the next batch on a helper
        thread made an F2 ~12 % faster alone but took the CPU from check-ins under the mixed
        load (decision 0021)."""
        by_province = defaultdict(list)
        for venue_id, lo, hi in self._ranges(spans):
            by_province[self.provinces[venue_id]].append((venue_id, lo, hi))
        size = 100 if connection.vendor == "sqlite" else 1000
        seen = set()
        # Prepared after a few runs on PostgreSQL (visit_sql.cursor): planning the join over
        # the day partitions cost a third of running it.
        with visit_sql.cursor(binary=True) as cursor:
            for province, ranges in by_province.items():
                for chunk in _chunks(ranges, size):
                    cursor.execute(others_sql(len(chunk)), others_params(province, chunk))
                    others = defaultdict(list)
                    for row in cursor.fetchall():
                        if row[0] not in seen:  # ranges of one venue may share some time
                            seen.add(row[0])
                            others[row[2]].append(row)
                    self.visits_read += sum(map(len, others.values()))
                    yield others

    def _ranges(self, spans: dict) -> list[tuple[int, int, int]]:
        """(venue, from, to): each presence, or run of presences that overlap, widened by the
        widest buffer — one index range on (venue, entered_at), going back LOOKBACK in the
        query, where the database itself drops visits that ended before it."""
        ranges = []
        for venue_id, venue_spans in spans.items():
            lo = hi = None
            for a, b, _person, _zone in venue_spans:
                start, stop = a - self.widest, b + self.widest
                if lo is not None and start <= hi:
                    hi = max(hi, stop)
                    continue
                if lo is not None:
                    ranges.append((venue_id, lo, hi))
                lo, hi = start, stop
            ranges.append((venue_id, lo, hi))
        return ranges

    def _infector_visits(self, infectors: dict, end: int) -> list[tuple]:
        """(id, person, venue, zone, entered, ends) of each infector inside their window."""
        when = param()
        after, before = when(min(infectors.values()) - LOOKBACK_US), when(end)
        rows = []
        with visit_sql.cursor(binary=True) as cursor:
            for chunk in _chunks(list(infectors), chunk_size()):
                cursor.execute(infector_sql(len(chunk)), [*among(chunk), before, after])
                rows += cursor.fetchall()
        self.visits_read += len(rows)
        return [v for v in rows if effective_end(v[4], v[5]) > infectors[v[1]]]

    def _learn_places(self, venue_ids: set) -> None:
        """The venues' kind, plate, sensitivity and province, and the kind of each of their
        zones (a visit's zone is always one of its venue's: scans and paper lines name it
        through the venue). Raw statements: the ORM took 60 ms for the ~8,000 venues of an
        F2."""
        missing = list(venue_ids - self.venues.keys())
        with connection.cursor() as cursor:
            for chunk in _chunks(missing, chunk_size()):
                cursor.execute(venues_sql(len(chunk)), among(chunk))
                for pk, kind, plate, sensitive, province in cursor.fetchall():
                    self.venues[pk] = (kind, plate)
                    self.provinces[pk] = province
                    if sensitive:
                        self.sensitive.add(pk)
                cursor.execute(zones_sql(len(chunk)), among(chunk))
                self.zones.update(cursor.fetchall())

    def _rule(self, kind: str, zone, via_zone) -> tuple[int, int, int, int]:
        """(before, after, minimum overlap, high-risk overlap) in microseconds."""
        ward = "ward" in (self.zones.get(zone), self.zones.get(via_zone))
        key = (kind, ward)
        rule = self.rule_cache.get(key)
        if rule is None:
            found = self.rules.for_place(kind, "ward" if ward else None)
            rule = (found.before, found.after, found.min_overlap, found.high_risk)
            rule = self.rule_cache[key] = tuple(us(part) for part in rule)
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
        last_day = timezone.localdate(at(end))
        for chunk in _chunks(list(infectors)):
            declared = TravelDeclaration.objects.filter(
                person_id__in=chunk, departure_date__lte=last_day
            ).exclude(transport_ref="")
            for who, ref, day in declared.values_list("person_id", "transport_ref",
                                                      "departure_date"):  # fmt: skip
                if day >= timezone.localdate(at(infectors[who])):
                    journeys.setdefault((ref, day), who)
        for _id, person, venue_id, _zone, entered, ends in visits:
            kind, plate = self.venues[venue_id]
            if kind == Kind.VEHICLE and plate and effective_end(entered, ends) > infectors[person]:
                journeys.setdefault((plate, timezone.localdate(at(entered))), person)
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
            begins = us(timezone.make_aware(datetime.datetime.combine(day, datetime.time())))
            _offer(best, person, (0, False, begins, 0, via), (via, None, None, ref), begins)
