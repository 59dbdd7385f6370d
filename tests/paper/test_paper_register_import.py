"""A clerk uploads yesterday's paper register: every row is checked on its own, good rows are
stored as paper visits (matched to known persons), bad rows come back with line numbers and a
reason, and uploading the same rows again stores nothing twice."""

import datetime
import io

import pytest
from freezegun import freeze_time

from vaora.core.errors import VaoraError
from vaora.paper.importer import import_register
from vaora.paper.rows import parse_when
from vaora.people.models import HealthDeclaration, Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"  # 10:00 in Việt Nam
HEADER = "Họ tên,Số điện thoại,CCCD,Giờ vào,Giờ ra,Sốt ho khó thở,Tiếp xúc F0\n"


def csv_bytes(body: str, header: str = HEADER, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO((header + body).encode(encoding))


def run(venue, raw, filename="so.csv"):
    return import_register(venue, raw, filename)


GOOD_AND_BAD = (
    "Nguyễn Thị Hoa,0912 345 678,,24/11/2026 08:30,24/11/2026 09:15,không,không\n"  # line 2
    "Trần Văn Nam,+84 (98) 765-4321,001086012345,2026-11-24 08:40,,có,không\n"  # 3
    ",0912000111,,24/11/2026 08:50,,,\n"  # 4: no name
    "Lê Văn Tám,12345,,24/11/2026 09:00,,,\n"  # 5: bad phone
    "\n"  # 6: blank line, skipped
    "Phạm Thị Mai,0084 903 111 222,,46350.375,,,\n"  # 7: Excel serial 24/11/2026 09:00
    "Hồ Văn Tương Lai,0903222333,,26/11/2026 09:00,,,\n"  # 8: in the future
    '=HYPERLINK("http://x"),0903444555,,24/11/2026 10:00,24/11/2026 09:00,,\n'  # 9: out<in
)


@freeze_time(NOW)
def test_it_stores_good_rows_and_reports_bad_ones_by_line(tenant_a):
    report, rejected = run(tenant_a.venue, csv_bytes(GOOD_AND_BAD))
    assert (report.total_rows, report.stored, report.rejected) == (7, 3, 4)
    reasons = {(e["line"], e["code"]) for e in report.errors}
    assert reasons == {(4, "name_required"), (5, "invalid_phone"), (8, "time_in_future"),
                       (9, "time_out_before_time_in")}  # fmt: skip
    visits = Visit.rows.filter(venue=tenant_a.venue).order_by("entered_at")
    assert [v.source for v in visits] == ["paper"] * 3
    first = visits[0]
    assert first.person.name == "Nguyễn Thị Hoa" and first.person.phone == "+84912345678"
    assert first.entered_at == datetime.datetime(2026, 11, 24, 1, 30, tzinfo=datetime.UTC)
    assert first.left_at == datetime.datetime(2026, 11, 24, 2, 15, tzinfo=datetime.UTC)
    # The upload time is kept beside the visit time: lateness can be monitored.
    assert first.received_at > first.scanned_at + datetime.timedelta(hours=24)
    serial = visits.get(person__phone_index=Person.rows.by_phone("0903111222")[0].phone_index)
    assert serial.entered_at == datetime.datetime(2026, 11, 24, 2, 0, tzinfo=datetime.UTC)
    assert "dong_line" in rejected and rejected.count("\n") == 5  # header + 4 refused lines


@freeze_time(NOW)
def test_it_stores_nothing_twice_when_the_same_rows_come_again(tenant_a):
    first, _ = run(tenant_a.venue, csv_bytes(GOOD_AND_BAD))
    persons = Person.rows.count()
    again, _ = run(tenant_a.venue, csv_bytes(GOOD_AND_BAD))
    assert (again.stored, again.duplicates, again.rejected) == (0, 3, 4)
    assert Visit.rows.filter(venue=tenant_a.venue).count() == 3
    assert first.persons_created == 3 and Person.rows.count() == persons
    assert HealthDeclaration.objects.filter(source="paper").count() == 1  # the one "có"


@freeze_time(NOW)
def test_it_stores_a_register_of_thousands_of_lines_once(tenant_a):
    # 1,200 people in one batch: on PostgreSQL a batch this large is copied into the table
    # (visits/visit_sql.py) rather than sent as arrays; the result must be the same.
    body = (
        "".join(
            f"Người Thứ {n},09{n:08d},,24/11/2026 {8 + n // 200:02d}:{n % 60:02d},,không,không\n"
            for n in range(1200)
        )
        + "Lê Văn Tám,12345,,24/11/2026 09:00,,,\n"
    )
    first, _ = run(tenant_a.venue, csv_bytes(body))
    assert (first.stored, first.duplicates, first.rejected) == (1200, 0, 1)
    stored = Visit.rows.filter(venue=tenant_a.venue)
    assert stored.count() == 1200 and stored.values("person").distinct().count() == 1200
    earliest = stored.order_by("entered_at").first()
    assert earliest.entered_at == datetime.datetime(2026, 11, 24, 1, 0, tzinfo=datetime.UTC)
    again, _ = run(tenant_a.venue, csv_bytes(body))
    assert (again.stored, again.duplicates, again.rejected) == (0, 1200, 1)
    assert Visit.rows.filter(venue=tenant_a.venue).count() == 1200


@freeze_time(NOW)
def test_it_keeps_the_health_answers_as_paper_declarations(tenant_a):
    run(tenant_a.venue, csv_bytes(GOOD_AND_BAD))
    nam = Person.rows.by_cccd("001086012345").get()
    declaration = HealthDeclaration.objects.get(person=nam)
    assert declaration.symptoms == ["other"] and declaration.needs_attention
    assert declaration.vaccine_doses is None and declaration.in_outbreak_area is None


@freeze_time(NOW)
def test_it_matches_a_person_staff_entered_before_by_phone_and_name(tenant_a):
    known = Person.rows.create(name="Nguyễn Thị Hoa", phone="0912345678")
    run(tenant_a.venue, csv_bytes("nguyễn  thị hoa,84912345678,,24/11/2026 08:30,,,\n"))
    assert Visit.rows.get().person == known
    before = Person.rows.count()
    run(tenant_a.venue, csv_bytes("Nguyễn Văn Khác,0912345678,,24/11/2026 08:30,,,\n"))
    assert Person.rows.count() == before + 1  # a shared family phone does not merge two people


@freeze_time(NOW)
def test_it_reads_utf16_with_bom_and_semicolons(tenant_a):
    body = "Họ tên;SĐT;Giờ vào\nĐặng Thị Ánh;0912345678;24/11/2026 08:30\n"
    report, _ = run(tenant_a.venue, io.BytesIO(body.encode("utf-16")))
    assert report.stored == 1
    assert Visit.rows.get().person.name == "Đặng Thị Ánh"


@freeze_time(NOW)
def test_it_reads_utf8_with_bom_and_decomposed_vietnamese(tenant_a):
    import unicodedata

    body = unicodedata.normalize(
        "NFD", "Ho ten,SDT,Gio vao\nBùi Thị Ngọc,0912345678,08:30 24/11/2026\n"
    )
    report, _ = run(tenant_a.venue, io.BytesIO(b"\xef\xbb\xbf" + body.encode()))
    assert report.stored == 1
    assert Visit.rows.get().person.name == unicodedata.normalize("NFC", "Bùi Thị Ngọc")


@freeze_time(NOW)
def test_it_refuses_a_file_missing_a_required_column_and_stores_nothing(tenant_a):
    with pytest.raises(VaoraError) as refused:
        run(tenant_a.venue, csv_bytes("Hoa,0912345678\n", header="Họ tên,SĐT\n"))
    assert refused.value.code == "missing_columns" and "time_in" in refused.value.message_en
    assert not Visit.rows.exists()


@freeze_time(NOW)
def test_it_reports_a_short_row_missing_its_cells(tenant_a):
    report, _ = run(tenant_a.venue, csv_bytes("Võ Thị Sáu,0912345678\n"))
    assert report.errors[0]["code"] == "time_in_required" and report.errors[0]["line"] == 2


@freeze_time(NOW)
def test_it_accepts_a_bare_time_out_on_the_day_of_entry_and_a_date_column(tenant_a):
    header = "Ngày,Họ tên,SĐT,Giờ vào,Giờ ra,Khu vực\n"
    body = "24/11/2026,Lý Văn Bình,0912345678,7h45,11:30,Khoa Nhi\n"
    report, _ = run(tenant_a.venue, csv_bytes(body, header=header))
    assert report.stored == 1, report.errors
    visit = Visit.rows.get()
    assert visit.zone.name == "Khoa Nhi"
    assert (visit.left_at - visit.entered_at) == datetime.timedelta(hours=3, minutes=45)


@freeze_time(NOW)
def test_it_refuses_rows_older_than_the_retention_period(tenant_a):
    report, _ = run(tenant_a.venue, csv_bytes("Hoa Cũ,0912345678,,01/09/2026 08:30,,,\n"))
    assert report.errors[0]["code"] == "older_than_retention"


def test_it_understands_the_date_spellings_clerks_use():
    expected = datetime.datetime(2026, 11, 24, 8, 30).isoformat()
    for text in ("24/11/2026 08:30", "24-11-2026 8:30", "24.11.2026 08:30:00",
                 "08:30 24/11/2026", "2026-11-24 08:30", "2026-11-24T08:30:00", "46350.3541667",
                 "'24/11/2026 08h30"):  # fmt: skip
        assert parse_when(text).replace(tzinfo=None).isoformat() == expected, text
    assert parse_when("17:30", datetime.date(2026, 11, 24)).hour == 17
    for text in ("32/11/2026 08:30", "hôm qua", "123"):
        with pytest.raises(ValueError):
            parse_when(text)
