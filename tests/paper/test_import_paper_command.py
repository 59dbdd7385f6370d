"""`vaora import-paper FILE --venue CODE [--json]`, and a large upload that continues in the
background with progress. Both run outside a test transaction, so the importer's writer thread
stores the rows as it does in production."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from tests.jobs import run_jobs
from vaora.core.roles import Role
from vaora.paper.models import PaperUpload
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)
NOW = "2026-11-25T03:00:00Z"
REGISTER = ("Họ tên;Số điện thoại;Giờ vào;Giờ ra\n"
            "Nguyễn Thị Hoa;0912 345 678;24/11/2026 08:30;09:10\n"
            "Lê Văn Sai;12345;24/11/2026 08:40;\n")  # fmt: skip


@freeze_time(NOW)
def test_it_imports_a_file_and_writes_the_rejected_rows_beside_it(tenant_a, tmp_path):
    source = tmp_path / "so-24-11.csv"
    source.write_text(REGISTER, encoding="utf-8")
    out = io.StringIO()
    call_command("import_paper", str(source), "--venue", tenant_a.venue.short_code, stdout=out)
    text = out.getvalue()
    assert "2 rows: 1 stored, 0 already stored, 1 rejected" in text and "line 3: phone" in text
    rejected = (tmp_path / "so-24-11-rejected.csv").read_text(encoding="utf-8-sig")
    assert "Lê Văn Sai" in rejected and "ly_do_reason" in rejected
    assert Visit.rows.get().source == "paper"


@freeze_time(NOW)
def test_it_prints_json_and_adds_nothing_the_second_time(tenant_a, tmp_path):
    source = tmp_path / "so.csv"
    source.write_text(REGISTER, encoding="utf-8")
    args = [str(source), "--venue", tenant_a.venue.short_code.lower(), "--json"]
    call_command("import_paper", *args, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_paper", *args, stdout=out)
    report = json.loads(out.getvalue())
    assert (report["stored"], report["duplicates"], report["rejected"]) == (0, 1, 1)
    assert report["errors"][0]["line"] == 3 and Visit.rows.count() == 1


def test_it_names_a_missing_file_or_venue(tenant_a, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_paper", str(tmp_path / "nope.csv"), "--venue", "X")
    (tmp_path / "a.csv").write_text(REGISTER)
    with pytest.raises(CommandError, match="no venue has the code"):
        call_command("import_paper", str(tmp_path / "a.csv"), "--venue", "ZZZZZZZZ")


@freeze_time(NOW, tick=True)
def test_it_leaves_a_large_upload_to_the_worker_with_progress(tenant_a, users, client,
                                                                  monkeypatch):  # fmt: skip
    from vaora.paper import services

    monkeypatch.setattr(services, "INLINE_BYTES", 0)
    client.force_login(users[Role.VENUE_STAFF])
    rows = "".join(f"Khách {i},09{i:08d},24/11/2026 {8 + i % 9:02d}:{i % 60:02d}\n"
                   for i in range(3000))  # fmt: skip
    body = io.BytesIO(("Họ tên,SĐT,Giờ vào\n" + rows).encode())
    body.name = "lon.csv"
    answer = client.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads", {"file": body})
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
    url = f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads/{answer.json()['id']}"
    assert run_jobs() == 1  # what `vaora worker` does
    final = client.get(url).json()
    assert (final["status"], final["stored"], final["progress_percent"]) == ("done", 3000, 100)
    page = client.get(f"/venues/{tenant_a.venue.pk}/paper/{final['id']}/").content.decode()
    assert 'http-equiv="refresh"' not in page  # finished: the page stops refreshing
    assert PaperUpload.rows.get().finished_at is not None
