"""Signing out ends the session."""

import pytest

from tests.conftest import make_account
from vaora.core.roles import Role

pytestmark = pytest.mark.django_db


PASSWORD = "a-long-test-password-42"


@pytest.fixture
def official(tenant_a):
    """A venue's staff member (no second factor)."""
    return make_account(Role.VENUE_STAFF, "canbo", PASSWORD, organisation=tenant_a.organisation)


def test_it_signs_out(client, official):
    client.post("/login/", {"username": "canbo", "password": PASSWORD})
    assert client.post("/logout/").status_code == 302
    assert client.get("/home/").status_code == 302  # back to sign-in
