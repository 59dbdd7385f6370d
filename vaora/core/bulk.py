"""Bulk SQL for imports of a million rows: many rows per INSERT, conflicts skipped, values
adapted the way Django's fields store them — without Django's per-value overhead. Plain SQL
that SQLite (≥ 3.35) and PostgreSQL both run."""

import contextlib
import datetime
import gc
import queue
import sys
import threading
import uuid
from collections.abc import Callable

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


# 64 MB, not 128: a million-line paper import then peaks at 433 MB with its reader process
# instead of 520 (target 500), for 9 % of its speed (85.9 s instead of 78.6 s, 2026-12-06).
LARGE_CACHE_MB = 64


@contextlib.contextmanager
def large_cache():
    """SQLite keeps 2 MB of pages by default; a million-row import walks indexes far larger,
    so it borrows LARGE_CACHE_MB while it runs and gives it back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * LARGE_CACHE_MB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# --- writing on a second thread ------------------------------------------------------------


@contextlib.contextmanager
def gc_paused():
    """Pauses the cyclic GC: work that builds hundreds of thousands of small tuples (a bulk
    import, an F2 trace) and frees them at the end would otherwise have them walked again and
    again for no garbage."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def writer(store: Callable):
    """Yields an object whose put(batch) hands the batch to `store`: on a writer thread with its
    own connection (so preparing the next batch overlaps the database work), or — inside a
    transaction (a test, or a caller's atomic block), where rows must be written on the
    caller's connection — directly. The cyclic GC is paused meanwhile (gc_paused)."""
    chosen = _Inline(store) if connection.in_atomic_block else _Writer(store)
    with gc_paused():
        try:
            yield chosen
        finally:
            chosen.finish()


class _Inline:
    def __init__(self, store: Callable):
        self.store = store

    def put(self, batch: list) -> None:
        with large_cache():
            self.store(batch)

    def finish(self) -> None:
        pass


class _Writer:
    """Stores batches on its own thread and database connection while the caller parses the
    next ones: SQLite and psycopg release the GIL while the database works, so parsing and
    writing overlap on two cores. At most two batches wait, so memory stays bounded."""

    def __init__(self, store: Callable):
        self.store, self.error = store, None
        # Hand the GIL over sooner than every 5 ms: the writer holds it only briefly between
        # statements, and waiting a whole interval for it each time made it the bottleneck.
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self.interval, 0.001))
        self.queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._loop, name="bulk-writer", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        try:
            with large_cache():
                while (batch := self.queue.get()) is not None:
                    if self.error is None:
                        try:
                            self.store(batch)
                        except BaseException as error:  # noqa: BLE001 - re-raised by finish()
                            self.error = error
        finally:
            connection.close()

    def put(self, batch: list) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        sys.setswitchinterval(self.interval)
        if self.error is not None:
            raise self.error
