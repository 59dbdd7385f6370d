"""Threat 23: kill -9 the server under load; every check-in it acknowledged (2xx) is in the
database afterwards. Runs the real server (uvicorn) on its own SQLite file."""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREPARE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from vaora.core.places import load_current_places
load_current_places()
from vaora.core.models import Place
from vaora.people.models import Person
from vaora.venues.models import Organisation, Venue
from vaora.venues import tokens
from vaora.people import passes
commune = Place.objects.get(scheme="2025", level="commune", code="16681")
org = Organisation.objects.create(name="Crash", kind="market", commune=commune)
venue = Venue.objects.create(organisation=org, name="Chợ", kind="market", commune=commune)
people = Person.rows.bulk_create([Person(name=f"P{n}") for n in range(2000)])
print(json.dumps({"token": tokens.token_for(venue),
                  "passes": [passes.issue(p.pk) for p in Person.rows.all()]}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_loses_no_acknowledged_check_in_under_kill_9(tmp_path):
    database = tmp_path / "crash.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}",
                        "DJANGO_SETTINGS_MODULE": "vaora.settings"}  # fmt: skip
    prepared = subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    setup = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "vaora.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"], env=env, cwd=ROOT,
    )  # fmt: skip
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def hammer(worker: int):
        for n in range(worker, len(setup["passes"]), 8):
            if stop.is_set():
                return
            client_id = str(uuid.uuid4())
            body = json.dumps({"client_id": client_id, "token": setup["token"]})
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("POST", "/ingest/v1/check-in", body, {
                    "Content-Type": "application/json",
                    "Authorization": "Bearer " + setup["passes"][n]})  # fmt: skip
                if connection.getresponse().status in (200, 201):
                    with lock:
                        acknowledged.append(client_id)
            except OSError:
                continue

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = [threading.Thread(target=hammer, args=(w,)) for w in range(8)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 300 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)  # mid-load, no shutdown of any kind
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
    finally:
        server.kill()
        server.wait(timeout=10)
    with sqlite3.connect(database) as db:
        stored = {row[0] for row in db.execute("SELECT client_id FROM visits_visit")}
    missing = [c for c in acknowledged if uuid.UUID(c).hex not in stored]
    assert len(acknowledged) >= 300
    assert missing == []
