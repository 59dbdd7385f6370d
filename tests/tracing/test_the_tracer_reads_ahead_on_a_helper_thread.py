"""The tracer reads the next batch of visits on a helper thread while it compares the last one:
rows come back in order, a database error reaches the trace that asked (and the connection
stays usable), and a trace that stops early leaves no thread reading behind it."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from vaora.tracing.tracer_sql import fetched_ahead

pytestmark = pytest.mark.django_db


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tracer-reader"]


def test_it_yields_each_statements_rows_in_order():
    statements = [(f"SELECT {n} + %s", [n]) for n in range(1, 6)]
    with connection.cursor() as cursor:
        assert [rows[0][0] for rows in fetched_ahead(cursor, statements)] == [2, 4, 6, 8, 10]
    assert _readers() == []


def test_it_raises_a_failed_statement_in_the_caller():
    statements = [("SELECT %s", [1]), ("SELECT * FROM no_such_table_here", []), ("SELECT 3", [])]
    seen = []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        for rows in fetched_ahead(cursor, statements):
            seen.append(rows[0][0])
    assert seen == [1]
    assert _readers() == []
    with connection.cursor() as cursor:  # the connection still answers
        cursor.execute("SELECT 7")
        assert cursor.fetchone()[0] == 7


def test_it_stops_the_helper_when_the_caller_stops_early():
    statements = [("SELECT %s", [n]) for n in range(50)]
    with connection.cursor() as cursor:
        for rows in fetched_ahead(cursor, statements):
            assert rows[0][0] == 0
            break
    assert _readers() == []
