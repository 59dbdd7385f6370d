"""Mixed load on PostgreSQL (durable): two server processes on one database, check-ins at a
steady rate from wrk (a province's burst: 1,500 a second) while, at the same time, an
oversight official loads the province's oversight pages over HTTP and a health official opens
and traces F1+F2 for new cases (the case page's action: the trace, then its contacts stored) —
on the tracing benchmark's data set (10,000,000 visits). Every target must hold together:
check-in p99, oversight p95, F1+F2 time.

    make bench-mixed
    BENCH_RATE=1500 BENCH_SECONDS=60 .venv/bin/python bench/mixed.py   (DATABASE_URL: PostgreSQL)

wrk paces itself (a Lua delay() gives each request the next slot of a 1/RATE-second schedule),
so the latency it reports is the server's at that rate. The officials keep a pace too
(BENCH_PAGES_PER_SECOND, BENCH_TRACE_EVERY_SECONDS; 0 for back to back). The tracer runs in this
process, as a worker or the case page's request would run it, against the same database.
Writes bench/results/mixed-postgresql.json."""

import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time

import common

os.environ["VAORA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
import trace as dataset  # noqa: E402 - the data set, configured once

import ingest  # noqa: E402 - the check-in script and wrk runner
import oversight  # noqa: E402 - the pages an official loads
import pg_activity  # noqa: E402 - what the database does while a case is traced

RATE = int(os.environ.get("BENCH_RATE", "1500"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
PASSES = 120_000  # people checking in (each once or twice in a run)
# The officials' pace (0: back to back, a stress test of one client that never reads a page):
# 2 pages a second is each of Nghệ An's 130 commune officials opening a page a minute; a new
# case traced every 10 s is 360 cases an hour, far above a province's outbreak rate.
PAGES_PER_SECOND = float(os.environ.get("BENCH_PAGES_PER_SECOND", "2"))
TRACE_EVERY_SECONDS = float(os.environ.get("BENCH_TRACE_EVERY_SECONDS", "10"))
TARGETS = {"checkin_p99_ms": 100, "oversight_p95_ms": 500, "trace_f2_ms": 2000}
# Sampled from the officials' start to the end of the traces after the load: each trace says
# which autovacuum workers ran beside it (the first traces of each phase were the slow ones).
ACTIVITY = pg_activity.ActivitySampler()
# Before the measured runs: a CHECKPOINT (the data set's load leaves gigabytes of WAL to flush,
# which otherwise lands in the first run) and this many seconds of the same paced check-ins by
# other people (0 skips it). Without them the run "alone" was the colder of the two, and slower
# than the run beside the officials.
WARM_UP_SECONDS = int(os.environ.get("BENCH_WARM_UP_SECONDS", "15"))
# Open-loop pacing: one schedule for the thread (wrk -t1), a slot every 1/RATE s, each request
# waiting for the next free slot. (A fixed delay per connection would add each answer's
# latency to the period: 64 connections waiting 42.7 ms reached ~950/s, not 1,500.) wrk's Lua
# has no millisecond clock: LuaJIT's FFI reads CLOCK_MONOTONIC.
PACING = """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } vaora_timespec;
           int clock_gettime(int, vaora_timespec *); ]]
local clock = ffi.new("vaora_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local slot = nil
local interval = %(interval_ms)f
function delay()
  local now = now_ms()
  if slot == nil or slot < now then slot = now end
  local wait = slot - now
  slot = slot + interval
  return math.floor(wait)
end
"""


def prepare() -> tuple[list[str], list[str], str, list]:
    from django.test import Client

    from vaora.core.models import Place
    from vaora.core.roles import Role
    from vaora.oversight import rollups
    from vaora.people import passes
    from vaora.people.models import Account, Person
    from vaora.venues import tokens
    from vaora.venues.models import Venue

    rollups.refresh()  # the oversight pages read rollups, as after the scheduler's first run
    people = list(Person.objects.for_system("benchmark").filter(guardian__isnull=True)
                  .order_by("pk").values_list("pk", flat=True)[:PASSES])  # fmt: skip
    holder_passes = [passes.issue(pk) for pk in people]
    venues = Venue.objects.filter(kind="market").order_by("pk")[:400]
    venue_tokens = [tokens.token_for(v) for v in venues]
    if len(venue_tokens) < 400:
        sys.exit("fewer than 400 markets: generate more venues")
    province = Place.objects.get(level="province", code="40", scheme="2025")
    official, _ = Account.objects.get_or_create(
        username="bench.mixed", defaults={"role": Role.OVERSIGHT, "jurisdiction": province}
    )
    client = Client()
    client.force_login(official)
    session = client.cookies["sessionid"].value
    cases = dataset.pick_cases()
    if not cases:
        sys.exit("no person with 25–35 visits in 14 days: generate more visits")
    return holder_passes, venue_tokens, session, cases


def official_loop(port: int, session: str, urls: list[str], stop: threading.Event,
                  times: list, errors: list) -> None:  # fmt: skip
    headers = {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https"}
    n = 0
    pace = Pace(1 / PAGES_PER_SECOND if PAGES_PER_SECOND else 0)
    while pace.wait(stop):
        url = urls[n % len(urls)]
        n += 1
        began = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{url}: {response.status}")
        except OSError as error:
            errors.append(f"{url}: {error}")
        times.append((time.perf_counter() - began) * 1000)


class Pace:
    """An open-loop schedule: a slot every `interval` seconds; wait() sleeps until the next
    one (at once when running late — a slow answer delays the next start, never skips it) and
    says whether to go on. An interval of 0 runs back to back."""

    def __init__(self, interval: float):
        self.interval, self.slot = interval, time.monotonic()

    def wait(self, stop: threading.Event) -> bool:
        delay = self.slot - time.monotonic()
        self.slot = max(self.slot, time.monotonic()) + self.interval
        return not stop.wait(delay) if delay > 0 else not stop.is_set()


def checkin_figures(run: dict) -> dict:
    """What the JSON keeps of one ingest.load_run (its rate and `lost` computed there)."""
    keys = ("rate_per_second", "p50_ms", "p99_ms", "max_ms", "created", "other_2xx", "failed",
            "socket_errors", "rows_stored", "lost")  # fmt: skip
    return {key: run[key] for key in keys}


def tracer_loop(cases: list, stop: threading.Event, times: list) -> None:
    """The health official's action, every TRACE_EVERY_SECONDS: a new case opened and traced
    F1+F2 through services.trace_case — the trace and its contacts stored, as the case page
    does."""
    from django.db import connection

    official, province = dataset.health_official()
    n = 0
    pace = Pace(TRACE_EVERY_SECONDS)
    try:
        while pace.wait(stop):
            times.append(trace_one(official, province, cases[n % len(cases)]))
            n += 1
    finally:
        connection.close()


def trace_one(official, province, case: tuple) -> dict:
    """One new case traced F1+F2: its time, the contacts stored and the visits read."""
    person, start, end, _visits = case
    began = time.perf_counter()
    _case, result = dataset.trace_new_case(official, province, person, start, end)
    ended = time.perf_counter()
    return {
        "ms": round((ended - began) * 1000, 1),
        "person": person,
        "contacts_stored": result["contacts"],
        "visits_read": result["visits_read"],
        "database_meanwhile": ACTIVITY.during(began, ended),
    }


def traced_again_alone(cases: list, runs: int) -> list[dict]:
    """The run's cases traced again as new cases, one after the other, once the check-ins and
    the oversight official have stopped: the same work with nothing beside it (after the run,
    so its cache is warm — the run's own figure stays comparable with earlier runs'). In the
    reverse order: a case slow in both places is the case's; a first position slow in both is
    the moment's."""
    official, province = dataset.health_official()
    return [trace_one(official, province, cases[n % len(cases)]) for n in reversed(range(runs))]


def main() -> None:
    built = dataset.build()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench-mixed runs on PostgreSQL (DATABASE_URL): make bench-mixed")
    holder_passes, venue_tokens, session, cases = prepare()
    scripts = {}
    # Each run at its own 200 markets: a person's scan in the second run moves them to
    # another market (201, a new visit), not a check-out of the first run's visit.
    # The warm-up takes its people from the end of the list: those of the runs are untouched.
    runs = (("warm", "c000", venue_tokens[:200], holder_passes[::-1]),
            ("alone", "a000", venue_tokens[:200], holder_passes),
            ("mixed", "b000", venue_tokens[200:], holder_passes))  # fmt: skip
    for name, prefix, tokens, people in runs:
        scripts[name] = common.WORK / f"checkin-{name}.lua"
        scripts[name].write_text(ingest.LUA % {
            "passes": ",".join(f'"{p}"' for p in people),
            "tokens": ",".join(f'"{t}"' for t in tokens), "prefix": prefix,
        } + PACING % {"interval_ms": 1000 / RATE})  # fmt: skip
    commune = venue_commune()
    urls = list(oversight.pages(commune).values())
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    connection.close()
    stop = threading.Event()
    page_times, page_errors, trace_times = [], [], []
    # Metrics on, summed over both processes (prometheus-client's multiprocess mode, as a
    # province server with several processes runs them): the writers' batch sizes and commit
    # times of each run are read from /metrics before and after it.
    metrics_dir = tempfile.mkdtemp(prefix="vaora-metrics-")
    server_env = {"VAORA_METRICS": "1", "VAORA_METRICS_TOKEN": "",
                  "PROMETHEUS_MULTIPROC_DIR": metrics_dir}  # fmt: skip
    with common.uvicorn_server(processes=2, env=server_env) as port:
        # The same paced check-ins with no official at work first: what the officials cost
        # the check-ins is the difference between the two runs of one benchmark.
        if WARM_UP_SECONDS:
            ingest.wrk(scripts["warm"], port, CONNECTIONS, WARM_UP_SECONDS)
        before = ingest.count_rows()
        scraped = [writer_histograms(port)]
        alone = ingest.load_run(port, scripts["alone"])
        scraped.append(writer_histograms(port))
        args = (port, session, urls, stop, page_times, page_errors)
        official = threading.Thread(target=official_loop, args=args)
        tracer = threading.Thread(target=tracer_loop, args=(cases, stop, trace_times))
        ACTIVITY.start()
        official.start()
        tracer.start()
        try:
            result = ingest.load_run(port, scripts["mixed"])
        finally:
            stop.set()
            official.join(timeout=120)
            tracer.join(timeout=120)
        scraped.append(writer_histograms(port))
    shutil.rmtree(metrics_dir, ignore_errors=True)
    trace_alone = traced_again_alone(cases, len(trace_times))
    ACTIVITY.stop.set()
    ACTIVITY.join(timeout=30)
    report = {
        "benchmark": "mixed load: check-ins + oversight pages + tracing at once",
        "command": "make bench-mixed", "database": connection.vendor,
        "machine": common.machine(), **common.durability(),
        "server": "uvicorn, 2 processes, uvloop + httptools", "seconds": SECONDS,
        "warm_up": f"CHECKPOINT, then {WARM_UP_SECONDS} s of the same paced check-ins by other"
                   " people",
        "visits_in_database": built.get("visits", {}).get("rows") or before,
        "checkin": {"target_rate_per_second": RATE, "connections": CONNECTIONS}
        | checkin_figures(result) | {"writers": batches(scraped[1], scraped[2])},
        "checkin_alone": {"what": "the same paced check-ins, just before, with no official at work"}
        | checkin_figures(alone) | {"writers": batches(scraped[0], scraped[1])},
        "oversight": summary(page_times) | {"pages": len(urls), "errors": page_errors[:20],
                                            "pages_per_second": PAGES_PER_SECOND or "back to back"},
        "trace": summary([run["ms"] for run in trace_times], "f2") | {
            "every_seconds": TRACE_EVERY_SECONDS or "back to back",
            "what": "services.trace_case at depth 2 on a new case each time (the case page's "
                    "action: the trace, then every contact stored)",
            "each": trace_times},
        "trace_alone_after": summary([run["ms"] for run in trace_alone]) | {
            "what": "the same cases traced again as new cases once the load had stopped, one "
                    "after the other in the reverse order (the run's reads left them in cache)",
            "each": trace_alone},
        "targets": TARGETS,
    }  # fmt: skip
    report["targets_met"] = {
        "checkin_p99_ms": report["checkin"]["p99_ms"] <= TARGETS["checkin_p99_ms"]
        and report["checkin"]["rate_per_second"] >= RATE * 0.97,
        "oversight_p95_ms": report["oversight"]["p95_ms"] <= TARGETS["oversight_p95_ms"],
        "trace_f2_ms": report["trace"]["f2_ms"] <= TARGETS["trace_f2_ms"],
    }  # fmt: skip
    target = common.RESULTS / f"mixed-{connection.vendor}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def writer_histograms(port: int) -> dict:
    """The fast-path writers' histograms as /metrics has them now (both processes summed):
    {metric: {"count", "sum", "buckets": {upper bound: cumulative count}}}."""
    from prometheus_client.parser import text_string_to_metric_families

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics", headers={"X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    text = response.read().decode()
    if response.status != 200:
        sys.exit(f"/metrics answered {response.status}: {text[:200]}")
    found = {}
    for family in text_string_to_metric_families(text):
        if family.name not in ("vaora_ingest_batch_size", "vaora_ingest_commit_seconds"):
            continue
        histogram = found.setdefault(family.name, {"count": 0, "sum": 0.0, "buckets": {}})
        for sample in family.samples:
            if sample.name.endswith("_bucket"):
                histogram["buckets"][sample.labels["le"]] = sample.value
            elif sample.name.endswith("_count"):
                histogram["count"] = sample.value
            elif sample.name.endswith("_sum"):
                histogram["sum"] = sample.value
    return found


def batches(before: dict, after: dict) -> dict:
    """What the writers did between two scrapes: commits, check-ins a commit, commit time, and
    how many commits held at most each bucket's number of check-ins."""
    size = {"count": 0, "sum": 0.0, "buckets": {}} | after.get("vaora_ingest_batch_size", {})
    was = {"count": 0, "sum": 0.0, "buckets": {}} | before.get("vaora_ingest_batch_size", {})
    commit = after.get("vaora_ingest_commit_seconds", {})
    commit_was = before.get("vaora_ingest_commit_seconds", {})
    commits = size["count"] - was["count"]
    seconds = commit.get("sum", 0.0) - commit_was.get("sum", 0.0)
    return {
        "commits": int(commits),
        "checkins_per_commit": round((size["sum"] - was["sum"]) / commits, 1) if commits else None,
        "commit_ms_mean": round(seconds / commits * 1000, 2) if commits else None,
        "commits_of_at_most": {le: int(n - was["buckets"].get(le, 0))
                               for le, n in size["buckets"].items()},
    }  # fmt: skip


def venue_commune() -> int:
    from vaora.venues.models import Venue

    return Venue.objects.values_list("commune_id", flat=True).order_by("commune_id").first()


def summary(times: list[float], name: str = "") -> dict:
    """p50/p95/max of a list of milliseconds; `name`_ms is the p95 (the figure the target
    reads) when a name is given."""
    if not times:
        return {"runs": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    figures = {"runs": len(times), "p50_ms": round(oversight.percentile(times, 0.5), 1),
               "p95_ms": round(oversight.percentile(times, 0.95), 1),
               "max_ms": round(max(times), 1)}  # fmt: skip
    if name:
        figures[f"{name}_ms"] = figures["p95_ms"]
    return figures


if __name__ == "__main__":
    main()
