"""Check-in write path benchmark: wrk on loopback against the real endpoint
(POST /ingest/v1/check-in under uvicorn), with real signed poster tokens, a distinct person per
request, and the database counted afterwards: rows must equal the 201 answers (zero lost).

The same load is sent to a bare ASGI app under the same uvicorn flags (bench/baseline_app.py:
parse the JSON, answer 201) — the stack's own ceiling, `baseline_rate_per_second`, and
`ratio_to_baseline` says what share of it vaora reaches. On PostgreSQL the load is sent again
to two server processes on the one database (`two_processes`: other venues, so every check-in
is a new visit that closes the person's previous one): no lock error, no 503, nothing lost.

A further run measures threat 26: 16 honest clients while ~40 poison requests a second (passes
of persons deleted since — half revoked, half deleted behind the revocation list, as after a
restore) are sent beside them; the share of honest check-ins refused must stay under 1%.

Before the measured run, 10 s of the same load (other persons) and ANALYZE: the planner
statistics a running installation has (decision 0020); BENCH_WARM_UP_SECONDS=0 skips it.

    make bench-ingest                 SQLite (default) and PostgreSQL
    BENCH_SECONDS=60 BENCH_CONNECTIONS=64 .venv/bin/python bench/ingest.py

Writes bench/results/ingest-<database>.json."""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import common

WORK = common.WORK
SQLITE = WORK / "ingest.sqlite3"
common.configure(SQLITE)
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "400000"))
VENUES = 200  # per load run: the two-process run scans at 200 others
POISON_PERSONS = 200
POISON_PER_SECOND = 40
POISON_CONNECTIONS = 16
# Seconds of load before the measured run, then ANALYZE: a province's server has planner
# statistics on today's visits (autovacuum keeps them, within a minute of a day's first rows);
# a benchmark starting on an empty day would measure the planner guessing instead.
WARM_UP_SECONDS = int(os.environ.get("BENCH_WARM_UP_SECONDS", "10"))

LUA = """
local passes = {%(passes)s}
local tokens = {%(tokens)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0; created = 0; other2xx = 0; failed = 0 end
function request()
  counter = counter + 1
  local i = (counter - 1) %% #passes + 1
  local body = string.format('{"client_id":"00000000-0000-4000-%(prefix)s-%%012x","token":"%%s"}',
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
              for n in range(2 * VENUES)]  # fmt: skip
    for venue in venues:
        venue.apply_kind_defaults()
    assign_codes(venues)
    Venue.objects.bulk_create(venues)
    started = time.perf_counter()
    for start in range(0, PERSONS, 10000):
        Person.rows.bulk_create(
            [Person(name=f"Người thử {n}") for n in range(start, min(start + 10000, PERSONS))],
            batch_size=2000,
        )
    print(f"  {PERSONS:,} persons in {time.perf_counter() - started:.0f} s", flush=True)
    ids = list(Person.rows.order_by("id").values_list("id", flat=True))
    person_passes = [passes.issue(pk) for pk in ids]
    venue_tokens = [tokens.token_for(v)
                    for v in Venue.objects.filter(organisation=organisation).order_by("pk")]  # fmt: skip
    poison = Person.rows.bulk_create([Person(name=f"Đã xoá {n}") for n in range(POISON_PERSONS)])
    poison_passes = [passes.issue(p.pk) for p in poison]
    half = POISON_PERSONS // 2
    Person.rows.filter(pk__in=[p.pk for p in poison[:half]]).delete()  # revoked with them
    with connection.cursor() as cursor:  # deleted behind the revocation list (a restore)
        cursor.execute("DELETE FROM people_person WHERE id >= %s", [poison[half].pk])
    analyze()
    connection.close()
    return connection.vendor, person_passes, venue_tokens, poison_passes


def analyze() -> None:
    """What autovacuum does in a running installation: statistics for the planner."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


def count_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        return cursor.fetchone()[0]


def wrk(script: Path, port: int, connections: int, seconds: int) -> dict:
    run = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(re.search(r"RESULT (\{.*\})", run.stdout).group(1))
    return result | {"wrk_output": run.stdout.splitlines()[:12]}


def send_poison(port: int, poison_passes: list[str], token: str, stop: threading.Event,
                statuses: list[int]) -> None:  # fmt: skip
    """POISON_PER_SECOND requests a second, each with a pass of a deleted person."""
    n = 0
    started = time.monotonic()
    while not stop.is_set():
        body = json.dumps({"client_id": str(uuid.uuid4()), "token": token})
        headers = {"Content-Type": "application/json",
                   "Authorization": "Bearer " + poison_passes[n % len(poison_passes)]}  # fmt: skip
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("POST", "/ingest/v1/check-in", body, headers)
            statuses.append(conn.getresponse().status)
        except OSError:
            statuses.append(0)
        n += 1
        time.sleep(max(0.0, started + n / POISON_PER_SECOND - time.monotonic()))


def poison_run(port: int, script: Path, poison_passes: list[str], token: str) -> dict:
    stop, statuses = threading.Event(), []
    sender = threading.Thread(target=send_poison, args=(port, poison_passes, token, stop,
                                                        statuses))  # fmt: skip
    sender.start()
    try:
        honest = wrk(script, port, POISON_CONNECTIONS, SECONDS)
    finally:
        stop.set()
        sender.join(timeout=30)
    refused = honest["failed"] + honest["socket_errors"]
    return {
        "honest_connections": POISON_CONNECTIONS, "seconds": SECONDS,
        "honest_requests": honest["requests"], "honest_refused": refused,
        "honest_refused_share": round(refused / max(honest["requests"], 1), 5),
        "honest_rate_per_second": round(honest["requests"] / SECONDS),
        "honest_p99_ms": honest["p99_ms"],
        "poison_sent": len(statuses),
        "poison_per_second": round(len(statuses) / SECONDS, 1),
        "poison_statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
    }  # fmt: skip


def load_run(port: int, script: Path) -> dict:
    """One wrk load; `lost` = 201 answers whose visit is not in the database."""
    before = count_rows()
    result = wrk(script, port, CONNECTIONS, SECONDS)
    stored = count_rows() - before
    return result | {
        "rate_per_second": round(result["requests"] / SECONDS), "rows_stored": stored,
        # Acknowledged (201) but missing: must be 0. Rows beyond the 201s are requests that
        # committed while wrk was closing its connections (stored, answer not counted).
        "lost": max(0, result["created"] - stored),
        "stored_after_wrk_stopped": stored - result["created"],
    }  # fmt: skip


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    vendor, person_passes, venue_tokens, poison_passes = prepare()
    scripts = {}
    # The warm-up takes its persons from the end of the list: the measured run's check-ins
    # are each a person's first.
    runs = (("load", "8000", venue_tokens[:VENUES], person_passes),
            ("warm", "b000", venue_tokens[:VENUES], person_passes[::-1]),
            ("poison", "9000", venue_tokens[:VENUES], person_passes),
            ("two", "a000", venue_tokens[VENUES:], person_passes))  # fmt: skip
    for run, prefix, run_tokens, run_passes in runs:
        scripts[run] = WORK / f"checkin-{run}.lua"
        scripts[run].write_text(LUA % {"passes": ",".join(f'"{p}"' for p in run_passes),
                                       "tokens": ",".join(f'"{t}"' for t in run_tokens),
                                       "prefix": prefix})  # fmt: skip
    with common.uvicorn_server("bench.baseline_app:application") as port:
        baseline = wrk(scripts["load"], port, CONNECTIONS, SECONDS)
    with common.uvicorn_server() as port:
        if WARM_UP_SECONDS:
            wrk(scripts["warm"], port, CONNECTIONS, WARM_UP_SECONDS)
            analyze()
        result = load_run(port, scripts["load"])
        poison = poison_run(port, scripts["poison"], poison_passes, venue_tokens[0])
    two = None
    if vendor == "postgresql":
        with common.uvicorn_server(processes=2) as port:
            two = load_run(port, scripts["two"])
            two.pop("wrk_output")
    wrk_output = result.pop("wrk_output")
    baseline_rate = round(baseline["requests"] / SECONDS)
    report = {
        "benchmark": "ingest check-in", "database": vendor, "seconds": SECONDS,
        "connections": CONNECTIONS, "server": "uvicorn, 1 process, uvloop + httptools",
        "warm_up_seconds": WARM_UP_SECONDS,
        "statistics": "ANALYZE after preparing and after the warm-up (autovacuum's work in a"
                      " running installation)",
        "machine": common.machine(), **common.durability(),
        **result, "rows_in_database": count_rows(),
        "baseline_rate_per_second": baseline_rate,
        "baseline_p99_ms": baseline["p99_ms"],
        "ratio_to_baseline": round(result["rate_per_second"] / max(baseline_rate, 1), 3),
        "two_processes": two,
        "poison": poison,
        "wrk_output": wrk_output,
    }  # fmt: skip
    target = common.RESULTS / f"ingest-{vendor}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "wrk_output"}, indent=2))


if __name__ == "__main__":
    main()
