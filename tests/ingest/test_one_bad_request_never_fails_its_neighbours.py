"""Threat 26: a check-in batched with a poison request — a pass of a person deleted since, a
forged code, a burst, even a database error in one job — is stored; only the poison is refused."""

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from vaora.ingest import writer
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.people.models import Person
from vaora.venues import tokens
from vaora.visits import engine
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_directory():
    directory.clear()
    yield
    directory.clear()


def job(person_id, token, issued=None):
    holder = passes.Pass(person_id, issued or timezone.now().timestamp())
    return writer.Job("check_in", holder, uuid.uuid4(), timezone.now(), token=token)


def honest_people(n):
    return Person.rows.bulk_create([Person(name=f"Người thật {i}") for i in range(n)])


def test_it_stores_honest_check_ins_beside_a_deleted_persons_pass(tenant_a):
    token = tokens.token_for(tenant_a.venue)
    ghost = Person.rows.create(name="Người đã xoá")
    ghost_pass = passes.Pass(ghost.pk, timezone.now().timestamp() - 60)
    ghost.delete()  # the pass is revoked with it
    batch = [job(p.pk, token) for p in honest_people(20)]
    batch.insert(7, writer.Job("check_in", ghost_pass, uuid.uuid4(), timezone.now(), token=token))
    writer.Writer.apply(batch)
    assert [j.result[0] for j in batch].count(201) == 20
    assert batch[7].result == (401, writer.pass_revoked().as_dict())
    assert Visit.rows.count() == 20


def test_it_refuses_a_person_deleted_behind_the_revocation_list_alone(tenant_a):
    token = tokens.token_for(tenant_a.venue)
    ghost = Person.rows.create(name="Người đã xoá")
    with connection.cursor() as cursor:  # deleted without any signal: no revocation recorded
        cursor.execute("DELETE FROM people_person WHERE id = %s", [ghost.pk])
    batch = [job(p.pk, token) for p in honest_people(10)] + [job(ghost.pk, token)]
    writer.Writer.apply(batch)
    assert [j.result[0] for j in batch] == [201] * 10 + [404]
    assert batch[-1].result[1]["code"] == "person_unknown"
    assert Visit.rows.count() == 10


def test_it_refuses_forged_and_unknown_codes_alone(tenant_a):
    token = tokens.token_for(tenant_a.venue)
    forged = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    batch = [job(p.pk, token) for p in honest_people(5)]
    batch[2].token = forged
    writer.Writer.apply(batch)
    assert [j.result[0] for j in batch] == [201, 201, 400, 201, 201]


def test_it_costs_only_the_failing_job_when_the_database_refuses_one(tenant_a, monkeypatch):
    token = tokens.token_for(tenant_a.venue)
    batch = [job(p.pk, token) for p in honest_people(6)]
    poison = batch[3].client_id
    real_apply = engine.apply

    def failing_apply(requests, **options):
        if any(r.client_id == poison for r in requests):
            Person.rows.create(name="x", cccd="079123456789")
            Person.rows.create(name="y", cccd="079123456789")  # IntegrityError in the batch
        return real_apply(requests, **options)

    monkeypatch.setattr(engine, "apply", failing_apply)
    writer.Writer.apply(batch)
    assert [j.result[0] for j in batch] == [201, 201, 201, 409, 201, 201]
    assert batch[3].result[1]["code"] == "not_stored"
    assert Visit.rows.count() == 5


def test_it_refuses_an_old_pass_of_a_deactivated_account(citizen, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    issued = passes.Pass(citizen.person_id, earlier.timestamp())
    citizen.is_active = False
    citizen.save()
    batch = [writer.Job("check_in", issued, uuid.uuid4(), timezone.now(), token=token)]
    writer.Writer.apply(batch)
    assert batch[0].result[1]["code"] == "pass_revoked"
    assert not Visit.rows.exists()
