"""A chunk read in the reader process reaches the importing process unchanged: its times to the
microsecond (they travel as integers), a line with no time out, its zone and visit id, the line
as written in its own column order (for the rejected-rows file), a new person's sealed fields,
and the refused lines with their reasons."""

import datetime
import io
import pickle

import pytest

from vaora.core.tabular import read_rows
from vaora.paper import reading
from vaora.paper import rows as register
from vaora.visits import engine

NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)
REGISTER = (
    "Khu vực,Họ tên,Số điện thoại,CCCD,Giờ vào,Giờ ra,Sốt ho khó thở\n"
    "Cổng A,Nguyễn Thị Hoa,0912 345 678,,2026-11-24T08:30:15.123456+07:00,09:15,không\n"
    ",Trần Văn Nam,0987654321,001086012345,24/11/2026 08:40,,có\n"
    ",Lê Văn Tám,12345,,24/11/2026 09:00,,\n"  # refused: not a phone number
    ",Nguyễn Thị Hoa,0912345678,,24/11/2026 10:00,10:30,\n"  # the same person again
)


def through_the_pipe(chunk: reading.Chunk) -> reading.Chunk:
    return reading.unpack(pickle.loads(pickle.dumps(reading.pack(chunk), protocol=5)))  # noqa: S301


@pytest.fixture
def chunk() -> reading.Chunk:
    context = reading.ReaderContext(7, {"cổng a": 3}, NOW, engine.window())
    rows = read_rows(io.BytesIO(REGISTER.encode()), "so.csv", register.ALIASES)
    (only,) = reading.RegisterReader(context).chunks(rows)
    return only


def test_it_keeps_every_good_line_to_the_microsecond(chunk):
    received = through_the_pipe(chunk)
    assert [line.row for line in received.lines] == [line.row for line in chunk.lines]
    first, second, again = received.lines
    assert first.row.entered_at == datetime.datetime(2026, 11, 24, 1, 30, 15, 123456,
                                                     tzinfo=datetime.UTC)  # fmt: skip
    assert first.row.entered_at.tzinfo is datetime.UTC
    assert second.row.left_at is None and second.row.symptoms is True
    assert [line.identity for line in received.lines] == [line.identity for line in chunk.lines]
    assert [line.visit for line in received.lines] == [line.visit for line in chunk.lines]
    assert first.visit[0] == 3 and second.visit[0] is None
    assert first.identity[0] == again.identity[0] and again.sealed is None


def test_it_keeps_the_line_as_written_in_its_column_order(chunk):
    first = through_the_pipe(chunk).lines[0]
    assert list(first.values) == ["zone", "name", "phone", "cccd", "time_in", "time_out",
                                  "symptoms"]  # fmt: skip
    assert first.values["phone"] == "0912 345 678" and first.values["zone"] == "Cổng A"
    assert [line.values for line in through_the_pipe(chunk).lines] == [
        line.values for line in chunk.lines
    ]


def test_it_keeps_the_sealed_fields_and_the_refused_lines(chunk):
    received = through_the_pipe(chunk)
    assert [line.sealed for line in received.lines] == [line.sealed for line in chunk.lines]
    assert received.lines[0].sealed is not None
    ((line, values, error),) = received.refused
    assert line == 4 and values["phone"] == "12345"
    assert (error.column, error.code) == ("phone", chunk.refused[0][2].code)
    assert error.vi and error.en
    assert (received.total_rows, received.old_indexes) == (4, {})
