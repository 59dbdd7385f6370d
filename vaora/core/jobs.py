"""Background work, run by `vaora worker` (never by a thread of a web process): a durable queue
in the database (the django-tasks database backend, docs/decisions/0016-job-queue.md) plus what
that library leaves to us — leases so that the scheduler and the SMS sender run once per
installation, worker heartbeats so that a job held by a killed worker goes back to the queue,
the periodic jobs the apps declare, and what the operator page shows and retries.

A job must be safe to run twice: a worker killed after the work but before recording it
leaves the job to run again. Each job here is (imports skip what they stored, deliveries
carry an idempotency key, rollups and purges recompute)."""

import dataclasses
import datetime
import logging
import os
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from vaora.core import audit, hooks
from vaora.core.errors import NotFound, VaoraError
from vaora.core.models import Lease, ScheduledRun, WorkerBeat
from vaora.core.roles import Role
from vaora.core.scoping import role_of

log = logging.getLogger(__name__)
Status = TaskResultStatus
MAX_ATTEMPTS = 3  # a job whose worker died this many times is failed, not run again
KEEP_FINISHED = datetime.timedelta(days=14)


def stale_after() -> datetime.timedelta:
    """How long a silent worker is taken for dead (VAORA_WORKER_STALE_SECONDS, default 60)."""
    return datetime.timedelta(seconds=int(os.environ.get("VAORA_WORKER_STALE_SECONDS", "60")))


# --- leases ----------------------------------------------------------------------------------


def acquire(name: str, holder: str, seconds: float, *, now=None) -> bool:
    """Takes or renews the lease `name` for `seconds`; False while another holder's runs."""
    now = now or timezone.now()
    expires = now + datetime.timedelta(seconds=seconds)
    updated = Lease.objects.filter(name=name, holder=holder).update(expires_at=expires)
    if updated:
        return True
    updated = Lease.objects.filter(name=name, expires_at__lt=now).update(
        holder=holder, expires_at=expires
    )
    if updated:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=expires)
        return True
    except IntegrityError:  # somebody else holds it
        return False


def release(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).delete()


# --- workers ---------------------------------------------------------------------------------


def beat(worker_id: str, *, host: str, pid: int, started_at, now=None) -> None:
    now = now or timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": host[:120], "pid": pid, "started_at": started_at, "seen_at": now},
    )


def live_workers(now=None):
    now = now or timezone.now()
    return WorkerBeat.objects.filter(seen_at__gte=now - stale_after()).order_by("started_at")


def recover(now=None) -> int:
    """Jobs marked running by a worker that stopped beating go back to the queue (or fail after
    MAX_ATTEMPTS deaths: a job that kills its worker must not do it forever)."""
    now = now or timezone.now()
    alive = set(live_workers(now).values_list("worker_id", flat=True))
    recovered = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        for job in DBTaskResult.objects.running().select_for_update():
            holder = job.worker_ids[-1] if job.worker_ids else ""
            if holder in alive or (job.started_at and job.started_at > now - stale_after()):
                continue
            if len(job.worker_ids) >= MAX_ATTEMPTS:
                job.status, job.finished_at = Status.FAILED, now
                job.exception_class_path = "vaora.core.jobs.WorkerDied"
                job.traceback = f"The worker running this job died {len(job.worker_ids)} times."
                job.save(update_fields=["status", "finished_at", "exception_class_path",
                                        "traceback"])  # fmt: skip
            else:
                job.status, job.started_at = Status.READY, None
                job.save(update_fields=["status", "started_at"])
            recovered += 1
    if recovered:
        log.warning("recovered %d job(s) from dead workers", recovered)
    WorkerBeat.objects.filter(seen_at__lt=now - 10 * stale_after()).delete()
    return recovered


# --- periodic jobs ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Periodic:
    """A job the scheduler enqueues every `every`, or once a day from `daily_at_hour` local
    time; `wanted` (optional) says whether there is anything to do this time."""

    name: str
    task: object  # a django_tasks Task taking no argument
    every: datetime.timedelta = datetime.timedelta(days=1)
    daily_at_hour: int | None = None
    wanted: Callable[[], bool] | None = None


def periodic() -> list[Periodic]:
    """What every app asked for ("jobs.periodic" answers are lists of Periodic)."""
    return [job for answer in hooks.answers("jobs.periodic") for job in answer]


def _due(job: Periodic, last, now) -> bool:
    if job.daily_at_hour is not None:
        local = timezone.localtime(now)
        done_today = last is not None and timezone.localtime(last).date() == local.date()
        return local.hour >= job.daily_at_hour and not done_today
    return last is None or now - last >= job.every


def pending(task) -> bool:
    """Whether a job of this task is already waiting or running (no pile-up of the same job)."""
    return DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=(Status.READY, Status.RUNNING)
    ).exists()


def schedule(now=None) -> list[str]:
    """Enqueues every periodic job that is due; returns their names. Called by the one worker
    that holds the "scheduler" lease."""
    now = now or timezone.now()
    last_runs = dict(ScheduledRun.objects.values_list("name", "last_run_at"))
    started = []
    for job in periodic():
        if not _due(job, last_runs.get(job.name), now) or pending(job.task):
            continue
        if job.wanted is not None and not job.wanted():
            continue
        with transaction.atomic():
            job.task.enqueue()
            ScheduledRun.objects.update_or_create(name=job.name, defaults={"last_run_at": now})
        started.append(job.name)
    return started


# --- what operators see ----------------------------------------------------------------------


def require_operator(user) -> None:
    if role_of(user) != Role.ADMIN:
        raise VaoraError("forbidden", "Chỉ quản trị hệ thống xem được hàng đợi công việc.",
                         "Only system administrators can see the job queue.", 403)  # fmt: skip


def overview(user, now=None) -> dict:
    """Queue depth, running and failed jobs, the oldest wait, live workers, periodic runs."""
    require_operator(user)
    now = now or timezone.now()
    jobs = DBTaskResult.objects.all()
    ready = jobs.filter(status=Status.READY)
    oldest = ready.filter(run_after__lte=now).order_by("enqueued_at").first()
    day_ago = now - datetime.timedelta(days=1)
    return {
        "ready": ready.count(),
        "running": jobs.filter(status=Status.RUNNING).count(),
        "failed": jobs.filter(status=Status.FAILED).count(),
        "succeeded_24h": jobs.filter(status=Status.SUCCESSFUL, finished_at__gte=day_ago).count(),
        "oldest_wait_seconds": round((now - oldest.enqueued_at).total_seconds())
        if oldest else 0,
        "workers": list(live_workers(now)),
        "schedule": list(ScheduledRun.objects.order_by("name")),
    }  # fmt: skip


def jobs_for(user, status: str = ""):
    require_operator(user)
    rows = DBTaskResult.objects.order_by("-enqueued_at")
    if status:
        if status not in Status.values:
            raise VaoraError("bad_status", "Trạng thái không hợp lệ.", "Unknown status.", 400)
        rows = rows.filter(status=status)
    return rows


def retry(user, job_id) -> DBTaskResult:
    """A failed job runs again: the same task and arguments as a new job (the failed one stays,
    for the record)."""
    require_operator(user)
    job = DBTaskResult.objects.filter(pk=job_id).first()  # the routes accept only UUIDs
    if job is None:
        raise NotFound("công việc", "job")
    if job.status != Status.FAILED:
        raise VaoraError("not_failed", "Chỉ chạy lại được công việc đã lỗi.",
                         "Only a failed job can be retried.", 409)  # fmt: skip
    with transaction.atomic():
        again = job.task.enqueue(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        audit.record(user, "job.retried", details={"job": str(job.pk), "task": job.task_name,
                                                   "new_job": str(again.id)})  # fmt: skip
    return DBTaskResult.objects.get(pk=again.id)


def purge(now) -> dict[str, int]:
    """Finished jobs are kept two weeks for the operator page (their arguments are ids only)."""
    finished = DBTaskResult.objects.filter(
        status__in=(Status.SUCCESSFUL, Status.FAILED), finished_at__lt=now - KEEP_FINISHED
    )
    return {"jobs": finished.delete()[0]}
