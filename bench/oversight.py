"""Oversight benchmark: the compliance and statistics pages of a whole province (Nghệ An's 130
communes, 20,000 venues, 10,000,000 visits from `vaora demo`, the tracing benchmark's data
set), rendered through Django as a provincial official sees them; p50/p95 per page. Also the
rollup job: the first full run over every day, then a steady run (today and yesterday).

    make bench-oversight                    SQLite and a throwaway PostgreSQL
    BENCH_VISITS=1000000 .venv/bin/python bench/oversight.py

Writes bench/results/oversight-<database>.json."""

import json
import os
import statistics
import sys
import time

import common

os.environ["VAORA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
import trace as dataset  # noqa: E402 - the tracing benchmark's data set, configured once

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
TARGET_MS = 1000
SECTOR_TARGET_MS = 300


def pages(commune_id: int) -> dict[str, str]:
    return {
        "overview": "/oversight/",
        "venues (all, by name)": "/oversight/venues/",
        "venues (silent, fewest scans)": "/oversight/venues/?status=silent&sort=scans_7d",
        "venues (one commune, kind)": f"/oversight/venues/?commune={commune_id}&kind=market",
        "venues (page 100)": "/oversight/venues/?page=100",
        "required organisations": "/oversight/required/",
        "reminders": "/oversight/reminders/",
        "statistics (province, 30 days)": "/oversight/stats/",
        "statistics (province, 90 days)": "/oversight/stats/?days=90",
        "statistics (one commune)": f"/oversight/stats/?commune={commune_id}",
        "statistics download (by commune, xlsx)": "/oversight/stats/?download=by_commune&fmt=xlsx",
        "api venues": "/api/v1/oversight/venues?limit=100",
        "api statistics": "/api/v1/oversight/stats",
        "public statistics": "/stats/",
    }  # fmt: skip


def sector_pages(group_id: int) -> dict[str, dict[str, str]]:
    """What a department and a board open (issue 16): the same pages over their sector."""
    common_pages = {
        "overview": "/oversight/", "venues (all, by name)": "/oversight/venues/",
        "statistics (30 days)": "/oversight/stats/",
        "statistics (90 days)": "/oversight/stats/?days=90",
        "weekly ranking": "/oversight/ranking/", "api venues": "/api/v1/oversight/venues?limit=100",
        "api statistics": "/api/v1/oversight/stats",
    }  # fmt: skip
    return {
        "education department (schools and universities, whole province)": common_pages,
        "industrial-park board (2,000 enterprises)": common_pages
        | {"group members": f"/oversight/groups/{group_id}/"},
    }


def time_pages(client, urls: dict[str, str]) -> tuple[dict, list[float]]:
    results, every = {}, []
    for name, url in urls.items():
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code}")
        every += times
        results[name] = {"p50_ms": round(percentile(times, 0.5), 1),
                         "p95_ms": round(percentile(times, 0.95), 1),
                         "max_ms": round(max(times), 1)}  # fmt: skip
        shown = results[name]
        print(f"{name:45} p50 {shown['p50_ms']:8.1f} ms  p95 {shown['p95_ms']:8.1f} ms")
    return results, every


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    built = dataset.build()
    from django.db import connection
    from django.test import Client

    from vaora.core.models import Place
    from vaora.core.roles import Role
    from vaora.demo.generate import ensure_required_list, nghe_an_communes
    from vaora.demo.sectors import ensure_park, sector_logins
    from vaora.oversight import rollups
    from vaora.oversight.models import RollupState
    from vaora.people.models import Account
    from vaora.venues.models import Venue
    from vaora.visits.models import Visit

    ensure_required_list(1, nghe_an_communes())  # the demo's seed: every organisation + 25 more
    park = ensure_park(1)  # the economic-zone board's 2,000 enterprises
    RollupState.objects.all().delete()  # a first run over every day, as after an upgrade
    began = time.perf_counter()
    first = rollups.refresh()
    first_seconds = time.perf_counter() - began
    rollups.refresh()  # reads the first run's range once more (late commits)
    began = time.perf_counter()
    rollups.refresh()  # steady: nothing new, today and yesterday
    steady_seconds = time.perf_counter() - began

    province = Place.objects.get(level="province", code="40", scheme="2025")
    official, _ = Account.objects.get_or_create(
        username="bench.oversight", defaults={"role": Role.OVERSIGHT, "jurisdiction": province}
    )
    client = Client()
    client.force_login(official)
    a_commune = Venue.objects.values("commune_id").order_by("commune_id").first() or {}
    results, every = time_pages(client, pages(a_commune.get("commune_id", province.pk)))
    sectors, sector_every = {}, []
    logins = sector_logins(province)
    for (who, urls), (username, role, scope, _label) in zip(sector_pages(park.pk).items(),
                                                            logins, strict=True):  # fmt: skip
        account, _ = Account.objects.get_or_create(username=f"bench.{username}",
                                                   defaults={"role": role, **scope})  # fmt: skip
        client.force_login(account)
        print(who)
        sectors[who], times = time_pages(client, urls)
        sector_every += times
    report = {
        "benchmark": "oversight pages for a whole province, as a provincial official",
        "command": "make bench-oversight", "database": connection.vendor,
        "machine": common.machine(), **common.durability(),
        "visits_in_database": Visit.rows.count(),
        "venues": Venue.objects.count(),
        "communes": Place.objects.filter(level="commune", province_code="40").count(),
        "generation": built, "runs_per_page": RUNS,
        "rollup_first_run_seconds": round(first_seconds, 1),
        "rollup_steady_run_seconds": round(steady_seconds, 1), "rollup_counts": first,
        "pages": results,
        "all_pages": {"p50_ms": round(statistics.median(every), 1),
                      "p95_ms": round(percentile(every, 0.95), 1)},
        "target_p95_ms": TARGET_MS,
        "sector_pages": sectors,
        "sector_all_pages": {"p50_ms": round(statistics.median(sector_every), 1),
                             "p95_ms": round(percentile(sector_every, 0.95), 1)},
        "sector_target_p95_ms": SECTOR_TARGET_MS,
        "park_enterprises": park.memberships.filter(until__isnull=True).count(),
    }  # fmt: skip
    target = common.RESULTS / f"oversight-{connection.vendor}.json"
    target.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(json.dumps({k: report[k] for k in ("all_pages", "sector_all_pages",
                                              "rollup_first_run_seconds",
                                              "rollup_steady_run_seconds")}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
