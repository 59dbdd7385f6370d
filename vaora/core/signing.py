"""Signed QR tokens: compact, verifiable with the published public keys alone.

Layout (then base32, upper case, no padding, so a QR code can use alphanumeric mode):

    header (1 byte: format << 4 | kind) · key id (2 bytes) · body · Ed25519 signature (64 bytes)

The signature covers a domain label, the header, the key id and the body, so no field can be
changed without breaking it, and a token of one kind never verifies as another kind.
"""

import base64
import binascii
import struct
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core.errors import VaoraError
from vaora.core.models import SigningKey

FORMAT = 1
DOMAIN = b"vaora-qr/1"
SIGNATURE_BYTES = 64
HEADER = struct.Struct(">BH")


class Kind:
    """What a token names. Venue and zone come with posters; persons and travel declarations
    with the citizen issue."""

    VENUE = 1
    ZONE = 2
    PERSON = 3
    TRAVEL = 4


class TokenError(VaoraError):
    """Why a code is refused; each reason has its own code and status."""


def _error(code: str, vi: str, en: str, status: int = 400) -> TokenError:
    return TokenError(code, vi, en, status)


def malformed() -> TokenError:
    return _error(
        "token_malformed",
        "Mã QR không đúng định dạng của vaora. Hãy quét lại, hoặc nhập mã địa điểm in dưới mã QR.",
        "This QR code is not a vaora code. Scan again, or type the venue code printed under it.",
    )


def unknown_key() -> TokenError:
    return _error(
        "unknown_key",
        "Mã QR được ký bằng khóa không còn hiệu lực hoặc không do vaora cấp. Không dùng mã này.",
        "This QR code is signed with a key vaora does not accept. Do not use this code.",
    )


def bad_signature() -> TokenError:
    return _error(
        "bad_signature",
        "Mã QR đã bị sửa đổi hoặc giả mạo. Không dùng mã này; hãy báo cho nhân viên.",
        "This QR code has been altered or forged. Do not use it; please tell the staff.",
    )


@dataclass(frozen=True)
class Verified:
    kind: int
    kid: int
    body: bytes


# --- keys ----------------------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict = {"at": 0.0, "public": {}, "signer": None}
CACHE_SECONDS = 60  # a retired key stops verifying within a minute on every server process


def clear_cache() -> None:
    with _cache_lock:
        _cache.update(at=0.0, public={}, signer=None)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@transaction.atomic
def rotate() -> SigningKey:
    """Creates a new signing key; it signs from now on. Older keys still verify until retired."""
    last = SigningKey.objects.select_for_update().order_by("-kid").first()
    private = Ed25519PrivateKey.generate()
    key = SigningKey.objects.create(
        kid=(last.kid + 1) if last else 1,
        private_key=_b64(private.private_bytes_raw()),
        public_key=_b64(private.public_key().public_bytes_raw()),
    )
    clear_cache()
    return key


def retire(kid: int) -> SigningKey:
    """Stops a key from verifying: every code it signed is refused from now on."""
    key = SigningKey.objects.get(kid=kid)
    if key.retired_at is None:
        key.retired_at = timezone.now()
        key.save(update_fields=["retired_at"])
    clear_cache()
    return key


def active_keys():
    return SigningKey.objects.filter(retired_at__isnull=True).order_by("-kid")


def _load() -> dict:
    with _cache_lock:
        if time.monotonic() - _cache["at"] < CACHE_SECONDS and _cache["signer"] is not None:
            return _cache
    keys = list(active_keys())
    if not keys:
        keys = [rotate()]
    public = {k.kid: Ed25519PublicKey.from_public_bytes(_unb64(k.public_key)) for k in keys}
    newest = keys[0]
    signer = (newest.kid, Ed25519PrivateKey.from_private_bytes(_unb64(newest.private_key)))
    with _cache_lock:
        _cache.update(at=time.monotonic(), public=public, signer=signer)
        return _cache


def active_kids():
    """The key ids that verify right now (from the cache, refreshed every minute)."""
    return _load()["public"].keys()


def published_keys() -> list[dict]:
    return [
        {
            "kid": key.kid,
            "alg": "Ed25519",
            "public_key": key.public_key,
            "created_at": key.created_at.isoformat(),
        }
        for key in active_keys()
    ]


# --- tokens --------------------------------------------------------------------------------


def code_url(prefix: str, token: str) -> str:
    """The URL a QR code carries, e.g. HTTPS://HOST/V/<token>. Scheme, host and prefix are upper
    case when the public URL has no path of its own, so the whole code fits QR alphanumeric
    mode (a smaller symbol); routes accept both cases."""
    parts = urlsplit(settings.VAORA_PUBLIC_URL)
    if parts.path.strip("/"):
        return f"{settings.VAORA_PUBLIC_URL}/{prefix.lower()}/{token}"
    return f"{parts.scheme.upper()}://{parts.netloc.upper()}/{prefix.upper()}/{token}"


def sign(kind: int, body: bytes) -> str:
    state = _load()
    kid, private = state["signer"]
    head = HEADER.pack((FORMAT << 4) | kind, kid) + body
    signature = private.sign(DOMAIN + head)
    return base64.b32encode(head + signature).decode().rstrip("=")


def verify(token: str) -> Verified:
    """Checks a token's form, key and signature; raises TokenError with the precise reason."""
    text = "".join(str(token or "").split()).upper()
    if not text or len(text) > 400:
        raise malformed()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise malformed() from None
    # Canonical form only: the last base32 character carries unused bits, and a token that
    # differs there would otherwise decode to the same bytes (one code, two spellings).
    if (
        len(raw) < HEADER.size + SIGNATURE_BYTES
        or base64.b32encode(raw).decode().rstrip("=") != text
    ):
        raise malformed()
    header, kid = HEADER.unpack_from(raw)
    if header >> 4 != FORMAT:
        raise malformed()
    public = _load()["public"].get(kid)
    if public is None:
        raise unknown_key()
    signed, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        public.verify(signature, DOMAIN + signed)
    except InvalidSignature:
        raise bad_signature() from None
    return Verified(kind=header & 0x0F, kid=kid, body=signed[HEADER.size :])
