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
from django.db.models import Max, Q, Sum
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
    """venue → [today, 7 days, 30 days, paper, assisted, paper delay seconds] from VenueDay,
    summed by the database (one row per venue, not one per venue and day)."""
    since_7, since_30 = today - datetime.timedelta(days=6), today - datetime.timedelta(days=29)
    sums = {"d1": Sum("entries", filter=Q(day=today)),
            "d7": Sum("entries", filter=Q(day__gte=since_7)), "d30": Sum("entries"),
            "p": Sum("paper"), "a": Sum("assisted"), "s": Sum("paper_delay_seconds")}  # fmt: skip
    rows = (VenueDay.objects.filter(day__gte=since_30, day__lte=today).order_by()
            .values_list("venue_id").annotate(**sums))  # fmt: skip
    return {venue: [n or 0 for n in sums] for venue, *sums in rows}


# What a venue's row shows; a row is written again only when one of these changed.
SHOWN = ("commune_id", "kind", "scans_today", "scans_7d", "scans_30d", "scans_ever",
         "last_scan_at", "hand_entered_share", "paper_delay_hours", "expected_7d", "outlier",
         "status", "silent_since")  # fmt: skip


def _medians(groups: dict) -> dict:
    """The median of each peer group with enough members (None otherwise), once per group."""
    return {key: statistics.median(values) if len(values) >= MIN_PEERS else None
            for key, values in groups.items()}  # fmt: skip


def _store(rows: dict[int, tuple], stored: dict[int, tuple], now: datetime.datetime) -> int:
    """Writes the rows that differ from the stored ones (computed_at: when a row last
    changed) and removes the rows of venues no longer there; returns how many were written."""
    changed = [pk for pk, values in rows.items() if stored.get(pk) != values]
    stale = [pk for pk in changed if pk in stored] + [pk for pk in stored if pk not in rows]
    for start in range(0, len(stale), 2000):
        VenueActivity.objects.filter(venue_id__in=stale[start : start + 2000]).delete()
    VenueActivity.objects.bulk_create(
        [VenueActivity(venue_id=pk, computed_at=now, **dict(zip(SHOWN, rows[pk], strict=True)))
         for pk in changed], batch_size=2000,
    )  # fmt: skip
    return len(changed)


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
    shown = VenueActivity.objects.values_list("venue_id", *SHOWN).iterator(chunk_size=5000)
    stored = {values[0]: values[1:] for values in shown}
    band_median, kind_median = _medians(working_band), _medians(working_kind)
    peers_active = {kind: sum(scanned) / len(scanned) for kind, scanned in by_kind.items()}
    rows, counts = {}, defaultdict(int)
    silent_at = SHOWN.index("status"), SHOWN.index("silent_since")
    for pk, commune, kind, capacity in venues:
        t = totals.get(pk, [0, 0, 0, 0, 0, 0])
        scans_ever, last = ever.get(pk, (0, None))
        delay_hours = t[5] / t[3] / 3600 if t[3] else None
        status = status_of(scans_ever, last, now, peers_active[kind], delay_hours)
        expected = band_median.get((kind, size_band(capacity)))
        if expected is None:  # too few peers of its size: the whole kind
            expected = kind_median.get(kind)
        silent_since = None
        if status in SILENT_STATES:
            before = stored.get(pk)
            was_status, was_since = (
                (before[silent_at[0]], before[silent_at[1]]) if before else (None, None)
            )
            silent_since = was_since if was_status in SILENT_STATES and was_since else now
        counts[str(status)] += 1  # "active", not Status.ACTIVE, in logs and JSON
        rows[pk] = (commune, kind, t[0], t[1], t[2], scans_ever or 0, last,
                    (t[3] + t[4]) / t[2] if t[2] else None, delay_hours, expected,
                    _outlier(t[1], expected), str(status), silent_since)  # fmt: skip
    return {"venues": len(rows), "venue_rows_written": _store(rows, stored, now), **counts}


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
