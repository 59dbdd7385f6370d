"""One writer thread applies queued check-ins in batches: one transaction per batch, then every
request of the batch is answered. Nothing is acknowledged before its commit (threat 23); a
client id seen before is the same visit (threat 24). The rules are those of visits.services,
written as plain SQL because this is the one path that must be fast."""

import asyncio
import datetime
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from vaora.core import signing
from vaora.core.errors import VaoraError
from vaora.ingest.directory import directory
from vaora.venues import codes, tokens
from vaora.visits.models import Source, Visit

BATCH_MAX = 1000
BATCH_WAIT = 0.002  # seconds to gather more requests once one has arrived
RECENT = datetime.timedelta(seconds=60)
FIELD = {name: Visit._meta.get_field(name) for name in ("client_id", "entered_at")}


@dataclass
class Job:
    action: str  # "check_in" or "check_out"
    person_id: int
    client_id: uuid.UUID
    at: datetime.datetime
    token: str = ""
    visit_client_id: uuid.UUID | None = None
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future | None = None
    result: tuple[int, dict] = field(default=(500, {}))


def _uuid(value) -> object:
    return FIELD["client_id"].get_db_prep_value(value, connection)


def _time(value: datetime.datetime) -> object:
    return FIELD["entered_at"].get_db_prep_value(value, connection)


def _read_time(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)
    return parse_datetime(value).replace(tzinfo=datetime.UTC)


_verified: dict[str, signing.Verified] = {}
VERIFIED_CACHE_MAX = 100_000


def _verify(token: str) -> signing.Verified:
    """Signature checks cost more than the rest of a check-in, and the same poster is scanned
    thousands of times: a token verified once is remembered (while its key stays active)."""
    verified = _verified.get(token)
    if verified is not None and verified.kid in signing.active_kids():
        return verified
    verified = signing.verify(token)
    if len(_verified) >= VERIFIED_CACHE_MAX:
        _verified.clear()
    _verified[token] = verified
    return verified


def _resolve(token: str):
    """Token → directory place; the same refusals as the check-in page, from memory."""
    verified = _verify(token)
    if verified.kind not in (signing.Kind.VENUE, signing.Kind.ZONE):
        raise tokens.not_a_place_code()
    if len(verified.body) != tokens.BODY_BYTES:
        raise signing.malformed()
    place = directory.get(codes.unpack(verified.body[: codes.PACKED_BYTES]))
    if place is None or (verified.kind == signing.Kind.ZONE) != (place.zone_id is not None):
        raise tokens.unknown_code()
    (version,) = tokens.VERSION.unpack(verified.body[codes.PACKED_BYTES :])
    if place.revoked:
        raise tokens.revoked("")
    if version != place.version:
        raise tokens.superseded()
    return place


def _check_in(cursor, job: Job, now) -> tuple[int, dict]:
    cursor.execute("SELECT id FROM visits_visit WHERE client_id = %s", [_uuid(job.client_id)])
    row = cursor.fetchone()
    if row:
        return 200, {"status": "duplicate", "visit_id": row[0]}
    place = _resolve(job.token)
    at, stay = job.at, datetime.timedelta(seconds=place.stay_seconds)
    cursor.execute(
        "SELECT id, venue_id, zone_id FROM visits_visit WHERE person_id = %s AND left_at IS NULL"
        " AND entered_at <= %s AND ends_at > %s ORDER BY entered_at DESC LIMIT 1",
        [job.person_id, _time(at), _time(at)],
    )
    current = cursor.fetchone()
    if current and current[1] == place.venue_id and current[2] == place.zone_id:
        cursor.execute(
            "UPDATE visits_visit SET ends_at = CASE WHEN ends_at < %s THEN %s ELSE ends_at END"
            " WHERE id = %s", [_time(at + stay), _time(at + stay), current[0]],
        )  # fmt: skip
        return 200, {"status": "extended", "visit_id": current[0]}
    if current:
        cursor.execute("UPDATE visits_visit SET left_at = %s, ends_at = %s WHERE id = %s",
                       [_time(at), _time(at), current[0]])  # fmt: skip
    ends_at = at + stay
    if now - at > RECENT:  # only a queued (offline) scan can arrive after a later one
        cursor.execute("SELECT MIN(entered_at) FROM visits_visit WHERE person_id = %s"
                       " AND entered_at > %s", [job.person_id, _time(at)])  # fmt: skip
        later = cursor.fetchone()[0]
        ends_at = min(ends_at, _read_time(later)) if later else ends_at
    source = Source.OFFLINE if now - at > datetime.timedelta(minutes=10) else Source.SELF_SCAN
    cursor.execute(
        "INSERT INTO visits_visit (person_id, venue_id, zone_id, province_code, entered_at,"
        " ends_at, source, client_id, scanned_at, received_at, corrected)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        [job.person_id, place.venue_id, place.zone_id, place.province_code, _time(at),
         _time(ends_at), source, _uuid(job.client_id), _time(at), _time(now), False],
    )  # fmt: skip
    return 201, {"status": "stored", "visit_id": cursor.fetchone()[0]}


def _check_out(cursor, job: Job, now) -> tuple[int, dict]:
    cursor.execute("SELECT id FROM visits_visit WHERE checkout_client_id = %s",
                   [_uuid(job.client_id)])  # fmt: skip
    if cursor.fetchone():
        return 200, {"status": "duplicate"}
    cursor.execute("SELECT id, entered_at, left_at FROM visits_visit WHERE client_id = %s"
                   " AND person_id = %s", [_uuid(job.visit_client_id), job.person_id])  # fmt: skip
    row = cursor.fetchone()
    if row is None:
        raise VaoraError("visit_unknown", "Không tìm thấy lượt vào tương ứng.",
                         "The matching check-in was not found.", 404)  # fmt: skip
    if row[2] is not None:
        return 200, {"status": "duplicate", "visit_id": row[0]}
    end = max(job.at, _read_time(row[1]))
    cursor.execute(
        "UPDATE visits_visit SET left_at = %s, ends_at = %s, checkout_client_id = %s WHERE id = %s",
        [_time(end), _time(end), _uuid(job.client_id), row[0]],
    )
    return 200, {"status": "stored", "visit_id": row[0]}


def _apply(cursor, job: Job, now) -> tuple[int, dict]:
    try:
        if job.action == "check_in":
            return _check_in(cursor, job, now)
        return _check_out(cursor, job, now)
    except VaoraError as error:
        return error.status, error.as_dict()


class Writer(threading.Thread):
    def __init__(self):
        super().__init__(name="vaora-ingest-writer", daemon=True)
        self.jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()

    def submit(self, job: Job) -> asyncio.Future:
        job.loop = asyncio.get_running_loop()
        job.future = job.loop.create_future()
        self.jobs.put(job)
        return job.future

    def _gather(self) -> list[Job]:
        batch = [self.jobs.get()]
        deadline = time.monotonic() + BATCH_WAIT
        while len(batch) < BATCH_MAX:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self.jobs.get(timeout=max(remaining, 0)) if remaining > 0
                             else self.jobs.get_nowait())  # fmt: skip
            except queue.Empty:
                break
        return batch

    def run(self) -> None:
        while True:
            batch = self._gather()
            now = timezone.now()
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    for job in batch:
                        job.result = _apply(cursor, job, now)
            except Exception:  # noqa: BLE001 - nothing was committed: every request may retry
                close_old_connections()
                busy = VaoraError("try_again", "Máy chủ bận, hãy gửi lại.",
                                  "The server is busy; send again.", 503)  # fmt: skip
                for job in batch:
                    job.result = (busy.status, busy.as_dict())
            for job in batch:
                job.loop.call_soon_threadsafe(_deliver, job.future, job.result)


def _deliver(future: asyncio.Future, result) -> None:
    if not future.done():
        future.set_result(result)


_writer: Writer | None = None
_writer_lock = threading.Lock()


def writer() -> Writer:
    global _writer
    with _writer_lock:
        if _writer is None:
            _writer = Writer()
            _writer.start()
        return _writer
