"""The one decision: what a scan does to a person's visits. A pure function of its inputs — no
database, no clock, no request — so every door (the citizen page, the fast path, the citizen
sync, the gate and its offline sync, assisted check-in, paper registers) decides identically;
the doors differ only in how they fetch the inputs and store the result (visits/engine.py).

The rules, which keep one invariant — a person never has two overlapping visits:

- Re-scanning the place you are in (same venue and zone) extends that visit to at least
  scan + the venue's stay; it never makes a second one.
- A scan elsewhere ends the visit you were in, at the new scan's time.
- Without a check-out, a visit ends at entry + the venue's stay.
- A scan that arrives after a later visit (an offline queue, a paper register) ends where that
  later visit begins.
- A check-out ends the visit at the check-out time, never before its entry, never after the
  next visit's entry, never more than MAX_STAY after entry.
- Times are accepted from CLOCK_SKEW in the future back to a window: live scans
  VAORA_LATE_UPLOAD_HOURS, paper registers the retention period (Mode.PAPER — a register
  records history typed in days later; that is the one deliberate difference, see
  docs/decisions/0011-one-check-in-engine.md).
"""

import datetime
import enum
from dataclasses import dataclass

from vaora.core.errors import VaoraError
from vaora.venues.models import MAX_STAY_MINUTES

CLOCK_SKEW = datetime.timedelta(minutes=2)
# The longest visit there is: venues' stays are capped at this (venues.models), and so is a
# check-out. It bounds every "visit in progress" lookup.
MAX_STAY = datetime.timedelta(minutes=MAX_STAY_MINUTES)
# Plausibility (threat 2: a photo of a poster used to check in crowds from afar): one family
# makes at most BURST_LIMIT new visits scanned within BURST_WINDOW; more is refused and flagged.
BURST_WINDOW = datetime.timedelta(minutes=10)
BURST_LIMIT = 30
LATE_AFTER = datetime.timedelta(minutes=10)  # scanned this long before arrival: queued offline


class Mode(enum.Enum):
    LIVE = "live"  # a scan made now, or queued on a device and sent late
    PAPER = "paper"  # a line of a register, typed in after the fact


@dataclass(frozen=True, slots=True)
class Place:
    venue_id: int
    zone_id: int | None
    province_code: str
    stay: datetime.timedelta


@dataclass(slots=True)
class Span:
    """A visit as the decision sees it. `id` is None for one decided but not yet stored."""

    id: int | None
    person_id: int
    venue_id: int
    zone_id: int | None
    entered_at: datetime.datetime
    ends_at: datetime.datetime
    left_at: datetime.datetime | None = None
    client_id: object = None
    checkout_client_id: object = None
    province_code: str = ""

    def same_place(self, place: Place) -> bool:
        return self.venue_id == place.venue_id and self.zone_id == place.zone_id

    def covers(self, at: datetime.datetime) -> bool:
        return self.entered_at <= at < self.ends_at


class Action(enum.Enum):
    STORE = "stored"  # a new visit
    EXTEND = "extended"  # the visit in progress at this place lasts longer
    CLOSE = "closed"  # a check-out


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    # The new visit (STORE): its times.
    entered_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    left_at: datetime.datetime | None = None
    # A visit that changes (EXTEND: the one extended; CLOSE: the one checked out; STORE: the
    # one in progress elsewhere, ended at the new entry): its new end and check-out.
    changed: Span | None = None
    changed_ends_at: datetime.datetime | None = None
    changed_left_at: datetime.datetime | None = None


# --- refusals ------------------------------------------------------------------------------


def in_future() -> VaoraError:
    return VaoraError("time_in_future", "Thời gian quét ở tương lai: hãy kiểm tra đồng hồ máy.",
                      "The scan time is in the future: check the device clock.", 400)  # fmt: skip


def too_late(hours: int) -> VaoraError:
    return VaoraError(
        "too_late", f"Lượt quét cũ hơn {hours} giờ không còn được nhận.",
        f"Scans older than {hours} hours are no longer accepted.", 400,
    )  # fmt: skip


def too_many() -> VaoraError:
    return VaoraError(
        "too_many_check_ins",
        "Quá nhiều lượt khai báo trong thời gian ngắn. Vui lòng thử lại sau.",
        "Too many check-ins in a short time. Please try again later.",
        429,
    )


def exit_before_entry() -> VaoraError:
    return VaoraError("time_out_before_time_in", "Giờ ra sớm hơn giờ vào.",
                      "The time out is before the time in.", 400)  # fmt: skip


# --- the decision ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """How old a scan may be, by mode: live scans VAORA_LATE_UPLOAD_HOURS, paper the
    retention period (its rows are refused beyond it, where purge would delete them anyway)."""

    live_hours: int
    paper_days: int

    def oldest(self, mode: Mode, now: datetime.datetime) -> datetime.datetime:
        if mode is Mode.PAPER:
            return now - datetime.timedelta(days=self.paper_days)
        return now - datetime.timedelta(hours=self.live_hours)

    def refusal(self, mode: Mode) -> VaoraError:
        if mode is Mode.PAPER:
            return VaoraError(
                "older_than_retention",
                "Quá cũ: dữ liệu ra vào chỉ được giữ trong thời hạn lưu trữ "
                f"({self.paper_days} ngày).",
                f"Too old: visit records are kept only for the retention period "
                f"({self.paper_days} days).", 400,
            )  # fmt: skip
        return too_late(self.live_hours)


def check_time(at: datetime.datetime, now: datetime.datetime, mode: Mode, window: Window) -> None:
    if at > now + CLOCK_SKEW:
        raise in_future()
    if at < window.oldest(mode, now):
        raise window.refusal(mode)


def in_progress(visits: list[Span], at: datetime.datetime) -> Span | None:
    """The visit the person is in at `at` (the latest entered, should data ever disagree)."""
    best = None
    for visit in visits:
        if visit.covers(at) and (best is None or visit.entered_at > best.entered_at):
            best = visit
    return best


def next_after(visits: list[Span], at: datetime.datetime, exclude: Span | None = None):
    """The person's first visit entered after `at`."""
    best = None
    for visit in visits:
        if visit is exclude or visit.entered_at <= at:
            continue
        if best is None or visit.entered_at < best.entered_at:
            best = visit
    return best


def burst_exceeded(visits: list[Span], at: datetime.datetime, coming: int) -> bool:
    """Whether `coming` new visits at `at` would give the family more than BURST_LIMIT visits
    scanned within BURST_WINDOW before it. Scan time, not arrival time: a phone that was
    offline for a day may send its whole queue at once."""
    since = at - BURST_WINDOW
    recent = sum(1 for v in visits if since < v.entered_at <= at)
    return recent + coming > BURST_LIMIT


def ends_after(at: datetime.datetime, *, throttled: bool) -> datetime.datetime:
    """The earliest end a visit needs for a check-in at `at` to depend on it: decide_check_in
    reads the visit in progress at `at` and the first one entered after it, burst_exceeded
    (a throttled scan) those entered within BURST_WINDOW before it. A visit that ended earlier
    is none of these, so the engine need not read it (a paper register's lines each read
    their person's three days either side, nearly all of it long over)."""
    return at - BURST_WINDOW if throttled else at


def decide_check_in(visits: list[Span], place: Place, at: datetime.datetime,
                    left_at: datetime.datetime | None = None) -> Decision:  # fmt: skip
    """What a scan at `place` at `at` does, given the person's visits around that time.
    `left_at` is a known exit (a paper register's "giờ ra")."""
    if left_at is not None and left_at < at:
        raise exit_before_entry()
    current = in_progress(visits, at)
    later = next_after(visits, at, exclude=current)
    if current is not None and current.same_place(place):
        if current.left_at is not None:
            # Inside a visit already checked out: the scan is part of it and changes nothing.
            return Decision(Action.EXTEND, changed=current, changed_ends_at=current.ends_at,
                            changed_left_at=current.left_at)  # fmt: skip
        ends_at = min(
            max(current.ends_at, left_at or at + place.stay), current.entered_at + MAX_STAY
        )
        if later is not None:
            ends_at = min(ends_at, later.entered_at)
        # A known exit (paper) lengthens the visit but does not check it out: the visit may
        # have begun before that register's line, and its end stays the later of the two.
        return Decision(Action.EXTEND, changed=current, changed_ends_at=ends_at)
    ends_at = min(left_at or at + place.stay, at + MAX_STAY)
    if later is not None:
        ends_at = min(ends_at, later.entered_at)
    stored_left = ends_at if left_at is not None else None
    if current is None:
        return Decision(Action.STORE, entered_at=at, ends_at=ends_at, left_at=stored_left)
    return Decision(Action.STORE, entered_at=at, ends_at=ends_at, left_at=stored_left,
                    changed=current, changed_ends_at=at, changed_left_at=at)  # fmt: skip


def decide_check_out(visits: list[Span], visit: Span, at: datetime.datetime) -> Decision | None:
    """A check-out of `visit` at `at`; None when it was already checked out (a repeat)."""
    if visit.left_at is not None:
        return None
    end = min(max(at, visit.entered_at), visit.entered_at + MAX_STAY)
    later = next_after(visits, visit.entered_at, exclude=visit)
    if later is not None:
        end = min(end, later.entered_at)
    return Decision(Action.CLOSE, changed=visit, changed_ends_at=end, changed_left_at=end)


def source_for(at: datetime.datetime, now: datetime.datetime, live: str, queued: str) -> str:
    """A scan sent at once keeps its door's source; one that waited in a queue is `queued`."""
    return queued if now - at > LATE_AFTER else live
