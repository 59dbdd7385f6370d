"""Bulk SQL for imports of a million rows: many rows per INSERT, conflicts skipped, values
adapted the way Django's fields store them — without Django's per-value overhead. Plain SQL
that SQLite (≥ 3.35) and PostgreSQL both run."""

import contextlib
import datetime
import uuid

from django.db import connection

SQL_CHUNK = 1000  # rows per INSERT statement (SQLite allows 32,766 parameters)


def adapters():
    """Datetime and UUID (16 bytes) → database parameter, as Django's fields would store
    them, without Django's per-value overhead (a million rows × five values)."""
    if connection.vendor == "sqlite":
        # Django stores aware datetimes in SQLite as naive UTC text, UUIDs as 32 hex digits.
        def when(value):
            if value is None:
                return None
            if value.tzinfo is not datetime.UTC:
                value = value.astimezone(datetime.UTC)
            return value.replace(tzinfo=None).isoformat(" ")

        return when, bytes.hex
    return (lambda value: value), (lambda value: uuid.UUID(bytes=value))


def chunks(items: list, size: int = SQL_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert(table: str, columns: list[str], rows: list[tuple], *, conflict: str | None = None,
           returning: str | None = None) -> list[tuple]:  # fmt: skip
    """INSERT many rows per statement. With `conflict`, rows clashing on that unique column are
    skipped; with `returning`, what was actually inserted comes back. Table and column names
    come from model metadata, never from input."""
    inserted = []
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" ON CONFLICT ({conflict}) DO NOTHING" if conflict else ""
    tail += f" RETURNING {returning}" if returning else ""
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {table} ({quoted}) VALUES {values}{tail}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                inserted.extend(cursor.fetchall())
    return inserted


@contextlib.contextmanager
def large_cache():
    """SQLite keeps 2 MB of pages by default; a million-row import walks indexes far larger,
    so it borrows 128 MB while it runs and gives it back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -131072")
        import os

        for extra in filter(None, os.environ.get("XPRAGMA", "").split(";")):
            cursor.execute(f"PRAGMA {extra}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
