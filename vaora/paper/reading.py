"""The reading half of a paper import: a register's lines checked, their persons' blind indexes
computed, new persons' fields encrypted and each line's visit id derived — everything that
needs no database. It hands the storing half (importer.py) chunks of good lines together with
the lines it refused, so one side keeps the report.

It runs on the importing thread beside a writer thread, or — for a large file — in a process of
its own (reader_process.py), where it uses a core the storing half's GIL cannot reach. A chunk
then crosses a pipe as plain tuples (pack/unpack): dataclasses, UUIDs and exceptions pickle
slowly, and the storing half is the one that must not wait."""

import datetime
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from vaora.core import crypto, epoch
from vaora.paper import rows as register
from vaora.people.models import phone_name_indexes
from vaora.visits import rules

BATCH = 5000
KEY_CACHE_LIMIT = 300_000  # identity → index entries kept while importing


@dataclass(frozen=True)
class ReaderContext:
    """What reading needs to know about the import, and nothing that needs the database (so it
    can be handed to a reader process)."""

    venue_id: int
    zones: dict[str, int]  # zone name or short code, case-folded → zone id
    now: datetime.datetime
    window: rules.Window
    resume_line: int = 0  # lines up to here were stored by an interrupted earlier run


@dataclass(slots=True)
class Line:
    """One good line, ready to store."""

    row: register.RegisterRow
    identity: tuple  # (key, cccd index, phone+name index)
    visit: tuple  # (zone id, client id)
    # The line as written, for the rejected-rows file: its cells in the order of `columns`, a
    # tuple its lines share (a tuple per line pickles and loads at a tenth of a dict's cost).
    cells: tuple
    columns: tuple
    sealed: tuple | None  # a new person's encrypted fields, for identities first seen here

    @property
    def values(self) -> dict[str, str]:
        return dict(zip(self.columns, self.cells, strict=True))


@dataclass
class Chunk:
    lines: list[Line] = field(default_factory=list)
    refused: list[tuple] = field(default_factory=list)  # (line, values, RowError)
    total_rows: int = 0  # lines read so far, this chunk's included
    position: int | None = None  # bytes of the file read so far (the progress bar)
    old_indexes: dict[str, list[str]] = field(default_factory=dict)  # during a key rotation


def visit_id(venue_id: int, identity: str, entered: datetime.datetime, zone_id) -> bytes:
    """The same person at the same venue (and zone) at the same minute is the same visit.
    The first six bytes are the entry minute, like a UUIDv7: registers run in time order, so
    a million new ids land at the end of the unique index instead of all over it."""
    minute = int(entered.timestamp()) // 60
    key = f"paper|{venue_id}|{zone_id or ''}|{identity}|{minute}"
    digest = hashlib.blake2b(key.encode(), digest_size=10).digest()
    return minute.to_bytes(6, "big") + digest


def seal(row: register.RegisterRow) -> tuple:
    """A new person's encrypted name, phone and CCCD, and phone index."""
    return (crypto.encrypt(row.name, "people.Person.name"),
            crypto.encrypt(row.phone, "people.Person.phone") if row.phone else None,
            crypto.encrypt(row.cccd, "people.Person.cccd") if row.cccd else None,
            crypto.blind_index("phone", row.phone) if row.phone else None)  # fmt: skip


class RegisterReader:
    def __init__(self, context: ReaderContext):
        self.context = context
        self.index_cache: dict[tuple, str] = {}
        self.old_indexes: dict[str, list[str]] = {}  # current index → old keys' (rotation)
        self.seen: set[str] = set()  # identity keys met in this file
        self.columns: tuple = ()  # the file's column names (its lines share the tuple)

    def _index(self, kind: str, *parts: str) -> str:
        key = (kind, *parts)
        found = self.index_cache.get(key)
        if found is None:
            if len(self.index_cache) > KEY_CACHE_LIMIT:
                self.index_cache.clear()
                self.old_indexes.clear()
            if kind == "cccd":
                found, *old = crypto.blind_indexes("cccd", parts[0])
            else:
                found, *old = phone_name_indexes(parts[0], parts[1])
            self.index_cache[key] = found
            if old:  # a data-key rotation is under way: rows may still carry the old index
                self.old_indexes[found] = old
        return found

    def _identity(self, row: register.RegisterRow) -> tuple[str, str | None, str | None]:
        """(key, cccd index, phone+name index): the key is "c" + the CCCD index when there is
        a CCCD (it names one person), else "p" + the phone+name index."""
        cccd_index = self._index("cccd", row.cccd) if row.cccd else None
        pn_index = self._index("pn", row.phone, row.name) if row.phone else None
        return ("c" + cccd_index if cccd_index else "p" + pn_index), cccd_index, pn_index

    def _line(self, parsed: register.RegisterRow, values: dict) -> Line:
        identity = self._identity(parsed)
        zone_id = self.context.zones.get(parsed.zone.casefold()) if parsed.zone else None
        client_id = uuid.UUID(bytes=visit_id(self.context.venue_id, identity[0],
                                             parsed.entered_at, zone_id))  # fmt: skip
        sealed = None
        if identity[0] not in self.seen:  # first time in this file: encrypt here
            if len(self.seen) > KEY_CACHE_LIMIT:
                self.seen.clear()
            self.seen.add(identity[0])
            sealed = seal(parsed)
        columns = tuple(values)
        if columns != self.columns:
            self.columns = columns
        return Line(parsed, identity, (zone_id, client_id), tuple(values.values()), self.columns,
                    sealed)  # fmt: skip

    def chunks(self, tabular_rows: Iterable, position: Callable[[], int] | None = None,
               size: int = BATCH,
               between: Callable[[], object] | None = None) -> Iterator[Chunk]:  # fmt: skip
        """Chunks of `size` good lines (the last may hold fewer, or none) with the lines refused
        on the way. Raises the file's VaoraError when its columns are wrong. `between` is
        called when a chunk has been taken and this reader holds nothing of it any more (the
        reader process collects its garbage there: a collection while the chunk was still
        held here walked all its lines, about a tenth of the reading's time)."""
        context, chunk, total = self.context, Chunk(), 0
        checked_columns = False
        for row in tabular_rows:
            if not checked_columns:
                problem = register.missing_columns(row.values.keys())
                if problem:
                    raise problem
                checked_columns = True
            total += 1
            try:
                parsed = register.read_row(row.line, row.values, context.now, context.window)
                if parsed.zone and parsed.zone.casefold() not in context.zones:
                    raise register.RowError("zone", "zone_unknown",
                                            "Khu vực không thuộc địa điểm này.",
                                            "The zone does not belong to this venue.")  # fmt: skip
            except register.RowError as error:
                chunk.refused.append((row.line, row.values, error))  # again after a restart,
                continue  # so the refused file is whole
            if row.line <= context.resume_line:  # stored before the restart: counted then
                continue
            chunk.lines.append(self._line(parsed, row.values))
            if len(chunk.lines) >= size:
                yield self._finish(chunk, total, position)
                chunk = Chunk()
                if between is not None:
                    between()
        yield self._finish(chunk, total, position)

    def _finish(self, chunk: Chunk, total: int, position) -> Chunk:
        chunk.total_rows = total
        if position is not None:
            try:
                chunk.position = position()
            except (OSError, ValueError):
                chunk.position = None
        if self.old_indexes:
            named = {index for line in chunk.lines for index in line.identity[1:] if index}
            chunk.old_indexes = {i: self.old_indexes[i] for i in named if i in self.old_indexes}
        return chunk


# --- across a pipe ---------------------------------------------------------------------------


def pack(chunk: Chunk) -> tuple:
    """A chunk as plain tuples, strings, integers and bytes: what pickles and loads fast (a
    datetime, a UUID or a dict per line cost more to send than the line took to read). Times
    travel as microseconds since the epoch; the column names shared by the lines travel once
    (pickle sends a repeated object by reference)."""
    us = epoch.us
    lines = [(row.line, row.name, row.phone, row.cccd, us(row.entered_at),
              None if row.left_at is None else us(row.left_at), row.zone, row.symptoms,
              row.contact, line.identity, line.visit[0], line.visit[1].bytes, line.cells,
              line.columns, line.sealed)
             for line in chunk.lines for row in (line.row,)]  # fmt: skip
    refused = [(line, values, (e.column, e.code, e.vi, e.en)) for line, values, e in chunk.refused]
    return lines, refused, chunk.total_rows, chunk.position, chunk.old_indexes


def unpack(packed: tuple) -> Chunk:
    lines, refused, total_rows, position, old_indexes = packed
    row, key, at = register.RegisterRow, uuid.UUID, epoch.at
    return Chunk(
        [Line(row(number, name, phone, cccd, at(entered), None if left is None else at(left),
                  zone, symptoms, contact),
              identity, (zone_id, key(bytes=client)), cells, columns, sealed)
         for (number, name, phone, cccd, entered, left, zone, symptoms, contact, identity,
              zone_id, client, cells, columns, sealed) in lines],
        [(line, values, register.RowError(*error)) for line, values, error in refused],
        total_rows, position, old_indexes,
    )  # fmt: skip
