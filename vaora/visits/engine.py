"""The check-in engine: applies a batch of scans to the database, deciding each with the one
decision in visits/rules.py. Every door goes through `apply` — the page, the citizen sync, the
gate and its offline sync, assisted check-in and paper registers through visits/services.py and
paper/importer.py, the fast path through ingest/writer.py — so none decides for itself.

A batch costs a constant number of statements, whatever its size: persons (locked, on
PostgreSQL), the visits around the batch's times and those its ids name, then one INSERT and
one UPDATE. Decisions are made in memory in the order given, so two scans of one person in the
same batch see each other. Call it inside a transaction; nothing is written before the caller
commits (threat 23), and a refusal of one request never fails another (its Result says why).
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from vaora.core import audit, bulk
from vaora.core.errors import VaoraError
from vaora.visits import rules
from vaora.visits.models import Visit
from vaora.visits.rules import Mode, Place, Span

TABLE = Visit._meta.db_table
CHUNK = 2000  # ids per IN (...) list


@dataclass(slots=True)
class CheckIn:
    person_id: int
    client_id: uuid.UUID
    at: datetime.datetime
    place: Place
    source: str
    mode: Mode = Mode.LIVE
    left_at: datetime.datetime | None = None  # a known exit (paper)
    recorded_by_id: int | None = None
    # Self-service doors (page, sync, fast path) are throttled (threat 2); a family scan's
    # members share one check, made on its first request with the whole family counted.
    throttle: bool = False
    group: uuid.UUID | None = None
    group_size: int = 1


@dataclass(slots=True)
class CheckOut:
    family_of: int  # the person whose own or dependant's visit this may close
    client_id: uuid.UUID | None
    at: datetime.datetime
    visit_client_id: uuid.UUID | None = None
    visit_id: int | None = None


@dataclass(slots=True)
class Result:
    status: str  # stored, extended, duplicate, rejected
    visit_id: int | None = None
    error: VaoraError | None = None
    span: Span | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


def window() -> rules.Window:
    return rules.Window(settings.VAORA_LATE_UPLOAD_HOURS, settings.VAORA_RETENTION_DAYS)


def person_unknown() -> VaoraError:
    return VaoraError("person_unknown", "Người này không còn trong hệ thống.",
                      "This person is no longer registered.", 404)  # fmt: skip


def visit_unknown() -> VaoraError:
    return VaoraError("visit_unknown", "Không tìm thấy lượt vào tương ứng.",
                      "The matching check-in was not found.", 404)  # fmt: skip


def client_id_taken() -> VaoraError:
    return VaoraError("client_id_conflict", "Mã lượt quét này đã được dùng cho người khác.",
                      "This scan id is already used for someone else.", 409)  # fmt: skip


# --- reading and writing: plain SQL that SQLite (≥ 3.35) and PostgreSQL both run ------------


class _Sql:
    def __init__(self, cursor):
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        self.when, self.uuid_bytes = bulk.adapters()

    def db_uuid(self, value: uuid.UUID | None):
        return None if value is None else self.uuid_bytes(value.bytes)

    @staticmethod
    def read_uuid(value) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(value)

    @staticmethod
    def read_time(value) -> datetime.datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.fromisoformat(value)
        # SQLite's text is naive UTC (as Django stores it); PostgreSQL hands aware datetimes.
        return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)

    def rows(self, sql: str, values: list, *head) -> list[tuple]:
        """Runs `sql` (whose "(?)" becomes the list) for chunks of `values`."""
        found = []
        for chunk in bulk.chunks(sorted(set(values)), CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            self.cursor.execute(sql.replace("(?)", f"({marks})"), [*head, *chunk])
            found.extend(self.cursor.fetchall())
        return found

    def visits(self, where: str, values: list, *head) -> list[tuple]:
        """Visit rows; `where` is one of this module's constant conditions, never input."""
        if not values:
            return []
        columns = self.COLUMNS if self.postgres else self.SQLITE_COLUMNS
        return self.rows(f"SELECT {columns} FROM {TABLE} WHERE {where}", values, *head)  # noqa: S608

    COLUMNS = ("id, person_id, venue_id, zone_id, entered_at, ends_at, left_at, client_id,"
               " checkout_client_id")  # fmt: skip
    # Times as plain text on SQLite: Django's converter parses each one in Python, and
    # datetime.fromisoformat (C) does it several times faster.
    SQLITE_COLUMNS = ("id, person_id, venue_id, zone_id, CAST(entered_at AS TEXT),"
                      " CAST(ends_at AS TEXT), CAST(left_at AS TEXT), client_id,"
                      " checkout_client_id")  # fmt: skip

    def span(self, row) -> Span:
        pk, person, venue, zone, entered, ends, left, client, checkout = row
        return Span(pk, person, venue, zone, self.read_time(entered), self.read_time(ends),
                    self.read_time(left), self.read_uuid(client),
                    self.read_uuid(checkout))  # fmt: skip


@dataclass
class _New:
    span: Span
    request: CheckIn
    received_at: datetime.datetime


class _Batch:
    def __init__(self, cursor, requests: list, now: datetime.datetime, limits: rules.Window):
        self.sql = _Sql(cursor)
        self.requests, self.now, self.limits = requests, now, limits
        self.family: dict[int, int] = {}  # person id → family key (the guardian, or self)
        self.members: dict[int, set[int]] = defaultdict(set)  # family key → person ids
        self.timeline: dict[int, list[Span]] = defaultdict(list)  # person id → visits
        self.by_client: dict[uuid.UUID, Span] = {}
        self.by_checkout: dict[uuid.UUID, Span] = {}
        self.by_id: dict[int, Span] = {}
        self.new: list[_New] = []
        self.changed: dict[int, Span] = {}
        self.throttled: dict[uuid.UUID, VaoraError | None] = {}

    # --- inputs ------------------------------------------------------------------------

    def load(self) -> None:
        ids = {r.person_id if isinstance(r, CheckIn) else r.family_of for r in self.requests}
        lock = " ORDER BY id FOR UPDATE" if self.sql.postgres else ""
        # Locks the persons (PostgreSQL; SQLite writes one transaction at a time), so scans of
        # one person in two server processes are decided one after the other.
        for chunk in bulk.chunks(sorted(ids), CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            self.sql.cursor.execute(
                f"SELECT id, guardian_id FROM people_person WHERE id IN ({marks})"  # noqa: S608
                f" OR guardian_id IN ({marks}){lock}", [*chunk, *chunk],
            )  # fmt: skip
            for pk, guardian in self.sql.cursor.fetchall():
                key = guardian or pk
                self.family[pk] = key
                self.members[key].add(pk)
        self._load_visits()

    def _load_visits(self) -> None:
        times = [r.at for r in self.requests]
        ends = [r.left_at for r in self.requests if isinstance(r, CheckIn) and r.left_at]
        low = min(times) - rules.MAX_STAY
        high = max(times + ends) + rules.MAX_STAY
        when = self.sql.when
        spans = self.sql.visits("entered_at >= %s AND entered_at <= %s AND person_id IN (?)",
                                list(self.family), when(low), when(high))  # fmt: skip
        named = [r.client_id for r in self.requests if r.client_id]
        named += [r.visit_client_id for r in self.requests
                  if isinstance(r, CheckOut) and r.visit_client_id]  # fmt: skip
        spans += self.sql.visits("client_id IN (?)", [self.sql.db_uuid(u) for u in named])
        checkouts = [r.client_id for r in self.requests if isinstance(r, CheckOut) and r.client_id]
        spans += self.sql.visits("checkout_client_id IN (?)",
                                 [self.sql.db_uuid(u) for u in checkouts])  # fmt: skip
        ids = [r.visit_id for r in self.requests if isinstance(r, CheckOut) and r.visit_id]
        spans += self.sql.visits("id IN (?)", ids)
        for row in spans:
            if row[0] not in self.by_id:
                self._know(self.sql.span(row))

    def _know(self, span: Span) -> None:
        if span.id is not None:
            self.by_id[span.id] = span
        self.timeline[span.person_id].append(span)
        if span.client_id is not None:
            self.by_client[span.client_id] = span
        if span.checkout_client_id is not None:
            self.by_checkout[span.checkout_client_id] = span

    def _same_family(self, a: int, b: int) -> bool:
        return a == b or (a in self.family and self.family.get(a) == self.family.get(b))

    # --- decisions ---------------------------------------------------------------------

    def decide(self) -> list[Result]:
        results = []
        for request in self.requests:
            try:
                if isinstance(request, CheckIn):
                    results.append(self._check_in(request))
                else:
                    results.append(self._check_out(request))
            except VaoraError as error:
                results.append(Result("rejected", error=error))
        return results

    def _check_in(self, request: CheckIn) -> Result:
        known = self.by_client.get(request.client_id)
        if known is not None:
            if self._same_family(known.person_id, request.person_id):
                return Result("duplicate", known.id, span=known)
            raise client_id_taken()
        rules.check_time(request.at, self.now, request.mode, self.limits)
        if request.person_id not in self.family:
            raise person_unknown()
        if request.throttle:
            self._throttle(request)
        visits = self.timeline[request.person_id]
        decision = rules.decide_check_in(visits, request.place, request.at, request.left_at)
        if decision.changed is not None:
            self._change(decision.changed, decision.changed_ends_at, decision.changed_left_at)
        if decision.action is rules.Action.EXTEND:
            return Result("extended", decision.changed.id, span=decision.changed)
        span = Span(None, request.person_id, request.place.venue_id, request.place.zone_id,
                    decision.entered_at, decision.ends_at, decision.left_at,
                    request.client_id)  # fmt: skip
        self._know(span)
        self.new.append(_New(span, request, self.now))
        return Result("stored", span=span)

    def _throttle(self, request: CheckIn) -> None:
        group = request.group or request.client_id
        if group not in self.throttled:
            key = self.family[request.person_id]
            family_visits = [v for pk in self.members[key] for v in self.timeline[pk]]
            refused = rules.burst_exceeded(family_visits, request.at, request.group_size)
            self.throttled[group] = rules.too_many() if refused else None
            if refused:
                audit.record(None, "visit.burst_refused", subject_person_id=request.person_id,
                             row_count=len(family_visits),
                             details={"venue_id": request.place.venue_id})  # fmt: skip
        if self.throttled[group] is not None:
            raise self.throttled[group]

    def _check_out(self, request: CheckOut) -> Result:
        if request.client_id is not None and request.client_id in self.by_checkout:
            done = self.by_checkout[request.client_id]
            return Result("duplicate", done.id, span=done)
        rules.check_time(request.at, self.now, Mode.LIVE, self.limits)
        if request.visit_id is not None:
            visit = self.by_id.get(request.visit_id)
        else:
            visit = self.by_client.get(request.visit_client_id)
        if visit is None or not self._same_family(visit.person_id, request.family_of):
            raise visit_unknown()
        decision = rules.decide_check_out(self.timeline[visit.person_id], visit, request.at)
        if decision is None:
            return Result("duplicate", visit.id, span=visit)
        self._change(visit, decision.changed_ends_at, decision.changed_left_at)
        visit.checkout_client_id = request.client_id
        if request.client_id is not None:
            self.by_checkout[request.client_id] = visit
        return Result("stored", visit.id, span=visit)

    def _change(self, span: Span, ends_at, left_at) -> None:
        span.ends_at, span.left_at = ends_at, left_at
        if span.id is not None:
            self.changed[span.id] = span

    # --- writing -----------------------------------------------------------------------

    def write(self, results: list[Result]) -> None:
        if self.new:
            self._insert()
        if self.changed:
            self._update()
        for result in results:
            if result.span is not None:
                if result.span.id is None:  # lost its client id to another writer meanwhile
                    result.status, result.error = "rejected", client_id_taken()
                result.visit_id = result.span.id

    def _insert(self) -> None:
        when, to_uuid = self.sql.when, self.sql.db_uuid
        rows = []
        for new in self.new:
            span, request = new.span, new.request
            rows.append((span.person_id, span.venue_id, span.zone_id,
                         request.place.province_code, when(span.entered_at), when(span.ends_at),
                         when(span.left_at), request.source, to_uuid(span.client_id),
                         to_uuid(span.checkout_client_id), when(request.at),
                         when(new.received_at), request.recorded_by_id))  # fmt: skip
        columns = ["person_id", "venue_id", "zone_id", "province_code", "entered_at", "ends_at",
                   "left_at", "source", "client_id", "checkout_client_id", "scanned_at",
                   "received_at", "recorded_by_id"]  # fmt: skip
        if self.sql.postgres:
            inserted = _pg_insert(self.sql.cursor, columns, rows)
        else:
            inserted = bulk.insert(TABLE, [*columns, "corrected"],
                                   [(*row, False) for row in rows], conflict="client_id",
                                   returning="id, client_id")  # fmt: skip
        ids = {self.sql.read_uuid(client): pk for pk, client in inserted}
        for new in self.new:
            new.span.id = ids.get(new.span.client_id)
            if new.span.id is not None:
                self.by_id[new.span.id] = new.span

    def _update(self) -> None:
        spans = list(self.changed.values())
        when, to_uuid = self.sql.when, self.sql.db_uuid
        if self.sql.postgres:
            self.sql.cursor.execute(
                f"UPDATE {TABLE} AS v SET ends_at = c.ends_at, left_at = c.left_at,"  # noqa: S608
                " checkout_client_id = c.checkout FROM unnest(%s::bigint[],"
                " %s::timestamptz[], %s::timestamptz[], %s::uuid[])"
                " AS c(id, ends_at, left_at, checkout) WHERE v.id = c.id",
                [[s.id for s in spans], [s.ends_at for s in spans], [s.left_at for s in spans],
                 [s.checkout_client_id for s in spans]],
            )  # fmt: skip
            return
        for chunk in bulk.chunks(spans, 500):
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            self.sql.cursor.execute(
                f"WITH c(id, ends_at, left_at, checkout) AS (VALUES {values})"  # noqa: S608
                f" UPDATE {TABLE} SET ends_at = c.ends_at, left_at = c.left_at,"
                f" checkout_client_id = c.checkout FROM c WHERE {TABLE}.id = c.id",
                [value for s in chunk for value in (s.id, when(s.ends_at), when(s.left_at),
                                                     to_uuid(s.checkout_client_id))],
            )  # fmt: skip


def _pg_insert(cursor, columns: list[str], rows: list[tuple]) -> list[tuple]:
    """One INSERT for the whole batch on PostgreSQL: one array per column, unnested."""
    types = ["bigint", "bigint", "bigint", "text", "timestamptz", "timestamptz", "timestamptz",
             "text", "uuid", "uuid", "timestamptz", "timestamptz", "bigint"]  # fmt: skip
    arrays = [list(column) for column in zip(*rows, strict=True)]
    unnest = ", ".join(f"%s::{kind}[]" for kind in types)
    cursor.execute(
        f"INSERT INTO {TABLE} ({', '.join(columns)}, corrected)"  # noqa: S608
        f" SELECT *, false FROM unnest({unnest})"
        " ON CONFLICT (client_id) DO NOTHING RETURNING id, client_id", arrays,
    )  # fmt: skip
    return cursor.fetchall()


def apply(requests: list, *, now: datetime.datetime | None = None,
          limits: rules.Window | None = None) -> list[Result]:  # fmt: skip
    """Decides and stores `requests` (CheckIn and CheckOut, in the order given) inside the
    caller's transaction; one Result per request, in the same order."""
    if not requests:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("engine.apply must run inside a transaction")
    with connection.cursor() as cursor:
        batch = _Batch(cursor, requests, now or timezone.now(), limits or window())
        batch.load()
        results = batch.decide()
        batch.write(results)
    return results
