"""Phone sign-in by one-time code: the only way a citizen account comes to exist (threat 6).

Codes are 6 digits, live 5 minutes, allow 5 tries; sending is limited per phone and per IP, and a
phone with too many wrong codes is locked for an hour (threats 14 and 15)."""

import datetime
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core import audit, sms
from vaora.core.crypto import blind_index, blind_indexes
from vaora.core.errors import VaoraError
from vaora.core.models import AuditEvent
from vaora.people.identity import normalise_phone
from vaora.people.models import OtpChallenge

CODE_DIGITS = 6
LIFETIME = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5
PER_PHONE = [(datetime.timedelta(minutes=15), 3), (datetime.timedelta(hours=24), 10)]
PER_IP = [(datetime.timedelta(hours=1), 20)]
LOCK_FAILURES, LOCK_WINDOW = 10, datetime.timedelta(hours=1)
BUDGET_WINDOW = datetime.timedelta(hours=1)
log = logging.getLogger(__name__)


def _digest(challenge_salt: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{challenge_salt}:{code}".encode(), hashlib.sha256).hexdigest()


def too_many() -> VaoraError:
    return VaoraError(
        "too_many_codes",
        "Bạn đã yêu cầu quá nhiều mã. Vui lòng chờ một lúc rồi thử lại.",
        "Too many codes requested. Please wait a while and try again.",
        429,
    )


def locked() -> VaoraError:
    return VaoraError(
        "phone_locked",
        "Nhập sai mã quá nhiều lần. Số điện thoại bị tạm khóa 1 giờ.",
        "Too many wrong codes. This phone number is locked for an hour.",
        429,
    )


def _failures_recently(phone_indexes: list[str], now) -> int:
    recent = OtpChallenge.objects.filter(phone_index__in=phone_indexes,
                                         created_at__gte=now - LOCK_WINDOW)  # fmt: skip
    return sum(recent.values_list("attempts", flat=True))


def _within_budget(now) -> None:
    """A global budget of codes an hour, whatever the phones and addresses (threat 28: an
    address limit can be dodged, the operator's SMS bill cannot). Going over is refused and
    raises the alarm once an hour: an ERROR line in the log and an audit event."""
    sent = OtpChallenge.objects.filter(created_at__gte=now - BUDGET_WINDOW).count()
    if sent < settings.VAORA_SMS_BUDGET_PER_HOUR:
        return
    if not AuditEvent.objects.filter(action="sms.budget_exhausted",
                                     at__gte=now - BUDGET_WINDOW).exists():  # fmt: skip
        log.error("SMS budget exhausted: %d codes in the last hour (VAORA_SMS_BUDGET_PER_HOUR=%d)",
                  sent, settings.VAORA_SMS_BUDGET_PER_HOUR)  # fmt: skip
        audit.record(None, "sms.budget_exhausted", row_count=sent,
                     details={"budget": settings.VAORA_SMS_BUDGET_PER_HOUR})  # fmt: skip
    raise VaoraError(
        "sms_budget_exhausted",
        "Hệ thống đang tạm dừng gửi mã vì quá nhiều yêu cầu. Vui lòng thử lại sau.",
        "Sending codes is paused: too many were requested. Please try again later.",
        429,
    )


def request_code(raw_phone: str, ip: str | None) -> str:
    """Sends a fresh code to the phone; returns the normalised phone. Raises VaoraError for an
    invalid number (400), too many requests (429), a locked phone (429) or an exhausted hourly
    budget (429; checked first, outside the transaction, so the alarm it raises is kept)."""
    _within_budget(timezone.now())
    return _request_code(raw_phone, ip)


@transaction.atomic
def _request_code(raw_phone: str, ip: str | None) -> str:
    phone = normalise_phone(raw_phone)
    index, indexes = blind_index("phone", phone), blind_indexes("phone", phone)
    now = timezone.now()
    if _failures_recently(indexes, now) >= LOCK_FAILURES:
        raise locked()
    for window, limit in PER_PHONE:
        if (
            OtpChallenge.objects.filter(
                phone_index__in=indexes, created_at__gte=now - window
            ).count()
            >= limit
        ):
            raise too_many()
    if ip:
        for window, limit in PER_IP:
            if OtpChallenge.objects.filter(ip=ip, created_at__gte=now - window).count() >= limit:
                raise too_many()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    challenge = OtpChallenge.objects.create(
        phone_index=index, code_digest="", ip=ip, created_at=now, expires_at=now + LIFETIME
    )
    challenge.code_digest = _digest(str(challenge.pk), code)
    challenge.save(update_fields=["code_digest"])
    sms.send(phone, f"vaora: ma xac thuc {code}. Het han sau 5 phut. Khong chia se ma nay.", "otp")
    return phone


def verify_code(phone: str, code: str) -> None:
    """Checks the code for the phone's newest challenge; raises VaoraError with the reason."""
    indexes = blind_indexes("phone", phone)
    now = timezone.now()
    if _failures_recently(indexes, now) >= LOCK_FAILURES:
        raise locked()
    refusal = None
    with transaction.atomic():  # the attempt counter is committed even when the code is wrong
        challenge = (
            OtpChallenge.objects.select_for_update()
            .filter(phone_index__in=indexes, verified_at__isnull=True)
            .first()
        )
        if challenge is None or challenge.expires_at <= now:
            refusal = VaoraError("code_expired", "Mã đã hết hạn. Hãy yêu cầu mã mới.",
                                 "The code has expired. Ask for a new one.", 400)  # fmt: skip
        elif challenge.attempts >= MAX_ATTEMPTS:
            refusal = VaoraError("code_locked", "Nhập sai quá nhiều lần. Hãy yêu cầu mã mới.",
                                 "Too many wrong tries. Ask for a new code.", 429)  # fmt: skip
        else:
            given = "".join(ch for ch in str(code or "") if ch.isdigit())
            if hmac.compare_digest(challenge.code_digest, _digest(str(challenge.pk), given)):
                challenge.verified_at = now
                challenge.save(update_fields=["verified_at"])
            else:
                challenge.attempts += 1
                challenge.save(update_fields=["attempts"])
                left = MAX_ATTEMPTS - challenge.attempts
                refusal = VaoraError("code_wrong", f"Mã không đúng. Còn {left} lần thử.",
                                     f"Wrong code. {left} tries left.", 400)  # fmt: skip
    if refusal is not None:
        raise refusal
