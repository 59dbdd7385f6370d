"""System administrators see the queue (depth, running, failed, workers) on a page and in the
API and can run a failed job again; nobody else can, and the page warns when no worker runs."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.jobs import run_jobs
from vaora.core.roles import Role
from vaora.oversight.tasks import send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_job(monkeypatch):
    def broken(now):
        raise RuntimeError("the mail server is down")

    monkeypatch.setattr("vaora.oversight.reminders.send_digests", broken)
    send_digests.enqueue()
    run_jobs()
    return DBTaskResult.objects.get()


def test_an_administrator_sees_the_queue_and_retries(failed_job, users, signed_in, monkeypatch):
    admin = signed_in(users[Role.ADMIN])
    queue = admin.get("/api/v1/ops/queue").json()
    assert (queue["ready"], queue["running"], queue["failed"]) == (0, 0, 1)
    listed = admin.get("/api/v1/ops/jobs?status=FAILED").json()["items"]
    assert [(j["task"], j["attempts"], j["error"]) for j in listed] == [
        ("send_digests", 1, "builtins.RuntimeError")
    ]
    page = admin.get("/ops/jobs/").content.decode()
    assert "Không có tiến trình nền" in page or "No worker is running" in page
    assert f"/ops/jobs/{failed_job.pk}/retry" in page
    monkeypatch.undo()  # the mail server is back
    again = admin.post(f"/api/v1/ops/jobs/{failed_job.pk}/retry", content_type="application/json")
    assert again.status_code == 200 and again.json()["status"] == "READY"
    assert run_jobs() == 1
    assert admin.get("/api/v1/ops/queue").json()["succeeded_24h"] == 1
    refused = admin.post(f"/api/v1/ops/jobs/{again.json()['id']}/retry",
                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 409 and refused.json()["code"] == "not_failed"


@pytest.mark.parametrize("role", [Role.OVERSIGHT, Role.HEALTH, Role.ORG_MANAGER, Role.CITIZEN])
def test_nobody_else_sees_or_retries(failed_job, users, signed_in, role):
    client = signed_in(users[role])
    assert client.get("/api/v1/ops/queue").status_code == 403
    assert client.get("/ops/jobs/").status_code == 403
    retried = client.post(f"/api/v1/ops/jobs/{failed_job.pk}/retry",
                          content_type="application/json")  # fmt: skip
    assert retried.status_code == 403
    assert client.post(f"/ops/jobs/{failed_job.pk}/retry").status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_an_unknown_job_is_404(users, signed_in):
    admin = signed_in(users[Role.ADMIN])
    answer = admin.post("/api/v1/ops/jobs/6f1c3e6e-0000-4000-8000-000000000001/retry",
                        content_type="application/json")  # fmt: skip
    assert answer.status_code == 404
