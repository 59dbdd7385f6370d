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

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils import timezone

from vaora.core.bulk import gc_paused
from vaora.core.epoch import at, us
from vaora.people.models import TravelDeclaration
from vaora.tracing.presences import Found, Offers, Presences
from vaora.tracing.rules import WARD, Rules
from vaora.tracing.tracer_sql import (
    LOOKBACK_US,
    among,
    chunk_size,
    infector_params,
    infector_sql,
    others_array,
    others_params,
    others_sql,
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
            found = self._level(infectors, end, known)
            found_all += self._exposures(found, degree)
            infectors = found.windows()
            known.update(infectors)
        return found_all

    # --- one degree ----------------------------------------------------------------------

    def _level(self, infectors: dict, end: int, known: set) -> Found:
        """Everyone exposed to one of `infectors` (person → start of their window), not yet
        known, with the exposure shown and the earliest of each (presences.Offers.best)."""
        visits = self._infector_visits(infectors, end)
        self._learn_places({v[2] for v in visits})
        if not self.include_sensitive:  # nobody is found through a clinic or a pagoda
            visits = [v for v in visits if v[2] not in self.sensitive]
        spans = self._spans(visits, infectors, end)
        offers = Offers()
        if spans:
            presences = Presences(spans, self._venue_rules(spans), self._wards(), self.widest,
                                  LOOKBACK_US)  # fmt: skip
            ruled_out = np.fromiter(known, dtype=np.int64, count=len(known))
            for others in self._others(spans):
                offers.add(presences.compare(others, ruled_out))
        self._co_travellers(infectors, visits, end, known, offers)
        return offers.best()

    @staticmethod
    def _exposures(found: Found, degree: int) -> list[Exposure]:
        """The degree's exposures in order of start, then person; datetimes again (aware UTC).
        Each distinct time and overlap is made once: an F2 names tens of thousands of people,
        many of them from the same arrival of the same infector."""
        times: dict[int, datetime.datetime] = {}
        overlaps: dict[int, datetime.timedelta] = {}
        exposures = []
        refs = found.refs
        for person, overlap, low, start, visit, via, venue, zone, ref, earliest in found.in_order():
            begins = times.get(start) or times.setdefault(start, at(start))
            first = times.get(earliest) or times.setdefault(earliest, at(earliest))
            if ref:  # a shared journey: the day, no overlap
                lasted, ends = None, begins + DAY
            else:
                lasted = overlaps.get(overlap) or overlaps.setdefault(
                    overlap, datetime.timedelta(microseconds=overlap)
                )
                ends = begins + lasted
            exposures.append(Exposure(person, degree, via, begins, ends, lasted,
                                      "low" if low else "high", first, venue or None,
                                      zone or None, visit or None, refs[ref]))  # fmt: skip
        return exposures

    @staticmethod
    def _spans(visits, infectors, end: int) -> dict[int, list]:
        """Per venue, the infectious presences clipped to each infector's window, sorted."""
        spans = defaultdict(list)
        for _id, person, venue, zone, entered, ends in visits:
            a, b = max(entered, infectors[person]), min(effective_end(entered, ends), end)
            if b > a:
                spans[venue].append((a, b, person, zone or 0))
        for venue_spans in spans.values():
            venue_spans.sort(key=lambda span: (span[0], span[1]))
        return spans

    def _others(self, spans: dict) -> Iterator[np.ndarray]:
        """Every visit that may overlap a presence (an (n, 6) array, presences.visits_array), a
        batch of ranges at a time (each batch is compared before the next is read: memory
        stays at one batch's rows): the ranges of one province (one node under Citus) a raw
        query. A visit that two ranges of one venue share comes twice, and counts once (its
        exposures are the same both times). One thread: reading the next batch on a helper
        thread made an F2 ~12 % faster alone but took the CPU from check-ins under the mixed
        load (decision 0021)."""
        by_province = defaultdict(list)
        for venue_id, lo, hi in self._ranges(spans):
            by_province[self.provinces[venue_id]].append((venue_id, lo, hi))
        size = 100 if connection.vendor == "sqlite" else 1000
        read = []
        # Prepared after a few runs on PostgreSQL (visit_sql.cursor): planning the join over
        # the day partitions cost a third of running it.
        with visit_sql.cursor(binary=True) as cursor:
            for province, ranges in by_province.items():
                for chunk in _chunks(ranges, size):
                    cursor.execute(others_sql(len(chunk)), others_params(province, chunk))
                    others = others_array(cursor)
                    read.append(others[:, 0])
                    yield others
        ids = np.sort(np.concatenate(read)) if read else np.empty(0, dtype=np.int64)
        if len(ids):  # distinct ids: sorted, then counted where they change (np.unique: 4× slower)
            self.visits_read += int(np.count_nonzero(ids[1:] != ids[:-1])) + 1

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
        after = {person: start - LOOKBACK_US for person, start in infectors.items()}
        rows = []
        with visit_sql.cursor(binary=True) as cursor:
            for chunk in _chunks(list(infectors), chunk_size()):
                cursor.execute(infector_sql(len(chunk)), infector_params(chunk, after, end))
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

    def _venue_rules(self, spans: dict) -> dict[int, tuple]:
        """venue → its rule (before, after, minimum overlap, high-risk overlap; microseconds)
        without a ward, and with one (either visit in a hospital ward)."""
        return {venue: (self._rule(self.venues[venue][0], False),
                        self._rule(self.venues[venue][0], True)) for venue in spans}  # fmt: skip

    def _rule(self, kind: str, ward: bool) -> tuple[int, int, int, int]:
        key = (kind, ward)
        rule = self.rule_cache.get(key)
        if rule is None:
            found = self.rules.for_place(kind, WARD if ward else None)
            rule = (found.before, found.after, found.min_overlap, found.high_risk)
            rule = self.rule_cache[key] = tuple(us(part) for part in rule)
        return rule

    def _wards(self) -> set[int]:
        return {zone for zone, kind in self.zones.items() if kind == WARD}

    def _co_travellers(self, infectors, visits, end: int, known, offers: Offers) -> None:
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
            offers.add_journey(person, begins, via, ref)
