"""Officials' and administrators' accounts need a TOTP code after the password: enrolled at the
first sign-in, asked every time after; a wrong, replayed or late code is refused; five wrong
codes send them back to the password."""

import time

import pytest

from tests.conftest import make_account
from vaora.core import totp
from vaora.core.roles import Role
from vaora.people.models import Account

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-42"


@pytest.fixture
def official(tenant_a):
    return make_account(Role.OVERSIGHT, "canbo.xa", PASSWORD, jurisdiction=tenant_a.commune)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_matches_the_rfc_6238_test_vector():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp.code_at(secret, 59 // 30) == "287082"
    assert totp.code_at(secret, 1111111109 // 30) == "081804"


def test_it_enrols_an_authenticator_at_the_first_sign_in(client, official):
    response = client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    assert response.url == "/login/code/"
    assert not signed_in(client)
    page = client.get("/login/code/").content.decode()
    secret = Account.objects.get(pk=official.pk).totp_secret
    assert secret in page and "<svg" in page
    response = client.post("/login/code/", {"code": totp.code_at(secret, totp.step())})
    assert response.status_code == 302 and response.url == "/home/"
    assert signed_in(client)
    assert Account.objects.get(pk=official.pk).totp_confirmed_at is not None


def test_it_asks_an_enrolled_official_for_a_code_and_refuses_wrong_ones(client, official):
    official.totp_secret = totp.new_secret()
    official.totp_confirmed_at = official.date_joined
    official.save()
    client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    page = client.get("/login/code/").content.decode()
    assert official.totp_secret not in page  # the key is shown only when enrolling
    wrong = client.post("/login/code/", {"code": "000000"})
    assert wrong.status_code == 400 and not signed_in(client)
    late = totp.code_at(official.totp_secret, totp.step() - 5)
    assert client.post("/login/code/", {"code": late}).status_code == 400
    code = totp.code_at(official.totp_secret, totp.step())
    assert client.post("/login/code/", {"code": code}).status_code == 302
    assert signed_in(client)


def test_it_refuses_a_code_used_before(client, official):
    official.totp_secret = totp.new_secret()
    official.totp_confirmed_at = official.date_joined
    official.save()
    code = totp.code_at(official.totp_secret, totp.step())
    client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    client.post("/login/code/", {"code": code})
    client.post("/logout/")
    client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    assert client.post("/login/code/", {"code": code}).status_code == 400
    assert not signed_in(client)


def test_it_sends_them_back_to_the_password_after_five_wrong_codes(client, official):
    client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    for _ in range(4):
        assert client.post("/login/code/", {"code": "111111"}).status_code == 400
    response = client.post("/login/code/", {"code": "111111"})
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/login/code/").url == "/login/"


def test_it_needs_the_password_step_first(client, official):
    response = client.get("/login/code/")
    assert response.status_code == 302 and response.url == "/login/"


def test_it_forgets_a_pending_sign_in_after_five_minutes(client, official, monkeypatch):
    client.post("/login/", {"username": "canbo.xa", "password": PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/login/code/").url == "/login/"


@pytest.mark.parametrize("role", [Role.HEALTH, Role.ADMIN])
def test_it_asks_health_officials_and_administrators_too(client, tenant_a, role):
    scope = {"jurisdiction": tenant_a.commune} if role == Role.HEALTH else {}
    make_account(role, "second", PASSWORD, **scope)
    response = client.post("/login/", {"username": "second", "password": PASSWORD})
    assert response.url == "/login/code/"


def test_it_sends_the_django_admin_sign_in_to_vaoras_own(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/login/")
