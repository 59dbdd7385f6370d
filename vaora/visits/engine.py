"""The check-in engine: applies a batch of scans to the database, deciding each with the one
decision in visits/rules.py. Every door goes through `apply` — the page, the citizen sync, the
gate and its offline sync, assisted check-in and paper registers through visits/services.py and
paper/importer.py, the fast path through ingest/writer.py — so none decides for itself.

A batch costs a constant number of statements, whatever its size: persons (locked, on
PostgreSQL), the places and recording accounts it names (checked and held: a visit's
references have no database constraint, decision 0028), the visits around the batch's times
(those not over before it: decision 0029) and those its ids name, then one INSERT and one
UPDATE. Decisions are made in memory in the order given, so two scans of one person in the
same batch see each other. Call it inside a transaction; nothing is written before the caller
commits (threat 23), and a refusal of one request never fails another (its Result says why).
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from vaora.core import audit, metrics
from vaora.core.errors import VaoraError
from vaora.visits import rules, visit_sql
from vaora.visits.rules import Mode, Place, Span
from vaora.visits.visit_sql import VisitSql, naive

# From this many requests (a paper register's chunk, not a live batch) PostgreSQL plans the
# engine's statements for the batch's own values instead of reusing the connection's generic
# plan: planning costs a few milliseconds, while a generic plan's `person_id = ANY($n)` filter
# is tested element by element on every visit of the window (seconds for a chunk of 5,000 on a
# day that filled faster than its statistics), and a custom plan hashes the list.
CUSTOM_PLAN_REQUESTS = 1000


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


def place_unknown() -> VaoraError:
    return VaoraError("place_unknown", "Địa điểm này không còn trong hệ thống.",
                      "This place is no longer registered.", 404)  # fmt: skip


def recorder_unknown() -> VaoraError:
    return VaoraError("recorder_unknown", "Tài khoản ghi nhận lượt này không còn trong hệ thống.",
                      "The account recording this check-in is no longer registered.",
                      404)  # fmt: skip


def client_id_taken() -> VaoraError:
    return VaoraError("client_id_conflict", "Mã lượt quét này đã được dùng cho người khác.",
                      "This scan id is already used for someone else.", 409)  # fmt: skip


@dataclass(slots=True)
class _New:
    span: Span
    request: CheckIn


class _Batch:
    """One batch: its inputs read, its requests decided in order, its changes written."""

    def __init__(self, cursor, requests: list, now: datetime.datetime, limits: rules.Window):
        self.sql = VisitSql(cursor)
        self.requests, self.received_at = requests, now
        self.now = naive(now)
        self.oldest = {mode: naive(limits.oldest(mode, now)) for mode in Mode}
        self.limits = limits
        self.family: dict[int, int] = {}  # person id → family key (the guardian, or self)
        self.members: dict[int, set[int]] = defaultdict(set)  # family key → person ids
        self.timeline: dict[int, list[Span]] = defaultdict(list)  # person id → visits
        self.by_client: dict = {}  # client id (as stored) → visit
        self.by_checkout: dict = {}
        self.by_id: dict[int, Span] = {}
        self.new: list[_New] = []
        self.changed: dict[int, Span] = {}
        self.throttled: dict = {}  # scan group → its refusal, or None
        self.venues: set[int] = set()  # the batch's venues, zones and recorders that exist
        self.zones: set[int] = set()
        self.recorders: set[int] = set()

    # --- inputs ------------------------------------------------------------------------

    def load(self) -> None:
        ids = {r.person_id if isinstance(r, CheckIn) else r.family_of for r in self.requests}
        # A family matters to throttled scans (counted together) and check-outs (a guardian
        # closes a dependant's visit); a paper register or a gate needs only the persons named.
        families = any(isinstance(r, CheckOut) or r.throttle for r in self.requests)
        for pk, guardian in self.sql.persons(ids, with_dependants=families):
            key = guardian or pk
            self.family[pk] = key
            self.members[key].add(pk)
        # A visit's references carry no database constraint (decision 0028): checked here,
        # once a batch, and held until it commits (the persons above are locked too).
        check_ins = [r for r in self.requests if isinstance(r, CheckIn)]
        if check_ins:  # check-outs store nothing new
            self.venues, self.zones, self.recorders = self.sql.referenced(
                {r.place.venue_id for r in check_ins},
                {r.place.zone_id for r in check_ins if r.place.zone_id is not None},
                {r.recorded_by_id for r in check_ins if r.recorded_by_id is not None},
            )
        times = [r.at for r in self.requests]
        times += [r.left_at for r in self.requests if isinstance(r, CheckIn) and r.left_at]
        low, high = naive(min(times)) - rules.MAX_STAY, naive(max(times)) + rules.MAX_STAY
        key = self.sql.key
        scans = [key(r.client_id) for r in self.requests if isinstance(r, CheckIn) and r.client_id]
        named = [key(r.visit_client_id) for r in self.requests
                 if isinstance(r, CheckOut) and r.visit_client_id]  # fmt: skip
        checkouts = [key(r.client_id) for r in self.requests
                     if isinstance(r, CheckOut) and r.client_id]  # fmt: skip
        visit_ids = [r.visit_id for r in self.requests if isinstance(r, CheckOut) and r.visit_id]
        # A check-in's own id is looked for where the visit it stored would be — the place's
        # province, entered at the scan's time — within the batch's window: a retry is always
        # there, and no other day partition or node is probed (decision 0024). What check-outs
        # name by id is looked for everywhere (any province: a device does not know it). Then
        # each person's timeline in the provinces of the batch — the places scanned and the
        # visits named — so that under Citus it is read on their nodes only (decision 0018).
        provinces = {r.place.province_code for r in self.requests if isinstance(r, CheckIn)}
        spans = self.sql.visits_named(scans, low, high, provinces)
        spans += self.sql.visits("client_id IN (?)", named)
        spans += self.sql.visits("checkout_client_id IN (?)", checkouts)
        spans += self.sql.visits("id IN (?)", visit_ids)
        provinces |= {span.province_code for span in spans}
        spans = self.sql.visits_around(list(self.family), low, high, provinces,
                                       self._ends_after()) + spans  # fmt: skip
        for span in spans:
            if span.id not in self.by_id:
                self._know(span)

    def _ends_after(self) -> datetime.datetime | None:
        """The earliest end a visit needs to matter to this batch (rules.ends_after). None with a
        check-out: the first visit after the one it closes caps it, however long ago that one
        ended."""
        if any(isinstance(r, CheckOut) for r in self.requests):
            return None
        return min(rules.ends_after(naive(r.at), throttled=r.throttle) for r in self.requests)

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

    def _check_time(self, at: datetime.datetime, mode: Mode) -> None:
        """rules.check_time, with the batch's bounds computed once."""
        if at > self.now + rules.CLOCK_SKEW:
            raise rules.in_future()
        if at < self.oldest[mode]:
            raise self.limits.refusal(mode)

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
        client_id = self.sql.key(request.client_id)
        known = self.by_client.get(client_id)
        if known is not None:
            if self._same_family(known.person_id, request.person_id):
                return Result("duplicate", known.id, span=known)
            raise client_id_taken()
        at = naive(request.at)
        self._check_time(at, request.mode)
        if request.person_id not in self.family:
            raise person_unknown()
        place = request.place
        if place.venue_id not in self.venues or (place.zone_id is not None
                                                 and place.zone_id not in self.zones):  # fmt: skip
            raise place_unknown()
        if request.recorded_by_id is not None and request.recorded_by_id not in self.recorders:
            raise recorder_unknown()
        if request.throttle:
            self._throttle(request, at)
        visits = self.timeline[request.person_id]
        decision = rules.decide_check_in(visits, request.place, at, naive(request.left_at))
        if decision.action is rules.Action.EXTEND:
            current = decision.changed
            if (decision.changed_ends_at, decision.changed_left_at) == (
                current.ends_at,
                current.left_at,
            ):
                return Result("duplicate", current.id, span=current)  # a scan already covered
            self._change(current, decision.changed_ends_at, decision.changed_left_at)
            return Result("extended", current.id, span=current)
        if decision.changed is not None:
            self._change(decision.changed, decision.changed_ends_at, decision.changed_left_at)
        span = Span(None, request.person_id, request.place.venue_id, request.place.zone_id,
                    decision.entered_at, decision.ends_at, decision.left_at, client_id,
                    province_code=request.place.province_code)  # fmt: skip
        self._know(span)
        self.new.append(_New(span, request))
        return Result("stored", span=span)

    def _throttle(self, request: CheckIn, at: datetime.datetime) -> None:
        group = request.group or request.client_id
        if group not in self.throttled:
            key = self.family[request.person_id]
            family_visits = [v for pk in self.members[key] for v in self.timeline[pk]]
            refused = rules.burst_exceeded(family_visits, at, request.group_size)
            self.throttled[group] = rules.too_many() if refused else None
            if refused:
                audit.record(None, "visit.burst_refused", subject_person_id=request.person_id,
                             row_count=len(family_visits),
                             details={"venue_id": request.place.venue_id})  # fmt: skip
        if self.throttled[group] is not None:
            raise self.throttled[group]

    def _check_out(self, request: CheckOut) -> Result:
        checkout_id = self.sql.key(request.client_id)
        if checkout_id is not None and checkout_id in self.by_checkout:
            done = self.by_checkout[checkout_id]
            return Result("duplicate", done.id, span=done)
        at = naive(request.at)
        self._check_time(at, Mode.LIVE)
        if request.visit_id is not None:
            visit = self.by_id.get(request.visit_id)
        else:
            visit = self.by_client.get(self.sql.key(request.visit_client_id))
        if visit is None or not self._same_family(visit.person_id, request.family_of):
            raise visit_unknown()
        decision = rules.decide_check_out(self.timeline[visit.person_id], visit, at)
        if decision is None:
            return Result("duplicate", visit.id, span=visit)
        self._change(visit, decision.changed_ends_at, decision.changed_left_at)
        visit.checkout_client_id = checkout_id
        if checkout_id is not None:
            self.by_checkout[checkout_id] = visit
        return Result("stored", visit.id, span=visit)

    def _change(self, span: Span, ends_at, left_at) -> None:
        span.ends_at, span.left_at = ends_at, left_at
        if span.id is not None:
            self.changed[span.id] = span

    # --- writing -----------------------------------------------------------------------

    def write(self, results: list[Result]) -> None:
        if self.new:
            received = naive(self.received_at)
            rows = [(n.span.person_id, n.span.venue_id, n.span.zone_id,
                     n.request.place.province_code, n.span.entered_at, n.span.ends_at,
                     n.span.left_at, n.request.source, n.span.client_id,
                     n.span.checkout_client_id, n.span.entered_at, received,
                     n.request.recorded_by_id) for n in self.new]  # fmt: skip
            ids = self.sql.insert(rows)
            for new in self.new:
                new.span.id = ids.get(new.span.client_id)
        if self.changed:
            self.sql.update(list(self.changed.values()))
        for result in results:
            if result.span is not None:
                if result.span.id is None:  # lost its client id to another writer meanwhile
                    result.status, result.error = "rejected", client_id_taken()
                result.visit_id = result.span.id


def apply(requests: list, *, now: datetime.datetime | None = None,
          limits: rules.Window | None = None) -> list[Result]:  # fmt: skip
    """Decides and stores `requests` (CheckIn and CheckOut, in the order given) inside the
    caller's transaction; one Result per request, in the same order."""
    if not requests:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("engine.apply must run inside a transaction")
    with visit_sql.cursor() as cursor:
        if len(requests) >= CUSTOM_PLAN_REQUESTS and connection.vendor == "postgresql":
            # Planned for this batch's own values until its transaction ends (decision 0023).
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        batch = _Batch(cursor, requests, now or timezone.now(), limits or window())
        batch.load()
        results = batch.decide()
        batch.write(results)
    # Counted once committed: a batch rolled back and retried is counted when it lands.
    transaction.on_commit(lambda: metrics.count_results(results))
    return results
