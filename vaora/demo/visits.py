"""`vaora demo --visits N`: visit history at province scale with the patterns tracing meets —
commuters to their factory, office or school on weekdays, market mornings, bus journeys, shops
and restaurants in the afternoon and evening — written in bulk (millions per run, in minutes).
Each visit's client id comes from (seed, index), so running it again adds nothing."""

import datetime
import hashlib
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from vaora.core import bulk

CHUNK = 20_000
WORKPLACES = ("factory", "agency", "school", "university", "hospital")
ERRANDS = ("shop", "restaurant", "clinic", "place_of_worship", "bus_station", "other",
           "driving_school")  # fmt: skip
COLUMNS = ["person_id", "venue_id", "zone_id", "province_code", "entered_at", "left_at",
           "ends_at", "source", "client_id", "scanned_at", "received_at", "recorded_by_id",
           "corrected"]  # fmt: skip
NEVER_USED, GONE_SILENT = 7, 19  # venue id % 50: 2 % of venues each, for oversight to find
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
        self.seed = seed

    def usable(self) -> bool:
        return bool(self.people and self.workplaces)

    def workplace(self, person: int) -> int:
        return self.workplaces[(person * 2654435761 + self.seed) % len(self.workplaces)]


def _visit(plan: Plan, rng: random.Random, weekday: int):
    """(person, venue, minutes after midnight, minutes of stay)."""
    person = plan.people[rng.randrange(len(plan.people))]
    roll = rng.random()
    if roll < 0.45 and weekday < 6:  # a working day (Saturday mornings too)
        return person, plan.workplace(person), rng.randint(390, 510), rng.randint(240, 540)
    if roll < 0.70:
        return person, rng.choice(plan.markets), rng.randint(330, 570), rng.randint(15, 60)
    if roll < 0.80:
        return person, rng.choice(plan.vehicles), rng.randint(300, 1140), rng.randint(45, 240)
    return person, rng.choice(plan.errands), rng.randint(480, 1260), rng.randint(10, 90)


def generate_visits(seed: int, count: int, days: int, progress=None) -> int:
    """Writes `count` visits spread over the last `days` days; returns how many were new."""
    from vaora.visits.models import Visit

    plan = Plan(seed)
    if not plan.usable() or count <= 0:
        return 0
    when, uuid_of = bulk.adapters()
    today = timezone.localdate()
    midnights = [
        timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=d),
                                                      datetime.time()))
        for d in range(days, 0, -1)
    ]  # fmt: skip
    now = timezone.now()
    stored = [0]

    def store(rows: list) -> None:
        with transaction.atomic():
            inserted = bulk.insert(Visit._meta.db_table, COLUMNS, rows, conflict="client_id",
                                   returning="id")  # fmt: skip
        stored[0] += len(inserted)

    with bulk.writer(store) as writer:
        for first in range(0, count, CHUNK):
            writer.put(_chunk(plan, seed, first, min(first + CHUNK, count), midnights, now,
                              when, uuid_of))  # fmt: skip
            if progress:
                progress(min(first + CHUNK, count), count)
    return stored[0]


def _received(source: str, entered, venue: int, rng, now):
    """When the server got the visit: at once for scans; paper registers the same evening or
    the next day, and a few venues' (every 40th) days late — the late uploaders oversight
    flags."""
    if source != "paper":
        return entered
    hours = rng.uniform(3, 20) if venue % 40 else rng.uniform(72, 144)
    return min(now, entered + datetime.timedelta(hours=hours))


def _chunk(plan, seed, first, last, midnights, now, when, uuid_of) -> list[tuple]:
    """Visits first..last-1, ready for SQL (the random stream is per chunk: reproducible)."""
    rng = random.Random(f"{seed}:visits:{first}")  # noqa: S311 - demo data
    rows = []
    for index in range(first, last):
        day = midnights[index % len(midnights)]
        person, venue, minute, stay = _visit(plan, rng, day.weekday())
        if venue in plan.instead and day >= midnights[max(0, len(midnights) - 10)]:
            venue = plan.instead[venue]
        entered = day + datetime.timedelta(minutes=minute)
        ends = entered + datetime.timedelta(minutes=stay)
        left = ends if rng.random() < 0.6 else None  # the rest left without checking out
        if left is None:
            ends = entered + datetime.timedelta(minutes=plan.venues[venue][1])
        key = hashlib.blake2b(f"demo-visit|{seed}|{index}".encode(), digest_size=16)
        at = when(entered)
        source = SOURCES[index % len(SOURCES)]
        received = when(_received(source, entered, venue, rng, now))
        rows.append((person, venue, None, plan.venues[venue][0], at, when(left), when(ends),
                     source, uuid_of(key.digest()), at, received, None, False))  # fmt: skip
    return rows
