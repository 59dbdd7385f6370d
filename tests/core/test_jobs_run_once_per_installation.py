"""One scheduler per installation: periodic jobs are queued once when due whatever the number of
workers (a lease; the second waits until the first stops renewing), never piled up, the digest
once a day after 07:00; a job whose worker died goes back to the queue, and fails after three
deaths instead of killing workers forever."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.jobs import run_jobs
from vaora.core import jobs
from vaora.core.tasks import purge
from vaora.oversight.tasks import refresh_rollups, send_digests

pytestmark = pytest.mark.django_db
MORNING = "2026-11-30T01:30:00Z"  # 08:30 in Việt Nam
NIGHT = "2026-11-29T22:30:00Z"  # 05:30


def queued() -> list[str]:
    return sorted(j.task_name for j in DBTaskResult.objects.ready())


def test_a_second_scheduler_waits_for_the_lease():
    now = timezone.now()
    assert jobs.acquire("scheduler", "worker-1", 60, now=now)
    assert not jobs.acquire("scheduler", "worker-2", 60, now=now)
    assert jobs.acquire("scheduler", "worker-1", 60, now=now + datetime.timedelta(seconds=30))
    later = now + datetime.timedelta(seconds=100)  # worker-1 stopped renewing
    assert jobs.acquire("scheduler", "worker-2", 60, now=later)
    assert not jobs.acquire("scheduler", "worker-1", 60, now=later)


@freeze_time(MORNING)
def test_it_queues_each_due_job_once_and_never_piles_them_up(monkeypatch):
    monkeypatch.setenv("VAORA_ROLLUP_MINUTES", "10")
    # PostgreSQL also makes the coming days' visit partitions (visits/partitions.py).
    partitioned = connection.vendor == "postgresql"
    daily = ["purge", "visit-partitions"] if partitioned else ["purge"]
    assert jobs.schedule() == [*daily, "digest", "rollup"]  # no SMS waiting: no delivery
    made = ["make_partitions"] if partitioned else []
    assert queued() == sorted(["purge", "refresh_rollups", "send_digests", *made])
    assert jobs.schedule() == []  # again at once: nothing is due, nothing is added
    with freeze_time("2026-11-30T01:45:00Z"):  # rollup due again, but the last one waits
        assert jobs.schedule() == []
        run_jobs()
        assert jobs.schedule() == ["rollup"]


@freeze_time(NIGHT)
def test_the_digest_waits_for_seven_in_the_morning():
    jobs.schedule()
    assert "send_digests" not in queued()
    run_jobs()
    with freeze_time(MORNING):
        assert "digest" in jobs.schedule()
        run_jobs()
        assert "digest" not in jobs.schedule()


@freeze_time(MORNING)
def test_it_puts_back_the_job_of_a_dead_worker_and_fails_it_after_three_deaths():
    job = purge.enqueue()
    row = DBTaskResult.objects.get(pk=job.id)
    for death in range(1, 4):
        row.claim(f"worker-{death}")  # it started, then its worker vanished (no heartbeat)
        with freeze_time("2026-11-30T01:40:00Z"):
            assert jobs.recover() == 1
        row.refresh_from_db()
        assert row.status == ("FAILED" if death == 3 else "READY")
    assert "died 3 times" in row.traceback


@freeze_time(MORNING)
def test_it_leaves_the_job_of_a_live_worker_alone():
    job = refresh_rollups.enqueue()
    DBTaskResult.objects.get(pk=job.id).claim("worker-1")
    with freeze_time("2026-11-30T01:40:00Z"):
        jobs.beat("worker-1", host="h", pid=1, started_at=timezone.now())
        assert jobs.recover() == 0
    assert DBTaskResult.objects.get(pk=job.id).status == "RUNNING"


def test_a_failed_digest_does_not_stop_the_others(monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr("vaora.oversight.reminders.send_digests", broken)
    send_digests.enqueue()
    purge.enqueue()
    assert run_jobs() == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
