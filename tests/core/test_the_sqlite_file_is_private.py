"""The SQLite database (and its WAL files) is readable by the server's user only (0600)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_creates_the_database_file_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "vaora.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([sys.executable, "-m", "vaora.cli", "migrate", "--no-input"], env=env,
                   cwd=ROOT, check=True, capture_output=True, timeout=300)  # fmt: skip
    for path in [database, *tmp_path.glob("vaora.sqlite3-*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path, oct(path.stat().st_mode))
