"""One writer thread applies queued check-ins in batches: one transaction per batch, then every
request of the batch is answered. Nothing is acknowledged before its commit (threat 23); a
client id seen before is the same visit (threat 24). It decides nothing itself: each job
becomes a request for the check-in engine (visits/engine.py), the one rule every door uses.

A job that cannot be decided (a forged or revoked code, a deleted person, a burst) is refused on
its own and its neighbours are stored. Should the batch still fail in the database, its jobs
are retried one by one, so one bad request never fails another's (threat 26)."""

import asyncio
import datetime
import logging
import math
import os
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.utils import timezone

from vaora.core import metrics, signing
from vaora.core.errors import VaoraError
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.venues import codes, tokens
from vaora.visits import engine, rules
from vaora.visits.models import Source

logger = logging.getLogger(__name__)
BATCH_MAX = 1000
# Seconds to gather more requests once one has arrived. 0.25 ms answered 64 clients that each
# wait for an answer 13-21 % faster; under a paced 1,500 check-ins a second, 2 ms makes batches
# of 6-8, and what 0.25 ms would do there is not yet compared alternated: kept at 2 ms until it
# is (decision 0037 and its stop 40 addendum).
BATCH_WAIT = 0.002
# Load shedding: past these, a new check-in is refused at once (503 + Retry-After) instead of
# waiting behind thousands of others until the client times out and sends it again.
MAX_WAITING = int(os.environ.get("VAORA_INGEST_MAX_WAITING", "5000"))
MAX_WAIT_SECONDS = float(os.environ.get("VAORA_INGEST_MAX_WAIT_MS", "2000")) / 1000
DATABASE_PAUSE = 2.0  # seconds new check-ins are refused after the database failed a batch


@dataclass
class Job:
    action: str  # "check_in" or "check_out"
    holder: passes.Pass
    client_id: uuid.UUID
    at: datetime.datetime
    token: str = ""
    visit_client_id: uuid.UUID | None = None
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future | None = None
    result: tuple[int, dict] = field(default=(500, {}))


def pass_revoked() -> VaoraError:
    return VaoraError("pass_revoked", "Thẻ khai báo này đã bị thu hồi: hãy đăng nhập lại.",
                      "This check-in pass was revoked: sign in again.", 401)  # fmt: skip


def not_stored() -> VaoraError:
    return VaoraError("not_stored", "Không lưu được lượt quét này.",
                      "This scan could not be stored.", 409)  # fmt: skip


def busy() -> VaoraError:
    return VaoraError("try_again", "Máy chủ bận, hãy gửi lại.", "The server is busy; send again.",
                      503)  # fmt: skip


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


def _resolve(token: str) -> rules.Place:
    """Token → place; the same refusals as tokens.resolve (the page's), from memory."""
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
        raise tokens.revoked(place.reason)
    if version != place.version:
        raise tokens.superseded()
    return place.rule


def _request(job: Job, now: datetime.datetime):
    # Checked again here: the door's copy of the revocations may predate this batch's refresh.
    if directory.pass_revoked(job.holder):
        raise pass_revoked()
    person_id = job.holder.person_id
    if job.action == "check_in":
        source = rules.source_for(job.at, now, Source.SELF_SCAN, Source.OFFLINE)
        return engine.CheckIn(person_id, job.client_id, job.at, _resolve(job.token), source,
                              throttle=True)  # fmt: skip
    return engine.CheckOut(person_id, job.client_id, job.at,
                           visit_client_id=job.visit_client_id)  # fmt: skip


def _answer(job: Job, result: engine.Result) -> tuple[int, dict]:
    if result.error is not None:
        return result.error.status, result.error.as_dict()
    status = 201 if result.status == "stored" and job.action == "check_in" else 200
    return status, {"status": result.status, "visit_id": result.visit_id}


def process(batch: list[Job], now: datetime.datetime) -> None:
    """Decides and stores a batch in one transaction; sets every job's result."""
    requests, decided = [], []
    for job in batch:
        try:
            requests.append(_request(job, now))
            decided.append(job)
        except VaoraError as error:
            job.result = (error.status, error.as_dict())
            metrics.count_refusal(error.code)
    if not requests:
        return
    started = time.perf_counter()
    with transaction.atomic():
        results = engine.apply(requests, now=now)
    metrics.INGEST_COMMIT.observe(time.perf_counter() - started)
    metrics.INGEST_BATCH.observe(len(requests))
    for job, result in zip(decided, results, strict=True):
        job.result = _answer(job, result)


class Writer(threading.Thread):
    def __init__(self):
        super().__init__(name="vaora-ingest-writer", daemon=True)
        self.jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self.per_second = 1000.0  # recent throughput (jobs a second), for Retry-After
        self.batch_started: float | None = None  # while a batch is in the database
        self.database_failed_at = 0.0

    def retry_after(self) -> int | None:
        """Seconds a new check-in should wait when the writer is behind (queue too long, a
        batch stuck in the database, the database just failed); None when it may queue."""
        now = time.monotonic()
        waiting = self.jobs.qsize()
        if now - self.database_failed_at < DATABASE_PAUSE:
            return math.ceil(DATABASE_PAUSE)
        stuck = self.batch_started is not None and now - self.batch_started > MAX_WAIT_SECONDS
        if waiting >= MAX_WAITING or stuck:
            return max(1, min(30, math.ceil(waiting / max(self.per_second, 1.0))))
        return None

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
            self.batch_started = started = time.monotonic()
            self.apply(batch)
            self.batch_started = None
            took = max(time.monotonic() - started, 1e-4)
            self.per_second = 0.8 * self.per_second + 0.2 * (len(batch) / took)
            if any(job.result[0] == 503 for job in batch):
                self.database_failed_at = time.monotonic()
            for job in batch:
                job.loop.call_soon_threadsafe(_deliver, job.future, job.result)

    @staticmethod
    def apply(batch: list[Job]) -> None:
        now = timezone.now()
        try:
            directory.refresh()
            process(batch, now)
        except (OperationalError, InterfaceError, OSError):
            # The database is unreachable or locked: nothing was committed, every job may retry.
            close_old_connections()
            logger.exception("ingest batch of %d failed", len(batch))
            for job in batch:
                job.result = (503, busy().as_dict())
        except Exception:  # noqa: BLE001 - one job broke what the engine's checks did not foresee
            # Nothing of the batch was committed: each job gets its own transaction, so only
            # the one at fault is refused.
            logger.exception("ingest batch of %d failed; retrying one by one", len(batch))
            for job in batch:
                Writer._alone(job, now)

    @staticmethod
    def _alone(job: Job, now: datetime.datetime) -> None:
        try:
            process([job], now)
        except (OperationalError, InterfaceError):
            close_old_connections()
            job.result = (503, busy().as_dict())
        except Exception:  # noqa: BLE001 - refused alone; the writer thread must live on
            logger.exception("ingest job refused")
            job.result = (409, not_stored().as_dict())


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
