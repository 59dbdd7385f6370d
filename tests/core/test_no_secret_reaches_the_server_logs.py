"""Threat 29: after a full flow through a real server — an activation link opened and used, a
personal QR and a travel QR opened — no token appears in any log line the server wrote, access
log included (uvicorn at its default, info, level)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREPARE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from vaora.core.places import load_current_places
load_current_places()
from vaora.core.models import Place
from vaora.oversight import accounts
from vaora.people import codes
from vaora.people.models import Account, Person
province = Place.objects.get(scheme="2025", level="province", code="40")
admin = Account.objects.create(username="root", role="admin", is_superuser=True)
official, link = accounts.create_account(admin, accounts.NewAccount(
    username="gs.logs", role="oversight", jurisdiction=province, phone="0913000777"))
person = Person.rows.create(name="Người Có Mã", phone="0913000778")
print(json.dumps({"activation": link.split("/activate/")[1].strip("/"),
                  "person": codes.person_url(person).rsplit("/", 1)[1]}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def test_it_writes_no_token_to_any_server_log(tmp_path):
    database = tmp_path / "logs.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}",
                        "VAORA_ROLLUP_MINUTES": "0", "DJANGO_SETTINGS_MODULE": "vaora.settings",
                        "VAORA_PUBLIC_URL": "https://vaora.test"}  # fmt: skip
    prepared = subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
    secrets = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "vaora.asgi:application", "--host", "127.0.0.1",
             "--port", str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            statuses = [
                fetch(f"{base}/activate/{secrets['activation']}/"),
                fetch(f"{base}/P/{secrets['person']}"),
                fetch(f"{base}/p/{secrets['person']}"),
                fetch(f"{base}/activate/{secrets['activation']}x/"),  # a wrong one: a 404 warning
                fetch(f"{base}/T/{secrets['person']}"),  # not a travel code: refused, logged
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    written = log.read_text()
    assert statuses[:3] == [200, 200, 200]
    assert "GET /activate/" in written and "GET /P/" in written  # the lines are there...
    assert secrets["activation"] not in written  # ...without the secrets
    assert secrets["person"] not in written
