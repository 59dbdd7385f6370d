"""Staff and officials sign in with a password (stored with argon2id) into a new session with safe
cookies; a wrong password or a deactivated account is refused plainly; an official needs a
jurisdiction."""

import pytest
from django.conf import settings

from tests.conftest import make_account
from vaora.core.roles import Role
from vaora.people.models import Account

pytestmark = pytest.mark.django_db


PASSWORD = "a-long-test-password-42"


@pytest.fixture
def official(tenant_a):
    """A venue's staff member (no second factor)."""
    return make_account(Role.VENUE_STAFF, "canbo", PASSWORD, organisation=tenant_a.organisation)


def test_it_stores_passwords_with_argon2id(official):
    stored = Account.objects.get(pk=official.pk).password
    assert stored.startswith("argon2$argon2id$")


def test_it_signs_in_with_a_new_session_id_and_safe_cookies(client, official):
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-id"
    response = client.post("/login/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/home/"
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != "attacker-chosen-session-id"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["secure"]
    assert "canbo" in client.get("/home/").content.decode()


def test_it_refuses_a_wrong_password_with_a_clear_message(client, official):
    response = client.post("/login/", {"username": "canbo", "password": "wrong-password"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_it_refuses_a_deactivated_account(client, official):
    official.is_active = False
    official.save()
    response = client.post("/login/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_official_without_a_jurisdiction():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Account.objects.create(username="nowhere", role=Role.HEALTH)
