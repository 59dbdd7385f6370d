"""The sync endpoint stores each queued scan exactly once, answers per item, keeps late uploads
(marked late), refuses times in the future, and never lets a bad item cost the good ones."""

import datetime
import uuid

import pytest
from freezegun import freeze_time

from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC)


def sync(client, items):
    body = {"items": [{**i, "client_id": str(i["client_id"])} | (
        {"visit_client_id": str(i["visit_client_id"])} if "visit_client_id" in i else {})
        for i in items]}  # fmt: skip
    return client.post("/api/v1/visits/sync", body, content_type="application/json")


@freeze_time(NOW)
def test_it_stores_each_visit_once_from_the_same_batch_sent_three_times(
    citizen, tenant_a, signed_in
):
    client = signed_in(citizen)
    entry, leave = uuid.uuid4(), uuid.uuid4()
    batch = [
        {"client_id": entry, "action": "check_in", "token": tokens.token_for(tenant_a.venue),
         "at": "2026-11-25T09:00:00Z"},
        {"client_id": leave, "action": "check_out", "visit_client_id": entry,
         "at": "2026-11-25T09:40:00Z"},
    ]  # fmt: skip
    first = sync(client, batch).json()["results"]
    assert [r["status"] for r in first] == ["stored", "stored"]
    for _ in range(2):
        again = sync(client, batch).json()["results"]
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    visit = Visit.rows.get()
    assert visit.entered_at.isoformat() == "2026-11-25T09:00:00+00:00"
    assert visit.left_at.isoformat() == "2026-11-25T09:40:00+00:00"
    assert visit.source == "offline" and visit.is_late and first[0]["late"] is True


@freeze_time(NOW)
def test_it_refuses_a_future_time_and_a_forged_code_without_losing_the_good_item(
    citizen, tenant_a, signed_in
):
    token = tokens.token_for(tenant_a.venue)
    forged = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]  # a body byte changed
    items = [
        {"client_id": uuid.uuid4(), "action": "check_in", "token": token,
         "at": "2026-11-25T10:10:00Z"},
        {"client_id": uuid.uuid4(), "action": "check_in", "token": forged,
         "at": "2026-11-25T09:00:00Z"},
        {"client_id": uuid.uuid4(), "action": "check_in", "token": token,
         "at": "2026-11-25T09:59:00Z"},
    ]  # fmt: skip
    results = sync(signed_in(citizen), items).json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "time_in_future"),
        ("rejected", "bad_signature"),
        ("stored", None),
    ]
    assert "tương lai" in results[0]["message"]
    assert Visit.rows.count() == 1


@freeze_time(NOW)
def test_it_checks_a_family_in_through_sync(citizen, tenant_a, signed_in):
    ids = list(citizen.person.dependants.values_list("pk", flat=True))
    item = {"client_id": uuid.uuid4(), "action": "check_in", "at": "2026-11-25T09:30:00Z",
            "token": tokens.token_for(tenant_a.zone), "dependant_ids": ids}  # fmt: skip
    for _ in range(2):
        sync(signed_in(citizen), [item])
    assert Visit.rows.filter(zone=tenant_a.zone).count() == 3


def test_it_lets_only_signed_in_citizens_sync(client, users, signed_in, tenant_a):
    item = [{"client_id": uuid.uuid4(), "action": "check_in", "at": "2026-11-25T09:00:00Z",
             "token": tokens.token_for(tenant_a.venue)}]  # fmt: skip
    assert sync(client, item).status_code == 401
    assert sync(signed_in(users["health"]), item).status_code == 403  # threat 9: no forged visits
    assert not Visit.rows.exists()


def test_it_refuses_a_batch_over_500_items(citizen, signed_in):
    items = [{"client_id": uuid.uuid4(), "action": "check_out", "at": "2026-11-25T09:00:00Z",
              "visit_client_id": uuid.uuid4()} for _ in range(501)]  # fmt: skip
    assert sync(signed_in(citizen), items).status_code == 422
