"""The SMS gateway, pluggable: `outbox` records messages in the database (development, tests,
and a pilot without a gateway); `http` posts them to the province's SMS gateway. Both leave a
row in SmsMessage, so every send is logged (encrypted) whichever backend runs."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from vaora.core import metrics
from vaora.core.crypto import blind_index
from vaora.core.models import SmsMessage

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


def _post_to_gateway(phone: str, body: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own setting
        settings.VAORA_SMS_HTTP_URL,
        data=json.dumps({"to": phone, "text": body}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.VAORA_SMS_HTTP_TOKEN}",
        },  # fmt: skip
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise OSError(f"gateway answered {response.status}")


def send(phone_e164: str, body: str, purpose: str) -> SmsMessage:
    """Sends (or records) one SMS to a normalised +84… number."""
    message = SmsMessage(
        phone=phone_e164, phone_index=blind_index("phone", phone_e164), body=body,
        purpose=purpose, status=SmsMessage.Status.RECORDED,
    )  # fmt: skip
    if settings.VAORA_SMS_BACKEND == "http":
        try:
            _post_to_gateway(phone_e164, body)
            message.status = SmsMessage.Status.SENT
        except (OSError, urllib.error.URLError) as error:
            message.status = SmsMessage.Status.FAILED
            message.error = type(error).__name__
            # The log names the message id, never the phone number or the text.
            log.warning("SMS %s failed: %s", purpose, type(error).__name__)
    message.save()
    metrics.SMS.labels(status=message.status).inc()
    return message


def last_message_to(phone_e164: str) -> SmsMessage | None:
    """The newest message to a number (what the development outbox page and tests read)."""
    return SmsMessage.objects.filter(phone_index=blind_index("phone", phone_e164)).first()
