"""The reader process collects its young garbage between chunks, once the reader has let go of
the chunk it handed over: a collection while the reader still held it walked every one of its
lines (about a tenth of the reading's time on a 300,000-line register)."""

import datetime
import functools
import gc
import io
import weakref

from vaora.core.tabular import read_rows
from vaora.paper import reading
from vaora.paper import rows as register
from vaora.visits import engine

NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)
HEADER = "Họ tên,Số điện thoại,Giờ vào\n"


def register_of(lines: int) -> io.BytesIO:
    body = "".join(
        f"Nguyễn Văn {n},09123{n:05d},24/11/2026 08:{n % 60:02d}\n" for n in range(lines)
    )
    return io.BytesIO((HEADER + body).encode())


def chunks(lines: int, size: int, between):
    context = reading.ReaderContext(7, {}, NOW, engine.window())
    rows = read_rows(register_of(lines), "so.csv", register.ALIASES)
    return reading.RegisterReader(context).chunks(rows, size=size, between=between)


def test_it_calls_between_once_a_full_chunk_is_let_go():
    handed, freed_when_called = [], []

    def between():
        freed_when_called.append(handed[-1]() is None)

    for chunk in chunks(7, 3, between):
        handed.append(weakref.ref(chunk))
        del chunk  # as the reader process does once the chunk is sent
    assert len(handed) == 3  # 3 + 3 + the last line
    assert freed_when_called == [True, True]  # the reader held nothing of either chunk


def test_it_reads_the_same_chunks_with_or_without_between():
    def lines_of(between):
        return [[line.row for line in chunk.lines] for chunk in chunks(50, 20, between)]

    assert lines_of(None) == lines_of(functools.partial(gc.collect, 0))
