"""The web process does no background work (it is the worker's): loading the ASGI and WSGI
applications starts no thread, whatever VAORA_ROLLUP_MINUTES says."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import threading
import vaora.asgi, vaora.wsgi
print(sorted(t.name for t in threading.enumerate()))
"""


def test_loading_the_web_applications_starts_no_thread(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAORA_ROLLUP_MINUTES": "10",
        "DJANGO_SETTINGS_MODULE": "vaora.settings",
    }
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    assert out.stdout.strip() == "['MainThread']"
