"""Every poster's QR is an Ed25519-signed token: forged, altered, foreign, revoked or old codes
are refused with their own error code and a clear page, never a 500 (threats 3 and 4)."""

import base64
import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vaora.core import signing
from vaora.core.models import SigningKey
from vaora.venues import codes, tokens
from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def reencode(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def raw_of(token: str) -> bytes:
    return base64.b32decode(token + "=" * (-len(token) % 8))


def forge(kind: int, kid: int, body: bytes, key: Ed25519PrivateKey) -> str:
    head = signing.HEADER.pack((signing.FORMAT << 4) | kind, kid) + body
    return reencode(head + key.sign(signing.DOMAIN + head))


def test_it_opens_the_venue_page_for_a_genuine_code(client, tenant_a):
    url = tokens.url_for(tenant_a.venue)
    assert url.startswith("HTTPS://VAORA.TEST/V/")  # alphanumeric QR mode
    response = client.get(path_of(url))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.venue.name in page and "Mã vaora chính thức" in page


def test_it_opens_a_zone_code_with_the_zone_named(client, tenant_a):
    page = client.get(path_of(tokens.url_for(tenant_a.zone))).content.decode()
    assert "Khoa Nhi" in page and tenant_a.venue.name in page


def test_it_accepts_the_lower_case_path_too(client, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    assert client.get(f"/v/{token.lower()}").status_code == 200


def test_it_refuses_every_single_changed_character(client, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    rng = random.Random(1)  # noqa: S311 - choosing positions to corrupt
    for position in [*rng.sample(range(len(token) - 1), 25), len(token) - 1]:
        replacement = "A" if token[position] != "A" else "B"
        altered = token[:position] + replacement + token[position + 1 :]
        response = client.get(f"/V/{altered}")
        assert response.status_code in (400, 404), position
        code = response.context["error"].code
        assert code in {"bad_signature", "unknown_key", "token_malformed"}, (position, code)


def test_it_refuses_an_unknown_key_id(client, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    raw = bytearray(raw_of(token))
    raw[1:3] = (999).to_bytes(2, "big")
    response = client.get(f"/V/{reencode(bytes(raw))}")
    assert response.status_code == 400
    assert response.context["error"].code == "unknown_key"


def test_it_refuses_a_code_signed_by_another_key_under_our_key_id(client, tenant_a):
    kid = signing.active_keys()[0].kid if signing.active_keys() else None
    tokens.token_for(tenant_a.venue)  # makes sure our key exists
    kid = signing.active_keys()[0].kid
    body = codes.pack(tenant_a.venue.short_code) + tokens.VERSION.pack(1)
    forged = forge(signing.Kind.VENUE, kid, body, Ed25519PrivateKey.generate())
    response = client.get(f"/V/{forged}")
    assert response.status_code == 400
    assert response.context["error"].code == "bad_signature"


def test_it_never_resolves_an_edited_payload_to_the_original_venue(client, tenant_a, tenant_b):
    """Swapping the venue code inside a genuine token (CrowdNotifier's bug) breaks it."""
    token = tokens.token_for(tenant_a.venue)
    raw = bytearray(raw_of(token))
    raw[3:8] = codes.pack(tenant_b.venue.short_code)
    response = client.get(f"/V/{reencode(bytes(raw))}")
    assert response.context["error"].code == "bad_signature"
    assert tenant_b.venue.name not in response.content.decode()


def test_it_refuses_a_revoked_venue_with_410_and_says_what_to_do(client, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    tenant_a.venue.mark_revoked("Áp phích bị mất")
    tenant_a.venue.save()
    response = client.get(f"/V/{token}")
    assert response.status_code == 410
    assert response.context["error"].code == "code_revoked"
    page = response.content.decode()
    assert "đã bị thu hồi" in page and "tờ khai giấy" in page and "withdrawn" in page


def test_it_stops_the_zones_of_a_revoked_venue(client, tenant_a):
    token = tokens.token_for(tenant_a.zone)
    tenant_a.venue.mark_revoked("closed")
    tenant_a.venue.save()
    assert client.get(f"/V/{token}").context["error"].code == "code_revoked"


def test_it_refuses_a_poster_from_before_a_reissue(client, tenant_a):
    old = tokens.token_for(tenant_a.venue)
    tenant_a.venue.mark_reissued()
    tenant_a.venue.save()
    response = client.get(f"/V/{old}")
    assert response.status_code == 410
    assert response.context["error"].code == "code_superseded"
    assert client.get(f"/V/{tokens.token_for(tenant_a.venue)}").status_code == 200


def test_it_refuses_a_genuine_code_of_a_deleted_venue(client, tenant_a):
    token = tokens.token_for(tenant_a.venue)
    Venue.objects.filter(pk=tenant_a.venue.pk).delete()
    response = client.get(f"/V/{token}")
    assert response.status_code == 404
    assert response.context["error"].code == "unknown_code"


def test_it_refuses_a_valid_code_of_another_kind(client, tenant_a):
    person_token = signing.sign(signing.Kind.PERSON, b"\x00" * 8)
    response = client.get(f"/V/{person_token}")
    assert response.context["error"].code == "not_a_venue_code"


@pytest.mark.parametrize(
    "junk", ["x", "0000", "%%%%", "A" * 401, "HTTPS:EXAMPLE", "ÀÁẢ", "' OR 1=1 --", "<script>"]
)
def test_it_answers_junk_with_a_4xx_page_never_a_500(client, places, junk):
    response = client.get(f"/V/{junk}")
    assert 400 <= response.status_code < 500
    assert "Mã QR không đúng định dạng" in response.content.decode()


def test_it_carries_no_personal_data_in_a_code(tenant_a):
    raw = raw_of(tokens.token_for(tenant_a.venue))
    assert len(raw) == 3 + 5 + 2 + 64  # header, key id, venue code, version, signature


def test_it_verifies_a_code_offline_with_the_published_key_alone(client, tenant_a):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    token = tokens.token_for(tenant_a.venue)
    published = client.get("/.well-known/vaora-keys.json").json()
    raw = raw_of(token)
    kid = int.from_bytes(raw[1:3], "big")
    key = next(k for k in published["keys"] if k["kid"] == kid)
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(key["public_key"] + "="))
    public.verify(raw[-64:], b"vaora-qr/1" + raw[:-64])  # raises if not genuine
    assert "private" not in str(published)
    assert SigningKey.objects.count() == 1
