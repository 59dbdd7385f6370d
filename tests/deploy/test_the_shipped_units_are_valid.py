"""The systemd units and the nginx example shipped in deploy/ are what the runbook installs:
systemd-analyze verifies the units (with /opt/vaora pointed at this checkout, where it is
available), uvicorn never rewrites the client address itself, and the proxy forwards the
address it saw — not one the client sent — as vaora's trusted-proxy setting expects."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def test_it_passes_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not available here")
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/vaora", str(ROOT)))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {
        "vaora-web.service",
        "vaora-worker.service",
        "vaora-backup.service",
        "vaora-backup.timer",
    } <= set(names)
    checked = subprocess.run([analyze, "verify", *names], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_it_keeps_the_client_address_honest():
    web = (UNITS / "vaora-web.service").read_text()
    assert "--no-proxy-headers" in web and "--host 127.0.0.1" in web
    assert "EnvironmentFile=/etc/vaora/env" in web and "UMask=0077" in web
    proxy = (ROOT / "deploy" / "nginx" / "vaora.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in proxy
    assert "$proxy_add_x_forwarded_for" not in proxy  # would pass on what the client claimed
