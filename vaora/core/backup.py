"""Backups that restore (issue 14, part 6). SQLite: the online backup API copies a consistent
snapshot while the server runs. PostgreSQL: `pg_dump` custom format, restored with
`pg_restore`. A restore goes only into an empty database (a new file, or a database with no
tables, before any `migrate`) so it can never mix two installations' data. The backup holds
personal data encrypted with VAORA_DATA_KEY; keep that key apart from the backups (escrowed), or
a stolen backup is readable, and a lost key makes every backup useless."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from vaora.core.errors import VaoraError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _refuse(code: str, vi: str, en: str) -> VaoraError:
    return VaoraError(code, vi, en, 409)


def _pg_url(settings: dict) -> str:
    """The database's address without its password (which goes in PGPASSWORD: a command line
    is visible to every user of the server)."""
    user = quote(settings.get("USER") or "", safe="")
    host, port = settings.get("HOST") or "", settings.get("PORT") or ""
    auth = f"{user}@" if user else ""
    return f"postgresql://{auth}{host}{':' + str(port) if port else ''}/{settings['NAME']}"


def _pg(tool: str, *args: str) -> None:
    env = os.environ | {"PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}
    # An argument list (no shell), built from our own settings and the operator's file name.
    subprocess.run([_tool(tool), *args], check=True, timeout=6 * 3600, env=env)  # noqa: S603


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise _refuse("tool_missing", f"Cần chương trình {name} (gói postgresql-client).",
                      f"{name} is needed (package postgresql-client).")  # fmt: skip
    return found


def backup(target: Path) -> dict:
    """Writes a backup of the configured database to `target` (owner-only permissions)."""
    target = Path(target)
    if target.exists():
        raise _refuse("backup_exists", f"Tệp {target} đã có: chọn tên khác.",
                      f"{target} exists: choose another name.")  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copy.close()
        if not ok:
            target.unlink()
            raise _refuse("backup_corrupt", "Bản sao lưu không toàn vẹn.",
                          "The backup failed its integrity check.")  # fmt: skip
    else:
        _pg("pg_dump", "--format=custom", "--no-owner", "--file", str(target),
            "--dbname", _pg_url(settings))  # fmt: skip
    os.chmod(target, 0o600)
    return {"file": str(target), "bytes": target.stat().st_size, "database": connection.vendor}


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(source: Path) -> dict:
    """Restores `source` into the configured database, which must be empty."""
    source = Path(source)
    if not source.is_file():
        raise _refuse("backup_missing", f"Không có tệp {source}.", f"No file {source}.")
    head = source.read_bytes()[:16]
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(
        PG_MAGIC) else None  # fmt: skip
    if kind is None:
        raise _refuse("backup_unknown", "Tệp không phải bản sao lưu của vaora.",
                      "The file is not a vaora backup.")  # fmt: skip
    if kind != connection.vendor:
        raise _refuse("backup_other_database",
                      f"Bản sao lưu của {kind}, cơ sở dữ liệu đang dùng là {connection.vendor}.",
                      f"A {kind} backup cannot go into {connection.vendor}.")  # fmt: skip
    if _tables():
        raise _refuse("restore_not_empty",
                      "Chỉ khôi phục vào cơ sở dữ liệu trống (trước mọi lệnh migrate).",
                      "Restore only into an empty database (before any migrate).")  # fmt: skip
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as original:
            original.backup(connection.connection)
        original.close()
    else:
        _pg("pg_restore", "--no-owner", "--exit-on-error", "--dbname",
            _pg_url(connection.settings_dict), str(source))  # fmt: skip
    return {"file": str(source), "tables": len(_tables()), "database": kind}
