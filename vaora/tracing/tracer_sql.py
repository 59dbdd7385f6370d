"""The tracer's reads: its SQL, and times as whole microseconds since the epoch (UTC) — read
as integers straight from SQL (core/epoch), compared as integers, made datetimes again only in
what the tracer returns (decision 0021)."""

import datetime

import numpy as np
from django.db import connection

from vaora.core.epoch import at, epoch_us, us
from vaora.core.pg_arrays import integers
from vaora.tracing.presences import visits_array, visits_from_postgresql
from vaora.venues.models import Venue, Zone
from vaora.visits.models import Visit

LOOKBACK = datetime.timedelta(hours=48)
LOOKBACK_US = us(LOOKBACK)
# PostgreSQL keeps the visits that lasted longer than this in a partial index of their own
# (visit_long_stays, migration visits 0010, which states the same predicate): most visits are
# shorter, so a range of the tracer looks back this far in the covering index, and no further.
LONG_STAY = datetime.timedelta(hours=12)
LONG_STAY_US = us(LONG_STAY)
LONG_STAY_PREDICATE = f"(v.ends_at - v.entered_at) > '{LONG_STAY}'::interval"  # '12:00:00'


def others_sql(terms: int) -> str:
    """Visits of one province in `terms` (venue, from, to, ended after) ranges: id, person,
    venue, zone (0: none), entered and ends, all integers (presences.py). SQLite: OR-ed
    conditions (one index range each), times through epoch_us. PostgreSQL: the ranges as four
    arrays unnested and joined to the table, so each is an index-only scan of the covering
    index (an OR becomes a bitmap heap scan that reads every row from the table) — one
    statement text whatever the number of ranges, which the server prepares — and the visits
    come back packed in one bytea, each six 8-byte integers as the server keeps them (the
    times as microseconds since 2000): no value for the driver to convert, no conversion of a
    time for the server either (decision 0035).

    On PostgreSQL each range is read in two parts (decision 0036): the visits entered up to
    LONG_STAY before it, from the covering index — one or two day partitions — and those
    entered earlier still, up to LOOKBACK before, which can only be stays longer than
    LONG_STAY, from the small partial index that holds only those (visit_long_stays,
    migration visits 0010). The two parts are disjoint, and together exactly the one range
    of LOOKBACK the covering index alone would scan over three or four partitions."""
    table = Visit._meta.db_table
    if connection.vendor == "sqlite":
        times = f"{epoch_us('v.entered_at')}, {epoch_us('v.ends_at')}"
        one = ("(venue_id = %s AND province_code = %s AND entered_at >= %s AND entered_at < %s"
               " AND ends_at > %s)")  # fmt: skip
        return (f"SELECT v.id, v.person_id, v.venue_id, COALESCE(v.zone_id, 0), "  # noqa: S608
                f"{times} FROM {table} v WHERE " + " OR ".join([one] * terms))  # fmt: skip
    at = "TIMESTAMPTZ 'epoch' + t.{} * INTERVAL '1 microsecond'"  # exact: whole microseconds
    packed = ("int8send(v.id) || int8send(v.person_id) || int8send(v.venue_id)"
              " || int8send(COALESCE(v.zone_id, 0)) || timestamptz_send(v.entered_at)"
              " || timestamptz_send(v.ends_at)")  # fmt: skip
    part = (f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, v.entered_at, v.ends_at "  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) "
            f"AS t(venue, lo, hi, after) "
            f"JOIN {table} v ON v.venue_id = t.venue AND v.province_code = %s "
            f"AND v.entered_at >= {at.format('lo')} AND v.entered_at < {at.format('hi')} "
            f"AND v.ends_at > {at.format('after')}")  # fmt: skip
    # The partial index's own predicate: the planner uses that index only for a query whose
    # conditions imply it.
    return (f"SELECT string_agg({packed}, ''::bytea) FROM ({part} UNION ALL {part} "  # noqa: S608
            f"AND {LONG_STAY_PREDICATE}) v")  # fmt: skip


def others_array(cursor) -> np.ndarray:
    """What others_sql returned, as an (n, 6) int64 array (presences.py)."""
    if connection.vendor == "sqlite":
        return visits_array(cursor.fetchall())
    return visits_from_postgresql(cursor.fetchone()[0])


def others_params(province: str, ranges: list[tuple[int, int, int]]) -> list:
    """The parameters of others_sql. PostgreSQL's arrays go as array literals made in one
    join each (core/pg_arrays)."""
    if connection.vendor == "sqlite":
        at = param()
        return [value for venue, lo, hi in ranges
                for value in (venue, province, at(lo - LOOKBACK_US), at(hi), at(lo))]  # fmt: skip
    venues, los, his = zip(*ranges, strict=True)
    venues, afters = integers(venues), integers(los)
    recent = [lo - LONG_STAY_US for lo in los]  # entered since: any stay (the covering index)
    earlier = [lo - LOOKBACK_US for lo in los]  # entered before that: long stays only
    return [venues, integers(recent), integers(his), afters, province,
            venues, integers(earlier), integers(recent), afters, province]  # fmt: skip


def infector_sql(persons: int) -> str:
    """The visits of `persons` people, each entered after their own bound (infector_params)
    and before the end. PostgreSQL: the people and their bounds as two arrays joined to the
    table, so each person is looked for in the day partitions after their bound only — an F2's
    infectors were exposed on different days, and one bound for all, the earliest, had each
    of them looked for in every partition since (30-55 % of this read on the 10 M bench,
    decision 0036). SQLite, one table: the earliest bound for all, and the tracer keeps what
    lies inside each one's window."""
    table = Visit._meta.db_table
    times = f"{epoch_us('v.entered_at')}, {epoch_us('v.ends_at')}"
    if connection.vendor == "sqlite":
        return (
            f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, {times} FROM {table} v "  # noqa: S608
            f"WHERE {_among('v.person_id', persons)} AND v.entered_at < %s AND v.entered_at > %s"
        )
    return (f"SELECT v.id, v.person_id, v.venue_id, v.zone_id, {times} "  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::bigint[]) AS t(person, after) "
            f"JOIN {table} v ON v.person_id = t.person "
            f"AND v.entered_at > TIMESTAMPTZ 'epoch' + t.after * INTERVAL '1 microsecond' "
            f"AND v.entered_at < %s")  # fmt: skip


def infector_params(persons: list[int], after: dict[int, int], end: int) -> list:
    """The parameters of infector_sql: `after`, person → the earliest entry that can matter
    (their window's start less LOOKBACK)."""
    when = param()
    if connection.vendor == "sqlite":
        return [*persons, when(end), when(min(after[p] for p in persons))]
    return [integers(persons), integers(after[p] for p in persons), when(end)]


def venues_sql(venues: int) -> str:
    """(id, kind, plate, sensitive, province) of `venues` venues."""
    table = Venue._meta.db_table
    return (f"SELECT id, kind, plate_number, sensitive, province_code FROM {table} "  # noqa: S608
            f"WHERE {_among('id', venues)}")  # fmt: skip


def zones_sql(venues: int) -> str:
    """(id, kind) of every zone of `venues` venues."""
    return f"SELECT id, kind FROM {Zone._meta.db_table} WHERE {_among('venue_id', venues)}"  # noqa: S608


def among(ids: list[int]) -> list:
    """The parameters of _among: each id on SQLite, one array literal on PostgreSQL."""
    return ids if connection.vendor == "sqlite" else [integers(ids)]


def _among(column: str, count: int) -> str:
    if connection.vendor == "sqlite":
        return f"{column} IN ({', '.join(['%s'] * count)})"
    return f"{column} = ANY(%s::bigint[])"


def chunk_size() -> int:
    """Ids per statement: SQLite binds each (at most 32,766 a statement), PostgreSQL one array."""
    return 500 if connection.vendor == "sqlite" else 100_000


def param():
    """Microseconds since the epoch → a query parameter compared with stored datetimes."""
    if connection.vendor == "sqlite":
        return lambda value: at(value).replace(tzinfo=None).isoformat(" ")
    return at
