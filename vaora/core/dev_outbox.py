"""Development only: the SMS and e-mails vaora would have sent — sign-in codes, activation links
— on one page, so a newcomer running `make run` can sign in as a citizen without a phone
gateway or a mail server. 404 unless DEBUG: in production these are real people's codes."""

from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vaora.core.models import SmsMessage

SHOWN = 20


def _recent_mail() -> list[dict]:
    folder = Path(getattr(settings, "EMAIL_FILE_PATH", "") or "/nonexistent")
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda f: f.stat().st_mtime, reverse=True)
    mails = []
    for file in files[:SHOWN]:
        # The file backend appends messages separated by a line of dashes; the newest is last.
        raw = file.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
        for chunk in reversed([c for c in raw if c.strip()]):
            mail = message_from_bytes(chunk.strip(), policy=email_policy)
            body = mail.get_body(preferencelist=("plain",))
            mails.append({"to": mail["To"], "subject": mail["Subject"], "date": mail["Date"],
                          "text": body.get_content() if body else ""})  # fmt: skip
    return mails[:SHOWN]


@never_cache
@require_GET
def outbox(request):
    if not settings.DEBUG:
        raise Http404
    messages = SmsMessage.objects.order_by("-created_at", "-id")[:SHOWN]
    return render(request, "core/dev_outbox.html", {"messages": messages, "mails": _recent_mail()})
