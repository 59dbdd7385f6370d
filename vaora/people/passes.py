"""Check-in passes: a bearer credential that names a person and expires, signed with a key
derived from SECRET_KEY, so the fast path authenticates without a database round-trip — and
revocable: deleting the person, deactivating their account or signing out everywhere records a
PassRevocation, which every server process loads into memory when the change counter moves."""

import base64
import datetime
import hashlib
import hmac
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from vaora.core import changes

LIFETIME_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class Pass:
    person_id: int
    issued_at: float  # seconds since the epoch


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


def read(token: str, now: float | None = None) -> Pass | None:
    """The pass a genuine, unexpired token carries; None otherwise (revocation not checked)."""
    try:
        version, person, expires, mac = token.split(".")
        body = f"{version}.{person}.{expires}"
        if version != "p1" or not hmac.compare_digest(mac, _mac(body)):
            return None
        if int(expires) < (now or time.time()):
            return None
        return Pass(int(person), int(expires) - LIFETIME_SECONDS)
    except (ValueError, AttributeError):
        return None


def verify(token: str, now: float | None = None) -> int | None:
    """The person id of a genuine, unexpired, unrevoked pass; None otherwise (one query)."""
    found = read(token, now)
    if found is None or is_revoked(found, revocations_of([found.person_id])):
        return None
    return found.person_id


def is_revoked(found: Pass, revoked: dict[int, float]) -> bool:
    """Whether the pass was issued at or before its person's last revocation."""
    at = revoked.get(found.person_id)
    return at is not None and found.issued_at <= at


def revocations_of(person_ids=None) -> dict[int, float]:
    """person id → when their passes were last revoked (epoch seconds): all of them (what the
    fast path keeps in memory), or those of some persons."""
    from vaora.people.models import PassRevocation

    rows = PassRevocation.objects.all()
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    return {pk: at.timestamp() for pk, at in rows.values_list("person_id", "revoked_at")}


def revoke(person_id: int) -> None:
    """Every pass of this person issued until now stops working, in every server process."""
    from vaora.people.models import PassRevocation

    PassRevocation.objects.update_or_create(person_id=person_id,
                                            defaults={"revoked_at": timezone.now()})  # fmt: skip
    changes.bump(changes.PASSES)


def forget_expired(now=None) -> int:
    """Revocations older than a pass's lifetime protect nothing: every pass they stopped has
    expired. Called by the retention purge."""
    from vaora.people.models import PassRevocation

    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=LIFETIME_SECONDS)
    deleted, _ = PassRevocation.objects.filter(revoked_at__lt=cutoff).delete()
    return deleted
