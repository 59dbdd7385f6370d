"""Bearer-token authentication for native apps, beside the web session."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from vaora.people.models import Account, ApiToken

PREFIX = "vat_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(account: Account, name: str = "") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + datetime.timedelta(days=settings.VAORA_API_TOKEN_DAYS)
    ApiToken.objects.create(account=account, digest=digest(token), name=name[:60],
                            expires_at=expires)  # fmt: skip
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith(PREFIX):
            return None
        found = ApiToken.objects.select_related("account").filter(digest=digest(token)).first()
        if found is None or not found.account.is_active:
            return None
        # Tokens issued before expiry existed count from their creation.
        expires = found.expires_at or found.created_at + datetime.timedelta(
            days=settings.VAORA_API_TOKEN_DAYS)  # fmt: skip
        if expires <= timezone.now():
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.account
        return found.account


# Citizen routes accept either a native app's bearer token or the web session.
citizen_auth = [TokenAuth(), django_auth]
