"""Audit events are append-only: the ORM refuses updates and deletes, and so does the database
(UPDATE on both databases; DELETE on PostgreSQL, see docs/decisions/0004)."""

import pytest
from django.db import DatabaseError, connection, transaction

from vaora.core import audit
from vaora.core.models import AuditEvent, AuditImmutable

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(users, tenant_a):
    return audit.record(
        users["health"], "person.read", target=tenant_a.person, purpose="case 12", row_count=1,
        subject_person_id=tenant_a.person.pk,
    )  # fmt: skip


def test_it_records_actor_role_action_target_purpose_rows_and_time(event, users, tenant_a):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == users["health"]
    assert stored.actor_label == "health-a"
    assert stored.role == "health"
    assert stored.action == "person.read"
    assert (stored.target_type, stored.target_id) == ("people.Person", str(tenant_a.person.pk))
    assert stored.purpose == "case 12"
    assert stored.row_count == 1
    assert stored.at is not None


def test_it_refuses_to_save_a_change(event):
    event.purpose = "something else"
    with pytest.raises(AuditImmutable):
        event.save()


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AuditImmutable):
        event.delete()


def test_it_refuses_bulk_updates_and_deletes(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()


def test_it_refuses_a_raw_sql_update_in_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET purpose = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "case 12"


def test_it_refuses_a_raw_sql_delete_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the ORM refuses deletes; see docs/decisions/0004")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_keeps_the_event_when_the_actor_account_is_deleted(event, users):
    users["health"].delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_label == "health-a"
    assert stored.actor_id is not None


def test_it_logs_a_person_read_by_an_official_and_not_by_the_person(users, tenant_a, signed_in):
    signed_in(users["citizen"]).get(f"/api/v1/people/{tenant_a.person.pk}")
    assert not AuditEvent.objects.filter(subject_person_id=tenant_a.person.pk).exists()
    signed_in(users["health"]).get(f"/api/v1/people/{tenant_a.person.pk}")
    read = AuditEvent.objects.get(subject_person_id=tenant_a.person.pk)
    assert (read.actor_label, read.action, read.row_count) == ("health-a", "person.read", 1)
