"""Django admin is for system administrators only; officials and staff are turned away."""

import pytest

from vaora.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.HEALTH]
)
def test_it_turns_away_everyone_but_system_admins(role, users, signed_in):
    response = signed_in(users[role]).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_it_lets_a_system_admin_in(users, signed_in):
    client = signed_in(users["admin"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200


def test_it_shows_the_audit_log_read_only_even_to_admins(users, signed_in):
    assert signed_in(users["admin"]).get("/admin/core/auditevent/add/").status_code == 403


def test_it_makes_a_system_admin_with_createsuperuser():
    from vaora.people.models import Account

    admin = Account.objects.create_superuser("root", password="a-long-password-1")
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
