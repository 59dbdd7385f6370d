"""How the rollup job reads visits: grouped by venue and UTC hour, as plain values (decision
0031), a day at a time — by a query per day, or in one pass over every visit when a run
recomputes most days on SQLite (decision 0032). What the groups then become is
oversight/rollups.py's."""

import datetime
import functools
import itertools

from django.db import connection
from django.db.models import BigIntegerField, CharField, Count, F, Func, Max, Q, Sum
from django.db.models.functions import Substr

from vaora.core import epoch
from vaora.oversight.activity import day_bounds, local_day
from vaora.visits.models import Source

UTC = datetime.UTC
# One (venue, UTC hour) group of visits, as counted() returns it.
VENUE, HOUR, ENTRIES, PAPER, ASSISTED, DELAY, LAST = range(7)
# Days a run recomputes from which SQLite reads every visit once, in id order, rather than
# each day's through the (province, entered_at) index: a day's visits lie all over a table
# loaded out of time order, and reading each from the table was 1.36 s of a day's 1.91 s
# (10,000,000 visits; decision 0032). A steady run recomputes today and yesterday at most.
ONE_PASS_FROM_DAYS = 7


def counted(visits):
    """Per venue and UTC hour: (venue, hour, check-ins, paper, assisted, paper delay, last
    entry) — tuples, not dicts (one per group of a first run's four million)."""
    paper = Q(source=Source.PAPER)
    hours = visits.annotate(hour=_utc_hour())
    return hours.values("venue_id", "hour").annotate(
        n=Count("id"), paper=Count("id", filter=paper),
        assisted=Count("id", filter=Q(source=Source.ASSISTED)),
        delay=Sum(F("received_at") - F("entered_at"), filter=paper), last=_last_entry(),
    ).values_list("venue_id", "hour", "n", "paper", "assisted", "delay", "last")  # fmt: skip


def by_day(days: list[datetime.date], provinces: list[str], upper: int, visits):
    """(day, its groups) for each of `days` (in order), counting the visits with an id up to
    `upper` (a newer one is the next run's to add). `visits(province or None)` is the job's
    own queryset of visits. Consume each day's groups before asking for the next."""
    if one_pass_suits(days):
        yield from _one_pass(days, upper, visits)
        return
    for day in days:  # one province at a time (one node under Citus), its day's partitions
        start, end = day_bounds(day)
        yield day, itertools.chain.from_iterable(
            counted(visits(province).filter(entered_at__gte=start, entered_at__lt=end,
                                             id__lte=upper)).iterator(chunk_size=5000)
            for province in provinces
        )  # fmt: skip


def one_pass_suits(days: list[datetime.date]) -> bool:
    return connection.vendor == "sqlite" and len(days) >= ONE_PASS_FROM_DAYS


def _one_pass(days: list[datetime.date], upper: int, visits):
    """Every visit up to `upper` read once in id order (every province: SQLite is never
    distributed) and grouped, the groups in hour order, so that each day's come together.
    Groups of a day not asked for are passed over; a day without visits gets none."""
    rows = counted(visits(None).filter(id__lte=upper)).order_by("hour", "venue_id")
    stream = itertools.groupby(rows.iterator(chunk_size=5000), key=lambda g: _day_of(g[HOUR]))
    pending = next(stream, None)
    for day in days:
        while pending is not None and pending[0] < day:
            pending = next(stream, None)
        if pending is not None and pending[0] == day:
            yield day, pending[1]
            pending = next(stream, None)
        else:
            yield day, ()


@functools.lru_cache(maxsize=4096)
def _day_of(hour) -> datetime.date:
    # The local day of a UTC hour: Vietnam's offset is whole hours (UTC+7, no summer time), so
    # an hour never straddles two days.
    return local_day(as_hour(hour))


def _utc_hour():
    """The UTC hour a visit began in, as a value the driver hands over without conversion.
    SQLite holds datetimes as UTC text, so it is the first 13 characters ("2026-11-20 10") —
    Django's TruncHour there calls a Python function for every visit. PostgreSQL: the hour's
    start in whole seconds since the epoch — a TruncHour there came back as an aware datetime
    that psycopg's and Django's loaders made in Python for each of a first run's four million
    (venue, hour) groups (a third of its time: decision 0031)."""
    if connection.vendor == "sqlite":
        return Substr("entered_at", 1, 13)
    return Func("entered_at", template="date_part('epoch', date_trunc('hour', %(expressions)s "
                "AT TIME ZONE 'UTC'))::bigint", output_field=BigIntegerField())  # fmt: skip


@functools.lru_cache(maxsize=4096)
def as_hour(value) -> datetime.datetime:
    # Remembered: a first run reads ~20,000 venues × 24 hours a day, each naming one of only
    # 24 hours, and strptime cost 9 of its 75 seconds on SQLite.
    if isinstance(value, str):
        return datetime.datetime.strptime(value, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return epoch.at(value * 1_000_000)


def _last_entry():
    """The latest entry of a group, as a value the driver hands over without conversion, made a
    datetime once per venue and day by as_time (Django's converter parsed it for each of a
    first run's four million (venue, hour) groups). SQLite: its stored UTC text, which sorts
    as time does. PostgreSQL: whole microseconds since the epoch (core/epoch, exact)."""
    if connection.vendor == "sqlite":
        return Max("entered_at", output_field=CharField())
    return Func(Max("entered_at"), template=epoch.epoch_us("%(expressions)s"),
                output_field=BigIntegerField())  # fmt: skip


def as_time(value) -> datetime.datetime:
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=UTC)
    return epoch.at(value)
