"""API for system administrators: the job queue (depth, running, failed) and retrying a job."""

import datetime
import uuid

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from vaora.core import jobs
from vaora.core.api_auth import RoleAuth

router = Router(tags=["operations"], auth=RoleAuth(jobs.require_operator))


class WorkerOut(Schema):
    worker_id: str
    host: str
    pid: int
    started_at: datetime.datetime
    seen_at: datetime.datetime


class QueueOut(Schema):
    ready: int = Field(description="jobs waiting (the queue's depth)")
    running: int
    failed: int
    succeeded_24h: int
    oldest_wait_seconds: int = Field(description="how long the oldest due job has waited")
    workers: list[WorkerOut]


class JobOut(Schema):
    id: uuid.UUID
    task: str = Field(alias="task_name")
    status: str
    enqueued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    attempts: int = Field(description="how many workers took it (more than one: one died)")
    error: str = Field(alias="exception_class_path")

    @staticmethod
    def resolve_attempts(job) -> int:
        return len(job.worker_ids)


@router.get("/ops/queue", response=QueueOut, summary="The job queue at a glance")
def queue(request):
    return jobs.overview(request.user)


@router.get("/ops/jobs", response=list[JobOut], summary="Jobs, newest first")
@paginate
def job_list(request, status: str = ""):
    """`status`: READY, RUNNING, FAILED or SUCCESSFUL (all when empty)."""
    return jobs.jobs_for(request.user, status)


@router.post("/ops/jobs/{job_id}/retry", response=JobOut, summary="Run a failed job again")
def retry(request, job_id: uuid.UUID):
    return jobs.retry(request.user, job_id)
