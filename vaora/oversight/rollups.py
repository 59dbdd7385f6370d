"""The rollup job: turns visits and declarations into per-day and per-hour counts, then each
venue's activity row. Dashboards and compliance lists read only these tables.

Visits, incrementally (the steady run reads only what changed):
- **new visits** — ids above the last run's — are counted and *added* to their venue's day,
  their commune's hour and day (a paper register uploaded weeks late lands on its visits' day);
- **days recomputed whole** from their visits, when something other than new rows changed:
  a transaction that committed after the last run but holds ids below its watermark (the
  previous range is counted again and compared), a visit corrected by its person or deleted
  with its person (today's and yesterday's totals are compared with the visits), a day marked
  by `mark_changed` (the "visits.changed" hook);
- **the first run** (no watermark yet, or after an upgrade) recomputes every day.
On PostgreSQL each query reads one province (decision 0018) and the partitions of the days it
names (decision 0017); SQLite, never distributed, reads every province at once, and every
visit in one pass when a run recomputes most days (visit_groups, decision 0032). Declarations
are recomputed by day as before (far fewer rows)."""

import datetime
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from vaora.core.bulk_load import insert_rows
from vaora.core.models import Place
from vaora.oversight import sector_rollups
from vaora.oversight import visit_groups as groups
from vaora.oversight.activity import (
    LOCAL,
    day_bounds,
    local_day,
    mark_effective_reminders,
    refresh_activity,
)
from vaora.oversight.models import (
    AreaDay,
    AreaHour,
    ChangedDay,
    DeclarationDay,
    RollupState,
    SectorHour,
    VenueDay,
)
from vaora.oversight.visit_groups import ASSISTED, DELAY, ENTRIES, HOUR, LAST, PAPER, VENUE
from vaora.people.models import HealthDeclaration, TravelDeclaration
from vaora.venues.models import Venue
from vaora.visits.models import Visit

log = logging.getLogger(__name__)
UTC = datetime.UTC
COUNTS = "rollups: counts only"


def _visits(province: str | None = None):
    visits = Visit.objects.for_system(COUNTS)
    return visits if province is None else visits.filter(province_code=province)


def _by_id(provinces: list[str]) -> list[str | None]:
    """The provinces to read a range of ids by. PostgreSQL: each (one node under Citus).
    SQLite — never distributed — all at once: its planner would walk the province's index
    instead of the id range (measured: a steady run reading every visit of the province)."""
    return provinces if connection.vendor == "postgresql" else [None]


def mark_changed(days) -> None:
    """Visits of these local days changed other than by being added (a correction): the next
    run recomputes them whole."""
    for day in set(days):
        ChangedDay.objects.get_or_create(day=day)


def _new_days(model, state_name: str, moment_field: str) -> tuple[set, RollupState, int]:
    """Declarations: the days of rows added since the run before last (recomputed whole)."""
    state, _ = RollupState.objects.get_or_create(name=state_name)
    fresh = model._default_manager.filter(id__gt=state.previous_id)  # counts only: every row
    upper = fresh.aggregate(top=Max("id"))["top"] or state.last_id
    days = set(
        fresh.annotate(d=TruncDate(moment_field, tzinfo=LOCAL)).values_list("d", flat=True)
        .distinct()
    )  # fmt: skip
    return days, state, upper


def refresh(now: datetime.datetime | None = None) -> dict:
    """Brings every rollup up to date; returns what it did (for the command and the log)."""
    now = now or timezone.now()
    today = local_day(now)
    counts = _refresh_visits(now, today)
    health_days, health_state, health_upper = _new_days(HealthDeclaration, "health", "declared_at")
    travel_days, travel_state, travel_upper = _new_days(TravelDeclaration, "travel", "declared_at")
    recent = {today, today - datetime.timedelta(days=1)}
    for day in sorted({d for d in health_days | travel_days | recent if d <= today}):
        _refresh_declaration_day(day)
    for state, upper in ((health_state, health_upper), (travel_state, travel_upper)):
        state.previous_id, state.last_id, state.finished_at = state.last_id, upper, now
        state.save()
    counts |= refresh_activity(now)
    counts["effective_reminders"] = mark_effective_reminders(now)
    log.info("rollup: %s", counts)
    return counts


@transaction.atomic
def _refresh_visits(now, today) -> dict:
    venues, held = _venue_map(), sector_rollups.SectorVenues()
    provinces = sorted(set(Venue.objects.values_list("province_code", flat=True)))
    state, _ = RollupState.objects.get_or_create(name="visits")
    upper = max([_visits(p).aggregate(top=Max("id"))["top"] or 0
                 for p in _by_id(provinces)] or [0])  # fmt: skip
    upper = max(upper, state.last_id)
    marked = list(ChangedDay.objects.values_list("pk", "day"))
    # How many of (last_id, upper] this run counts — taken from what it read, never by a later
    # count: a transaction committing in between would be in that count but not in the sums,
    # and the next run, finding the same number, would never add it (seen on PostgreSQL, where
    # commits interleave). A row that commits after the reads makes the next run's recount
    # differ, and its day is recomputed.
    seen = 0
    if state.last_id == 0:  # the first run: every day there are visits of
        seen = _count(0, upper, provinces)  # before the days are read: see above
        whole = _every_day(today, provinces)
    else:
        whole = _changed_days(state, today, provinces) | {day for _pk, day in marked}
    whole = {day for day in whole if day <= today}
    # Each day's groups as visit_groups reads them: a query a day, or one pass over every visit
    # when a run recomputes most days (SQLite's first run).
    for day, counted in groups.by_day(sorted(whole), provinces, upper, _visits):
        _refresh_visit_day(day, counted, venues, held)
    added = set()
    if state.last_id:
        added, seen = _add_new(state.last_id, upper, whole, provinces, venues, held)
    for day in sorted((added | {today}) - whole):  # venues registered, venues active
        _area_day_from_venue_days(day, venues, held)
    ChangedDay.objects.filter(pk__in=[pk for pk, _day in marked]).delete()
    state.previous_id, state.previous_count = state.last_id, seen
    state.last_id, state.finished_at = upper, now
    state.save()
    return {"visit_days": len(whole), "visit_days_added_to": len(added - whole)}


def _count(low: int, high: int, provinces: list[str]) -> int:
    """Visits visible now with an id in (low, high]."""
    return sum(_visits(p).filter(id__gt=low, id__lte=high).count()
               for p in _by_id(provinces))  # fmt: skip


def _every_day(today, provinces: list[str]) -> set:
    firsts = [_visits(p).aggregate(first=Min("entered_at"))["first"]
              for p in provinces]  # fmt: skip
    firsts = [local_day(first) for first in firsts if first is not None]
    if not firsts:
        return set()
    first = min(firsts)
    return {first + datetime.timedelta(days=n) for n in range((today - first).days + 1)}


def _changed_days(state: RollupState, today, provinces: list[str]) -> set:
    """Days whose visits changed other than by new rows: a late commit below the watermark (the
    previous range counted again), or today's or yesterday's visits deleted or moved (their
    totals against the counts)."""
    days = set()
    if _count(state.previous_id, state.last_id, provinces) != state.previous_count:
        for province in _by_id(provinces):
            days |= set(
                _visits(province).filter(id__gt=state.previous_id, id__lte=state.last_id)
                .annotate(d=TruncDate("entered_at", tzinfo=LOCAL))
                .values_list("d", flat=True).distinct()
            )  # fmt: skip
    for day in (today - datetime.timedelta(days=1), today):
        start, end = day_bounds(day)
        have = sum(_visits(p).filter(entered_at__gte=start, entered_at__lt=end,
                                     id__lte=state.last_id).count() for p in provinces)  # fmt: skip
        counted = VenueDay.objects.filter(day=day).aggregate(n=Sum("entries"))["n"] or 0
        if have != counted:
            days.add(day)
    return days


def _add_new(low: int, high: int, skip: set, provinces: list[str], venues: dict,
             held: sector_rollups.SectorVenues) -> tuple[set, int]:  # fmt: skip
    """Counts the visits with an id in (low, high] and adds them to the rollups of their days
    (but those in `skip`, just recomputed whole); returns the days added to and how many
    visits of the range it read (those of `skip` included)."""
    seen = 0
    per_venue: dict[tuple, list] = {}
    per_hour: dict[tuple, int] = defaultdict(int)
    sector_hours: dict[tuple, int] = defaultdict(int)
    for province in _by_id(provinces):
        new = _visits(province).filter(id__gt=low, id__lte=high)
        for g in groups.counted(new).iterator(chunk_size=5000):
            seen += g[ENTRIES]
            hour = groups.as_hour(g[HOUR])
            # The local day of the hour: Vietnam's offset is whole hours (UTC+7, no summer
            # time), so an hour never straddles two days.
            day = local_day(hour)
            if day in skip:
                continue
            _add(per_venue.setdefault((g[VENUE], day), [0, 0, 0, 0.0, None]), g)
            commune, kind, _created = venues[g[VENUE]]
            per_hour[(commune, kind, hour)] += g[ENTRIES]
            held.add(sector_hours, day, g[VENUE], commune, hour, g[ENTRIES])
    days = {day for _venue, day in per_venue}
    stored = {(r.venue_id, r.day): r for r in VenueDay.objects.filter(
        day__in=days, venue_id__in={venue for venue, _day in per_venue})}  # fmt: skip
    changed, created = [], []
    for (venue, day), (n, p, a, delay, last) in per_venue.items():
        row = stored.get((venue, day)) or VenueDay(venue_id=venue, day=day)
        row.entries, row.paper, row.assisted = row.entries + n, row.paper + p, row.assisted + a
        row.paper_delay_seconds += round(delay)
        last = groups.as_time(last)
        row.last_entry_at = last if row.last_entry_at is None else max(row.last_entry_at, last)
        (changed if row.pk else created).append(row)
    VenueDay.objects.bulk_update(changed, ["entries", "paper", "assisted", "paper_delay_seconds",
                                           "last_entry_at"], batch_size=2000)  # fmt: skip
    VenueDay.objects.bulk_create(created, batch_size=2000)
    sector_rollups.add_hours(AreaHour, ("commune_id", "kind"), per_hour)
    sector_rollups.add_hours(SectorHour, ("sector_id", "commune_id"), sector_hours)
    return days, seen


def _add(row: list, g: tuple) -> None:
    row[0] += g[ENTRIES]
    row[1] += g[PAPER]
    row[2] += g[ASSISTED]
    row[3] += _seconds(g[DELAY])
    row[4] = g[LAST] if row[4] is None else max(row[4], g[LAST])


def _venue_map() -> dict[int, tuple[int, str, datetime.datetime]]:
    return {
        pk: (commune, kind, created)
        for pk, commune, kind, created in Venue.objects.values_list(
            "pk", "commune_id", "kind", "created_at"
        )
    }


def _refresh_visit_day(day: datetime.date, counted, venues: dict,
                       held: sector_rollups.SectorVenues) -> None:  # fmt: skip
    """One day recomputed whole from its (venue, hour) groups (`counted`: visit_groups)."""
    start, end = day_bounds(day)
    per_venue: dict[int, list] = {}
    per_area_hour: dict[tuple, int] = defaultdict(int)
    sector_hours: dict[tuple, int] = defaultdict(int)
    for g in counted:
        _add(per_venue.setdefault(g[VENUE], [0, 0, 0, 0.0, None]), g)
        commune, kind, _created = venues[g[VENUE]]
        hour = groups.as_hour(g[HOUR])
        per_area_hour[(commune, kind, hour)] += g[ENTRIES]
        held.add(sector_hours, day, g[VENUE], commune, hour, g[ENTRIES])
    VenueDay.objects.filter(day=day).delete()
    insert_rows(VenueDay, ["venue_id", "day", "entries", "paper", "assisted",
                           "paper_delay_seconds", "last_entry_at"],
                [(v, day, n, p, a, round(delay), groups.as_time(last))
                 for v, (n, p, a, delay, last) in per_venue.items()])  # fmt: skip
    hours = [start + datetime.timedelta(hours=h) for h in range(24)]
    AreaHour.objects.filter(hour__gte=hours[0], hour__lte=hours[-1]).delete()
    insert_rows(
        AreaHour,
        ["commune_id", "kind", "hour", "entries"],
        [(c, k, h.astimezone(UTC), n) for (c, k, h), n in per_area_hour.items()],
    )
    sector_rollups.replace_hours(hours[0], hours[-1], sector_hours)
    _refresh_area_day(day, end, venues, per_venue, held)


def _area_day_from_venue_days(day: datetime.date, venues: dict,
                              held: sector_rollups.SectorVenues) -> None:  # fmt: skip
    _start, end = day_bounds(day)
    per_venue = {v: (n, p, a, 0.0, None) for v, n, p, a in VenueDay.objects.filter(day=day)
                 .values_list("venue_id", "entries", "paper", "assisted")}  # fmt: skip
    _refresh_area_day(day, end, venues, per_venue, held)


def _seconds(delay) -> float:
    """A sum of durations: a timedelta (PostgreSQL) or microseconds (SQLite), or NULL."""
    if delay is None:
        return 0.0
    if isinstance(delay, datetime.timedelta):
        return delay.total_seconds()
    return float(delay) / 1_000_000


def _refresh_area_day(day, end, venues: dict, per_venue: dict,
                      held: sector_rollups.SectorVenues) -> None:  # fmt: skip
    area: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for commune, kind, created in venues.values():
        if created < end:
            area[(commune, kind)][3] += 1
    for venue_id, (n, p, a, _delay, _last) in per_venue.items():
        commune, kind, _created = venues[venue_id]
        row = area[(commune, kind)]
        row[0] += n
        row[1] += p
        row[2] += a
        row[4] += 1
    AreaDay.objects.filter(day=day).delete()
    insert_rows(AreaDay, ["commune_id", "kind", "day", "entries", "paper", "assisted",
                          "registered_venues", "active_venues"],
                [(c, k, day, *counts) for (c, k), counts in area.items()])  # fmt: skip
    sector_rollups.refresh_day(day, end, venues, per_venue, held.on(day))


@transaction.atomic
def _refresh_declaration_day(day: datetime.date) -> None:
    start, end = day_bounds(day)
    provinces = dict(
        Place.objects.filter(level=Place.Level.PROVINCE, scheme=Place.Scheme.CURRENT)
        .values_list("code", "pk")
    )  # fmt: skip
    rows: dict[tuple, int] = defaultdict(int)
    health = (
        HealthDeclaration.objects.filter(declared_at__gte=start, declared_at__lt=end)
        .values("person__home_commune_id", "province_code")
        .annotate(n=Count("id"), sick=Count("id", filter=~Q(symptoms=[]) | ~Q(other_symptom="")))
    )  # fmt: skip
    for g in health:
        commune = g["person__home_commune_id"] or provinces.get(g["province_code"])
        if commune is None:
            continue
        rows[(commune, DeclarationDay.Kind.HEALTH, "")] += g["n"]
        if g["sick"]:
            rows[(commune, DeclarationDay.Kind.SYMPTOMS, "")] += g["sick"]
    travel = (
        TravelDeclaration.objects.filter(declared_at__gte=start, declared_at__lt=end)
        .exclude(from_commune__province_code=F("to_commune__province_code"))
        .values("to_commune_id", "from_commune__province_code").annotate(n=Count("id"))
    )  # fmt: skip
    for g in travel:
        rows[(g["to_commune_id"], DeclarationDay.Kind.TRAVEL_IN,
              g["from_commune__province_code"])] += g["n"]  # fmt: skip
    DeclarationDay.objects.filter(day=day).delete()
    DeclarationDay.objects.bulk_create(
        [DeclarationDay(commune_id=c, kind=k, day=day, origin=o, count=n)
         for (c, k, o), n in rows.items()], batch_size=2000,
    )  # fmt: skip
