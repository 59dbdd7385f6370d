"""Registering hundreds of venues from a spreadsheet: bad rows come back with line numbers and
never stop good ones; importing the same file again adds nothing."""

import csv
import io
import json
import unicodedata

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from vaora.core.models import AuditEvent
from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db
HEADER = ["Tên địa điểm", "Loại hình", "Địa chỉ", "Mã xã", "Sức chứa", "Biển số", "Tuyến"]
BAD_ROWS = {  # line number in the file -> (row, expected error code)
    12: (["", "Chợ", "", "16681", "", "", ""], "missing_name"),
    101: (["Cửa hàng 101", "tàu vũ trụ", "", "16681", "", "", ""], "unknown_kind"),
    202: (["Cửa hàng 202", "Cửa hàng", "", "99999", "", "", ""], "unknown_commune"),
    303: (["Cửa hàng 303", "Cửa hàng", "", "Phường Không Có", "", "", ""], "unknown_commune"),
    404: (["Cửa hàng 404", "Cửa hàng", "", "16681", "nhiều", "", ""], "invalid_number"),
    505: (["Xe 505", "Xe khách", "", "16681", "45", "", "Vinh – Hà Nội"], "invalid_value"),
    606: (["Xe 606", "Xe khách", "", "16681", "45", "ABC", ""], "invalid_value"),
    707: (["Cửa hàng 707", "", "", "16681", "", "", ""], "unknown_kind"),
    808: (["Cửa hàng 2", "Cửa hàng", "", "16681", "", "", ""], "duplicate_in_file"),
    909: (["Cửa hàng 909", "Cửa hàng", "", "", "", "", ""], "missing_commune"),
}


def thousand_rows() -> list[list[str]]:
    rows = []
    for line in range(2, 1002):  # line 1 is the header
        if line in BAD_ROWS:
            rows.append(BAD_ROWS[line][0])
        elif line % 3 == 0:
            rows.append([f"Xe khách {line}", "xe khách", "", "16681", "45", f"37b {line:05d}",
                         "Vinh – Đà Nẵng"])  # fmt: skip
        else:
            commune = "Thành Vinh" if line % 2 else "16681"
            rows.append(
                [f"Cửa hàng {line}", "Cửa hàng", f"Số {line} Lê Lợi", commune, "80", "", ""]
            )
    return rows


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """What a Vietnamese Windows machine writes: base letters precomposed, tones combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(p for p in parts if p in TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def as_csv(rows, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    if encoding == "cp1258":
        return windows_1258(out.getvalue())
    return out.getvalue().encode(encoding)


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 5 else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, organisation, body: bytes, name: str):
    file = io.BytesIO(body)
    file.name = name
    return client.post(f"/api/v1/organisations/{organisation.pk}/venues/import", {"file": file})


@pytest.fixture
def manager(users, signed_in):
    return signed_in(users["org_manager"])


def test_it_stores_990_good_rows_and_reports_the_10_bad_ones_by_line(manager, tenant_a):
    report = upload(manager, tenant_a.organisation, as_csv(thousand_rows()), "venues.csv").json()
    assert report["total_rows"] == 1000
    assert report["created"] == 990
    assert {r["line"]: r["code"] for r in report["rejected"]} == {
        line: code for line, (_, code) in BAD_ROWS.items()
    }
    assert all(r["message_vi"] and r["message_en"] for r in report["rejected"])
    assert tenant_a.organisation.venues.count() == 991  # plus the fixture's own venue
    vehicle = Venue.objects.get(name="Xe khách 3")
    assert (vehicle.kind, vehicle.plate_number, vehicle.default_stay_minutes) == (
        "vehicle", "37B-000.03", 180)  # fmt: skip
    assert AuditEvent.objects.filter(action="venue.import", row_count=990).exists()


def test_it_adds_nothing_when_the_same_file_is_imported_again(manager, tenant_a):
    body = as_csv(thousand_rows())
    upload(manager, tenant_a.organisation, body, "venues.csv")
    again = upload(manager, tenant_a.organisation, body, "venues.csv").json()
    # Line 808 repeats the name of line 2: now it simply names an existing venue.
    assert (again["created"], again["unchanged"], len(again["rejected"])) == (0, 991, 9)
    assert tenant_a.organisation.venues.count() == 991


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-16", ";"), ("cp1258", ",")],
)
def test_it_reads_what_excel_and_office_machines_write(manager, tenant_a, encoding, delimiter):
    rows = [["Quầy thuốc Hồng Lĩnh", "Cửa hàng", "Số 5 Trần Phú", "Thành Vinh", "20", "", ""]]
    report = upload(manager, tenant_a.organisation, as_csv(rows, delimiter, encoding), "a.csv")
    assert report.json()["created"] == 1, report.json()
    assert Venue.objects.filter(name="Quầy thuốc Hồng Lĩnh").exists()


def test_it_reads_xlsx_with_numbers_typed_as_numbers(manager, tenant_a):
    report = upload(manager, tenant_a.organisation, as_xlsx(thousand_rows()), "venues.xlsx").json()
    assert report["created"] == 990
    assert sorted(r["line"] for r in report["rejected"]) == sorted(BAD_ROWS)


def test_it_refuses_an_oversized_upload_with_413(manager, tenant_a):
    body = as_csv([["x" * 100, "Chợ", "", "16681", "", "", ""]] * 60000)
    response = upload(manager, tenant_a.organisation, body, "big.csv")
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


@pytest.mark.parametrize(("body", "name"), [(b"\x00\x01garbage", "x.xlsx"), (b"a,b", "x.pdf")])
def test_it_refuses_unreadable_files_with_a_clear_error(manager, tenant_a, body, name):
    response = upload(manager, tenant_a.organisation, body, name)
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_file"


def test_it_prints_a_json_report_from_the_command_line(tenant_a, tmp_path, capsys):
    path = tmp_path / "xe.csv"
    path.write_bytes(as_csv(thousand_rows()[:20]))
    call_command("venues", "import", str(path), "--organisation", str(tenant_a.organisation.pk),
                 "--json")  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], [r["line"] for r in report["rejected"]]) == (19, [12])


def test_it_shows_the_report_on_the_upload_page(manager, tenant_a):
    file = io.BytesIO(as_csv(thousand_rows()[:120]))
    file.name = "venues.csv"
    response = manager.post(f"/org/{tenant_a.organisation.pk}/import/", {"file": file})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Địa điểm đã tạo: 118" in page and "Dòng bị từ chối: 2" in page
    assert "Thiếu tên địa điểm" in page and "Loại hình" in page


def test_it_names_columns_in_words_and_keeps_codes_out_of_sight(manager, tenant_a):
    file = io.BytesIO(as_csv(thousand_rows()[:120]))
    file.name = "venues.csv"
    page = manager.post(f"/org/{tenant_a.organisation.pk}/import/", {"file": file}).content
    report = page.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "<td>name</td>" not in report and "<td>kind</td>" not in report
    assert "<td>Tên</td>" in report or "<td>Loại hình</td>" in report
    assert "(name_required)" not in report and "_required)" not in report


def test_it_offers_a_template_that_imports_as_it_is(manager, tenant_a):
    template = manager.get(f"/org/{tenant_a.organisation.pk}/import/template.csv")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith("ten_dia_diem,loai_hinh")
    page = manager.get(f"/org/{tenant_a.organisation.pk}/import/").content.decode()
    assert f"/org/{tenant_a.organisation.pk}/import/template.xlsx" in page
    file = io.BytesIO(template.content)
    file.name = "mau.csv"
    report = manager.post(f"/org/{tenant_a.organisation.pk}/import/", {"file": file}).context
    assert (report["report"].created, report["report"].rejected) == (2, [])
