"""Check-in passes: a bearer credential that names a person and expires, signed with a key
derived from SECRET_KEY, so the ingest path authenticates without a database round-trip."""

import base64
import hashlib
import hmac
import time
from functools import lru_cache

from django.conf import settings

LIFETIME_SECONDS = 30 * 24 * 3600


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"vaora check-in pass/1" + secret.encode()).digest()


def _mac(body: str) -> str:
    digest = hmac.new(_key(settings.SECRET_KEY), body.encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def issue(person_id: int, now: float | None = None) -> str:
    expires = int((now or time.time()) + LIFETIME_SECONDS)
    body = f"p1.{person_id}.{expires}"
    return f"{body}.{_mac(body)}"


def verify(token: str, now: float | None = None) -> int | None:
    """The person id of a genuine, unexpired pass; None otherwise."""
    try:
        version, person, expires, mac = token.split(".")
        body = f"{version}.{person}.{expires}"
        if version != "p1" or not hmac.compare_digest(mac, _mac(body)):
            return None
        if int(expires) < (now or time.time()):
            return None
        return int(person)
    except (ValueError, AttributeError):
        return None
