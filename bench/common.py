"""What the benchmarks share: production-like settings (debug off — Django's debug cursor would
keep every query), a database of their own (a SQLite file under var/bench, or the throwaway
PostgreSQL that scripts/with-postgres.sh points DATABASE_URL at), and a description of the
machine for the results."""

import contextlib
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"


def configure(sqlite: Path) -> None:
    """Call before importing Django: settings for a benchmark using `sqlite` unless
    DATABASE_URL says otherwise."""
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
    os.environ["VAORA_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
    os.environ.setdefault("VAORA_DATA_KEY", "YmVuY2htYXJrLWRhdGEta2V5LW5vdC1mb3ItcHJvZCE=")
    os.environ.setdefault("VAORA_PUBLIC_URL", "https://vaora.bench")
    os.environ.setdefault("VAORA_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["VAORA_ROLLUP_MINUTES"] = "0"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{sqlite}")


def fresh_database(sqlite: Path, *, keep: bool = False) -> None:
    """An empty database: the SQLite file removed, or the PostgreSQL database dropped and
    created again — unless `keep`, to reuse a generated data set (the SQLite file, or a
    PostgreSQL database on a cluster that outlives the run)."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0],
            "platform": platform.platform()}  # fmt: skip


def database_settings() -> dict:
    """The durability settings the figures were measured under, read from the database itself:
    published PostgreSQL figures need fsync and synchronous_commit on."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers",
                     "work_mem", "maintenance_work_mem", "max_wal_size",
                     "server_version")  # fmt: skip
            settings = {}
            for name in names:
                cursor.execute(f"SHOW {name}")
                settings[name] = cursor.fetchone()[0]
            durability = ("fsync", "synchronous_commit", "full_page_writes")
            settings["durable"] = all(settings[name] == "on" for name in durability)
            return settings
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        return {
            "journal_mode": journal,
            "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]],
        }


def durability() -> dict:
    """What every result file carries about its database: PostgreSQL's settings as read back
    with SHOW and whether the figures are durable (fsync, synchronous_commit and
    full_page_writes on); SQLite's journal mode and synchronous level."""
    settings = database_settings()
    durable = settings.pop("durable", None)
    return {"settings": settings} if durable is None else {"durable": durable, "settings": settings}


@contextlib.contextmanager
def uvicorn_server(app: str = "vaora.asgi:application", processes: int = 1,
                   env: dict | None = None):  # fmt: skip
    """The ASGI application under uvicorn, as production runs it (uvloop, httptools; one
    process unless told), on a free loopback port, ready when /healthz answers; yields the
    port. `app` may name the bench's baseline (bench/baseline_app.py), served the same way;
    `env` adds to this process's environment for the server only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workers = ["--workers", str(processes)] if processes > 1 else []
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "uvicorn"), app, "--host", "127.0.0.1",
         "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
         "--log-level", "warning", *workers], cwd=ROOT, env=os.environ | (env or {}),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
