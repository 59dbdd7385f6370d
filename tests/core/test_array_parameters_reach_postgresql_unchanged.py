"""core/pg_arrays: the engine and the tracer send their lists to PostgreSQL as one array
literal each (psycopg's own list dumping was a tenth of the check-in server's time). What the
server reads back must be exactly what was sent — quotes, backslashes, commas, braces, the word
NULL, empty text, times to the microsecond — and a value of the wrong type must fail before
it reaches a statement."""

import datetime
import uuid

import pytest
from django.db import connection

from vaora.core import pg_arrays

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="array literals are PostgreSQL's")  # fmt: skip
AWKWARD_TEXT = ['a"b', "back\\slash", "x,y", "{braces}", "NULL", "", "  spaced  ", "Hà Nội", None]


def server_reads(literal: str, kind: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unnest(%s::{kind}[])", [literal])
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
def test_it_keeps_every_awkward_text_as_it_was():
    assert server_reads(pg_arrays.literal(AWKWARD_TEXT, "text"), "text") == AWKWARD_TEXT


@on_postgresql
def test_it_keeps_integers_and_nulls():
    values = [1, None, -7, 2**62]
    assert server_reads(pg_arrays.literal(values, "bigint"), "bigint") == values
    assert server_reads(pg_arrays.integers([3, 2, 1]), "bigint") == [3, 2, 1]


@on_postgresql
def test_it_keeps_uuids():
    values = [uuid.uuid4(), None, uuid.UUID(int=0)]
    assert server_reads(pg_arrays.literal(values, "uuid"), "uuid") == values


@on_postgresql
def test_it_keeps_times_to_the_microsecond():
    naive = [datetime.datetime(2026, 12, 6, 23, 59, 59, 999999), None,
             datetime.datetime(2026, 1, 1)]  # fmt: skip
    assert server_reads(pg_arrays.literal(naive, "timestamp"), "timestamp") == naive
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    aware = [datetime.datetime(2026, 12, 7, 6, 30, 0, 1, tzinfo=hanoi),
             datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)]  # fmt: skip
    assert server_reads(pg_arrays.literal(aware, "timestamptz"), "timestamptz") == aware


@on_postgresql
def test_it_sends_an_empty_list_as_an_empty_array():
    assert server_reads(pg_arrays.literal([], "bigint"), "bigint") == []


@pytest.mark.parametrize(
    ("value", "kind"),
    [("1,2", "bigint"), ("1", "bigint"), (1.5, "bigint"), ("0ef96f3b", "uuid"), (1, "text"),
     ("2026-12-06", "timestamp")],
)  # fmt: skip
def test_it_refuses_a_value_of_another_type(value, kind):
    with pytest.raises(TypeError):
        pg_arrays.literal([value], kind)
    if kind == "bigint":
        with pytest.raises(TypeError):
            pg_arrays.integers([value])
