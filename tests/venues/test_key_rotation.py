"""Keys rotate: a new key id signs new codes while codes of the old key stay valid until it is
retired; the published key set follows."""

import pytest
from django.core.management import call_command

from vaora.core import signing
from vaora.venues import tokens

pytestmark = pytest.mark.django_db


def kid_of(token: str) -> int:
    import base64

    return int.from_bytes(base64.b32decode(token + "=" * (-len(token) % 8))[1:3], "big")


def test_it_signs_with_the_new_key_and_still_accepts_the_old_one(client, tenant_a, capsys):
    old = tokens.token_for(tenant_a.venue)
    call_command("keys", "rotate")
    new = tokens.token_for(tenant_a.venue)
    assert (kid_of(old), kid_of(new)) == (1, 2)
    assert client.get(f"/V/{old}").status_code == 200
    assert client.get(f"/V/{new}").status_code == 200
    kids = [k["kid"] for k in client.get("/.well-known/vaora-keys.json").json()["keys"]]
    assert kids == [2, 1]


def test_it_refuses_the_codes_of_a_retired_key_and_unpublishes_it(client, tenant_a, capsys):
    old = tokens.token_for(tenant_a.venue)
    call_command("keys", "rotate")
    call_command("keys", "retire", "1")
    response = client.get(f"/V/{old}")
    assert response.context["error"].code == "unknown_key"
    kids = [k["kid"] for k in client.get("/.well-known/vaora-keys.json").json()["keys"]]
    assert kids == [2]
    assert client.get(f"/V/{tokens.token_for(tenant_a.venue)}").status_code == 200


def test_it_keeps_private_keys_encrypted_at_rest(tenant_a):
    from django.db import connection

    tokens.token_for(tenant_a.venue)
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM core_signingkey")
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1.")
    assert signing.active_keys()[0].private_key != stored
