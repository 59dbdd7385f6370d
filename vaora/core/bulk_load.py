"""Loading tens of millions of rows: what `vaora demo --visits` needs to build a province's
history in minutes. Two tools:

- `indexes_built_after(table)`: into an empty table, drop its secondary indexes (and, on
  PostgreSQL, its unique and foreign-key constraints) for the load and build them again after —
  one sort per index instead of a random B-tree insert per row per index, and one join to check
  every foreign key instead of a trigger per row. The definitions are read back from the
  database's own catalogue, so what is rebuilt is exactly what migrations made. Run it inside a
  transaction: DDL is transactional on both databases, so a failed load leaves the table as it
  was, indexes and all.
- `copy_into(table, columns)` / `copy_lines(...)`: PostgreSQL's COPY of tab-separated lines
  (`\\N` is NULL), the fastest way into the server.

Table and column names come from model metadata, never from input."""

import contextlib
import datetime

from django.db import IntegrityError, connection, models
from psycopg.postgres import types as postgres_types


def table_is_empty(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
        return cursor.fetchone() is None


@contextlib.contextmanager
def indexes_built_after(table: str):
    """Yields with the table's secondary indexes dropped; builds them again on the way out.
    Must run inside a transaction (an error then rolls the drop back too)."""
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after() needs a transaction: wrap it in atomic()")
    dropped = _drop_postgresql(table) if connection.vendor == "postgresql" else _drop_sqlite(table)
    yield
    with connection.cursor() as cursor:
        for statement in dropped:
            cursor.execute(statement)


def _drop_sqlite(table: str) -> list[str]:
    """SQLite: the named indexes (CREATE INDEX …). The UNIQUE columns' automatic indexes are
    part of the table and stay."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _name, sql in indexes]


def _drop_postgresql(table: str) -> list[str]:
    """PostgreSQL: unique and foreign-key constraints, then the plain indexes; the primary key
    and check constraints stay (the key's index is appended to in order; checks cost nothing).
    Returns the statements that make them again, constraints first."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        # Dropping a foreign key alters the referenced table's triggers too, which PostgreSQL
        # refuses while rows this transaction wrote there await their deferred checks: run
        # those checks now (they would have run at commit), then defer again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype, conname",
            [table],
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(
                f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
            )
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = %s::regclass AND NOT x.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
            " ORDER BY i.relname",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    remake = [f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
              for name, definition in constraints]  # fmt: skip
    # A partitioned table's index is described "ON ONLY" the parent; made anew it must reach
    # every partition.
    return remake + [definition.replace(" ON ONLY ", " ON ") for _name, definition in indexes]


@contextlib.contextmanager
def foreign_keys_checked_after(table: str):
    """SQLite's answer to dropping foreign keys for a load: its checks are switched off for
    the connection (possible only outside a transaction — inside one, e.g. in a test, they
    simply stay on) and the caller runs `check_foreign_keys` before committing. PostgreSQL:
    nothing (indexes_built_after drops and re-adds its foreign keys)."""
    switch = connection.vendor == "sqlite" and not connection.in_atomic_block
    if switch:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if switch:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = ON")


def check_foreign_keys(table: str) -> None:
    """Every row's foreign keys, in one pass (SQLite; call inside the load's transaction)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(table)})")
        broken = cursor.fetchall()
    if broken:
        raise IntegrityError(f"{len(broken)} rows of {table} name a row that does not exist")


@contextlib.contextmanager
def copy_into(table: str, columns: list[str]):
    """Yields write(text): tab-separated lines (one row each, `\\N` for NULL) streamed into
    the table by one COPY (PostgreSQL). One statement for the whole load, so the server parses
    one chunk while the caller makes the next (two cores), instead of waiting at each chunk."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            yield copy.write


def copy_lines(table: str, columns: list[str], text: str) -> None:
    """COPY tab-separated lines into the table in one go (PostgreSQL)."""
    with copy_into(table, columns) as write:
        write(text)


def _postgresql_type(field) -> str:
    """The column's type as psycopg names it: 'varchar(20)' → 'varchar', 'timestamp with time
    zone' → 'timestamptz' (binary COPY must send exactly the column's type)."""
    info = postgres_types.get(field.db_type(connection).split("(")[0])
    if info is None:
        raise TypeError(f"no binary COPY type for {field.model.__name__}.{field.name}")
    return info.name


def _sqlite_value(field):
    """How SQLite stores a field's value as Django does (datetimes as naive UTC text)."""
    if isinstance(field, models.DateTimeField):
        return _utc_text
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _utc_text(value: datetime.datetime) -> str:
    """An aware datetime as Django stores it in SQLite, naive UTC text — what Django's own
    adapter returns, at a third of its cost (63,000 contacts of an F2 carry 190,000 times)."""
    if value.tzinfo is None:
        return connection.ops.adapt_datetimefield_value(value)  # Django's error for a naive one
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


def insert_rows(model, columns: list[str], rows) -> int:
    """Writes plain rows — tuples in `columns` order of ints, floats, strings, dates, aware
    datetimes or None — into a model's table without making a model object for each: for the
    rollups' tens of thousands of small rows a run, where Django's preparation of each object
    cost more than the writing (measured: 1.5 s of a 4.5 s day). PostgreSQL: one COPY; SQLite:
    one executemany. Returns how many rows were written."""
    rows = list(rows)
    if not rows:
        return 0
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY with each column's type set once: psycopg then picks no dumper per
            # value (63,000 contacts of an F2: 34 ms instead of 223 ms in text).
            copy_sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT BINARY)"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.set_types([_postgresql_type(field) for field in fields])
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        adapting = [(at, adapt) for at, field in enumerate(fields)
                    if (adapt := _sqlite_value(field)) is not None]  # fmt: skip
        values = [_adapted(row, adapting) for row in rows] if adapting else rows
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608
    return len(rows)


def _adapted(row: tuple, adapting: list) -> list:
    """The row with each of the `adapting` columns (position, adapter) adapted unless None."""
    row = list(row)
    for at, adapt in adapting:
        if row[at] is not None:
            row[at] = adapt(row[at])
    return row
