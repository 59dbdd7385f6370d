"""How long a sign-in lasts, and signing out everywhere (threat 17).

- A web session ends after SESSION_COOKIE_AGE idle (8 h, sliding) and in any case
  VAORA_SESSION_MAX_HOURS after sign-in (12 h for officials and staff; a citizen's phone keeps
  them signed in for VAORA_CITIZEN_SESSION_MAX_DAYS).
- An API token expires VAORA_API_TOKEN_DAYS after it was issued, and stops with its account.
- "Sign out everywhere" ends every session and API token of the account and revokes the
  person's check-in passes; so do deactivating and deleting an account.
"""

import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from vaora.core import audit
from vaora.core.roles import Role
from vaora.people import passes

SIGNED_IN_AT = "vaora_signed_in_at"


def max_age(account) -> datetime.timedelta:
    if account.role == Role.CITIZEN:
        return datetime.timedelta(days=settings.VAORA_CITIZEN_SESSION_MAX_DAYS)
    return datetime.timedelta(hours=settings.VAORA_SESSION_MAX_HOURS)


@receiver(user_logged_in, dispatch_uid="vaora-session-start")
def remember_sign_in(sender, request, user, **kwargs) -> None:
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


def still_valid(request) -> bool:
    """Whether the signed-in session is within its absolute lifetime and was not signed out
    everywhere since it began."""
    user = request.user
    started = request.session.get(SIGNED_IN_AT)
    if started is None:
        return False  # a session from before these rules: sign in again
    began = datetime.datetime.fromtimestamp(started, tz=datetime.UTC)
    if timezone.now() - began > max_age(user):
        return False
    ended = user.signed_out_everywhere_at
    return ended is None or began > ended


def session_lifetime(get_response):
    """Middleware (after authentication): a session past its absolute lifetime, or signed out
    everywhere, is ended and the request goes on as anonymous."""

    def middleware(request):
        if request.user.is_authenticated and not still_valid(request):
            logout(request)
        return get_response(request)

    return middleware


def sign_out_everywhere(account) -> None:
    """Ends every web session and API token of the account and revokes its person's check-in
    passes, in every server process."""
    account.signed_out_everywhere_at = timezone.now()
    account.save(update_fields=["signed_out_everywhere_at"])
    account.api_tokens.all().delete()
    if account.person_id:
        passes.revoke(account.person_id)
    audit.record(account, "account.signed_out_everywhere", target=account)
