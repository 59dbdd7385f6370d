"""`vaora backup FILE` and `vaora restore FILE` round-trip a populated database — on SQLite
(online backup API) and on PostgreSQL (pg_dump/pg_restore) — into a new, empty database: the
same counts in every table that holds data, and names still decrypt with the data key. A
restore refuses a database that is not empty and a file that is not a backup."""

import datetime
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import make_visit

pytestmark = pytest.mark.django_db(transaction=True)
VAORA = Path(sys.executable).parent / "vaora"
COUNT = """
import json, django; django.setup()
from django.db import connection
from vaora.people.models import Person
tables = ("people_person", "visits_visit", "venues_venue", "core_auditevent")
with connection.cursor() as cursor:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
person = Person.objects.for_system("backup check").by_cccd("040090012345").get()
print(json.dumps({"counts": counts, "name": person.name, "phone": person.phone}))
"""


@pytest.fixture
def empty_database(tmp_path):
    """The address of a new, empty database of the same kind as the tests'."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"restored_{uuid.uuid4().hex[:8]}"
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, database_url, **kwargs):
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "vaora.settings"}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def test_it_round_trips_a_populated_database(tenant_a, tmp_path, empty_database):
    from vaora.people.models import Person

    walk_in = Person.rows.create(name="Nguyễn Văn An", phone="0912000123", cccd="040090012345")
    start = tenant_a.venue.created_at - datetime.timedelta(days=1)
    for hour in range(5):
        make_visit(walk_in, tenant_a.venue, start + datetime.timedelta(hours=hour),
                   datetime.timedelta(minutes=50))  # fmt: skip
    file = tmp_path / "vaora.backup"
    call_command("backup", str(file))
    assert file.stat().st_mode & 0o777 == 0o600
    before = json.loads(run([sys.executable, "-c", COUNT], _current_url()).stdout)
    restored = run([VAORA, "restore", str(file)], empty_database)
    assert restored.returncode == 0, restored.stderr
    after = run([sys.executable, "-c", COUNT], empty_database)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before
    assert json.loads(after.stdout)["name"] == "Nguyễn Văn An"
    again = run([VAORA, "restore", str(file)], empty_database)
    assert again.returncode != 0 and "empty database" in again.stderr


def test_it_refuses_what_is_not_a_backup(tmp_path, empty_database):
    junk = tmp_path / "notes.txt"
    junk.write_text("không phải bản sao lưu")
    refused = run([VAORA, "restore", str(junk)], empty_database)
    assert refused.returncode != 0 and "not a vaora backup" in refused.stderr


def _current_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    from vaora.core.backup import _pg_url

    return _pg_url(settings)
