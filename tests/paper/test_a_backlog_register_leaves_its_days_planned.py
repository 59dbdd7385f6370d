"""A paper register filling past days that held no visit yet (a province uploading its backlog)
leaves each of those days' partitions with planner statistics as it goes: without them the
engine's timeline lookup filtered every visit of the window against the batch's persons, and a
1,000,000-line backlog crawled at under 1,000 lines a second (decision 0020, 0023). PostgreSQL
only: SQLite keeps one table."""

import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone

from vaora.paper.importer import import_register
from vaora.visits import partitions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite keeps one table"),
]


def statistics_rows(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema()"
                       " AND tablename = %s", [name])  # fmt: skip
        return cursor.fetchone()[0]


def test_it_analyses_each_new_day_it_fills(tenant_a):
    days = [timezone.localdate() - datetime.timedelta(days=n) for n in (4, 3)]
    names = [partitions.name_of(day) for day in days]
    assert all(statistics_rows(name) == 0 for name in names)  # empty, never analysed
    lines = ["Họ tên,Số điện thoại,Giờ vào"]
    for day in days:
        for n in range(120):
            lines.append(f"Người {n},091{n:07d},{day:%d/%m/%Y} {8 + n // 60:02d}:{n % 60:02d}")
    report, _ = import_register(tenant_a.venue, io.BytesIO("\n".join(lines).encode()), "so.csv")
    assert report.stored == 240
    assert all(statistics_rows(name) > 0 for name in names)
    assert [partitions.without_statistics(day) for day in days] == [None, None]
