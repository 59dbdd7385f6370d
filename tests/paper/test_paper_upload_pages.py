"""The clerk's side, through the pages and the API: upload, see the report, download the refused
rows (formula-safe) and send them back fixed; spreadsheets written by openpyxl and converted by
LibreOffice both import; only the venue's own staff may do any of it."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from freezegun import freeze_time
from openpyxl import Workbook

from vaora.core.roles import Role
from vaora.paper import services
from vaora.paper.models import PaperUpload
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00Z"
DATA = Path(__file__).parent / "data"
REGISTER = (
    "Họ tên,Số điện thoại,Giờ vào\n"
    "Nguyễn Thị Hoa,0912345678,24/11/2026 08:30\n"
    '=HYPERLINK("http://evil"),12345,24/11/2026 08:40\n'
    "@SUM(A1),+84 903 111 222,30/11/2026 08:40\n"
    "-Lê Văn Tám,0903444555,24/11/2026 09:00\n"
)


def upload_file(name: str, body: bytes):
    raw = io.BytesIO(body)
    raw.name = name
    return raw


@pytest.fixture
def clerk(users, signed_in):
    return signed_in(users[Role.VENUE_STAFF])


@freeze_time(NOW)
def test_it_uploads_a_register_and_shows_the_report(clerk, tenant_a):
    url = f"/venues/{tenant_a.venue.pk}/paper/"
    answer = clerk.post(url, {"file": upload_file("so.csv", REGISTER.encode())})
    upload = PaperUpload.rows.get()
    assert answer.status_code == 302 and answer.url.endswith(f"/paper/{upload.pk}/")
    page = clerk.get(answer.url).content.decode()
    assert "Dòng bị từ chối: 2" in page and "invalid_phone" in page and "time_in_future" in page
    assert (upload.stored, upload.rejected, upload.status) == (2, 2, "done")
    assert not list(services.spool_dir().glob(f"upload-{upload.pk}*"))  # deleted


@freeze_time(NOW)
def test_it_gives_a_formula_safe_rejected_rows_file_that_imports_once_fixed(clerk, tenant_a):
    clerk.post(
        f"/venues/{tenant_a.venue.pk}/paper/", {"file": upload_file("so.csv", REGISTER.encode())}
    )
    upload = PaperUpload.rows.get()
    rejected = clerk.get(f"/venues/{tenant_a.venue.pk}/paper/{upload.pk}/rejected.csv")
    text = rejected.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+84 903 111 222" in text
    assert "ly_do_reason" in text.splitlines()[0]
    fixed = text.replace("12345,", "0912000111,").replace("30/11/2026", "24/11/2026")
    clerk.post(
        f"/venues/{tenant_a.venue.pk}/paper/", {"file": upload_file("fixed.csv", fixed.encode())}
    )
    second = PaperUpload.rows.order_by("-pk").first()
    assert (second.stored, second.rejected) == (2, 0), second.errors
    # The stored name is what was written, apostrophe-protection removed; exports re-protect it.
    names = {v.person.name for v in Visit.rows.filter(venue=tenant_a.venue)}
    assert '=HYPERLINK("http://evil")' in names and "@SUM(A1)" in names


@freeze_time(NOW)
def test_it_imports_an_xlsx_written_by_openpyxl(clerk, tenant_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ tên", "Số điện thoại", "CCCD", "Giờ vào", "Giờ ra"])
    sheet.append(["Phan Văn Đông", 912345678, 1086012345, 46350.354166667, "09:30"])
    out = io.BytesIO()
    book.save(out)
    answer = clerk.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads",
                        {"file": upload_file("so.xlsx", out.getvalue())})  # fmt: skip
    assert answer.status_code == 200 and answer.json()["stored"] == 1, answer.json()
    visit = Visit.rows.get()
    assert visit.person.cccd == "001086012345" and visit.person.phone == "+84912345678"


@freeze_time(NOW)
def test_it_imports_an_xlsx_converted_by_libreoffice(clerk, tenant_a):
    """tests/paper/data/register-libreoffice.xlsx was made from the .csv beside it with Debian's
    LibreOffice 7.4 (`libreoffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx`:
    comma-separated UTF-8, as a person picks in its import dialog), which turned phones and CCCDs
    into numbers (losing their leading zeros), dates into date cells, and evaluated `=1+1`.
    Where LibreOffice is installed, the conversion is also made afresh."""
    body = (DATA / "register-libreoffice.xlsx").read_bytes()
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([office, "--headless", "--infilter=CSV:44,34,76,1", "--convert-to",
                            "xlsx", "--outdir", out,
                            str(DATA / "register-libreoffice.csv")], check=True,
                           capture_output=True, timeout=120)  # fmt: skip
            body = (Path(out) / "register-libreoffice.xlsx").read_bytes()
    answer = clerk.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads",
                        {"file": upload_file("register.xlsx", body)}).json()  # fmt: skip
    assert (answer["stored"], answer["rejected"]) == (2, 2), answer
    assert {e["code"] for e in answer["errors"]} == {"name_required", "time_in_required"}


def test_it_refuses_uploads_by_officials_and_answers_404_to_other_organisations(
    users, signed_in, tenant_a, tenant_b
):
    official = signed_in(users[Role.OVERSIGHT])
    url = f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads"
    assert official.post(url, {"file": upload_file("a.csv", b"x")}).status_code == 403
    stranger = signed_in(users[Role.VENUE_STAFF])
    other = f"/api/v1/venues/{tenant_b.venue.pk}/paper-uploads"
    assert stranger.post(other, {"file": upload_file("a.csv", b"x")}).status_code == 404
    assert stranger.get(f"/venues/{tenant_b.venue.pk}/paper/register.pdf").status_code == 404
    assert not PaperUpload.rows.exists()


def test_it_refuses_a_file_that_is_not_a_spreadsheet(clerk, tenant_a):
    answer = clerk.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads",
                        {"file": upload_file("photo.jpg", b"\xff\xd8")})  # fmt: skip
    assert answer.status_code == 400 and answer.json()["code"] == "unsupported_file"


def test_it_offers_a_template_with_the_columns_the_import_reads(clerk, tenant_a):
    csv_text = clerk.get(f"/venues/{tenant_a.venue.pk}/paper/template.csv").content.decode(
        "utf-8-sig"
    )
    assert csv_text.startswith("Ngày,Họ tên,Số điện thoại,CCCD,Giờ vào,Giờ ra")
    xlsx = clerk.get(f"/api/v1/venues/{tenant_a.venue.pk}/paper-template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_it_refuses_an_oversized_upload_with_413_and_a_message(clerk, tenant_a, monkeypatch):
    """Threat 14: upload size caps (200 MB in production; 1 KB here)."""
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 1024)
    answer = clerk.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads",
                        {"file": upload_file("big.csv", REGISTER.encode() * 20)})  # fmt: skip
    assert answer.status_code == 413 and answer.json()["code"] == "file_too_large"
    assert "200 MB" in answer.json()["message_en"] and not PaperUpload.rows.exists()
