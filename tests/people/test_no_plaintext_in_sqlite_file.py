"""After `vaora demo`, no demo person's phone, CCCD or name appears in plaintext anywhere in the
SQLite database file (or its write-ahead log)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from vaora.core import crypto
from vaora.demo.generate import _person_plan, demo_phone, nghe_an_communes

PEOPLE = 40
SEED = 7


def run_vaora(*args: str, database: Path) -> None:
    # Debug mode: `vaora demo` refuses to run without it (it makes demo accounts).
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "VAORA_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "-m", "vaora.cli", *args], env=env, check=True, capture_output=True,
        timeout=300,
    )  # fmt: skip


def spellings(national: str) -> list[bytes]:
    e164 = "+84" + national[1:]
    return [national.encode(), e164.encode(), e164[1:].encode(), national[1:].encode()]


def test_it_keeps_no_personal_value_in_plaintext_on_disk(tmp_path, places):
    database = tmp_path / "vaora.sqlite3"
    run_vaora("migrate", "--no-input", database=database)
    run_vaora("demo", "--people", str(PEOPLE), "--venues", "15", "--seed", str(SEED),
              "--days", "21", database=database)  # the plan below is drawn for 21 days  # fmt: skip
    with sqlite3.connect(database) as connection:
        stored = connection.execute("SELECT name, phone, cccd FROM people_person").fetchall()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())

    # The values we look for are the ones really stored (decrypted with the shared test key).
    stored_names = {crypto.decrypt(name, "people.Person.name") for name, _, _ in stored}
    stored_cccds = {crypto.decrypt(c, "people.Person.cccd") for _, _, c in stored if c}
    communes = nghe_an_communes()  # the same ordered list the demo drew from
    now = timezone.now()
    checked_names = 0
    for index in range(PEOPLE):
        phone = demo_phone(SEED, index)
        for spelling in spellings(phone):
            assert spelling not in on_disk, f"phone of demo person {index} found in plaintext"
        adult, dependants = _person_plan(SEED, index, communes, now, 21)
        for person in [adult, *dependants]:
            assert person.name in stored_names
            assert person.name.encode() not in on_disk
            checked_names += 1
        if adult.cccd:
            assert adult.cccd in stored_cccds
            assert adult.cccd.encode() not in on_disk
    assert checked_names >= PEOPLE
    assert stored_cccds, "the demo gives most adults a CCCD"
