"""Change counters: how one server process tells every other that something it keeps in memory
changed (see models.ChangeCounter). Bump inside the transaction that makes the change; readers
see the new value once it commits."""

from django.db import connection
from django.db.models import F

from vaora.core.models import ChangeCounter

PLACES = "places"
PASSES = "passes"


def bump(name: str) -> None:
    if not ChangeCounter.objects.filter(name=name).update(value=F("value") + 1):
        ChangeCounter.objects.get_or_create(name=name, defaults={"value": 1})


def read() -> dict[str, int]:
    """Every counter, in one query (the fast path runs it once per batch)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {ChangeCounter._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())
