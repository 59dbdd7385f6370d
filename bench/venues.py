"""Benchmark of the venue paths an organisation or a province hits at once: importing a large
spreadsheet of venues, and producing every poster as one PDF. Writes bench/results/venues.json.

Run with `make bench` (a fresh SQLite database under var/, debug settings)."""

import csv
import io
import json
import os
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
os.environ.setdefault("VAORA_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "20000"))
POSTERS = int(os.environ.get("BENCH_POSTERS", "1000"))


def main() -> None:
    import django

    database = ROOT / "var" / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    from vaora.core.places import load_current_places
    from vaora.venues import importer, posters
    from vaora.venues.management.helpers import system_actor
    from vaora.venues.models import Organisation, Place

    call_command("migrate", verbosity=0)
    load_current_places()
    commune = Place.objects.get(scheme="2025", level="commune", code="16681")
    organisation = Organisation.objects.create(name="Bench", kind="vehicle", commune=commune)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ten_dia_diem", "loai_hinh", "ma_xa", "suc_chua", "bien_so", "tuyen"])
    for n in range(ROWS):
        writer.writerow([f"Xe khách {n}", "Xe khách", "16681", "45", f"37B-{n % 100000:05d}",
                         "Vinh – Hà Nội"])  # fmt: skip
    raw = io.BytesIO(out.getvalue().encode())
    started = time.perf_counter()
    report = importer.import_venues(system_actor(), organisation, raw, "bench.csv")
    import_seconds = time.perf_counter() - started

    venues = organisation.venues.select_related("commune").order_by("id")[:POSTERS]
    started = time.perf_counter()
    pdf = posters.posters_pdf(venues, "a4")
    poster_seconds = time.perf_counter() - started

    result = {
        "benchmark": "venues",
        "machine": common.machine(),
        "database": "sqlite (file, WAL)",
        "import": {"rows": ROWS, "created": report.created, "seconds": round(import_seconds, 2),
                   "rows_per_second": round(ROWS / import_seconds)},
        "bulk_posters_pdf": {"venues": POSTERS, "seconds": round(poster_seconds, 2),
                             "pages_per_second": round(POSTERS / poster_seconds, 1),
                             "megabytes": round(len(pdf) / 1e6, 2)},
    }  # fmt: skip
    target = ROOT / "bench" / "results" / "venues.json"
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
