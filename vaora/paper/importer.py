"""Storing a paper register: rows stream from the file in batches, each batch in one transaction.
Persons are matched by CCCD, else by phone and name (blind indexes, nothing decrypted), else
created; each line is then a scan in paper mode for the check-in engine (visits/engine.py),
which decides it like every other door. Its client id is derived from the row itself, so
uploading the same rows again — or resuming after a crash — adds nothing.

Reading (reading.py: parse, check, blind indexes, encryption) runs beside storing: on this
thread while a writer thread stores, or — for a large file — in a reader process of its own
(reader_process.py). Bulk SQL instead of the ORM: a register can hold a million lines, and
building a model object per line would cost more than everything else together. The statements
are plain SQL that SQLite (≥ 3.35) and PostgreSQL both run."""

import contextlib
import csv
import datetime
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from vaora.core import bulk
from vaora.core.exports import safe_text
from vaora.core.tabular import read_rows
from vaora.paper import reader_process, reading
from vaora.paper import rows as register
from vaora.people.models import HealthDeclaration, Person
from vaora.venues.models import Venue
from vaora.visits import engine, partitions, rules, services
from vaora.visits.models import Source

MATCHING = "matching a register's lines to the persons they name"
KEY_CACHE_LIMIT = reading.KEY_CACHE_LIMIT  # identity → person id entries kept while importing
REPORTED_ERRORS = 1000  # line-level reasons kept in the report (all go to the rejected file)
REJECTED_FILE_ROWS = 100_000
REASON = "ly_do_reason"
# From this size (about 14,000 lines) a file is read in a process of its own: starting it
# (Django's setup) costs about a second, which a file this large repays.
READER_PROCESS_BYTES = 1024 * 1024


@dataclass
class Report:
    total_rows: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    persons_created: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"total_rows": self.total_rows, "stored": self.stored,
                "duplicates": self.duplicates, "rejected": self.rejected,
                "persons_created": self.persons_created, "errors": self.errors}  # fmt: skip


class RejectedRows:
    """The refused lines, as a CSV the clerk can fix and upload again: the original columns,
    the line number and the reason. Cells are formula-safe (the file is opened in Excel)."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = None
        self.count = 0

    def add(self, line: int, values: dict, error: register.RowError) -> None:
        if self.writer is None:
            self.columns = [c for c in values if c]
            self.writer = csv.writer(self.buffer)
            self.writer.writerow(["dong_line", *self.columns, REASON])
        self.count += 1
        if self.count <= REJECTED_FILE_ROWS:
            reason = f"{error.column}: {error.vi} / {error.en}"
            cells = [values.get(c, "") for c in self.columns]
            self.writer.writerow([line, *(safe_text(c) for c in cells), reason])

    def text(self) -> str:
        return "\ufeff" + self.buffer.getvalue() if self.count else ""


class PaperImport:
    """One import run into one venue: the storing half. Call run(chunks) with the reading
    half's chunks (reading.RegisterReader, here or in a reader process)."""

    def __init__(self, venue: Venue, uploaded_by=None, now=None, progress: Callable | None = None,
                 resume: "Checkpoint | None" = None):  # fmt: skip
        self.venue, self.venue_id = venue, venue.pk
        self.resume = resume or Checkpoint()
        self.uploaded_by_id = uploaded_by.pk if uploaded_by else None
        self.now = now or timezone.now()
        self.progress = progress
        self.places = {None: services.place_of(venue)}
        zones = {}
        for zone in venue.zones.all():
            zones[zone.name.casefold()] = zone.pk
            zones[zone.short_code.casefold()] = zone.pk
            self.places[zone.pk] = services.place_of(venue, zone)
        self.context = reading.ReaderContext(self.venue_id, zones, self.now, engine.window(),
                                             self.resume.line)  # fmt: skip
        self.person_ids: dict[str, int] = {}  # identity key → person id
        self.old_indexes: dict[str, list[str]] = {}  # current index → old keys' (rotation)
        self.report = Report(stored=self.resume.stored, duplicates=self.resume.duplicates)
        self.rejected = RejectedRows()
        self.dt, self.uuid = bulk.adapters()

    # --- identity ------------------------------------------------------------------------

    def _lookup(self, column: str, indexes: set[str], prefix: str) -> None:
        current_of = {old: index for index in indexes for old in self.old_indexes.get(index, ())}
        for chunk in bulk.chunks(sorted(indexes | set(current_of)), 900):
            for stored, pk in (
                Person.objects.for_system(MATCHING)
                .filter(**{f"{column}__in": chunk})
                .values_list(column, "pk")
            ):
                self.person_ids[prefix + current_of.get(stored, stored)] = pk

    def _persons(self, batch: list) -> None:
        """Fills self.person_ids for every row of the batch, creating who is new."""
        if len(self.person_ids) > KEY_CACHE_LIMIT:
            self.person_ids.clear()
        unknown = [(item.row, item.identity) for item in batch
                   if item.identity[0] not in self.person_ids]  # fmt: skip
        sealed = {item.identity[0]: item.sealed for item in batch if item.sealed}
        self._lookup("cccd_index", {i[1] for _, i in unknown if i[1]}, "c")
        # A row with a new CCCD may still be someone known by phone and name.
        self._lookup("phone_name_index", {i[2] for _, i in unknown if i[2]}, "p")
        new = {}
        for row, (key, cccd_index, pn_index) in unknown:
            if key in self.person_ids:
                continue
            if pn_index and "p" + pn_index in self.person_ids:
                self.person_ids[key] = self.person_ids["p" + pn_index]
                continue
            new.setdefault(key, (row, cccd_index, pn_index))
        if new:
            self._create_persons(new, sealed)

    def _create_persons(self, new: dict, sealed: dict) -> None:
        table = Person._meta.db_table
        columns = ["name", "phone", "cccd", "phone_index", "cccd_index", "phone_name_index",
                   "created_at"]  # fmt: skip
        created_at = self.dt(self.now)
        values = []
        for key, (row, cccd_index, pn_index) in new.items():
            values.append((*(sealed.get(key) or reading.seal(row)), cccd_index, pn_index,
                           created_at))  # fmt: skip
        inserted = bulk.insert(table, columns, values, conflict="cccd_index",
                           returning="id, cccd_index, phone_name_index")  # fmt: skip
        self.report.persons_created += len(inserted)
        for pk, cccd_index, pn_index in inserted:
            if cccd_index:
                self.person_ids["c" + cccd_index] = pk
            if pn_index:
                self.person_ids.setdefault("p" + pn_index, pk)
        # Rows that lost a race for their CCCD to another import: find the winner.
        missing = {c for key, (_, c, _p) in new.items() if key not in self.person_ids}
        self._lookup("cccd_index", missing, "c")

    # --- visits --------------------------------------------------------------------------

    def _requests(self, batch: list) -> list:
        """The engine's requests for a batch whose persons are known, in time order."""
        prepared = []
        for item in batch:
            zone_id, client_id = item.visit
            request = engine.CheckIn(
                self.person_ids[item.identity[0]], client_id, item.row.entered_at,
                self.places[zone_id], Source.PAPER, mode=rules.Mode.PAPER,
                left_at=item.row.left_at, recorded_by_id=self.uploaded_by_id,
            )  # fmt: skip
            prepared.append((request, item))
        prepared.sort(key=lambda entry: entry[0].at)
        return prepared

    def _store(self, prepared: list) -> None:
        """Each line goes through the check-in engine as a scan in paper mode: the same
        decision as every other door (a re-entry extends, a visit elsewhere is ended, a later
        visit caps this one)."""
        results = engine.apply([request for request, _line in prepared])
        fresh = []
        for (request, line), result in zip(prepared, results, strict=True):
            row = line.row
            if result.status == "duplicate":
                self.report.duplicates += 1
            elif result.ok:
                self.report.stored += 1
                # Health answers go with newly stored visits only, so a re-upload adds none.
                if result.status == "stored" and (row.symptoms or row.contact):
                    fresh.append((request.person_id, row))
            else:  # e.g. at the edge of the window by the time the line is stored
                error = result.error
                self._reject(row.line, line.values, register.RowError(
                    "time_in", error.code, error.message_vi, error.message_en))  # fmt: skip
        if fresh:
            self._declarations(fresh)

    def _declarations(self, fresh: list) -> None:
        """A "yes" on the register's health questions becomes a paper health declaration
        (the person then shows as needing attention). A "no" was the gate's screening and is
        not stored: a million "no" rows would tell tracing nothing the visit does not."""
        symptoms_field = HealthDeclaration._meta.get_field("symptoms")
        yes = symptoms_field.get_db_prep_value(["other"], connection)
        none = symptoms_field.get_db_prep_value([], connection)
        text = "Sốt, ho hoặc khó thở (sổ giấy) / Fever, cough or short breath (paper register)"
        values = [
            (pk, self.venue.province_code, self.dt(row.entered_at),
             yes if row.symptoms else none, text if row.symptoms else "", bool(row.contact),
             None, None, "paper")
            for pk, row in fresh
        ]  # fmt: skip
        columns = ["person_id", "province_code", "declared_at", "symptoms", "other_symptom",
                   "contact_with_case", "in_outbreak_area", "vaccine_doses", "source"]  # fmt: skip
        bulk.insert(HealthDeclaration._meta.db_table, columns, values)

    # --- the run -------------------------------------------------------------------------

    def _flush(self, chunk: reading.Chunk) -> None:
        """One transaction per chunk: its refused lines recorded, its persons matched or
        created, then its lines decided and stored through the check-in engine."""
        for line, values, error in chunk.refused:
            self._reject(line, values, error)
        self.report.total_rows = chunk.total_rows
        if chunk.old_indexes:
            if len(self.old_indexes) > KEY_CACHE_LIMIT:
                self.old_indexes.clear()
            self.old_indexes.update(chunk.old_indexes)
        if not chunk.lines:
            return
        with transaction.atomic():
            self._persons(chunk.lines)
            self._store(self._requests(chunk.lines))
            # In the same transaction: the lines stored and the checkpoint a resumed import
            # starts from commit together (and a cancel raised here stores nothing more).
            if self.progress:
                self.progress(self.report, chunk.lines[-1].row.line, chunk.position)
        # The days this chunk filled get planner statistics before the next chunk is decided.
        entered = [line.row.entered_at for line in chunk.lines]
        first, last = (timezone.localdate(at) for at in (min(entered), max(entered)))
        partitions.analyze_new(first + datetime.timedelta(days=n)
                               for n in range((last - first).days + 1))  # fmt: skip

    def run(self, chunks) -> Report:
        """Stores the chunks on a writer thread (with its own connection) while the next ones
        are read or received here; inside a caller's transaction, on this thread."""
        with bulk.writer(self._flush) as writer:
            for chunk in chunks:
                writer.put(chunk)
        return self.report

    def _reject(self, line: int, values: dict, error: register.RowError) -> None:
        self.report.rejected += 1
        self.rejected.add(line, values, error)
        if len(self.report.errors) < REPORTED_ERRORS:
            self.report.errors.append({"line": line, "column": error.column,
                                       "code": error.code, "message_vi": error.vi,
                                       "message_en": error.en})  # fmt: skip


@dataclass
class Checkpoint:
    """Where an interrupted import stopped: every line up to `line` is stored or refused."""

    line: int = 0
    stored: int = 0
    duplicates: int = 0


def import_register(venue: Venue, raw, filename: str, *, uploaded_by=None, now=None,
                    progress=None, resume: Checkpoint | None = None,
                    reader: str | None = None) -> tuple[Report, str]:  # fmt: skip
    """Imports a register file (binary stream); returns the report and the rejected-rows CSV
    text ("" when every row was good). A file-level problem raises VaoraError. `progress` is
    called as progress(report, last_line, bytes_read) inside each chunk's transaction; `resume`
    skips what an earlier, interrupted run of the same file stored. `reader` is "process" or
    "thread" (where the file is read); by default a process for a file on disk of
    READER_PROCESS_BYTES or more."""
    job = PaperImport(venue, uploaded_by=uploaded_by, now=now, progress=progress, resume=resume)
    if reader is None:
        reader = "process" if _on_disk_size(raw) >= READER_PROCESS_BYTES else "thread"
    if reader == "process":
        chunks = reader_process.chunks(job.context, raw.name, filename)
    else:
        tabular_rows = read_rows(raw, filename, register.ALIASES)
        chunks = reading.RegisterReader(job.context).chunks(tabular_rows, raw.tell)
    with contextlib.closing(chunks):  # a failed or cancelled run stops its reader at once
        report = job.run(chunks)
    return report, job.rejected.text()


def _on_disk_size(raw) -> int:
    """The size of a file opened from disk; 0 for anything else (an upload in memory)."""
    try:
        return os.fstat(raw.fileno()).st_size if isinstance(raw.name, str) else 0
    except (AttributeError, OSError, io.UnsupportedOperation):
        return 0
