"""Visits by day on PostgreSQL: `visits_visit` is partitioned by range of `entered_at`, one
partition per local (Asia/Ho_Chi_Minh) day named visits_visit_pYYYYMMDD, plus a default
partition for anything outside them (a visit from a frozen clock in a test, a paper register
older than any partition). SQLite keeps one table. See docs/decisions/0017.

Why: retention drops a whole day in milliseconds instead of deleting millions of rows, tracing
and rollups read only the days they ask for (partition pruning), and each day's indexes stay
small enough to sit in memory. The worker creates partitions ahead (`ensure_ahead`, a daily
job); should a day have none, its visits land in the default partition and the next
`ensure` moves them into their own.

Table and partition names are made here from dates, never from input."""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from vaora.visits.models import Visit

log = logging.getLogger(__name__)
TABLE = Visit._meta.db_table
DEFAULT = f"{TABLE}_default"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
AHEAD_DAYS = 7  # partitions made this many days ahead, so a day never starts without its own
# The primary key, the client-id key and the check-out key carry the partition column (a
# partitioned table's unique keys must) and the distribution column (province_code: see
# docs/decisions/0018 on Citus). The client id leads its key: the engine looks visits up by
# client id alone. INSERT … ON CONFLICT names the client-id key's columns.
CLIENT_KEY = "client_id, province_code, entered_at"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def name_of(day: datetime.date) -> str:
    return f"{TABLE}_p{day:%Y%m%d}"


def bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time(), LOCAL)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(),
                                            LOCAL)  # fmt: skip


def existing() -> dict[datetime.date, str]:
    """Day → partition name, for the daily partitions there are."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    prefix = f"{TABLE}_p"
    return {datetime.datetime.strptime(name[len(prefix) :], "%Y%m%d").date(): name
            for name in names if name.startswith(prefix)}  # fmt: skip


@transaction.atomic
def ensure(first: datetime.date, last: datetime.date) -> list[str]:
    """Makes the daily partitions first..last that are missing (moving any of their visits out
    of the default partition); returns the names made."""
    if not is_partitioned():
        return []
    have, made = existing(), []
    with connection.cursor() as cursor:
        day = first
        while day <= last:
            if day not in have:
                _create(cursor, day)
                made.append(name_of(day))
            day += datetime.timedelta(days=1)
    if made:
        log.info("visit partitions made: %s", len(made))
    return made


def _create(cursor, day: datetime.date) -> None:
    """A new day's partition. PostgreSQL refuses to attach a range the default partition holds
    rows of, so those rows are moved first (normally there are none: days are made ahead)."""
    start, end = bounds(day)
    name = name_of(day)
    in_range = "entered_at >= %s AND entered_at < %s"
    cursor.execute(f"SELECT count(*) FROM {DEFAULT} WHERE {in_range}", [start, end])  # noqa: S608
    (stranded,) = cursor.fetchone()
    if not stranded:
        cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)",
                       [start, end])  # fmt: skip
        return
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE entered_at >= %s"  # noqa: S608
                   f" AND entered_at < %s RETURNING *) INSERT INTO {name} SELECT * FROM moved",
                   [start, end])  # fmt: skip
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
                   [start, end])  # fmt: skip
    log.info("visit partition %s made with %s visits from the default partition", name, stranded)


def ensure_ahead(today: datetime.date, behind_days: int) -> list[str]:
    """The partitions from `behind_days` ago (what retention still keeps) to AHEAD_DAYS on."""
    return ensure(today - datetime.timedelta(days=behind_days),
                  today + datetime.timedelta(days=AHEAD_DAYS))  # fmt: skip


def without_statistics(day: datetime.date) -> str | None:
    """The day's partition when it holds visits but the planner has no statistics on it yet
    (decision 0020: the engine's timeline lookup then reads every visit of the province in a
    window instead of the persons' own). Autovacuum's first pass comes within about a minute
    of a day's first rows; the `visit-statistics` job closes that minute."""
    name = existing().get(day) if is_partitioned() else None
    return name if name is not None and _unplanned(name) else None


def _unplanned(name: str) -> bool:
    """The partition (a name from existing()) holds visits and has no statistics."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {name}) AND NOT EXISTS (SELECT 1 FROM pg_stats"  # noqa: S608
            " WHERE schemaname = current_schema() AND tablename = %s)",
            [name],
        )
        return cursor.fetchone()[0]


def analyze(name: str) -> None:
    """Statistics for one partition (a name from existing(), never from input)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {name}")


def analyze_new(days) -> list[str]:
    """Analyses each of these days' partitions that holds visits but has no statistics yet.
    For writers that fill past days in bulk (a paper register's backlog): a partition filled
    from empty faster than autovacuum's first pass keeps the planner's "empty" guess, and the
    engine's timeline lookup then filters every visit of the window against the batch's
    persons (1.3 s a batch at 27,000 visits, and growing) instead of reading their own."""
    if not is_partitioned():
        return []
    names = existing()  # read once, not once a day
    analyzed = [names[day] for day in sorted(set(days)) if day in names]
    analyzed = [name for name in analyzed if _unplanned(name)]
    for name in analyzed:
        analyze(name)
    return analyzed


@transaction.atomic
def drop_before(cutoff: datetime.datetime) -> tuple[int, list[str]]:
    """Retention by the day: every partition whose day ended before `cutoff` is dropped whole.
    Its few visits that ended after the cutoff (a long stay, a visit nobody closed: retention
    keeps a visit until it *ended* before the cutoff) are kept first and put back, landing in
    the default partition, whose rows go one by one as they age. Returns (visits removed,
    partitions dropped)."""
    if not is_partitioned():
        return 0, []
    removed, dropped = 0, []
    with connection.cursor() as cursor:
        # PostgreSQL refuses to drop a table while rows this transaction wrote await their
        # deferred foreign-key checks: run those checks now (they would run at commit).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for day, name in sorted(existing().items()):
            if bounds(day)[1] > cutoff:
                continue
            survivors = "count(*) FILTER (WHERE ends_at >= %s)"
            cursor.execute(f"SELECT count(*), {survivors} FROM {name}", [cutoff])  # noqa: S608
            total, kept = cursor.fetchone()
            if kept:
                keep = f"SELECT * FROM {name} WHERE ends_at >= %s"  # noqa: S608
                cursor.execute(f"CREATE TEMPORARY TABLE visits_kept AS {keep}", [cutoff])
            cursor.execute(f"DROP TABLE {name}")
            if kept:
                cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM visits_kept")  # noqa: S608
                cursor.execute("DROP TABLE visits_kept")
            removed += total - kept
            dropped.append(name)
    return removed, dropped
