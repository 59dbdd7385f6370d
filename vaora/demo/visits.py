"""`vaora demo --visits N`: visit history at province scale with the patterns tracing meets —
commuters to their factory, office or school on weekdays, market mornings, bus journeys, shops
and restaurants in the afternoon and evening — written in bulk: into an empty table by COPY on
PostgreSQL (executemany on SQLite) with the indexes built after (core/bulk_load.py), in one
transaction; into a table that has visits, with conflicts skipped. Each visit's client id comes
from (seed, index), so running it again adds nothing; the ids rise with the index, so even the
unique index SQLite keeps during the load is appended to, not written at random.

Speed is the point (50 million visits must build in minutes): times are whole minutes after the
first midnight, turned into the database's text through a table made once, and the random
draws avoid randint/choice, which cost several times a plain random()."""

import contextlib
import datetime
import hashlib
import random
import time
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from vaora.core import bulk, bulk_load
from vaora.visits import partitions

CHUNK = 50_000
DAY = 1440  # minutes
WORKPLACES = ("factory", "agency", "school", "university", "hospital")
ERRANDS = ("shop", "restaurant", "clinic", "place_of_worship", "bus_station", "other",
           "driving_school")  # fmt: skip
COLUMNS = ["person_id", "venue_id", "zone_id", "province_code", "entered_at", "left_at",
           "ends_at", "source", "client_id", "scanned_at", "received_at", "recorded_by_id",
           "corrected"]  # fmt: skip
NEVER_USED, GONE_SILENT = 7, 19  # venue id % 50: 2 % of venues each, for oversight to find
# Stays longer than the tracer's look-back in the covering index (decision 0036), as a province
# has them: 1 visit in 200 is an evening arrival at a hospital for 12 to 48 hours.
LONG_STAY_SHARE = 0.005
LONG_STAY_MINUTES = (12 * 60, 48 * 60)
SOURCES = ["self_scan"] * 85 + ["staff_scan"] * 8 + ["paper"] * 4 + ["assisted"] * 3


class Plan:
    """Who goes where: each adult has a workplace; venues are grouped by what people do there."""

    def __init__(self, seed: int):
        from vaora.people.models import Person
        from vaora.venues.models import Venue

        self.people = list(
            Person.objects.for_system("demo data")
            .filter(guardian__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.venues = {}
        groups = defaultdict(list)
        for pk, kind, province, stay in Venue.objects.order_by("pk").values_list(
            "pk", "kind", "province_code", "default_stay_minutes"
        ):
            self.venues[pk] = (province, stay)
            if pk % 50 != NEVER_USED:  # what oversight must find: venues nobody scans at
                groups[kind].append(pk)
        # A venue that went silent 10 days ago: its visits since go to the next of its kind.
        self.instead = {pk: group[(i + 1) % len(group)] for group in groups.values()
                        for i, pk in enumerate(group) if pk % 50 == GONE_SILENT}  # fmt: skip
        self.workplaces = [pk for kind in WORKPLACES for pk in groups[kind]]
        self.markets = groups["market"] or self.workplaces
        self.vehicles = groups["vehicle"] or self.markets
        self.errands = [pk for kind in ERRANDS for pk in groups[kind]] or self.markets
        self.hospitals = groups["hospital"] or self.workplaces
        self.seed = seed

    def usable(self) -> bool:
        return bool(self.people and self.workplaces)

    def workplace(self, person: int) -> int:
        return self.workplaces[(person * 2654435761 + self.seed) % len(self.workplaces)]


def _visit(plan: Plan, draw, weekday: int):
    """(person, venue, minutes after midnight, minutes of stay); draw() is random.random."""
    person = plan.people[int(draw() * len(plan.people))]
    roll = draw()
    if roll >= 1 - LONG_STAY_SHARE:  # a night or two in hospital: a patient, or their carer
        hospital, (low, high) = _pick(plan.hospitals, draw), LONG_STAY_MINUTES
        return person, hospital, 1020 + int(draw() * 301), low + int(draw() * (high - low))
    if roll < 0.45 and weekday < 6:  # a working day (Saturday mornings too)
        return person, plan.workplace(person), 390 + int(draw() * 121), 240 + int(draw() * 301)
    if roll < 0.70:
        return person, _pick(plan.markets, draw), 330 + int(draw() * 241), 15 + int(draw() * 46)
    if roll < 0.80:
        return person, _pick(plan.vehicles, draw), 300 + int(draw() * 841), 45 + int(draw() * 196)
    return person, _pick(plan.errands, draw), 480 + int(draw() * 781), 10 + int(draw() * 81)


def _pick(items: list, draw):
    return items[int(draw() * len(items))]


class Clock:
    """Minute k after the first midnight → the text the database stores for that instant
    (naive UTC for Django's SQLite backend, UTC with its offset for PostgreSQL's COPY)."""

    def __init__(self, first_midnight: datetime.datetime, minutes: int, sqlite: bool):
        start = first_midnight.astimezone(datetime.UTC).replace(tzinfo=None)
        suffix = "" if sqlite else "+00"
        self.text = [
            (start + datetime.timedelta(minutes=k)).isoformat(" ") + suffix for k in range(minutes)
        ]  # fmt: skip


def generate_visits(seed: int, count: int, days: int, progress=None, phases=None) -> int:
    """Writes `count` visits spread over the last `days` days; returns how many were new.
    `phases` (a dict), when given, receives the seconds spent loading rows and building
    indexes — what the benchmarks report."""
    from vaora.visits.models import Visit

    plan = Plan(seed)
    if not plan.usable() or count <= 0:
        return 0
    today = timezone.localdate()
    first = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days),
                                                          datetime.time()))  # fmt: skip
    weekdays = [(first + datetime.timedelta(days=d)).weekday() for d in range(days)]
    now = int((timezone.now() - first).total_seconds() // 60)
    longest = max(LONG_STAY_MINUTES[1], *(stay for _province, stay in plan.venues.values()))
    sqlite = connection.vendor == "sqlite"
    clock = Clock(first, max(now, days * DAY + longest) + 1, sqlite)
    prefix = hashlib.blake2b(f"demo-visit|{seed}".encode(), digest_size=8).hexdigest()
    table = Visit._meta.db_table
    stored, began = 0, time.perf_counter()
    # Each day its own partition on PostgreSQL (not the default one, which holds strays).
    partitions.ensure(first.date(), today)
    with bulk_load.foreign_keys_checked_after(table), transaction.atomic(), bulk.gc_paused():
        empty = bulk_load.table_is_empty(table)
        # Into an empty table: no index to keep up while loading (they are built after).
        loading = bulk_load.indexes_built_after(table) if empty else contextlib.nullcontext()
        with loading:
            with bulk.large_cache(), _sink(table, sqlite, empty) as store:
                for start in range(0, count, CHUNK):
                    end = min(start + CHUNK, count)
                    stored += store(_chunk(plan, seed, start, end, weekdays, now, clock,
                                           prefix, sqlite))  # fmt: skip
                    if progress:
                        progress(end, count)
            bulk_load.check_foreign_keys(table)
            loaded = time.perf_counter()
        indexed = time.perf_counter()
    if phases is not None:
        phases.update(rows=stored, into_empty_table=empty,
                      load_seconds=round(loaded - began, 1),
                      index_seconds=round(indexed - loaded, 1),
                      commit_seconds=round(time.perf_counter() - indexed, 1))  # fmt: skip
    return stored


@contextlib.contextmanager
def _sink(table: str, sqlite: bool, empty: bool):
    """Yields store(rows) → how many were new. Into an empty PostgreSQL table: one COPY
    stream for the whole load (every id is new: they come from distinct indexes)."""
    if not sqlite and empty:
        with bulk_load.copy_into(table, COLUMNS) as write:

            def stream(rows: list) -> int:
                write("".join(rows))
                return len(rows)

            yield stream
        return
    yield lambda rows: _store(table, rows, sqlite, empty)


def _store(table: str, rows, sqlite: bool, empty: bool) -> int:
    """Writes one chunk; returns how many rows were new."""
    if sqlite:
        marks = ", ".join(["?"] * len(COLUMNS))
        sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
        if not empty:
            sql += " ON CONFLICT (client_id) DO NOTHING"
        raw = connection.connection.cursor()
        raw.executemany(sql, rows)
        return raw.rowcount
    # Names from model metadata, never from input.
    columns = ", ".join(COLUMNS)
    staging = (
        "CREATE TEMPORARY TABLE IF NOT EXISTS demo_visits_staging ON COMMIT DROP"  # noqa: S608
        f" AS SELECT {columns} FROM {table} WITH NO DATA"
    )
    merge = (
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM demo_visits_staging"  # noqa: S608
        f" ON CONFLICT ({partitions.CLIENT_KEY}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(staging)
        cursor.execute("TRUNCATE demo_visits_staging")
        bulk_load.copy_lines("demo_visits_staging", COLUMNS, "".join(rows))
        cursor.execute(merge)
        return cursor.rowcount


def _received(source: str, entered: int, venue: int, draw, now: int) -> int:
    """When the server got the visit: at once for scans; paper registers the same evening or
    the next day, and a few venues' (every 40th) days late — the late uploaders oversight
    flags."""
    if source != "paper":
        return entered
    minutes = 180 + draw() * 1020 if venue % 40 else 4320 + draw() * 4320
    return min(now, entered + int(minutes))


def _chunk(plan, seed, first, last, weekdays, now, clock, prefix, sqlite) -> list:
    """Visits first..last-1: tuples for SQLite, COPY lines for PostgreSQL (the random stream
    is per chunk: reproducible)."""
    draw = random.Random(f"{seed}:visits:{first}").random  # noqa: S311 - demo data
    text, venues, instead = clock.text, plan.venues, plan.instead
    days = len(weekdays)
    silent_from = max(0, days - 10)  # a venue that went silent 10 days ago
    rows = []
    for index in range(first, last):
        day = index % days
        person, venue, minute, stay = _visit(plan, draw, weekdays[day])
        if venue in instead and day >= silent_from:
            venue = instead[venue]
        entered = day * DAY + minute
        province, default_stay = venues[venue]
        if draw() < 0.6:
            left = ends = entered + stay
        else:  # left without checking out
            left, ends = None, entered + default_stay
        source = SOURCES[index % len(SOURCES)]
        received = text[_received(source, entered, venue, draw, now)]
        at, key = text[entered], f"{prefix}{index:016x}"
        if sqlite:
            rows.append((person, venue, None, province, at, None if left is None else text[left],
                         text[ends], source, key, at, received, None, 0))  # fmt: skip
        else:
            out = "\\N" if left is None else text[left]
            rows.append(f"{person}\t{venue}\t\\N\t{province}\t{at}\t{out}\t{text[ends]}\t"
                        f"{source}\t{key}\t{at}\t{received}\t\\N\tf\n")  # fmt: skip
    return rows
