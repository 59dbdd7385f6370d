"""Telling people: exposure sites published without personal data (and checked by each citizen
against their own visits), and notices to a case's contacts — in the web app and by SMS through
the gateway outbox — from templates the health department edits. Above the approval threshold
a second health official must approve a batch before anything goes out; every send is logged."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vaora.core import audit, sms
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.people.models import Person
from vaora.tracing import reveal
from vaora.tracing.models import (
    Case,
    Contact,
    ExposureSite,
    Notice,
    NoticeBatch,
    NoticeTemplate,
    RevealRequest,
)
from vaora.venues.models import Venue

DEFAULT_TEXTS = {
    "f1": ("vaora: Bạn có thể đã tiếp xúc gần với người mắc bệnh tại {venue} ngày {date}. "
           "Hãy tự cách ly, theo dõi sức khỏe và liên hệ trạm y tế gần nhất để được xét nghiệm.",
           "vaora: You may have been in close contact with a confirmed case at {venue} on "
           "{date}. Please isolate, watch your health and call your health station for a test."),
    "f2": ("vaora: Một người bạn đã tiếp xúc có thể đã tiếp xúc với người mắc bệnh. Hãy theo "
           "dõi sức khỏe và hạn chế tiếp xúc trong 7 ngày.",
           "vaora: Someone you met may have been exposed to a confirmed case. Watch your health "
           "and limit contacts for 7 days."),
}  # fmt: skip
SITE_ADVICE = ("Nếu bạn có mặt ở đây trong khung giờ này: theo dõi sức khỏe 14 ngày, khai báo "
               "y tế và liên hệ trạm y tế khi có triệu chứng.",
               "If you were here at this time: watch your health for 14 days, make a health "
               "declaration and call your health station if symptoms appear.")  # fmt: skip


threshold = reveal.threshold


# --- exposure sites --------------------------------------------------------------------------


def publish_site(user, *, venue_id: int, starts_at, ends_at, zone_id=None, case=None,
                 advice_vi="", advice_en="") -> ExposureSite:  # fmt: skip
    venue = Venue.objects.visible_to(user).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("địa điểm", "venue")
    ends_at = min(ends_at, timezone.now())  # a site is where a case was, never where it will be
    if ends_at <= starts_at or starts_at > timezone.now():
        raise InvalidFields({"ends_at": ["Khung giờ không hợp lệ / The time window is not valid"]})
    zone = venue.zones.filter(pk=zone_id).first() if zone_id else None
    site = ExposureSite.objects.create(
        venue=venue, zone=zone, starts_at=starts_at, ends_at=ends_at, case=case,
        advice_vi=advice_vi or SITE_ADVICE[0], advice_en=advice_en or SITE_ADVICE[1],
        published_by=user if user.pk else None,
    )  # fmt: skip
    audit.record(user, "exposure_site.published", target=site, details={"venue": venue.pk})
    return site


def timeline_visit(user, case, visit_id: int):
    """One of the F0's visits from the case's timeline (404 for any other)."""
    from vaora.tracing import services

    visit = next((v for v in services.timeline(user, case) if v.pk == visit_id), None)
    if visit is None:
        raise NotFound("lượt ra vào", "visit")
    return visit


def publish_visit(user, case, visit_id: int, *, starts_at=None, ends_at=None, advice_vi="",
                  advice_en="") -> ExposureSite:  # fmt: skip
    """Publishes one of the F0's visits (from the case's timeline) as an exposure site, over
    the visit's time unless the official widened or narrowed it, with their advice."""
    from vaora.tracing import services

    services.require_open(case)
    visit = timeline_visit(user, case, visit_id)
    return publish_site(user, venue_id=visit.venue_id, zone_id=visit.zone_id,
                        starts_at=starts_at or visit.entered_at, ends_at=ends_at or visit.ends_at,
                        case=case, advice_vi=advice_vi, advice_en=advice_en)  # fmt: skip


def published_visits(case, timeline) -> set[int]:
    """The timeline's visits already covered by a current site of this case (the case page
    shows them as published rather than offering to publish them again)."""
    sites = list(ExposureSite.objects.for_system("the case's own published sites")
                 .filter(case=case, withdrawn_at__isnull=True))  # fmt: skip
    return {
        v.pk for v in timeline
        if any(s.venue_id == v.venue_id and s.starts_at < v.ends_at and s.ends_at > v.entered_at
               for s in sites)
    }  # fmt: skip


def withdraw_site(user, site_id: int) -> ExposureSite:
    """Withdraws a site its publisher published (404 for anyone else's)."""
    site = (
        ExposureSite.objects.for_system("its own publisher withdraws it")
        .filter(pk=site_id, published_by=user if user.pk else None)
        .first()
    )
    if site is None or site.withdrawn_at is not None:
        raise NotFound("điểm phơi nhiễm", "exposure site")
    site.withdrawn_at = timezone.now()
    site.save(update_fields=["withdrawn_at"])
    audit.record(user, "exposure_site.withdrawn", target=site)
    return site


def current_sites():
    """Published and not withdrawn, within the retention period."""
    since = timezone.now() - datetime.timedelta(days=settings.VAORA_RETENTION_DAYS)
    return (ExposureSite.objects.published().filter(ends_at__gte=since)
            .select_related("venue__commune", "zone"))  # fmt: skip


def self_check(person: Person) -> list[tuple]:
    """(site, visit) pairs where the person or a dependant was at a current site in its window:
    computed for the signed-in citizen only, from their own visits."""
    from vaora.visits.models import Visit

    sites = list(current_sites())
    if not sites:
        return []
    family = [person.pk, *person.dependants.values_list("pk", flat=True)]
    visits = (
        Visit.objects.for_system("a citizen's own self-check")
        .filter(
            person_id__in=family,
            venue_id__in={s.venue_id for s in sites},
            ends_at__gt=min(s.starts_at for s in sites),
        )
        .select_related("person")
    )
    # The confirmed case is not warned about the places she herself made exposure sites.
    f0_of = dict(Case.objects.for_system("whose case made a site")
                 .filter(pk__in={s.case_id for s in sites if s.case_id})
                 .values_list("pk", "person_id"))  # fmt: skip
    matches = []
    for visit in visits:
        for site in sites:
            if site.case_id and f0_of.get(site.case_id) == visit.person_id:
                continue
            same_place = site.venue_id == visit.venue_id and (
                site.zone_id is None or visit.zone_id in (None, site.zone_id)
            )
            if same_place and visit.entered_at < site.ends_at and visit.ends_at > site.starts_at:
                matches.append((site, visit))
    return matches


# --- bulk reveals ----------------------------------------------------------------------------

REVEAL_VALID = datetime.timedelta(hours=24)


def require_reveal(user, case: Case, size: int) -> None:
    """An export of more people than the threshold needs a second official's approval: the
    first attempt files a request (403 naming it); once approved, the requester may export
    for a day."""
    if size <= threshold() or not user.pk:
        return
    since = timezone.now() - REVEAL_VALID
    mine = RevealRequest.objects.for_system("this official's own").filter(
        case=case, requested_by=user
    )
    if mine.filter(approved_at__gte=since, size__gte=size).exists():
        return
    pending = mine.filter(approved_at__isnull=True).first() or RevealRequest.objects.create(
        case=case, requested_by=user, size=size
    )
    if pending.size < size:
        pending.size = size
        pending.save(update_fields=["size"])
    audit.record(user, "reveal.requested", target=case, purpose=case.purpose, row_count=size,
                 details={"request": pending.pk})  # fmt: skip
    raise VaoraError(
        "approval_required",
        f"Xuất danh sách trên {threshold()} người cần cán bộ y tế thứ hai phê duyệt "
        f"(yêu cầu #{pending.pk}).",
        f"Exporting more than {threshold()} people needs a second health official's approval "
        f"(request #{pending.pk}).",
        403,
    )


def approve_reveal(user, case: Case, request_id: int) -> RevealRequest:
    found = case.reveal_requests.filter(pk=request_id).first()
    if found is None:
        raise NotFound("yêu cầu", "request")
    if found.requested_by_id == user.pk:
        raise VaoraError("second_official_required",
                         "Cần một cán bộ y tế khác phê duyệt yêu cầu này.",
                         "Another health official must approve this request.", 403)  # fmt: skip
    found.approved_by, found.approved_at = user, timezone.now()
    found.save(update_fields=["approved_by", "approved_at"])
    audit.record(user, "reveal.approved", target=case, purpose=case.purpose,
                 row_count=found.size, details={"request": found.pk})  # fmt: skip
    return found


# --- notices ---------------------------------------------------------------------------------


def texts(key: str) -> tuple[str, str]:
    found = NoticeTemplate.objects.filter(key=key).first()
    return (found.text_vi, found.text_en) if found else DEFAULT_TEXTS[key]


def save_template(user, key: str, text_vi: str, text_en: str) -> NoticeTemplate:
    if key not in DEFAULT_TEXTS:
        raise NotFound("mẫu thông báo", "notice template")
    if not 10 <= len(text_vi.strip()) <= 480 or not 10 <= len(text_en.strip()) <= 480:
        raise InvalidFields({"text_vi": ["10–480 ký tự / 10–480 characters"]})
    template, _ = NoticeTemplate.objects.update_or_create(
        key=key, defaults={"text_vi": text_vi.strip(), "text_en": text_en.strip(),
                           "updated_by": user if user.pk else None})  # fmt: skip
    audit.record(user, "notice_template.saved", target=template)
    return template


def create_batch(user, case: Case, *, degree: int | None = None) -> NoticeBatch:
    """Notices for the case's contacts (of one degree, or all) not notified before. Pending a
    second official's approval when larger than the threshold."""
    if case.status != Case.Status.OPEN:
        raise VaoraError("case_closed", "Ca bệnh đã đóng.", "The case is closed.", 403)
    notified = NoticeBatch.contacts.through.objects.filter(noticebatch__case=case).values(
        "contact_id"
    )
    contacts = case.contacts.exclude(pk__in=notified)
    if degree:
        contacts = contacts.filter(degree=degree)
    chosen = list(contacts.values_list("pk", flat=True))
    if not chosen:
        raise VaoraError("nobody_to_notify", "Không còn ai cần thông báo.",
                         "Nobody is left to notify.", 409)  # fmt: skip
    big = len(chosen) > threshold()
    with transaction.atomic():
        batch = NoticeBatch.objects.create(
            case=case, degree=degree, size=len(chosen), created_by=user if user.pk else None,
            status=NoticeBatch.Status.PENDING if big else NoticeBatch.Status.APPROVED,
        )  # fmt: skip
        batch.contacts.set(chosen)
        audit.record(user, "notices.prepared", target=case, purpose=case.purpose,
                     row_count=len(chosen), subject_person_id=case.person_id,
                     details={"batch": batch.pk, "needs_approval": big})  # fmt: skip
    return batch


def approve(user, batch: NoticeBatch) -> NoticeBatch:
    if batch.created_by_id == user.pk:
        raise VaoraError("second_official_required",
                         "Cần một cán bộ y tế khác phê duyệt đợt thông báo này.",
                         "Another health official must approve this batch.", 403)  # fmt: skip
    if batch.status == NoticeBatch.Status.PENDING:
        batch.status, batch.approved_by, batch.approved_at = (
            NoticeBatch.Status.APPROVED, user, timezone.now())  # fmt: skip
        batch.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record(user, "notices.approved", target=batch.case, purpose=batch.case.purpose,
                     row_count=batch.size, details={"batch": batch.pk})  # fmt: skip
    return batch


def send(user, batch: NoticeBatch) -> NoticeBatch:
    """Starts sending: the batch is handed to the worker (write_notices) and the call returns at
    once, however many contacts. Refused while approval is pending; a second send (a double
    click, two officials at once) starts nothing more."""
    if batch.status == NoticeBatch.Status.PENDING:
        raise VaoraError("approval_required",
                         f"Đợt thông báo trên {threshold()} người cần cán bộ thứ hai phê duyệt.",
                         f"A batch above {threshold()} people needs a second official's "
                         "approval.", 403)  # fmt: skip
    from vaora.tracing.tasks import send_notices

    now = timezone.now()
    with transaction.atomic():
        batches = NoticeBatch.objects.for_system("the batch the official was allowed to send")
        started = batches.filter(pk=batch.pk, status=NoticeBatch.Status.APPROVED).update(
            status=NoticeBatch.Status.SENDING, sent_at=now
        )
        if started:
            send_notices.enqueue(batch.pk)
            audit.record(user, "notices.sent", target=batch.case, purpose=batch.case.purpose,
                         row_count=batch.size, details={"batch": batch.pk})  # fmt: skip
    batch.refresh_from_db(fields=["status", "sent_at", "sms_sent", "notices_made"])
    return batch


NOTICE_CHUNK = 1000


def write_notices(batch_id: int) -> int:
    """The worker's half of sending: in-app notices for every contact and an SMS queued for each
    one with a phone (or a guardian's), a chunk per transaction. The chunk and the count of
    contacts done commit together, so a rerun after a crash goes on where it stopped and writes
    nothing twice. Returns how many notices this run wrote."""
    batch = (NoticeBatch.objects.for_system("the batch this job sends")
             .select_related("case").get(pk=batch_id))  # fmt: skip
    templates = {key: texts(key) for key in ("f1", "f2")}  # read once, not once per contact
    written = 0
    while batch.status == NoticeBatch.Status.SENDING:
        done = batch.notices_made
        contacts = list(batch.contacts.select_related("person__guardian", "venue")
                        .order_by("pk")[done:done + NOTICE_CHUNK])  # fmt: skip
        with transaction.atomic():
            if not contacts:
                batch.status = NoticeBatch.Status.SENT
                batch.save(update_fields=["status"])
                break
            notices, messages = [], []
            for contact in contacts:
                vi, en = _render(contact, templates)
                notices.append(Notice(person=contact.person, batch=batch, text_vi=vi, text_en=en))
                phone = _phone_of(contact.person)
                if phone:
                    messages.append((phone, vi))
            Notice.objects.for_system("notices of a sent batch").bulk_create(notices)
            sms.send_many(messages, "exposure_notice", batch_key=batch.sms_key)
            batch.notices_made, batch.sms_sent = (
                done + len(contacts),
                batch.sms_sent + len(messages),
            )
            batch.save(update_fields=["notices_made", "sms_sent"])
        written += len(contacts)
    return written


def progress(batch: NoticeBatch) -> dict:
    """What the batch page shows while it goes out: notices written, SMS sent, failed, left."""
    messages = sms.progress(batch.sms_key)
    return {"notices": batch.notices_made, "size": batch.size, "sms": messages,
            "eta_minutes": -(-messages.eta_seconds // 60)}  # fmt: skip


def preview(batch: NoticeBatch) -> dict:
    """What sending will do, shown before approving or sending: the text the first contact
    would get (each gets their own place and date) and how many SMS go out."""
    contacts = list(batch.contacts.select_related("person__guardian", "venue").order_by("pk"))
    reachable = sum(1 for c in contacts if _phone_of(c.person))
    return {"text": _render(contacts[0])[0] if contacts else "", "sms": reachable}


def _phone_of(person) -> str | None:
    """Where a notice's SMS goes: the person's phone, or a dependant's guardian's."""
    return person.phone or (person.guardian.phone if person.guardian_id else None)


def _render(contact: Contact, templates: dict | None = None) -> tuple[str, str]:
    key = "f1" if contact.degree == 1 else "f2"
    vi, en = templates[key] if templates else texts(key)
    place = contact.venue.name if contact.venue else contact.transport_ref
    day = timezone.localtime(contact.exposed_from).strftime("%d/%m/%Y")
    fill = {"venue": place or "", "date": day, "advice": ""}
    return vi.format_map(_Missing(fill)), en.format_map(_Missing(fill))


class _Missing(dict):
    """An unknown {placeholder} in an edited template stays as written (never an error)."""

    def __missing__(self, key):
        return "{" + key + "}"
