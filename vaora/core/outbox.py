"""Messages to staff and officials (activation links, reminders, digests): by SMS through the
pluggable gateway (every SMS logged in SmsMessage) and by e-mail through Django's configured
e-mail backend (a file under var/mail in development)."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from vaora.core import sms

log = logging.getLogger(__name__)


def deliver(account, *, subject: str, text_vi: str, text_en: str, purpose: str) -> int:
    """Sends to the account's phone (Vietnamese text) and e-mail (both languages); returns how
    many messages went out (0 when the account has neither)."""
    sent = 0
    if account.phone:
        sms.send(account.phone, text_vi, purpose)
        sent += 1
    if account.email:
        try:
            send_mail(subject, f"{text_vi}\n\n---\n\n{text_en}", settings.DEFAULT_FROM_EMAIL,
                      [account.email])  # fmt: skip
            sent += 1
        except OSError as error:  # the mail server is down: the SMS (if any) still went
            log.warning("e-mail %s to account %s failed: %s", purpose, account.pk,
                        type(error).__name__)  # fmt: skip
    return sent
