"""Paper-register import benchmark: a 1,000,000-row CSV register (mixed date and phone spellings,
repeat visitors, CCCDs on some rows, health answers, a few bad rows) imported end to end — parse,
validate, match or create persons, store visits — through the same code as the upload page and
`vaora import-paper`, then imported again (everything must come back as duplicates).

    make bench-import                            SQLite (default) and PostgreSQL
    BENCH_ROWS=200000 .venv/bin/python bench/paper_import.py
    BENCH_READER=thread ...                      read on the importing process's thread

The import runs in a child process so its memory is its own: `peak_memory_mb` is the largest
resident total of that process and its reader process seen together (sampled every 50 ms), and
`peak_memory_upper_bound_mb` their own peaks (ru_maxrss) added.
Writes bench/results/paper-import-<database>.json."""

import datetime
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import common

WORK = common.WORK
SQLITE = WORK / "paper.sqlite3"
common.configure(SQLITE)
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
PEOPLE = max(10, ROWS // 20)  # each visitor appears ~20 times (staff, regular patients)
BAD_EVERY = 200  # one row in 200 is wrong (0.5 %)
# Where the register is read: "process" (what a file this size gets: reader_process.py) or
# "thread" (beside the writer thread, in the importing process — the comparison).
READER = os.environ.get("BENCH_READER", "process")


def register_file() -> Path:
    """The register, generated once per size and day (deterministic but for the day): its
    times lie in the 20 days before the day it was made, so one reused days later had its
    oldest lines age out of retention and stored fewer visits than the same register new."""
    path = WORK / f"paper-register-{ROWS}-{datetime.date.today().isoformat()}.csv"
    if path.exists():
        return path
    for older in WORK.glob(f"paper-register-{ROWS}-*.csv"):
        older.unlink()
    rng = random.Random(20261125)  # noqa: S311 - test data, not secrets
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    middle = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Quốc"]
    given = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Mai",
             "Nam", "Ngân", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Yến"]  # fmt: skip
    people = []
    for i in range(PEOPLE):
        name = f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}"
        national = f"09{i:08d}"
        cccd = f"0400{i:08d}" if i % 3 == 0 else ""
        people.append((name, national, cccd))
    spellings = [lambda n: n, lambda n: f"{n[:4]} {n[4:7]} {n[7:]}", lambda n: "+84" + n[1:],
                 lambda n: f"{n[:4]}.{n[4:7]}.{n[7:]}", lambda n: "84" + n[1:]]  # fmt: skip
    # Spread over the last 20 days (within the retention period), daytime hours.
    start = time.time() - 20 * 86400
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write("Họ tên,Số điện thoại,CCCD,Giờ vào,Giờ ra,Sốt ho khó thở,Tiếp xúc F0\n")
        for n in range(ROWS):
            name, national, cccd = people[rng.randrange(PEOPLE)]
            at = time.localtime(start + (n / ROWS) * 19 * 86400 + rng.randrange(3600))
            stay = rng.randrange(10, 240)
            leave = time.localtime(time.mktime(at) + stay * 60)
            kind = n % 10
            if kind < 7:
                when = time.strftime("%d/%m/%Y %H:%M", at)
            elif kind < 9:
                when = time.strftime("%Y-%m-%d %H:%M:%S", at)
            else:  # an Excel serial number
                when = f"{time.mktime(at) / 86400 + 25569:.6f}"  # same wall clock as the others
            out_time = time.strftime("%H:%M", leave) if leave.tm_mday == at.tm_mday else ""
            phone = spellings[n % 5](national)
            if n % BAD_EVERY == 7:
                phone = "12345"  # refused: not a phone number
            sick = "có" if n % 50 == 0 else "không"
            out.write(f"{name},{phone},{cccd},{when},{out_time},{sick},không\n")
    return path


def prepare() -> str:
    import django

    common.fresh_database(SQLITE)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vaora.core.models import Place
    from vaora.venues.models import Kind, Organisation, Venue

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0)
    commune = Place.objects.get(code="16681")
    organisation = Organisation.objects.create(name="Bệnh viện Đa khoa", kind=Kind.HOSPITAL,
                                               commune=commune)  # fmt: skip
    venue = Venue.objects.create(organisation=organisation, name="Cổng chính", kind=Kind.HOSPITAL,
                                 commune=commune)  # fmt: skip
    return connection.vendor, venue.short_code


def child(path: str, code: str) -> None:
    """Imports the file once; prints the report, the time and this process's peak memory."""
    import django

    django.setup()
    from vaora.paper import importer, services
    from vaora.venues.models import Venue

    if READER == "thread":  # the comparison: read on the importing process's own thread
        importer.READER_PROCESS_BYTES = float("inf")
    venue = Venue.objects.get(short_code=code)
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    upload = services.import_file(venue, Path(path))
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    importing_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("RESULT " + json.dumps({
        "seconds": round(seconds, 2), "rows_per_second": round(upload.total_rows / seconds),
        "peak_memory_mb": round(max(sampler.peak_mb, importing_mb), 1),
        # Each process's own peak, added: an upper bound (the two need not peak at once).
        "peak_memory_upper_bound_mb": round(importing_mb + reader_mb, 1),
        "importing_process_peak_mb": round(importing_mb, 1),
        "reader_process_peak_mb": round(reader_mb, 1), "status": upload.status,
        "total_rows": upload.total_rows, "stored": upload.stored,
        "duplicates": upload.duplicates, "rejected": upload.rejected,
    }))  # fmt: skip


class MemorySampler(threading.Thread):
    """The import's resident memory — this process and its reader process together — read from
    /proc every 50 ms; the largest sum seen is what the server needs at once."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.peak_mb = threading.Event(), 0.0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(0.05):
            pids = [me]
            for task in Path(f"/proc/{me}/task").iterdir():
                try:
                    pids += [int(p) for p in (task / "children").read_text().split()]
                except OSError:
                    continue
            self.peak_mb = max(self.peak_mb, sum(resident_mb(pid) for pid in pids))


def resident_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_child(path: Path, code: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(path), code], check=True,
                          capture_output=True, text=True, env=os.environ)  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


CEILING_COLUMNS = ["person_id", "venue_id", "zone_id", "province_code", "entered_at", "ends_at",
                   "left_at", "source", "client_id", "checkout_client_id", "scanned_at",
                   "received_at", "recorded_by_id", "corrected"]  # fmt: skip
CEILING_BATCH = 5000  # rows per transaction, about what the importer commits at once


def ceiling() -> dict:
    """The database's own ceiling for this import: the visits it stored, read back, the table
    emptied, and the same rows written again by raw batched INSERTs (1,000 rows a statement,
    CEILING_BATCH a transaction) into the same table and indexes — no parsing, no matching,
    no decisions. On PostgreSQL the same rows are then also copied in (COPY, CEILING_BATCH a
    transaction): its fastest way in, and the bound a durable import cannot pass (the batched
    INSERT is slower there: psycopg binds 14,000 parameters a statement in Python). The table
    ends as the import left it."""
    from django.db import connection

    from vaora.visits.models import Visit

    table = Visit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(CEILING_COLUMNS)} FROM {table} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    found = {"rows": len(rows), **_timed_load(table, rows, "insert")}
    if connection.vendor == "postgresql":
        found["copy"] = _timed_load(table, rows, "copy")
    return found


def _timed_load(table: str, rows: list, how: str) -> dict:
    """Empties the table and loads `rows` again, CEILING_BATCH rows a transaction."""
    from django.db import connection, transaction

    from vaora.core import bulk

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    started = time.perf_counter()
    for chunk in bulk.chunks(rows, CEILING_BATCH):
        with transaction.atomic():
            if how == "insert":
                bulk.insert(table, CEILING_COLUMNS, chunk)
                continue
            with connection.cursor() as cursor:
                columns = ", ".join(CEILING_COLUMNS)
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "rows_per_second": round(len(rows) / seconds)}


def main() -> None:
    started = time.perf_counter()
    path = register_file()
    print(f"register: {path} ({path.stat().st_size / 1e6:.1f} MB, "
          f"{time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip
    vendor, code = prepare()
    first = run_child(path, code)
    print("first import", first, flush=True)
    again = run_child(path, code)
    print("same file again", again, flush=True)
    from vaora.people.models import Person
    from vaora.visits.models import Visit

    raw = ceiling()
    print("ceiling", raw, flush=True)
    # The same basis for both: the visits stored, over the time each took to store them.
    stored_per_second = first["stored"] / first["seconds"]
    report = {
        "benchmark": "paper register import (parse, validate, match persons, store)",
        "command": "make bench-import",
        "database": vendor,
        "machine": common.machine(), **common.durability(),
        "file_rows": ROWS, "file_mb": round(path.stat().st_size / 1e6, 1), "reader": READER,
        "distinct_people_in_file": PEOPLE,
        "first_import": first, "reimport_same_file": again,
        "ceiling": raw, "ceiling_rows_per_second": raw["rows_per_second"],
        "first_import_stored_per_second": round(stored_per_second),
        "ratio_to_ceiling": round(stored_per_second / raw["rows_per_second"], 3),
        **({"copy_ceiling_rows_per_second": raw["copy"]["rows_per_second"],
            "ratio_to_copy_ceiling": round(stored_per_second / raw["copy"]["rows_per_second"], 3)}
           if "copy" in raw else {}),
        "visits_in_database": Visit.rows.count(), "persons_in_database": Person.rows.count(),
        "targets": {"postgresql_rows_per_second": 40000, "sqlite_ratio_to_ceiling": 0.8,
                    "peak_memory_mb": 500},
    }  # fmt: skip
    suffix = "" if READER == "process" else f"-{READER}"
    target = common.RESULTS / f"paper-import-{vendor}{suffix}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
