"""Reminders (đôn đốc): an official picks silent, never-used or late-uploading venues and sends
their organisation's managers a reminder from an editable template; whether each venue scanned
afterwards is tracked (activity.mark_effective_reminders). And the daily digest of venues that
newly went silent, for each oversight official."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core import audit, outbox
from vaora.core.errors import NotFound, VaoraError
from vaora.core.roles import Role
from vaora.oversight.compliance import require_overseer
from vaora.oversight.models import Reminder, ReminderTemplate, Status, VenueActivity
from vaora.people.models import Account

MAX_PER_BATCH = 500
DEFAULTS = {
    Status.SILENT: (
        "vaora: {venue} ({organisation}) chưa quét mã QR vào/ra từ 7 ngày nay. Đề nghị đơn vị "
        "tiếp tục cho người ra vào quét mã hoặc ghi sổ giấy và tải lên. Xin cảm ơn.",
        "vaora: {venue} ({organisation}) has had no QR check-ins for 7 days. Please keep asking "
        "everyone entering to scan, or keep the paper register and upload it. Thank you.",
    ),
    Status.NEVER_USED: (
        "vaora: {venue} ({organisation}) đã đăng ký nhưng chưa có lượt quét mã nào. Đề nghị đơn "
        "vị in và dán mã QR tại lối vào và hướng dẫn người ra vào quét mã.",
        "vaora: {venue} ({organisation}) is registered but has never had a check-in. Please "
        "print the QR poster, put it up at the entrance and ask everyone to scan it.",
    ),
    Status.LATE_UPLOADER: (
        "vaora: sổ giấy của {venue} ({organisation}) được tải lên chậm. Đề nghị tải lên trong "
        "ngày để truy vết kịp thời.",
        "vaora: the paper registers of {venue} ({organisation}) are uploaded late. Please upload "
        "them the same day, so contacts can be traced in time.",
    ),
}
REMINDABLE = tuple(DEFAULTS)


def template(key: str) -> ReminderTemplate:
    """The template for a status, created from the defaults the first time it is read."""
    if key not in DEFAULTS:
        raise VaoraError("unknown_template", "Không có mẫu nhắc nhở này.",
                         "There is no such reminder template.", 404)  # fmt: skip
    vi, en = DEFAULTS[key]
    return ReminderTemplate.objects.get_or_create(key=key, defaults={"text_vi": vi,
                                                                     "text_en": en})[0]  # fmt: skip


def may_edit_templates(user) -> bool:
    """The province's reminder texts: its administrators and provincial oversight officials
    (Sở TT&TT) — not a commune, nor a department's or board's account."""
    if user.role == Role.ADMIN:
        return True
    return user.jurisdiction.level == "province" and user.sector_id is None


def save_template(actor, key: str, text_vi: str, text_en: str) -> ReminderTemplate:
    require_overseer(actor)
    if not may_edit_templates(actor):
        raise VaoraError("province_only",
                         "Chỉ cán bộ giám sát cấp tỉnh sửa được mẫu nhắc nhở.",
                         "Only provincial oversight officials edit reminder templates.",
                         403)  # fmt: skip
    found = template(key)
    for text in (text_vi, text_en):
        if not text.strip() or len(text) > 600:
            raise VaoraError("invalid_template", "Mẫu cần có nội dung, tối đa 600 ký tự.",
                             "A template needs text, 600 characters at most.", 422)  # fmt: skip
        try:
            text.format(venue="", organisation="")
        except (KeyError, IndexError, ValueError):
            raise bad_placeholders() from None
    found.text_vi, found.text_en, found.updated_by = text_vi.strip(), text_en.strip(), actor
    found.save()
    audit.record(actor, "oversight.reminder_template", target=found)
    return found


def bad_placeholders() -> VaoraError:
    return VaoraError("invalid_template", "Mẫu chỉ dùng được {venue} và {organisation}.",
                      "A template may only use {venue} and {organisation}.", 422)  # fmt: skip


@dataclass
class SendResult:
    reminders: int
    messages: int
    without_recipient: int  # no active manager with a phone or e-mail: nothing sent, nothing kept
    skipped: int  # venues not in a remindable status (active, resting)
    already_reminded: int = 0  # reminded within resend_after(): not sent again


def resend_after() -> datetime.timedelta:
    """A second click, a second official or a reload must not remind the same venue again
    within VAORA_REMINDER_INTERVAL_HOURS (24 by default)."""
    return datetime.timedelta(hours=settings.VAORA_REMINDER_INTERVAL_HOURS)


def _selected(actor, venue_ids: list[int]):
    require_overseer(actor)
    if not venue_ids or len(venue_ids) > MAX_PER_BATCH:
        raise VaoraError("bad_selection", f"Chọn từ 1 đến {MAX_PER_BATCH} địa điểm.",
                         f"Select between 1 and {MAX_PER_BATCH} venues.", 422)  # fmt: skip
    in_scope = VenueActivity.objects.visible_to(actor).filter(venue_id__in=venue_ids)
    if in_scope.count() < len(set(venue_ids)):  # a venue of another area: as if it did not exist
        raise NotFound("địa điểm", "venue")
    return in_scope.filter(status__in=REMINDABLE).select_related("venue__organisation")


def _reachable_managers(venue):
    managers = Account.objects.filter(organisation=venue.organisation_id, is_active=True,
                                      role=Role.ORG_MANAGER)  # fmt: skip
    return [m for m in managers if m.phone or m.email]


def _recently_reminded(venue_ids, now) -> set[int]:
    recent = Reminder.objects.filter(venue_id__in=venue_ids, sent_at__gt=now - resend_after(),
                                     recipients__gt=0)  # fmt: skip
    return set(recent.values_list("venue_id", flat=True))


def preview(actor, venue_ids: list[int]) -> SendResult:
    """What send() would do, changing nothing: the confirmation page shows it first."""
    now, result = timezone.now(), SendResult(0, 0, 0, 0)
    rows = list(_selected(actor, venue_ids))
    recent = _recently_reminded([r.venue_id for r in rows], now)
    for row in rows:
        if row.venue_id in recent:
            result.already_reminded += 1
            continue
        reachable = _reachable_managers(row.venue)
        result.reminders += 1 if reachable else 0
        result.without_recipient += 0 if reachable else 1
    result.skipped = len(set(venue_ids)) - len(rows)
    return result


@transaction.atomic
def send(actor, venue_ids: list[int]) -> SendResult:
    rows = list(_selected(actor, venue_ids))
    now = timezone.now()
    result = SendResult(0, 0, 0, 0)
    recent = _recently_reminded([r.venue_id for r in rows], now)
    for row in rows:
        venue = row.venue
        if venue.pk in recent:
            result.already_reminded += 1
            continue
        managers = _reachable_managers(venue)
        if not managers:
            result.without_recipient += 1
            continue
        chosen = template(row.status)
        names = {"venue": venue.name, "organisation": venue.organisation.name}
        text_vi, text_en = chosen.text_vi.format(**names), chosen.text_en.format(**names)
        sent = sum(
            outbox.deliver(m, subject="vaora: nhắc nhở / reminder", text_vi=text_vi,
                           text_en=text_en, purpose="reminder")
            for m in managers
        )  # fmt: skip
        Reminder.objects.create(venue=venue, sent_at=now, sent_by=actor, text=text_vi,
                                status_at_send=row.status, recipients=sent)  # fmt: skip
        result.reminders += 1
        result.messages += sent
    result.skipped = len(set(venue_ids)) - len(rows)
    audit.record(actor, "oversight.reminders_sent", row_count=result.reminders,
                 details={"messages": result.messages})  # fmt: skip
    return result


def reminders_for(actor, *, effective: str = ""):
    require_overseer(actor)
    rows = Reminder.objects.visible_to(actor).select_related("venue__commune", "sent_by")
    if effective == "yes":
        rows = rows.filter(effective_at__isnull=False)
    elif effective == "no":
        rows = rows.filter(effective_at__isnull=True)
    return rows


def new_silent(official, since: datetime.datetime):
    """Venues in the official's jurisdiction that went silent (or were found never used)
    since `since`."""
    rows = VenueActivity.objects.visible_to(official).filter(
        status__in=(Status.SILENT, Status.NEVER_USED), silent_since__gte=since
    )
    rows = rows.select_related("venue", "commune")
    return rows.order_by("commune__name_order", "venue__name_order")


def send_digests(now: datetime.datetime | None = None) -> int:
    """Once a day: each active oversight official gets the count and first names of venues that
    went silent in the last 24 hours (nothing is sent when there are none)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=1)
    sent = 0
    for official in Account.objects.filter(role=Role.OVERSIGHT, is_active=True):
        venues = list(new_silent(official, since)[:11])
        if not venues:
            continue
        count = new_silent(official, since).count()
        names = ", ".join(v.venue.name for v in venues[:10]) + ("…" if count > 10 else "")
        sent += outbox.deliver(
            official, subject="vaora: địa điểm mới ngừng quét / newly silent venues",
            text_vi=f"vaora: {count} địa điểm mới ngừng quét mã trong 24 giờ qua: {names}",
            text_en=f"vaora: {count} venues went silent in the last 24 hours: {names}",
            purpose="digest",
        )  # fmt: skip
    return sent
