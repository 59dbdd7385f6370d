"""Two server processes (as docs/operations.md runs them on PostgreSQL) write check-ins for the
same people into one database at once — each retry sent to the other process — with no lock
error, no spurious 503, no duplicate, and nobody in two places at once."""

import concurrent.futures
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from vaora.people import passes
from vaora.people.models import Person
from vaora.venues import tokens
from vaora.venues.models import Venue
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
PEOPLE, ROUNDS = 40, 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The test database itself, for the server processes."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}")  # fmt: skip


def start_server(port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(), "VAORA_ROLLUP_MINUTES": "0",
        "DJANGO_SETTINGS_MODULE": "vaora.settings",
    }  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "vaora.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server on {port} did not start")


def post(port: int, body: dict, bearer: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"}
    conn.request("POST", "/ingest/v1/check-in", json.dumps(body), headers)
    return conn.getresponse().status


def test_it_stores_each_scan_once_with_no_refusal(tenant_a):
    venues = [tenant_a.venue] + [
        Venue.objects.create(organisation=tenant_a.organisation, name=f"Quầy {n}",
                             kind="market", commune=tenant_a.commune) for n in range(3)
    ]  # fmt: skip
    venue_tokens = [tokens.token_for(v) for v in venues]
    people = Person.rows.bulk_create([Person(name=f"Khách {n}") for n in range(PEOPLE)])
    ports = [free_port(), free_port()]
    servers = [start_server(port) for port in ports]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            wait_until_up(port, deadline)
        scans = [(person, n, uuid.uuid4()) for n in range(ROUNDS) for person in people]

        def send(scan):
            person, n, client_id = scan
            body = {"client_id": str(client_id), "token": venue_tokens[n % len(venue_tokens)]}
            bearer = passes.issue(person.pk)
            # The device retries on the other server: both race for the same client id.
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as both:
                return list(both.map(lambda port: post(port, body, bearer), ports))

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            statuses = [s for pair in pool.map(send, scans) for s in pair]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    assert all(s in (200, 201) for s in statuses), sorted(set(statuses))
    rows = list(Visit.rows.order_by("person_id", "entered_at").values_list(
        "person_id", "entered_at", "ends_at", "client_id"))  # fmt: skip
    assert len({r[3] for r in rows}) == len(rows)  # no client id twice
    assert statuses.count(201) == len(rows)  # every stored visit was acknowledged once
    for (person, _e, ends, _c), following in zip(rows, rows[1:], strict=False):
        next_person, next_entered = following[0], following[1]
        if person == next_person:
            assert ends <= next_entered  # never in two places at once
