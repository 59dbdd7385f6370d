"""The rollup job: turns visits and declarations into per-day and per-hour counts, then each
venue's activity row. Dashboards and compliance lists read only these tables.

Which days to recompute: those of rows added since the run before last (an id watermark on
visits and declarations; the previous run's range is read twice, so a transaction that
committed after a later one is not missed), plus today and yesterday always. A day is
recomputed whole, so running the job twice changes nothing; paper registers uploaded weeks
later land on the day of the visit."""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from vaora.core.models import Place
from vaora.oversight.activity import (
    LOCAL,
    day_bounds,
    local_day,
    mark_effective_reminders,
    refresh_activity,
)
from vaora.oversight.models import AreaDay, AreaHour, DeclarationDay, RollupState, VenueDay
from vaora.people.models import HealthDeclaration, TravelDeclaration
from vaora.venues.models import Venue
from vaora.visits.models import Source, Visit

log = logging.getLogger(__name__)
UTC = datetime.UTC


def _new_days(model, state_name: str, moment_field: str) -> tuple[set, RollupState, int]:
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
    visit_days, visit_state, visit_upper = _new_days(Visit, "visits", "entered_at")
    health_days, health_state, health_upper = _new_days(HealthDeclaration, "health", "declared_at")
    travel_days, travel_state, travel_upper = _new_days(TravelDeclaration, "travel", "declared_at")
    recent = {today, today - datetime.timedelta(days=1)}
    visit_days = {d for d in visit_days | recent if d <= today}
    venues = _venue_map()
    provinces = sorted(set(Venue.objects.values_list("province_code", flat=True)))
    for day in sorted(visit_days):
        _refresh_visit_day(day, venues, provinces)
    for day in sorted({d for d in health_days | travel_days | recent if d <= today}):
        _refresh_declaration_day(day)
    for state, upper in ((visit_state, visit_upper), (health_state, health_upper),
                         (travel_state, travel_upper)):  # fmt: skip
        state.previous_id, state.last_id, state.finished_at = state.last_id, upper, now
        state.save()
    counts = refresh_activity(now)
    counts["effective_reminders"] = mark_effective_reminders(now)
    counts["visit_days"] = len(visit_days)
    log.info("rollup: %s", counts)
    return counts


def _venue_map() -> dict[int, tuple[int, str, datetime.datetime]]:
    return {
        pk: (commune, kind, created)
        for pk, commune, kind, created in Venue.objects.values_list(
            "pk", "commune_id", "kind", "created_at"
        )
    }


def _visit_groups(start, end, province: str):
    """One day's visits of one province, counted per venue and hour: one node's rows under
    Citus (decision 0018), one partition on PostgreSQL (decision 0017)."""
    paper = Q(source=Source.PAPER)
    return (
        Visit.objects.for_system("rollups: counts only")
        .filter(province_code=province, entered_at__gte=start, entered_at__lt=end)
        .annotate(hour=TruncHour("entered_at", tzinfo=UTC))
        .values("venue_id", "hour")
        .annotate(
            n=Count("id"), paper=Count("id", filter=paper),
            assisted=Count("id", filter=Q(source=Source.ASSISTED)),
            delay=Sum(F("received_at") - F("entered_at"), filter=paper),
            last=Max("entered_at"),
        )
    )  # fmt: skip


@transaction.atomic
def _refresh_visit_day(day: datetime.date, venues: dict, provinces: list[str]) -> None:
    start, end = day_bounds(day)
    per_venue: dict[int, list] = {}
    per_area_hour: dict[tuple, int] = defaultdict(int)
    groups = (g for province in provinces
              for g in _visit_groups(start, end, province).iterator(chunk_size=5000))  # fmt: skip
    for g in groups:
        commune, kind, _created = venues[g["venue_id"]]
        row = per_venue.setdefault(g["venue_id"], [0, 0, 0, 0.0, None])
        row[0] += g["n"]
        row[1] += g["paper"]
        row[2] += g["assisted"]
        row[3] += _seconds(g["delay"])
        row[4] = g["last"] if row[4] is None else max(row[4], g["last"])
        per_area_hour[(commune, kind, g["hour"])] += g["n"]
    VenueDay.objects.filter(day=day).delete()
    VenueDay.objects.bulk_create(
        [VenueDay(venue_id=v, day=day, entries=n, paper=p, assisted=a,
                  paper_delay_seconds=round(delay), last_entry_at=last)
         for v, (n, p, a, delay, last) in per_venue.items()], batch_size=2000,
    )  # fmt: skip
    hours = [start + datetime.timedelta(hours=h) for h in range(24)]
    AreaHour.objects.filter(hour__gte=hours[0], hour__lte=hours[-1]).delete()
    AreaHour.objects.bulk_create(
        [AreaHour(commune_id=c, kind=k, hour=h.astimezone(UTC), entries=n)
         for (c, k, h), n in per_area_hour.items()], batch_size=2000,
    )  # fmt: skip
    _refresh_area_day(day, end, venues, per_venue)


def _seconds(delay) -> float:
    """A sum of durations: a timedelta (PostgreSQL) or microseconds (SQLite), or NULL."""
    if delay is None:
        return 0.0
    if isinstance(delay, datetime.timedelta):
        return delay.total_seconds()
    return float(delay) / 1_000_000


def _refresh_area_day(day, end, venues: dict, per_venue: dict) -> None:
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
    AreaDay.objects.bulk_create(
        [AreaDay(commune_id=c, kind=k, day=day, entries=n, paper=p, assisted=a,
                 registered_venues=r, active_venues=act)
         for (c, k), (n, p, a, r, act) in area.items()], batch_size=2000,
    )  # fmt: skip


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
