"""A large upload waits for the worker (the page says so and offers to stop it); stopping it
keeps what was stored, ends the job and deletes the spooled file; a finished upload cannot be
stopped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.jobs import run_jobs
from vaora.core.roles import Role
from vaora.paper import services
from vaora.paper.models import PaperUpload, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_upload(users, tenant_a, settings, monkeypatch):
    monkeypatch.setattr(services, "INLINE_BYTES", 10)  # any file counts as large here
    body = "Họ tên,Số điện thoại,Giờ vào\nNguyễn Thị Hoa,0912345678,24/11/2026 08:30\n"
    return services.start(users[Role.VENUE_STAFF], tenant_a.venue,
                          SimpleUploadedFile("so.csv", body.encode()))  # fmt: skip


def test_it_waits_for_the_worker_and_can_be_stopped(large_upload, users, tenant_a, signed_in):
    client = signed_in(users[Role.VENUE_STAFF])
    page = client.get(f"/venues/{tenant_a.venue.pk}/paper/{large_upload.pk}/").content.decode()
    assert "Đang chờ" in page or "Waiting" in page
    assert f"/paper/{large_upload.pk}/cancel" in page
    answer = client.post(f"/api/v1/venues/{tenant_a.venue.pk}/paper-uploads/{large_upload.pk}"
                         "/cancel", content_type="application/json")  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert answer.json()["error_code"] == "cancelled"
    assert not services.spool_path(large_upload).exists()
    run_jobs()  # the queued job finds it cancelled and does nothing
    assert PaperUpload.rows.get().stored == 0
    again = client.post(f"/venues/{tenant_a.venue.pk}/paper/{large_upload.pk}/cancel")
    assert again.status_code == 409


def test_a_running_import_stops_at_its_next_batch(large_upload):
    PaperUpload.rows.filter(pk=large_upload.pk).update(status=Status.RUNNING,
                                                       cancel_requested=True)  # fmt: skip
    run_jobs()
    stopped = PaperUpload.rows.get()
    assert stopped.status == Status.CANCELLED and "giữ" in stopped.error_vi


def test_the_worker_imports_it_when_nobody_stops_it(large_upload):
    run_jobs()
    done = PaperUpload.rows.get()
    assert (done.status, done.stored) == (Status.DONE, 1)
