"""Contact tracing, the rules: only health officials, only inside an open case with a stated
purpose, and every read of visits written to the audit log (actor, case, purpose, rows) where
the traced citizen sees it on their "my data" page."""

import datetime

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from vaora.core import audit
from vaora.core.bulk import gc_paused
from vaora.core.bulk_load import insert_rows
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.places import installation_province
from vaora.core.roles import Role
from vaora.core.scoping import role_of
from vaora.people.identity import normalise_cccd, normalise_phone
from vaora.people.models import Person
from vaora.tracing import contact_store, reveal
from vaora.tracing.models import INFECTIOUS_BEFORE, Case, Contact, ExposureRule
from vaora.tracing.rules import WARD, Rules
from vaora.tracing.tracer import Tracer
from vaora.venues.models import Kind, Venue

MAX_DEPTH = 3


def _forbidden(code: str, vi: str, en: str) -> VaoraError:
    return VaoraError(code, vi, en, 403)


def require_health_official(user) -> None:
    if role_of(user) not in (Role.HEALTH, Role.ADMIN):
        raise _forbidden("health_officials_only", "Chỉ cán bộ y tế được truy vết.",
                         "Only health officials trace contacts.")  # fmt: skip


def get_case(user, case_id: int) -> Case:
    require_health_official(user)
    case = Case.objects.visible_to(user).select_related("person", "place").filter(pk=case_id)
    found = case.first()
    if found is None:
        raise NotFound("ca bệnh", "case")
    return found


F0_LOOKUP = "a health official finds the F0 by an exact phone or CCCD"


def find_person(phone: str = "", cccd: str = "") -> Person:
    """The F0, by the blind index of their phone or CCCD."""
    if cccd.strip():
        people = Person.objects.for_system(F0_LOOKUP).by_cccd(cccd)
    elif phone.strip():
        people = Person.objects.for_system(F0_LOOKUP).by_phone(phone)
    else:
        raise InvalidFields({"phone": ["Nhập số điện thoại hoặc CCCD / A phone or CCCD is needed"]})
    person = people.filter(guardian__isnull=True).first() or people.first()
    if person is None:
        raise VaoraError("person_not_found", "Không có ai với số điện thoại hoặc CCCD này.",
                         "Nobody has this phone or CCCD number.", 404)  # fmt: skip
    return person


def default_window(test_date: datetime.date, onset_date: datetime.date | None,
                   isolated_at: datetime.datetime | None) -> tuple:  # fmt: skip
    """From 2 days before onset or test (whichever is earlier) to isolation (or now)."""
    first = min(d for d in (test_date, onset_date) if d is not None)
    start = (
        timezone.make_aware(datetime.datetime.combine(first, datetime.time())) - INFECTIOUS_BEFORE
    )
    return start, isolated_at or timezone.now()


def _purpose(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < 10:
        raise _forbidden("purpose_required", "Cần ghi rõ mục đích truy vết (ít nhất 10 ký tự).",
                         "State the purpose of the trace (10 characters at least).")  # fmt: skip
    return text[:300]


@transaction.atomic
def open_case(user, *, phone="", cccd="", test_date, onset_date=None, isolated_at=None,
              purpose: str, window_start=None, window_end=None) -> Case:  # fmt: skip
    require_health_official(user)
    purpose = _purpose(purpose)
    if phone:
        normalise_phone(phone)  # a clear error for a malformed number
    if cccd:
        normalise_cccd(cccd)
    if test_date > timezone.localdate() or (onset_date and onset_date > timezone.localdate()):
        raise InvalidFields({"test_date": ["Ngày không được ở tương lai / No future dates"]})
    person = find_person(phone, cccd)
    start, end = default_window(test_date, onset_date, isolated_at)
    start, end = window_start or start, window_end or end
    if end <= start:
        raise InvalidFields({"window_end": ["Cửa sổ lây nhiễm rỗng / The window is empty"]})
    # A person known only from a paper register or a gate has no home commune: the case then
    # belongs to the official's area, or — opened from the command line by the installation's
    # operator — to the province the installation serves.
    place = user.jurisdiction or person.home_commune or installation_province()
    if place is None:
        raise VaoraError("no_jurisdiction", "Tài khoản chưa có địa bàn.",
                         "This account has no jurisdiction.", 403)  # fmt: skip
    case = Case.objects.create(
        person=person, place=place, opened_by=user if user.pk else None, purpose=purpose,
        test_date=test_date,
        onset_date=onset_date, isolated_at=isolated_at, window_start=start, window_end=end,
    )  # fmt: skip
    audit.record(user, "case.opened", target=case, purpose=purpose, subject_person_id=person.pk)
    return case


def require_open(case: Case) -> None:
    if case.status != Case.Status.OPEN:
        raise _forbidden("case_closed",
                         "Ca bệnh đã đóng: chỉ còn số liệu và nhật ký truy cập, không còn tên "
                         "hay số điện thoại.",
                         "The case is closed: only its counts and audit trail remain, no names "
                         "or phone numbers.")  # fmt: skip
    _purpose(case.purpose)


def trace_case(user, case: Case, *, depth: int = 2, min_overlap: int | None = None,
               window: tuple | None = None, sensitive_reason: str = "") -> dict:  # fmt: skip
    """Runs the tracer for the case (over its window, or `window` which then becomes the
    case's) and stores what it found, keeping the states already set on people found before.
    Writes exactly one audit event with the number of contacts.

    Clinics and places of worship (threat 22) are traced through only once the official has
    stated why for this case (`sensitive_reason`, kept on the case and audited on its own)."""
    require_open(case)
    if sensitive_reason.strip():
        reason = " ".join(sensitive_reason.split())
        if len(reason) < 10:
            too_short = "Ghi rõ lý do (ít nhất 10 ký tự) / State the reason (10 characters or more)"
            raise InvalidFields({"sensitive_reason": [too_short]})
        case.sensitive_reason = reason[:300]
        case.save(update_fields=["sensitive_reason"])
        audit.record(user, "case.sensitive_included", target=case, purpose=case.sensitive_reason,
                     subject_person_id=case.person_id, details={"case": case.pk})  # fmt: skip
    if window:
        if window[1] <= window[0]:
            raise InvalidFields({"to": ["Ngày kết thúc phải sau ngày bắt đầu / End after start"]})
        case.window_start, case.window_end = window
        case.save(update_fields=["window_start", "window_end"])
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidFields({"depth": ["Độ sâu từ 1 đến 3 / Depth from 1 to 3"]})
    if min_overlap is not None and not 0 <= min_overlap <= 24 * 60:
        raise InvalidFields({"min_overlap": ["Từ 0 đến 1440 phút / 0 to 1440 minutes"]})
    tracer = Tracer(Rules.from_database(min_overlap), include_sensitive=bool(case.sensitive_reason))
    # One pause of the cyclic GC for the trace and its store: with the trace's tens of
    # thousands of exposures alive, the store's rows set off full collections that walked the
    # whole process (0.24 s against 0.09 s for the rows of an 81,524-contact case; decision 0027).
    with gc_paused():
        found = tracer.trace(case.person_id, case.window_start, case.window_end, depth=depth)
        with transaction.atomic():
            # One store at a time per case (two officials pressing "Trace" together): the
            # second waits, then compares with what the first stored instead of inserting it
            # again. SQLite's transactions take the write lock up front (settings) and
            # serialise alike; so the trace reads before the transaction, not inside it.
            locked = Case.objects.for_system("one trace of a case stored at a time")
            list(locked.select_for_update().filter(pk=case.pk).values_list("pk"))
            _store(case, found)
            case.last_traced_at = timezone.now()
            case.save(update_fields=["last_traced_at"])
            counts = {f"f{d}": sum(e.degree == d for e in found) for d in range(1, depth + 1)}
            audit.record(user, "case.traced", target=case, purpose=case.purpose,
                         row_count=len(found), subject_person_id=case.person_id,
                         details={"case": case.pk, "depth": depth, "min_overlap": min_overlap,
                                  "visits_read": tracer.visits_read, **counts})  # fmt: skip
    return {"contacts": len(found), "visits_read": tracer.visits_read, **counts,
            "found": found}  # fmt: skip


EXPOSURE_FIELDS = contact_store.EXPOSURE_FIELDS
STORE_BATCH = 2000


def _store(case: Case, found) -> None:
    """Stores the exposures as the case's contacts with a few statements for the whole trace
    (an F2 names tens of thousands of people: one INSERT each took 25 s on 10 M visits, and
    Django's bulk_create still 4 s): new people are written as plain rows (COPY on
    PostgreSQL), known ones rewritten only if their exposure changed, and people no longer
    found (a narrower window, a higher minimum) leave the list unless someone already acted on
    them. The states already set are kept."""
    stored = contact_store.exposures(case.pk)
    case_id, state, now = case.pk, Contact.State.FOUND.value, timezone.now()
    added, changed = [], []
    for e in found:
        values = (e.degree, e.via_person_id, e.venue_id, e.zone_id, e.transport_ref, e.start,
                  e.end, e.overlap_minutes, e.risk)  # fmt: skip
        row = stored.pop(e.person_id, None)
        if row is None:
            added.append((case_id, e.person_id, *values, state, now))
        elif row[1:] != contact_store.comparable(values):
            changed.append(Contact(pk=row[0], **dict(zip(EXPOSURE_FIELDS, values, strict=True))))
    insert_rows(Contact, ["case_id", "person_id", *EXPOSURE_FIELDS, "state", "found_at"], added)
    Contact.objects.for_system("storing the trace").bulk_update(
        changed, EXPOSURE_FIELDS, batch_size=STORE_BATCH // 4
    )
    gone = [row[0] for row in stored.values()]
    for start in range(0, len(gone), STORE_BATCH):
        case.contacts.filter(pk__in=gone[start : start + STORE_BATCH],
                             state=Contact.State.FOUND).delete()  # fmt: skip


LISTED_WITH = ("person__guardian", "venue", "zone", "via_person")  # what a contact line shows


def contacts(user, case: Case, *, degree=None, risk=None, state=None, venue_id=None):
    """The case's contacts, filtered; reading them is audited like the trace."""
    rows = case.contacts.select_related(*LISTED_WITH)
    if degree:
        rows = rows.filter(degree=degree)
    if risk:
        rows = rows.filter(risk=risk)
    if state:
        rows = rows.filter(state=state)
    if venue_id:
        rows = rows.filter(venue_id=venue_id)
    return rows


def busiest_venues(case: Case, top: int = 20) -> list[dict]:
    """Where most of the case's contacts were exposed: {venue__name, degree, n}, most first.
    Counted by venue id and named after (joining 63,000 contacts to their venues to group by
    name took 70 ms, and merged two venues of the same name)."""
    rows = list(case.contacts.exclude(venue=None).values("venue_id", "degree")
                .annotate(n=Count("id")).order_by("-n", "venue_id", "degree")[:top])  # fmt: skip
    named = Venue.objects.filter(pk__in={row["venue_id"] for row in rows})
    names = dict(named.values_list("pk", "name"))
    return [{"venue__name": names.get(row["venue_id"], ""), "degree": row["degree"],
             "n": row["n"]} for row in rows]  # fmt: skip


def read_page(user, case: Case, rows) -> list[Contact]:
    """Reads one page of a case's contacts (a slice of `contacts(...)`): each gets `.shown`,
    its name and phone or their masks (tracing/reveal.py), and the read is audited with how
    many people it identified — every list, page and API page goes through here."""
    page = _page_of(case, rows)
    revealed = reveal.revealed_ids(user, case)
    for contact in page:
        contact.shown = reveal.shown(contact, revealed)
    record_read(user, case, "case.contacts_read", sum(not c.shown.masked for c in page))
    return page


def _page_of(case: Case, rows) -> list[Contact]:
    """A page in two reads: its contacts' ids alone, in the list's order (from the (case,
    degree, risk, exposed_from, id) index), then those contacts with what a line shows. As one
    read, a case the planner's statistics had not seen yet (just traced) had all its 63,000
    contacts joined to their people before the sort picked 50 (0.4 s a page)."""
    if not isinstance(rows, QuerySet):
        return list(rows)
    ids = list(rows.values_list("pk", flat=True))
    by_id = case.contacts.select_related(*LISTED_WITH).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def record_read(user, case: Case, action: str, rows: int) -> None:
    audit.record(user, action, target=case, purpose=case.purpose, row_count=rows,
                 subject_person_id=case.person_id, details={"case": case.pk})  # fmt: skip


def set_state(user, case: Case, contact_id: int, state: str) -> Contact:
    require_open(case)
    if state not in Contact.State.values:
        raise InvalidFields({"state": [f"{state!r}: reached / tested / isolated / found"]})
    contact = case.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("người tiếp xúc", "contact")
    contact.state, contact.state_changed_at = state, timezone.now()
    contact.save(update_fields=["state", "state_changed_at"])
    audit.record(user, "case.contact_state", target=case, purpose=case.purpose,
                 subject_person_id=contact.person_id,
                 details={"case": case.pk, "contact": contact.pk, "state": state})  # fmt: skip
    return contact


def edit_window(user, case: Case, *, window_start=None, window_end=None,
                isolated_at=None) -> Case:  # fmt: skip
    """The health department may widen or narrow the infectious window (or record isolation,
    which ends it)."""
    require_open(case)
    start = window_start or case.window_start
    end = window_end or isolated_at or case.window_end
    if end <= start:
        raise InvalidFields({"window_end": ["Cửa sổ lây nhiễm rỗng / The window is empty"]})
    case.window_start, case.window_end = start, end
    case.isolated_at = isolated_at or case.isolated_at
    case.save(update_fields=["window_start", "window_end", "isolated_at"])
    audit.record(user, "case.window_edited", target=case, purpose=case.purpose,
                 details={"start": start.isoformat(), "end": end.isoformat()})  # fmt: skip
    return case


def save_rule(user, kind: str, values: dict) -> ExposureRule:
    """What counts as exposure at a kind of venue (or "ward"), set by the health department."""
    require_health_official(user)
    if kind not in [*Kind.values, WARD]:
        raise NotFound("loại địa điểm", "kind")
    saved, _ = ExposureRule.objects.update_or_create(
        kind=kind, defaults={**values, "updated_by": user if user.pk else None}
    )
    audit.record(user, "exposure_rule.saved", target=saved, details=values)
    return saved


def close_case(user, case: Case) -> Case:
    case.status, case.closed_at = Case.Status.CLOSED, timezone.now()
    case.save(update_fields=["status", "closed_at"])
    audit.record(user, "case.closed", target=case, purpose=case.purpose,
                 subject_person_id=case.person_id)  # fmt: skip
    return case


def timeline(user, case: Case):
    """The F0's visits inside the window (audited as a read); none once the case is closed
    (read-only history: tracing/reveal.py)."""
    from vaora.visits.models import Visit

    if case.status != Case.Status.OPEN:
        return []
    visits = list(
        Visit.objects.for_system("the F0's visits, open case")
        .filter(person=case.person, entered_at__lt=case.window_end, ends_at__gt=case.window_start)
        .select_related("venue", "zone")
        .order_by("entered_at")
    )
    record_read(user, case, "case.timeline_read", len(visits))
    return visits
