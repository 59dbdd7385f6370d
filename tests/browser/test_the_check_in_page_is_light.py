"""The first load of a poster's check-in page on a phone, in production mode (uvicorn, debug
off, `vaora collectstatic`), including everything the service worker fetches to install:
at most 30 KB transferred. Static files go out compressed. The figure is printed and kept in
var/page-weight.json."""

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import FLAGS, require_chromium

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
BUDGET = 30_000
SETUP = """
import django; django.setup()
from vaora.core.places import load_current_places
from vaora.venues import tokens
from vaora.venues.models import Organisation, Place, Venue
load_current_places()
commune = Place.objects.get(scheme="2025", level="commune", code="16681")
market = Organisation.objects.create(name="Chợ Vinh", kind="market", commune=commune)
print(tokens.token_for(Venue.objects.create(organisation=market, name="Cổng chợ Vinh",
                                            kind="market", commune=commune)))
"""


@pytest.fixture
def production_server(tmp_path):
    env = os.environ | {
        "VAORA_DEBUG": "0", "SECRET_KEY": "page-weight-test-secret-key-0123456789abcdefghij",
        "VAORA_DATA_KEY": "cGFnZS13ZWlnaHQtdGVzdC1kYXRhLWtleS0xMjM0NTY=",
        "VAORA_PUBLIC_URL": "https://vaora.example", "VAORA_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "VAORA_STATIC_ROOT": str(tmp_path / "static"),
        "VAORA_ROLLUP_MINUTES": "0",
        "DJANGO_SETTINGS_MODULE": "vaora.settings",
    }  # fmt: skip
    for command in (["migrate", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([BIN / "vaora", *command], env=env, check=True, cwd=ROOT, timeout=300)
    token = subprocess.run([BIN / "python", "-c", SETUP], env=env, check=True, cwd=ROOT,
                           capture_output=True, text=True, timeout=300).stdout.strip()  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([BIN / "uvicorn", "vaora.asgi:application", "--port", str(port),
                               "--log-level", "warning"], env=env, cwd=ROOT)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", token
    server.terminate()
    server.wait(timeout=30)


def test_it_loads_the_check_in_page_within_30_kb(production_server):
    base, token = production_server
    from playwright.sync_api import sync_playwright

    finished = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=FLAGS)
        context = browser.new_context(viewport={"width": 360, "height": 640})
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(f"{base}/V/{token}")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(1500)  # the service worker's install fetches
        rows = []
        for request in finished:
            sizes = request.sizes()
            response = request.response()
            rows.append({"url": request.url.removeprefix(base)[:60],
                         "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                         "encoding": response.headers.get("content-encoding", ""),
                         "cache": response.headers.get("cache-control", "")})  # fmt: skip
        browser.close()
    total = sum(row["bytes"] for row in rows)
    report = {"page": "/V/<token> first load, phone, production mode", "bytes": total,
              "requests": len(rows), "budget": BUDGET, "rows": rows}  # fmt: skip
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "page-weight.json").write_text(json.dumps(report, indent=2))
    print(f"\ncheck-in page first load: {total:,} bytes in {len(rows)} requests")
    assert total <= BUDGET, report
    css = [row for row in rows if row["url"].endswith(".css") and row["bytes"]]
    assert css and all(row["encoding"] in ("gzip", "br") for row in css), css
    # Far-future caching: every static file has its content's hash in its name and may be kept
    # a year, immutable; the service worker's shell names the same hashed files.
    static = [row for row in rows if row["url"].startswith("/static/")]
    assert static and all(re.search(r"\.[0-9a-f]{12}\.\w+$", row["url"]) for row in static), static
    assert all("immutable" in row["cache"] and "max-age=315360000" in row["cache"]
               for row in static), static  # fmt: skip
