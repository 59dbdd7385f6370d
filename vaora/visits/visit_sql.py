"""The check-in engine's SQL (visits/engine.py): reading the visits a batch needs and writing
what it decided, in a constant number of statements per batch, on SQLite (≥ 3.35) and
PostgreSQL.

Inside the engine, times are naive UTC and client ids are kept as the database stores them
(32 hex digits on SQLite, UUIDs on PostgreSQL): a batch of paper lines reads hundreds of
thousands of visits, and converting each value to an aware datetime or a UUID object cost more
than the decision itself."""

import datetime
import json
import re
import uuid

import psycopg
from django.db import connection

from vaora.core import bulk, pg_arrays
from vaora.visits.models import Visit
from vaora.visits.partitions import CLIENT_KEY
from vaora.visits.rules import Span

TABLE = Visit._meta.db_table
# What a new visit refers to besides its person (persons are read and locked on their own).
REFERENCED = [Visit._meta.get_field(name).related_model._meta.db_table
              for name in ("venue", "zone", "recorded_by")]  # fmt: skip
CHUNK = 2000  # ids per IN (...) list
UTC = datetime.UTC

COLUMNS = "id, person_id, venue_id, zone_id, {t}, client_id, checkout_client_id, province_code"
# SQLite: times as text (Django's converter parses them one by one in Python; fromisoformat is
# C). PostgreSQL: as timestamps without zone (psycopg's C loader, not Django's timestamptz one).
TIMES = {
    "sqlite": "CAST(entered_at AS TEXT), CAST(ends_at AS TEXT), CAST(left_at AS TEXT)",
    "postgresql": "entered_at AT TIME ZONE 'UTC', ends_at AT TIME ZONE 'UTC',"
    " left_at AT TIME ZONE 'UTC'",
}

INSERT_COLUMNS = ["person_id", "venue_id", "zone_id", "province_code", "entered_at", "ends_at",
                  "left_at", "source", "client_id", "checkout_client_id", "scanned_at",
                  "received_at", "recorded_by_id"]  # fmt: skip
# PostgreSQL: new visits as the engine hands them over, times naive UTC.
STAGED_TYPES = ["bigint", "bigint", "bigint", "text", "timestamp", "timestamp", "timestamp",
                "text", "uuid", "uuid", "timestamp", "timestamp", "bigint"]  # fmt: skip
_STORED = ", ".join(f"{column} AT TIME ZONE 'UTC'" if kind == "timestamp" else column
                    for column, kind in zip(INSERT_COLUMNS, STAGED_TYPES, strict=True))  # fmt: skip
# New visits in a batch from which PostgreSQL copies them rather than sending arrays, and SQLite
# has their ids returned rather than reading them back.
COPY_FROM = 500
STAGING = "visits_new_staging"
STAGING_TABLE = (f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ("
                 + ", ".join(f"{column} {kind}"
                             for column, kind in zip(INSERT_COLUMNS, STAGED_TYPES, strict=True))
                 + ") ON COMMIT DELETE ROWS")  # fmt: skip


def naive(value: datetime.datetime | None) -> datetime.datetime | None:
    """An aware datetime as naive UTC (the engine's own time)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None)


# PostgreSQL: each list is one array parameter of this type (`= ANY(%s::type[])`).
ARRAY_TYPES = {"id": "bigint", "guardian_id": "bigint", "person_id": "bigint",
               "client_id": "uuid", "checkout_client_id": "uuid"}  # fmt: skip


class VisitSql:
    def __init__(self, cursor):
        self.postgres = connection.vendor == "postgresql"
        self.columns = COLUMNS.format(t=TIMES["postgresql" if self.postgres else "sqlite"])
        self.cursor = cursor

    # --- values as the database keeps them -------------------------------------------------

    def key(self, value: uuid.UUID | None):
        """A client id as the database stores and returns it."""
        if value is None or self.postgres:
            return value
        return value.hex

    def _time(self, value: datetime.datetime | None):
        """A naive-UTC time as a parameter."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if self.postgres else value.isoformat(" ")

    # --- reading --------------------------------------------------------------------------

    def rows(self, columns: str, rest: str, values, *head, lists: int = 1) -> list:
        """SELECT `columns` `rest` (whose "column IN (?)", `lists` times, becomes the list),
        for chunks of `values`.

        On PostgreSQL the list is one array parameter (a text literal: core/pg_arrays) and the
        statement a prepared one: its text is the same whatever the batch, so the server plans
        it once per connection instead of once per batch (planning a statement over thirty day
        partitions cost more than running it).

        On SQLite the rows come back as one JSON array, in one step: the sqlite3 module lets
        go of the GIL at every row it steps through, and while the paper importer's reading
        thread parses, each of those steps waited for the GIL again (a convoy that made reading
        5,000 rows cost more than deciding them). PostgreSQL sends all rows at once anyway."""
        if self.postgres:
            kinds = {ARRAY_TYPES[column] for column in _IN_LIST.findall(rest)}
            (kind,) = kinds  # one list of values, so one type for every list it fills
            where = _IN_LIST.sub(lambda m: f"{m[1]} = ANY(%s::{kind}[])", rest)
            array = pg_arrays.literal(sorted(set(values)), kind)
            self.cursor.execute(f"SELECT {columns} {where}", [*head, *([array] * lists)])
            return self.cursor.fetchall()
        found = []
        for chunk in bulk.chunks(sorted(set(values)), CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            where = rest.replace("(?)", f"({marks})")
            self.cursor.execute(f"SELECT json_group_array(json_array({columns})) {where}",
                                [*head, *(chunk * lists)])  # fmt: skip
            found.extend(json.loads(self.cursor.fetchone()[0]))
        return found

    def persons(self, ids: set[int], *, with_dependants: bool) -> list[tuple]:
        """(id, guardian id) of these persons (and their dependants, when asked) — locked on
        PostgreSQL, in id order, so two server processes decide one person's scans one after
        the other and cannot deadlock (SQLite writes one transaction at a time anyway)."""
        lock = " ORDER BY id FOR UPDATE" if self.postgres else ""
        if not with_dependants:
            return self.rows("id, guardian_id", f"FROM people_person WHERE id IN (?){lock}", ids)
        if self.postgres:
            where = f"FROM people_person WHERE id IN (?) OR guardian_id IN (?){lock}"
            return self.rows("id, guardian_id", where, ids, lists=2)
        # Not "id IN (…) OR guardian_id IN (…)": with statistics, SQLite counts the NULL
        # guardians of nearly everyone as one value matching every row and scans the whole
        # guardian index for each batch (33 ms at 400,000 persons); two searches cannot.
        both = (
            "FROM (SELECT id, guardian_id FROM people_person WHERE id IN (?) UNION"
            " SELECT id, guardian_id FROM people_person WHERE guardian_id IN (?))"
        )
        return self.rows("id, guardian_id", both, ids, lists=2)

    def referenced(self, venues: set[int], zones: set[int], recorders: set[int]) -> tuple:
        """(venues, zones, recording accounts) of these that exist, as sets — in one statement,
        and on PostgreSQL locked (FOR KEY SHARE, what a foreign key's check takes) until the
        batch commits: a deletion of one of them waits, then sees the batch's visits
        (visits/integrity.py). SQLite's writer holds the database's lock already."""
        parts, params = [], []
        for table, ids in zip(REFERENCED, (venues, zones, recorders), strict=True):
            if self.postgres:  # an array each: the same text whatever the batch (prepared once)
                parts.append(f"SELECT id FROM {table} WHERE id = ANY(%s::bigint[]) FOR KEY SHARE")  # noqa: S608
                params.append(pg_arrays.literal(sorted(ids), "bigint"))
            else:
                marks = ", ".join(["%s"] * len(ids)) or "NULL"
                parts.append(f"SELECT id FROM {table} WHERE id IN ({marks})")  # noqa: S608
                params.extend(sorted(ids))
        ctes = ", ".join(f"r{n} AS ({sql})" for n, sql in enumerate(parts))
        union = " UNION ALL ".join(f"SELECT {n}, id FROM r{n}" for n in range(len(parts)))  # noqa: S608
        self.cursor.execute(f"WITH {ctes} {union}", params)
        found = (set(), set(), set())
        for kind, pk in self.cursor.fetchall():
            found[kind].add(pk)
        return found

    def visits(self, where: str, values: list, *head) -> list[Span]:
        """Visits matching `where` — one of the engine's constant conditions, never input."""
        if not values:
            return []
        read = (lambda v: v) if self.postgres else _from_text
        found = self.rows(self.columns, f"FROM {TABLE} WHERE {where}", values, *head)
        return [Span(pk, person, venue, zone, read(entered), read(ends), read(left), client,
                     checkout, province)
                for pk, person, venue, zone, entered, ends, left, client, checkout, province
                in found]  # fmt: skip

    def visits_named(self, client_ids: list, low, high, provinces: set[str]) -> list[Span]:
        """The visits with these client ids entered between `low` and `high` in these provinces:
        on PostgreSQL the day partitions of that window only (a list of ids alone probes every
        partition), and under Citus the provinces' nodes only."""
        return self._in_window("client_id", client_ids, low, high, provinces)

    def visits_around(self, persons: list[int], low, high, provinces: set[str],
                      ends_after=None) -> list[Span]:  # fmt: skip
        """The persons' visits entered between `low` and `high` (and, given `ends_after`, not
        ended before it), in the given provinces only: one node's rows under Citus
        (docs/decisions/0018)."""
        return self._in_window("person_id", persons, low, high, provinces, ends_after)

    def _in_window(self, column: str, values: list, low, high, provinces: set[str],
                   ends_after=None) -> list[Span]:  # fmt: skip
        if not provinces:
            return []
        times = [self._time(low), self._time(high)]
        ended = ""
        if ends_after is not None:
            ended, times = " AND ends_at >= %s", [*times, self._time(ends_after)]
        if self.postgres:  # one array: the statement's text is the same for any provinces
            where = "province_code = ANY(%s::text[]) AND entered_at >= %s AND entered_at <= %s"
            return self.visits(f"{where}{ended} AND {column} IN (?)", values,
                               pg_arrays.literal(sorted(provinces), "text"), *times)  # fmt: skip
        marks = ", ".join(["%s"] * len(provinces))
        # SQLite's planner would take the (province, time) index — every visit of the window —
        # over the (person, time) or client-id one; a unary plus keeps the column out of its
        # index choice.
        where = f"+province_code IN ({marks}) AND entered_at >= %s AND entered_at <= %s"
        return self.visits(f"{where}{ended} AND {column} IN (?)", values, *sorted(provinces),
                           *times)  # fmt: skip

    # --- writing --------------------------------------------------------------------------

    def insert(self, rows: list[tuple]) -> dict:
        """New visits (values in INSERT_COLUMNS order, naive-UTC times, client ids as keys);
        those whose client id another writer stored meanwhile are skipped. Client id → id."""
        if self.postgres:
            return self._insert_postgres(rows)
        t = self._time
        rows = [(p, v, z, pc, t(entered), t(ends), t(left), src, cid, out, t(scanned),
                 t(received), by)
                for p, v, z, pc, entered, ends, left, src, cid, out, scanned, received, by
                in rows]  # fmt: skip
        columns, values = [*INSERT_COLUMNS, "corrected"], [(*row, False) for row in rows]
        # A row that loses its client id to a visit already stored (by another writer, or an
        # older one outside the engine's window) is not inserted, so it has no id here and is
        # reported as a conflict.
        if len(rows) >= COPY_FROM:
            # A paper register's batch: the ids come back with the insert. Each returned row is
            # a step of its own (see rows()), which a small batch, beside a parsing thread,
            # pays for in GIL hand-overs; a large one saves the read-back (0.8 s of a 300,000-
            # line register, read in its reader process).
            return dict(bulk.insert(TABLE, columns, values, conflict="client_id",
                                    returning="client_id, id"))  # fmt: skip
        # A live batch: inserted without RETURNING, the ids read back by client id in one step,
        # among the visits entered when these did.
        bulk.insert(TABLE, columns, values, conflict="client_id")
        entered = [row[4] for row in rows]
        stored = self.rows("client_id, id",
                           f"FROM {TABLE} WHERE entered_at >= %s AND entered_at <= %s"
                           " AND client_id IN (?)",
                           [row[8] for row in rows], min(entered), max(entered))  # fmt: skip
        return dict(stored)

    def _insert_postgres(self, rows: list[tuple]) -> dict:
        """Times travel as naive UTC and become timestamptz in the statement (no conversion
        per value in Python). A small batch (a second of check-ins) goes as one array per
        column; a large one (a paper register's) is copied into a session's temporary table
        first: psycopg dumps array elements one by one in Python, which cost more than the
        database's own work for 5,000 rows, while COPY formats rows in C."""
        insert = (f"INSERT INTO {TABLE} ({', '.join(INSERT_COLUMNS)}, corrected)"  # noqa: S608
                  f" SELECT {_STORED}, false FROM {{source}}"
                  f" ON CONFLICT ({CLIENT_KEY}) DO NOTHING RETURNING client_id, id")  # fmt: skip
        if len(rows) < COPY_FROM:
            arrays = [
                pg_arrays.literal(column, kind)
                for column, kind in zip(zip(*rows, strict=True), STAGED_TYPES, strict=True)
            ]
            unnest = ", ".join(f"%s::{kind}[]" for kind in STAGED_TYPES)
            columns = ", ".join(INSERT_COLUMNS)
            self.cursor.execute(insert.format(source=f"unnest({unnest}) AS n({columns})"),
                                arrays)  # fmt: skip
            return dict(self.cursor.fetchall())
        self.cursor.execute(STAGING_TABLE)
        # Binary, each column's type set once: psycopg then dumps in C and picks no dumper per
        # value (5,000 paper lines: a fifth of text COPY's time, which formatted UUIDs in Python).
        copy_sql = f"COPY {STAGING} ({', '.join(INSERT_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
        with self.cursor.copy(copy_sql) as copy:
            copy.set_types(STAGED_TYPES)
            for row in rows:
                copy.write_row(row)
        self.cursor.execute(insert.format(source=STAGING))
        found = dict(self.cursor.fetchall())
        self.cursor.execute(f"DELETE FROM {STAGING}")  # noqa: S608 - a later batch may follow
        return found

    def update(self, spans: list[Span]) -> None:
        """New ends, check-outs and check-out ids of existing visits, in one statement."""
        if self.postgres:
            literal = pg_arrays.literal
            self.cursor.execute(
                f"UPDATE {TABLE} AS v SET ends_at = c.ends_at, left_at = c.left_at,"  # noqa: S608
                " checkout_client_id = c.checkout FROM unnest(%s::bigint[], %s::text[],"
                " %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::uuid[])"
                " AS c(id, province, entered_at, ends_at, left_at, checkout)"
                # The whole key: each row is found in its own day's partition, not in all.
                " WHERE v.id = c.id AND v.province_code = c.province"
                " AND v.entered_at = c.entered_at",
                [literal([s.id for s in spans], "bigint"),
                 literal([s.province_code for s in spans], "text"),
                 literal([self._time(s.entered_at) for s in spans], "timestamptz"),
                 literal([self._time(s.ends_at) for s in spans], "timestamptz"),
                 literal([self._time(s.left_at) for s in spans], "timestamptz"),
                 literal([s.checkout_client_id for s in spans], "uuid")],
            )  # fmt: skip
            return
        for chunk in bulk.chunks(spans, 500):
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            self.cursor.execute(
                f"WITH c(id, province, ends_at, left_at, checkout) AS (VALUES {values})"  # noqa: S608
                f" UPDATE {TABLE} SET ends_at = c.ends_at, left_at = c.left_at,"
                f" checkout_client_id = c.checkout FROM c WHERE {TABLE}.id = c.id"
                f" AND {TABLE}.province_code = c.province",
                [value for s in chunk for value in (s.id, s.province_code,
                                                     self._time(s.ends_at),
                                                     self._time(s.left_at),
                                                     s.checkout_client_id)],
            )  # fmt: skip


_IN_LIST = re.compile(r"(\w+) IN \(\?\)")


def cursor(*, binary: bool = False):
    """The engine's cursor. On PostgreSQL one that binds its parameters on the server
    (Django's own inline them into the text), so that psycopg prepares each engine statement
    after the connection's `prepare_threshold` runs (settings: DATABASES OPTIONS; the ORM's
    cursors bind on the client and prepare nothing). Wrapped like Django's: its queries are
    logged and captured the same.

    `binary`: results in PostgreSQL's binary format — for reads of integers only (the
    tracer's, times as epoch microseconds), which psycopg then takes as eight bytes each
    instead of parsing digits: 10-18 % of an F2's reading (decision 0030)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    if binary:
        raw.format = psycopg.pq.Format.BINARY
    return connection._prepare_cursor(raw)


def _from_text(value: str | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromisoformat(value)
