"""The API describes the signed-in account and never returns a full phone or CCCD number."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_describes_the_signed_in_account(users, signed_in):
    body = signed_in(users["oversight"]).get("/api/v1/me").json()
    assert body["role"] == "oversight"
    assert body["jurisdiction"]["code"] == "16681"


def test_it_never_returns_a_full_phone_or_cccd(users, tenant_a, signed_in):
    body = signed_in(users["health"]).get(f"/api/v1/people/{tenant_a.person.pk}").json()
    assert body["phone_masked"] == "091****001"
    assert "phone" not in body and "cccd" not in body
    assert "0912000001" not in str(body) and "912000001" not in str(body)
