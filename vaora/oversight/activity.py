"""Each venue's activity and compliance status, from the daily rollups (never from visits).

Statuses, in order:
- never used: not one check-in, ever;
- silent: no check-in for SILENT_DAYS while most venues of its kind had some (a school in
  holidays, when all schools are quiet, is "resting", not silent);
- late uploader: paper registers reach us on average more than LATE_HOURS after the visits;
- active: otherwise.
Expected vs actual: a venue's last 7 days against the median of working venues of the same
kind and size band (capacity, by powers of two); far below (< ¼) or far above (> 4×) is
flagged."""

import datetime
import math
import statistics
from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from vaora.oversight.models import Outlier, Reminder, Status, VenueActivity, VenueDay
from vaora.venues.models import Venue
from vaora.visits.models import Visit

# Days and hours are those of the project's TIME_ZONE (Asia/Ho_Chi_Minh).
LOCAL = timezone.get_default_timezone()
local_day = timezone.localdate
SILENT_DAYS = 7
PEERS_ACTIVE = 0.5  # "peers scan": at least this share of the same kind scanned lately
LATE_HOURS = 48.0
MIN_PEERS = 5  # a size band needs this many venues, else the whole kind is the peer group
FAR_BELOW, FAR_ABOVE = 0.25, 4.0
MIN_EXPECTED = 20  # below this many expected scans a week, ratios mean little
EFFECTIVE_WITHIN = datetime.timedelta(days=30)  # a scan this long after a reminder still counts
SILENT_STATES = (Status.SILENT, Status.NEVER_USED)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time(), LOCAL)
    return start, start + datetime.timedelta(days=1)


def status_of(scans_ever: int, last_scan_at, now, peers_active: float, delay_hours) -> str:
    if not scans_ever:
        return Status.NEVER_USED
    if last_scan_at < now - datetime.timedelta(days=SILENT_DAYS):
        return Status.SILENT if peers_active >= PEERS_ACTIVE else Status.RESTING
    if delay_hours is not None and delay_hours > LATE_HOURS:
        return Status.LATE_UPLOADER
    return Status.ACTIVE


def size_band(capacity: int | None) -> int | None:
    return None if not capacity else int(math.log2(capacity))


def _recent_totals(today: datetime.date) -> dict[int, list]:
    """venue → [today, 7 days, 30 days, paper, assisted, paper delay seconds] from VenueDay."""
    totals: dict[int, list] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    since_7 = today - datetime.timedelta(days=6)
    rows = VenueDay.objects.filter(day__gte=today - datetime.timedelta(days=29), day__lte=today)
    for venue, day, n, paper, assisted, delay in rows.values_list(
        "venue_id", "day", "entries", "paper", "assisted", "paper_delay_seconds"
    ).iterator(chunk_size=10000):
        row = totals[venue]
        row[0] += n if day == today else 0
        row[1] += n if day >= since_7 else 0
        row[2] += n
        row[3] += paper
        row[4] += assisted
        row[5] += delay
    return totals


@transaction.atomic
def refresh_activity(now: datetime.datetime) -> dict:
    today = local_day(now)
    totals = _recent_totals(today)
    all_days = VenueDay.objects.values("venue_id")
    ever = {
        r["venue_id"]: (r["n"], r["last"])
        for r in all_days.annotate(n=Sum("entries"), last=Max("last_entry_at"))
    }
    venues = list(Venue.objects.values_list("pk", "commune_id", "kind", "capacity"))
    quiet_since = now - datetime.timedelta(days=SILENT_DAYS)
    by_kind: dict[str, list[bool]] = defaultdict(list)  # kind → scanned lately, per venue
    # The last 7 days of the venues that scanned, by kind and size band, and by kind alone.
    working_band: dict[tuple, list[int]] = defaultdict(list)
    working_kind: dict[str, list[int]] = defaultdict(list)
    for pk, _commune, kind, capacity in venues:
        last = ever.get(pk, (0, None))[1]
        by_kind[kind].append(last is not None and last >= quiet_since)
        week = totals[pk][1] if pk in totals else 0
        if week:
            working_band[(kind, size_band(capacity))].append(week)
            working_kind[kind].append(week)
    earlier = VenueActivity.objects.values_list("venue_id", "status", "silent_since")
    previous = {pk: (status, since) for pk, status, since in earlier}
    rows, counts = [], defaultdict(int)
    for pk, commune, kind, capacity in venues:
        t = totals.get(pk, [0, 0, 0, 0, 0, 0])
        scans_ever, last = ever.get(pk, (0, None))
        delay_hours = t[5] / t[3] / 3600 if t[3] else None
        share = sum(by_kind[kind]) / len(by_kind[kind])
        status = status_of(scans_ever, last, now, share, delay_hours)
        peers = working_band.get((kind, size_band(capacity)), [])
        if len(peers) < MIN_PEERS:
            peers = working_kind.get(kind, [])
        expected = statistics.median(peers) if len(peers) >= MIN_PEERS else None
        silent_since = None
        if status in SILENT_STATES:
            was_status, was_since = previous.get(pk, (None, None))
            silent_since = was_since if was_status in SILENT_STATES and was_since else now
        counts[str(status)] += 1  # "active", not Status.ACTIVE, in logs and JSON
        rows.append(VenueActivity(
            venue_id=pk, commune_id=commune, kind=kind, scans_today=t[0], scans_7d=t[1],
            scans_30d=t[2], scans_ever=scans_ever or 0, last_scan_at=last,
            hand_entered_share=(t[3] + t[4]) / t[2] if t[2] else None,
            paper_delay_hours=delay_hours, expected_7d=expected,
            outlier=_outlier(t[1], expected), status=status, silent_since=silent_since,
            computed_at=now,
        ))  # fmt: skip
    VenueActivity.objects.all().delete()
    VenueActivity.objects.bulk_create(rows, batch_size=2000)
    return {"venues": len(rows), **counts}


def _outlier(week: int, expected: float | None) -> str:
    if expected is None or expected < MIN_EXPECTED:
        return Outlier.NONE
    if week < FAR_BELOW * expected:
        return Outlier.BELOW
    if week > FAR_ABOVE * expected:
        return Outlier.ABOVE
    return Outlier.NONE


def mark_effective_reminders(now: datetime.datetime) -> int:
    """A reminder is effective when its venue has a check-in after it (within 30 days)."""
    marked = 0
    pending = Reminder.objects.filter(effective_at__isnull=True,
                                      sent_at__gte=now - EFFECTIVE_WITHIN)  # fmt: skip
    for reminder in pending:
        first = (
            Visit.objects.for_system("counts only: a check-in after a reminder")
            .filter(
                venue_id=reminder.venue_id, entered_at__gt=reminder.sent_at, entered_at__lte=now
            )
            .order_by("entered_at")
            .values_list("entered_at", flat=True)
            .first()
        )
        if first is not None:
            reminder.effective_at = first
            reminder.save(update_fields=["effective_at"])
            marked += 1
    return marked
