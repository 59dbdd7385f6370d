"""A large register is imported by a real `vaora worker` process (its reading half in a reader
process of its own). Killed with SIGKILL half-way, nothing is lost and nothing is stored twice:
the dead worker's reader exits, a second worker finds the job of the dead one, goes on after the
last stored line, and the count of visits equals the count of lines."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.ingest.test_two_server_processes_share_one_database import database_url
from tests.paper.readers import readers_of
from vaora.core.roles import Role
from vaora.paper import importer, services
from vaora.paper.models import PaperUpload, Status
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
LINES = 40_000


def register_file() -> SimpleUploadedFile:
    start = timezone.localtime() - datetime.timedelta(days=1)
    rows = ["Họ tên,Số điện thoại,Giờ vào"]
    for n in range(LINES):
        entered = start + datetime.timedelta(seconds=n)
        rows.append(f"Người {n},091{n:07d},{entered:%d/%m/%Y %H:%M}")
    return SimpleUploadedFile("so-giay.csv", "\n".join(rows).encode())


def worker(*extra: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "VAORA_WORKER_STALE_SECONDS": "2",
        "VAORA_ROLLUP_MINUTES": "0",
        "DJANGO_SETTINGS_MODULE": "vaora.settings",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "vaora.cli", "worker", *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"{what} within {seconds} s")


def test_it_resumes_after_sigkill_and_stores_each_line_once(users, tenant_a):
    upload = services.start(users[Role.VENUE_STAFF], tenant_a.venue, register_file())
    assert upload.status == Status.QUEUED  # large: left to the worker, the page answers at once
    spooled = services.spool_path(upload)
    assert spooled.stat().st_size >= importer.READER_PROCESS_BYTES  # read by a reader process
    first = worker()
    try:
        wait_for(lambda: PaperUpload.rows.get(pk=upload.pk).resume_line > 0, 120,
                 "the first worker stored a batch")  # fmt: skip
        assert readers_of(spooled), "the worker's reader process is at work"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    wait_for(lambda: not readers_of(spooled), 30, "the dead worker's reader exited")
    killed = PaperUpload.rows.get(pk=upload.pk)
    assert killed.status == Status.RUNNING and 0 < killed.stored < LINES
    time.sleep(2.5)  # the dead worker's heartbeat goes stale
    second = worker("--until-idle")
    assert second.wait(180) == 0
    done = PaperUpload.rows.get(pk=upload.pk)
    assert (done.status, done.total_rows, done.rejected) == (Status.DONE, LINES, 0)
    assert (done.stored, done.duplicates) == (LINES, 0)  # the checkpoint commits with its lines
    assert Visit.rows.filter(venue=tenant_a.venue).count() == LINES
    assert not services.spool_path(done).exists()  # the personal file is gone once imported
