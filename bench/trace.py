"""Tracing benchmark: `vaora demo` builds Nghệ An at scale (250,000 adults, 20,000 venues,
10,000,000 visits over 21 days), then cases are traced for people with about 30 visits in 14
days: F1 (depth 1) and F1+F2 (depth 2), each case several times; p50/p95 and rows returned;
then what the official waits for on the case page, the F1+F2 trace with its contacts stored.

    make bench-trace                        SQLite (default) and PostgreSQL
    BENCH_VISITS=1000000 .venv/bin/python bench/trace.py

The generated SQLite database is kept (var/bench/trace-<visits>.sqlite3) and reused by the
next run. Writes bench/results/trace-<database>.json."""

import datetime
import json
import os
import statistics
import sys
import time

import common

VISITS = int(os.environ.get("BENCH_VISITS", "10000000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "250000"))
VENUES = int(os.environ.get("BENCH_VENUES", "20000"))
CASES = int(os.environ.get("BENCH_CASES", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SQLITE = common.WORK / f"trace-{VISITS}.sqlite3"
common.configure(SQLITE)


def build() -> dict:
    """The data set (generated once for SQLite; always fresh for the throwaway PostgreSQL)."""
    import django

    common.fresh_database(SQLITE, keep=True)
    django.setup()
    from django.core.management import call_command

    from vaora.visits.models import Visit

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    visits = {}
    if Visit.rows.count() < VISITS:
        from vaora.demo.management.commands.demo import Command as Demo

        # The generator, not `vaora demo`, which refuses with debug off (it makes accounts with
        # the public demo password): a benchmark needs people, venues and visits, not logins.
        demo = Demo(stdout=sys.stdout)
        demo.load(people=PEOPLE, venues=VENUES, days=21, seed=1, visits=VISITS, logins=False)
        visits = demo.visit_phases
        if visits.get("rows"):
            load, index = visits["load_seconds"], visits["index_seconds"]
            visits["load_rows_per_second"] = round(visits["rows"] / max(load, 0.1))
            visits["rows_per_second_indexes_included"] = round(
                visits["rows"] / max(load + index + visits["commit_seconds"], 0.1)
            )
    seconds = round(time.perf_counter() - started, 1)
    # What autovacuum / a nightly ANALYZE would have done to a table loaded over weeks: planner
    # statistics (and, on PostgreSQL, the visibility map that index-only scans need).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visits_visit" if connection.vendor == "postgresql"
                       else "ANALYZE")  # fmt: skip
    return {"seconds": seconds, "visits": visits,
            "then": "VACUUM ANALYZE (PostgreSQL) / ANALYZE (SQLite)"}  # fmt: skip


def pick_cases() -> list[tuple[int, datetime.datetime, datetime.datetime, int]]:
    """People with 25–35 visits in the last 14 days (the issue's "about 30")."""
    from django.db.models import Count
    from django.utils import timezone

    from vaora.visits.models import Visit

    end = timezone.now()
    start = end - datetime.timedelta(days=14)
    rows = (Visit.rows.filter(entered_at__gte=start, entered_at__lt=end, person_id__lt=20000)
            .values("person_id").annotate(n=Count("id")).filter(n__gte=25, n__lte=35)
            .order_by("person_id")[:CASES])  # fmt: skip
    return [(r["person_id"], start, end, r["n"]) for r in rows]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(cases, depth: int) -> dict:
    from vaora.tracing.rules import Rules
    from vaora.tracing.tracer import Tracer

    times, contacts, visits_read = [], [], []
    for person, start, end, _n in cases:
        for _ in range(RUNS):
            tracer = Tracer(Rules.from_database())
            began = time.perf_counter()
            found = tracer.trace(person, start, end, depth=depth)
            times.append((time.perf_counter() - began) * 1000)
        contacts.append(len(found))
        visits_read.append(tracer.visits_read)
    return {
        "p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1), "runs": len(times),
        "contacts_p50": statistics.median(contacts), "contacts_max": max(contacts),
        "visits_read_p50": statistics.median(visits_read), "visits_read_max": max(visits_read),
    }  # fmt: skip


def health_official():
    """(the province's health official, the province) — who opens and traces the cases."""
    from vaora.core.models import Place
    from vaora.core.roles import Role
    from vaora.people.models import Account

    province = Place.objects.get(level="province", code="40", scheme="2025")
    official, _ = Account.objects.get_or_create(
        username="bench.health", defaults={"role": Role.HEALTH, "jurisdiction": province}
    )
    return official, province


def trace_new_case(official, province, person: int, start, end) -> dict:
    """What the official does on the case page: a case opened for `person`, then traced F1+F2
    through services.trace_case (the trace, its contacts stored, the audit written)."""
    from vaora.tracing import services
    from vaora.tracing.models import Case

    case = Case.objects.create(
        person_id=person, place=province, opened_by=official, test_date=end.date(),
        purpose="benchmark: the case page's trace", window_start=start, window_end=end,
    )  # fmt: skip
    return case, services.trace_case(official, case, depth=2)


def case_page(cases) -> dict:
    """What the health official waits for on the case page (or the API): services.trace_case
    at depth 2 — the trace, then its contacts stored and the audit written — for each case
    opened afresh (every contact new), then traced again (nothing changed: nothing written)."""
    from vaora.tracing import services

    official, province = health_official()
    first, again, stored = [], [], []
    for person, start, end, _n in cases:
        began = time.perf_counter()
        case, result = trace_new_case(official, province, person, start, end)
        first.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        services.trace_case(official, case, depth=2)
        again.append((time.perf_counter() - began) * 1000)
        stored.append(result["contacts"])

    def figures(times: list[float]) -> dict:
        return {"p50_ms": round(percentile(times, 0.5), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1)}  # fmt: skip

    return {"first_trace": figures(first), "traced_again": figures(again), "runs": len(first),
            "contacts_stored_p50": statistics.median(stored),
            "contacts_stored_max": max(stored)}  # fmt: skip


def retention_drop() -> dict:
    """The purge of the day after the oldest day ends past retention: that day's partition
    dropped, the visits still within retention put back (visits/partitions.py). Runs last: it
    removes the oldest day."""
    from django.db import connection, transaction

    from vaora.visits import partitions

    def has_visits(name: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")  # noqa: S608
            return cursor.fetchone()[0]

    oldest = min(day for day, name in partitions.existing().items() if has_visits(name))
    cutoff = partitions.bounds(oldest)[1]
    began = time.perf_counter()
    with transaction.atomic():
        removed, days = partitions.drop_before(cutoff)
    return {"day": oldest.isoformat(), "partitions_dropped": len(days), "visits_removed": removed,
            "seconds": round(time.perf_counter() - began, 3)}  # fmt: skip


def main() -> None:
    built = build()
    from django.db import connection

    from vaora.visits.models import Visit

    cases = pick_cases()
    if not cases:
        sys.exit("no person with 25–35 visits in 14 days: generate more visits")
    f1 = measure(cases, 1)
    f2 = measure(cases, 2)
    case = case_page(cases)
    dropped = retention_drop() if connection.vendor == "postgresql" else None
    report = {
        "benchmark": "contact tracing: F1 (depth 1) and F1+F2 (depth 2) per case",
        "command": "make bench-trace", "database": connection.vendor,
        "machine": common.machine(), **common.durability(),
        "visits_in_database": Visit.rows.count(), "people": PEOPLE, "venues": VENUES,
        "generation": built,
        "cases": len(cases), "runs_per_case": RUNS,
        "visits_per_case_in_14_days": [n for *_x, n in cases],
        "f1": f1, "f2": f2, "f1_f2_case_page": case, "retention_drop_one_day": dropped,
        "targets": {"f1_p95_ms": 50, "f2_p95_ms": 1000, "retention_drop_one_day_seconds": 1},
    }  # fmt: skip
    target = common.RESULTS / f"trace-{connection.vendor}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
