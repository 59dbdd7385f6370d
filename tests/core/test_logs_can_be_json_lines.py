"""VAORA_LOG_FORMAT=json: the worker (or any command) logs one JSON object a line — time, level,
logger, message — and, as in plain logs, no personal value."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import logging
from vaora.people.models import Person
person = Person(pk=7, name="Nguyễn Thị Hoa", phone="+84912345678")
logging.getLogger("vaora.probe").warning("refused %s", person)
try:
    raise ValueError("boom")
except ValueError:
    logging.getLogger("vaora.probe").exception("job failed")
"""


def test_it_writes_one_json_object_a_line_without_personal_values(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAORA_LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "vaora.settings",
    }
    code = "import django; django.setup()\n" + PROBE
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    events = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    assert [(e["level"], e["logger"], e["message"]) for e in events] == [
        ("WARNING", "vaora.probe", "refused Person #7"),
        ("ERROR", "vaora.probe", "job failed"),
    ]
    assert events[1]["exception"] == "ValueError" and events[0]["time"].endswith("+00:00")
    assert "Hoa" not in out.stderr and "912345678" not in out.stderr
