"""`vaora worker`: runs the background jobs (docs/operations.md). One or more per installation,
each its own process; `make run` starts one beside the web server, production runs it as the
vaora-worker service. Beside the jobs it keeps a heartbeat, puts back the jobs of dead workers,
and — the one worker holding the "scheduler" lease — enqueues the periodic jobs."""

import logging
import os
import socket
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from vaora.core import jobs

log = logging.getLogger("vaora.worker")


class Housekeeping:
    """Heartbeat, recovery and scheduling, every few seconds, while jobs run."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.every = max(1.0, jobs.stale_after().total_seconds() / 4)
        self.stopping = threading.Event()

    def tick(self) -> None:
        close_old_connections()
        try:
            jobs.beat(self.worker_id, host=socket.gethostname(), pid=os.getpid(),
                      started_at=self.started_at)  # fmt: skip
            jobs.recover()
            lease_seconds = jobs.stale_after().total_seconds()
            if jobs.acquire("scheduler", self.worker_id, lease_seconds):
                for name in jobs.schedule():
                    log.info("scheduled %s", name)
        except Exception:  # noqa: BLE001 - logged; the next tick tries again
            log.exception("worker housekeeping failed")

    def loop(self) -> None:
        while not self.stopping.wait(self.every):
            self.tick()
        connection.close()


class Command(BaseCommand):
    help = "Runs vaora's background jobs (SMS delivery, imports, rollups, digests, purge)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at an empty queue (default 1)")  # fmt: skip
        parser.add_argument("--until-idle", action="store_true",
                            help="exit once no job is waiting (scripts and tests)")  # fmt: skip

    def handle(self, *args, interval: float, until_idle: bool, **options) -> None:
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        housekeeping = Housekeeping(worker_id)
        housekeeping.tick()  # scheduled work is queued before the first look at the queue
        thread = threading.Thread(target=housekeeping.loop, name="worker-housekeeping",
                                  daemon=True)  # fmt: skip
        thread.start()
        worker = Worker(queue_names=["*"], interval=interval, batch=until_idle,
                        backend_name="default", startup_delay=False, max_tasks=None,
                        worker_id=worker_id, excluded_queue_names=[])  # fmt: skip
        worker.configure_signals()
        self.stdout.write(f"vaora worker {worker_id} started (pid {os.getpid()})")
        started = time.monotonic()
        try:
            worker.run()
        finally:
            housekeeping.stopping.set()
            log.info("worker %s stopped after %.0f s", worker_id, time.monotonic() - started)
