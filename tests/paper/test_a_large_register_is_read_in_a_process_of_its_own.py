"""A large register is read (parsed, checked, indexed, encrypted) by a process of its own while
the importing process decides and stores: the same visits, persons, refusals and report as
reading on the importing thread; a file problem comes back as the same coded error; a cancelled
import stops its reader at once, and the progress bar moves with the bytes it read."""

import time
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.paper.readers import readers_of
from vaora.core.errors import VaoraError
from vaora.paper import importer, reader_process, reading
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"  # 10:00 in Việt Nam
HEADER = "Họ tên,Số điện thoại,CCCD,Giờ vào,Giờ ra,Sốt ho khó thở,Tiếp xúc F0\n"


def register(tmp_path: Path, lines: int) -> Path:
    """Repeat visitors, CCCDs, health answers, a same-minute repeat and a bad row in 50."""
    rows = [HEADER]
    for n in range(lines):
        person = n % 700
        hour, minute = 7 + (n // 60) % 12, n % 60
        day = 10 + (n // 720) % 14
        phone = "12345" if n % 50 == 7 else f"091{person:07d}"
        cccd = f"0400{person:08d}" if person % 3 == 0 else ""
        sick = "có" if n % 97 == 0 else "không"
        rows.append(f"Người thử {person},{phone},{cccd},{day}/11/2026 {hour:02d}:{minute:02d},,"
                    f"{sick},không\n")  # fmt: skip
    path = tmp_path / "so-giay.csv"
    path.write_text("".join(rows), encoding="utf-8")
    return path


def imported(venue, path: Path, reader: str | None, **options):
    with open(path, "rb") as raw:
        return importer.import_register(venue, raw, path.name, reader=reader, **options)


def visits_of(venue) -> list[tuple]:
    columns = ("person_id", "zone_id", "entered_at", "ends_at", "left_at", "source", "client_id")
    return sorted(Visit.rows.filter(venue=venue).values_list(*columns))


@freeze_time(NOW)
def test_it_stores_what_reading_on_the_importing_thread_stores(tenant_a, tmp_path, monkeypatch):
    path = register(tmp_path, 6_000)
    on_thread, refused_on_thread = imported(tenant_a.venue, path, "thread")
    stored_on_thread = visits_of(tenant_a.venue)
    Visit.rows.filter(venue=tenant_a.venue).delete()  # the same file again, into an empty venue

    def no_reading_here(*args, **kwargs):
        raise AssertionError("the process reader read on the importing thread")

    monkeypatch.setattr(reading.RegisterReader, "chunks", no_reading_here)
    in_process, refused_in_process = imported(tenant_a.venue, path, "process")
    # 700 visitors, of whom 14 only ever wrote a bad phone; the second run finds them all
    assert on_thread.persons_created == 686 and in_process.persons_created == 0
    for report in (on_thread, in_process):
        report.persons_created = 0
    assert in_process.as_dict() == on_thread.as_dict()
    assert (in_process.total_rows, in_process.rejected) == (6_000, 120)
    assert refused_in_process == refused_on_thread and refused_in_process.count("\n") == 121
    assert len(stored_on_thread) == on_thread.stored
    assert visits_of(tenant_a.venue) == stored_on_thread


@freeze_time(NOW)
def test_a_file_on_disk_of_a_megabyte_or_more_goes_to_the_process(tenant_a, tmp_path,
                                                                  monkeypatch):  # fmt: skip
    path = register(tmp_path, 16_000)
    assert path.stat().st_size >= importer.READER_PROCESS_BYTES
    started = []
    original = reader_process.chunks
    monkeypatch.setattr(reader_process, "chunks",
                        lambda *args: started.append(args) or original(*args))  # fmt: skip
    report, _ = imported(tenant_a.venue, path, None)
    assert started and report.total_rows == 16_000
    (tmp_path / "small").mkdir()
    imported(tenant_a.venue, register(tmp_path / "small", 100), None)
    assert len(started) == 1  # a small file is read here


@freeze_time(NOW)
def test_it_gives_the_file_problem_as_its_coded_error(tenant_a, tmp_path):
    path = tmp_path / "sai-cot.csv"
    path.write_text("Tên địa điểm,Ghi chú\nChợ Vinh,x\n", encoding="utf-8")
    with pytest.raises(VaoraError) as refused:
        imported(tenant_a.venue, path, "process")
    assert refused.value.code == "missing_columns" and "thiếu cột" in refused.value.message_vi
    broken = tmp_path / "so.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(VaoraError) as unreadable:
        imported(tenant_a.venue, broken, "process")
    assert unreadable.value.code == "unreadable_file" and unreadable.value.status == 400


class Stop(Exception):
    pass


@freeze_time(NOW)
def test_a_cancelled_import_stops_its_reader_and_progress_follows_the_bytes(tenant_a, tmp_path):
    path = register(tmp_path, 16_000)
    positions = []

    def progress(report, line, position):
        positions.append(position)
        assert readers_of(path), "the reader runs while the first chunk is stored"
        raise Stop

    with pytest.raises(Stop):
        imported(tenant_a.venue, path, "process", progress=progress)
    assert len(positions) == 1 and 0 < positions[0] < path.stat().st_size
    deadline = time.monotonic() + 10
    while readers_of(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert readers_of(path) == []
    # The chunk whose transaction the cancel interrupted is rolled back with it.
    assert not Visit.rows.filter(venue=tenant_a.venue).exists()
