"""The rollups by sector (SectorDay, SectorHour), kept by the same runs and from the same
counts as the rollups by commune (oversight/rollups.py), so a department's pages are as fast
as a commune's and their figures agree venue for venue. Which venues a sector held on a day is
decided in one place, venues.sectors.venues_by_sector."""

import datetime
from collections import defaultdict

from vaora.core.bulk_load import insert_rows
from vaora.oversight.models import SectorDay, SectorHour
from vaora.venues.sectors import venues_by_sector


class SectorVenues:
    """venue → sectors on a day, read once per day per run."""

    def __init__(self) -> None:
        self._days: dict[datetime.date, dict[int, list[int]]] = {}

    def on(self, day: datetime.date) -> dict[int, list[int]]:
        if day not in self._days:
            self._days[day] = venues_by_sector(day)
        return self._days[day]

    def add(self, hours: dict, day: datetime.date, venue_id: int, commune: int, hour, n: int):
        """Counts `n` check-ins of a venue in an hour towards each sector holding it."""
        for sector in self.on(day).get(venue_id, ()):
            hours[(sector, commune, hour)] += n


def add_hours(model, keys: tuple[str, str], hours: dict[tuple, int]) -> None:
    """New check-ins added to hourly rows (AreaHour by commune and kind, SectorHour by sector
    and commune): `hours` maps (key, key, hour) to a count."""
    if not hours:
        return
    stored = {(getattr(r, keys[0]), getattr(r, keys[1]), r.hour): r
              for r in model.objects.filter(hour__in={hour for _a, _b, hour in hours})}  # fmt: skip
    created = []
    for (first, second, hour), n in hours.items():
        row = stored.get((first, second, hour))
        if row is None:
            created.append(model(**{keys[0]: first, keys[1]: second}, hour=hour, entries=n))
        else:
            row.entries += n
    model.objects.bulk_update(list(stored.values()), ["entries"], batch_size=2000)
    model.objects.bulk_create(created, batch_size=2000)


def replace_hours(first: datetime.datetime, last: datetime.datetime, hours: dict) -> None:
    """A day's hours (first … last) recomputed whole."""
    SectorHour.objects.filter(hour__gte=first, hour__lte=last).delete()
    insert_rows(
        SectorHour,
        ["sector_id", "commune_id", "hour", "entries"],
        [(s, c, h.astimezone(datetime.UTC), n) for (s, c, h), n in hours.items()],
    )


def refresh_day(day: datetime.date, end: datetime.datetime, venues: dict, per_venue: dict,
                held: dict[int, list[int]]) -> None:  # fmt: skip
    """SectorDay of one day from its venues' counts (`per_venue`: venue → n, paper,
    assisted, ...) and the venues each sector held that day."""
    rows: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for venue_id, sectors in held.items():
        known = venues.get(venue_id)
        if known is None:  # registered after this run began
            continue
        commune, kind, created = known
        counts = per_venue.get(venue_id)
        for sector in sectors:
            row = rows[(sector, commune, kind)]
            row[3] += 1 if created < end else 0  # as AreaDay counts registered venues
            if counts:
                row[0] += counts[0]
                row[1] += counts[1]
                row[2] += counts[2]
                row[4] += 1
    SectorDay.objects.filter(day=day).delete()
    insert_rows(SectorDay, ["sector_id", "commune_id", "kind", "day", "entries", "paper",
                            "assisted", "registered_venues", "active_venues"],
                [(s, c, k, day, *counts) for (s, c, k), counts in rows.items()])  # fmt: skip
