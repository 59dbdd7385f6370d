"""Check-in write path benchmark: wrk on loopback against the real endpoint
(POST /ingest/v1/check-in under uvicorn), with real signed poster tokens, a distinct person per
request, and the database counted afterwards: rows must equal the 201 answers (zero lost).

    make bench-ingest                 SQLite (default) and PostgreSQL
    BENCH_SECONDS=60 BENCH_CONNECTIONS=64 .venv/bin/python bench/ingest.py

Writes bench/results/ingest-<database>.json."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import common

WORK = common.WORK
SQLITE = WORK / "ingest.sqlite3"
common.configure(SQLITE)
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "400000"))
VENUES = 200

LUA = """
local passes = {%(passes)s}
local tokens = {%(tokens)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0; created = 0; other2xx = 0; failed = 0 end
function request()
  counter = counter + 1
  local i = (counter - 1) %% #passes + 1
  local body = string.format('{"client_id":"00000000-0000-4000-8000-%%012x","token":"%%s"}',
                             counter, tokens[(counter %% #tokens) + 1])
  return wrk.format("POST", "/ingest/v1/check-in",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. passes[i]}, body)
end
function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status >= 200 and status < 300 then other2xx = other2xx + 1
  else failed = failed + 1 end
end
function done(summary, latency, requests)
  local c, o, f = 0, 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other2xx"); f = f + t:get("failed") end
  io.write(string.format('RESULT {"requests": %%d, "created": %%d, "other_2xx": %%d, "failed": %%d, ' ..
    '"socket_errors": %%d, "p50_ms": %%.2f, "p90_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f}\\n',
    summary.requests, c, o, f, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def prepare() -> tuple[str, list[str], list[str]]:
    import django

    common.fresh_database(SQLITE)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vaora.core.places import load_current_places
    from vaora.people import passes
    from vaora.people.models import Person
    from vaora.venues import tokens
    from vaora.venues.models import Organisation, Place, Venue, assign_codes

    call_command("migrate", verbosity=0)
    load_current_places()
    commune = Place.objects.get(scheme="2025", level="commune", code="16681")
    organisation = Organisation.objects.create(name="Bench", kind="market", commune=commune)
    venues = [Venue(organisation=organisation, name=f"Quầy {n}", kind="market", commune=commune)
              for n in range(VENUES)]  # fmt: skip
    for venue in venues:
        venue.apply_kind_defaults()
    assign_codes(venues)
    Venue.objects.bulk_create(venues)
    started = time.perf_counter()
    for start in range(0, PERSONS, 10000):
        Person.objects.bulk_create(
            [Person(name=f"Người thử {n}") for n in range(start, min(start + 10000, PERSONS))],
            batch_size=2000,
        )
    print(f"  {PERSONS:,} persons in {time.perf_counter() - started:.0f} s", flush=True)
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    person_passes = [passes.issue(pk) for pk in ids]
    venue_tokens = [tokens.token_for(v) for v in Venue.objects.filter(organisation=organisation)]
    connection.close()
    return connection.vendor, person_passes, venue_tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def count_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        return cursor.fetchone()[0]


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    vendor, person_passes, venue_tokens = prepare()
    script = WORK / "checkin.lua"
    script.write_text(LUA % {"passes": ",".join(f'"{p}"' for p in person_passes),
                             "tokens": ",".join(f'"{t}"' for t in venue_tokens)})  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(common.ROOT / ".venv" / "bin" / "uvicorn"), "vaora.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
         "--log-level", "warning"], cwd=common.ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        run = subprocess.run(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script),
             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = json.loads(re.search(r"RESULT (\{.*\})", run.stdout).group(1))
    rows = count_rows()
    report = {
        "benchmark": "ingest check-in", "database": vendor, "seconds": SECONDS,
        "connections": CONNECTIONS, "server": "uvicorn, 1 process, uvloop + httptools",
        "machine": common.machine(),
        "rate_per_second": round(result["requests"] / SECONDS),
        **result, "rows_in_database": rows,
        # Acknowledged (201) but missing: must be 0. Rows beyond the 201s are requests that
        # committed while wrk was closing its connections (stored, answer not counted).
        "lost": max(0, result["created"] - rows), "stored_after_wrk_stopped": rows - result["created"],
        "wrk_output": run.stdout.splitlines()[:12],
    }  # fmt: skip
    target = common.RESULTS / f"ingest-{vendor}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "wrk_output"}, indent=2))


if __name__ == "__main__":
    main()
