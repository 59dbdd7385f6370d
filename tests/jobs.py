"""Running the job queue inside a test: the jobs waiting are run one by one on the test's own
connection and transaction, by the library's own worker code (the process around it — polling,
heartbeats, signals — is tested with a real `vaora worker` in tests/core/test_jobs_*.py)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

TEST_WORKER = "test-worker"


def run_jobs(limit: int = 200) -> int:
    """Runs what is waiting (and what those jobs queue) until nothing is; returns how many."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=TEST_WORKER,
                    excluded_queue_names=[])  # fmt: skip
    for done in range(limit):
        job = DBTaskResult.objects.ready().first()
        if job is None:
            return done
        job.claim(TEST_WORKER)
        worker.run_task(job)
    raise AssertionError(f"jobs were still coming after {limit}")


def failed_jobs() -> list[str]:
    return [f"{j.task_path}: {j.traceback}" for j in DBTaskResult.objects.failed()]
