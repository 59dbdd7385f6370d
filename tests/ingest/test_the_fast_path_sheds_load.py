"""Load shedding on the fast path: while the writer is stuck behind the database, a new
check-in is refused at once with 503 and Retry-After (it does not wait in the queue until the
client gives up), and the check-in that was waiting is still stored once the database answers.
The rest of the API answers a database failure with the same coded 503, never a 500."""

import threading
import uuid

import pytest
from django.db import OperationalError

from tests.ingest.asgi_client import call
from vaora.ingest import writer as ingest_writer
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stuck_database_sheds_new_check_ins_at_once(tenant_a, monkeypatch):
    directory.clear()
    holder, token = passes.issue(tenant_a.person.pk), tokens.token_for(tenant_a.venue)
    release, entered = threading.Event(), threading.Event()
    real_apply = ingest_writer.Writer.apply

    def stuck_apply(batch):
        entered.set()
        release.wait(30)  # the database takes its time (a lock, a slow disk)
        real_apply(batch)

    monkeypatch.setattr(ingest_writer.Writer, "apply", staticmethod(stuck_apply))
    monkeypatch.setattr(ingest_writer, "MAX_WAIT_SECONDS", 0.05)
    first: list = []
    waiting = threading.Thread(
        target=lambda: first.append(
            call("/ingest/v1/check-in", {"client_id": str(uuid.uuid4()), "token": token}, holder)
        )
    )
    waiting.start()
    assert entered.wait(10)
    threading.Event().wait(0.1)  # the batch has been in the database longer than allowed
    status, body, headers = call("/ingest/v1/check-in",
                                 {"client_id": str(uuid.uuid4()), "token": token}, holder,
                                 with_headers=True)  # fmt: skip
    assert not first  # answered while the first check-in is still waiting
    assert (status, body["code"]) == (503, "try_again")
    assert 1 <= int(headers["retry-after"]) <= 30 and body["message_vi"]
    release.set()
    waiting.join(30)
    assert first[0][0] == 201 and Visit.rows.count() == 1


def test_a_full_queue_sheds_new_check_ins(tenant_a, monkeypatch):
    directory.clear()
    monkeypatch.setattr(ingest_writer, "MAX_WAITING", 0)  # as if thousands were waiting
    status, body, headers = call(
        "/ingest/v1/check-in", {"client_id": str(uuid.uuid4()),
                                "token": tokens.token_for(tenant_a.venue)},
        passes.issue(tenant_a.person.pk), with_headers=True)  # fmt: skip
    assert status == 503 and "retry-after" in headers
    assert not Visit.rows.exists()


def test_the_api_answers_a_database_failure_with_a_coded_503(client, users, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("vaora.core.api.Place.objects.filter", down)
    answer = client.get("/api/v1/places?parent=40")
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert answer.json()["code"] == "try_again"
