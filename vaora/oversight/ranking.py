"""The weekly ranking for a department's report: the units (organisations) the official
oversees, ranked by how regularly their venues scanned in a week (Monday–Sunday) — the share
of venue-days with at least one check-in — then by check-ins. Read from the daily rollups of
the venues the official sees now (a sector account: its sector's); counts of 1–4 are shown as
"<5" like everywhere else."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone

from vaora.oversight.activity import day_bounds
from vaora.oversight.compliance import require_overseer
from vaora.oversight.models import VenueDay
from vaora.oversight.stats import shown, suppress
from vaora.venues.models import Organisation, Venue

WEEK = 7


@dataclass
class Unit:
    rank: int
    organisation_id: int
    name: str
    registry_code: str
    commune: str
    venues: int
    active_venues: int  # with at least one check-in in the week
    active_days: int  # venue-days with a check-in
    entries: int | None  # None: 1–4, suppressed

    @property
    def regularity(self) -> float:
        return self.active_days / (self.venues * WEEK) if self.venues else 0.0

    @property
    def percent(self) -> int:
        return round(self.regularity * 100)


def week_of(day: datetime.date | None) -> datetime.date:
    """The Monday of the week asked for; by default the last complete week."""
    if day is None:
        day = timezone.localdate() - datetime.timedelta(days=WEEK)
    return day - datetime.timedelta(days=day.weekday())


def ranking(user, monday: datetime.date) -> list[Unit]:
    require_overseer(user)
    sunday = monday + datetime.timedelta(days=WEEK - 1)
    _start, end = day_bounds(sunday)
    venues = Venue.objects.visible_to(user).filter(created_at__lt=end)
    counts = dict(venues.order_by().values_list("organisation_id").annotate(n=Count("id")))
    days = (VenueDay.objects.filter(venue__in=venues.values("pk"), day__gte=monday,
                                    day__lte=sunday, entries__gt=0)
            .order_by().values_list("venue__organisation_id")
            .annotate(n=Sum("entries"), d=Count("id"),
                      v=Count("venue_id", distinct=True)))  # fmt: skip
    activity = {org: (n, d, v) for org, n, d, v in days}
    organisations = Organisation.objects.filter(pk__in=list(counts)).values_list(
        "pk", "name", "registry_code", "commune__name", "name_order")  # fmt: skip
    units = []
    for pk, name, code, commune, order in organisations:
        entries, active_days, active_venues = activity.get(pk, (0, 0, 0))
        units.append((order, Unit(0, pk, name, code, commune, counts[pk], active_venues,
                                  active_days, entries)))  # fmt: skip
    units.sort(key=lambda pair: (-pair[1].regularity, -pair[1].entries, pair[0]))
    ranked = []
    for position, (_order, unit) in enumerate(units, start=1):
        unit.rank, unit.entries = position, suppress(unit.entries)
        ranked.append(unit)
    return ranked


def table(units: list[Unit]) -> tuple[list[str], list[list]]:
    header = ["Hạng / Rank", "Đơn vị / Organisation", "Mã số thuế / Registry code",
              "Xã / Commune", "Địa điểm / Venues", "Địa điểm có quét / Venues scanning",
              "Tỷ lệ ngày có quét / Days with check-ins", "Lượt quét / Check-ins"]  # fmt: skip
    return header, [[u.rank, u.name, u.registry_code, u.commune, u.venues, u.active_venues,
                     f"{u.regularity:.0%}", shown(u.entries)] for u in units]  # fmt: skip
