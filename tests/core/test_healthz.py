"""/healthz says whether the database is reachable and all migrations are applied."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_it_reports_a_healthy_system(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "ok": True}


def test_it_reports_pending_migrations_with_503(client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"
    assert response.json()["ok"] is False
