"""`make run PORT=8301` prints posters and links for :8301, not :8000: in debug mode the public
URL follows the served host and port unless VAORA_PUBLIC_URL is set. scripts/run.sh runs for
real, with stand-ins for the vaora command and uvicorn that report what they were given."""

import os
import subprocess
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "scripts" / "run.sh"


def served(tmp_path, **env) -> list[str]:
    for name in ("vaora", "uvicorn"):
        stand_in = tmp_path / name
        stand_in.write_text(f'#!/bin/sh\necho "stand-in {name} $VAORA_PUBLIC_URL"\n')
        stand_in.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in ("VAORA_PUBLIC_URL", "HOST", "PORT")}
    result = subprocess.run(["bash", str(RUN)], env=clean | {"BIN": str(tmp_path)} | env,
                            capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
    return [line for line in result.stdout.splitlines() if line.startswith("stand-in ")]


def test_it_points_links_at_the_port_it_serves_in_debug(tmp_path):
    lines = served(tmp_path, VAORA_DEBUG="1", PORT="8301")
    assert lines and all(line.endswith(" http://127.0.0.1:8301") for line in lines)


def test_it_keeps_a_public_url_that_was_set(tmp_path):
    lines = served(tmp_path, VAORA_DEBUG="1", PORT="8301",
                   VAORA_PUBLIC_URL="https://vaora.nghean.gov.vn")  # fmt: skip
    assert all(line.endswith(" https://vaora.nghean.gov.vn") for line in lines)


def test_it_sets_nothing_outside_debug(tmp_path):
    lines = served(tmp_path, VAORA_DEBUG="0", PORT="8301")
    assert lines and all(line.rstrip() in ("stand-in vaora", "stand-in uvicorn") for line in lines)
