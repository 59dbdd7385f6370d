"""The tracer's comparison, on arrays (numpy; decision 0035): every visit read at a venue against
the infectious presences there that can overlap it, and, per person found, the one exposure
shown and the earliest of all. An F2 compares a hundred thousand visits or more; a Python
object per visit and per comparison was most of its time. The rule itself is the one the
module docstring of tracer.py states, and tests/tracing holds this to the obviously-correct
reference.

Times are whole microseconds since the epoch (int64). A zone or venue of 0 means none (ids
start at 1)."""

import numpy as np

LONGEST = np.iinfo(np.int64).max

# A visit read as six integers: id, person, venue, zone (0: none), entered, ends.
ID, PERSON, VENUE, ZONE, ENTERED, ENDS = range(6)


def visits_array(rows) -> np.ndarray:
    """Rows of six integers (SQLite's answer to tracer_sql.others_sql) → an (n, 6) int64
    array."""
    return np.array(rows, dtype=np.int64).reshape(-1, 6)


# PostgreSQL sends a timestamptz as microseconds since 2000-01-01 (UTC).
POSTGRES_EPOCH_US = 946_684_800_000_000


def visits_from_postgresql(packed: bytes | None) -> np.ndarray:
    """The packed bytes of tracer_sql.others_sql on PostgreSQL (each visit six big-endian
    8-byte integers, the times as the server keeps them) → an (n, 6) int64 array, times since
    the Unix epoch."""
    if not packed:
        return np.empty((0, 6), dtype=np.int64)
    visits = np.frombuffer(packed, dtype=">i8").reshape(-1, 6).astype(np.int64)
    visits[:, ENTERED:] += POSTGRES_EPOCH_US
    return visits


class Offers:
    """Every exposure found at one degree, one row each; `best()` keeps one per person."""

    def __init__(self):
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.refs = [""]  # index 0: not a shared journey

    def add(self, columns: tuple[np.ndarray, ...]) -> None:
        if len(columns[0]):
            self.parts.append(columns)

    def add_journey(self, person: int, day_start: int, via: int, ref: str) -> None:
        """A declared journey on the infector's vehicle that day: no overlap (ranks after any
        timed exposure), shown from the day's start."""
        self.refs.append(ref)
        one = (person, 0, 0, day_start, 0, via, 0, 0, len(self.refs) - 1)
        self.parts.append(tuple(np.array([value], dtype=np.int64) for value in one))

    def best(self) -> "Found":
        """Per person, the exposure shown — the lowest (-overlap, low risk?, start, visit, via,
        zone): the longest overlap, then the higher risk, then the earliest, then the lowest
        visit id, then the lowest infector id, then the zone shown (none first; one infector
        can be in two zones of a venue at once), whatever order the rows came in — and the
        earliest start of all their exposures. Only two declared journeys of one infector on
        one day can still tie: the first offered is kept."""
        if not self.parts:
            return Found.empty(self.refs)
        columns = [np.concatenate(part) for part in zip(*self.parts, strict=True)]
        order = np.argsort(columns[0], kind="stable")
        person, overlap, low, start, visit, via, venue, zone, ref = (c[order] for c in columns)
        firsts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
        sizes = np.diff(np.r_[firsts, len(person)])
        chosen = np.ones(len(person), dtype=bool)
        for key in (-overlap, low, start, visit, via, zone):
            lowest = np.minimum.reduceat(np.where(chosen, key, LONGEST), firsts)
            chosen &= key == np.repeat(lowest, sizes)
        rows = np.flatnonzero(chosen)
        group = np.searchsorted(firsts, rows, side="right") - 1
        rows = rows[np.r_[True, group[1:] != group[:-1]]]
        return Found(person[rows], overlap[rows], low[rows], start[rows], visit[rows], via[rows],
                     venue[rows], zone[rows], ref[rows], np.minimum.reduceat(start, firsts),
                     self.refs)  # fmt: skip


class Found:
    """One degree's contacts, one row per person (arrays), with the first exposure of each:
    their own infectious window begins there."""

    def __init__(self, person, overlap, low, start, visit, via, venue, zone, ref, earliest, refs):
        self.person, self.overlap, self.low, self.start = person, overlap, low, start
        self.visit, self.via, self.venue, self.zone, self.ref = visit, via, venue, zone, ref
        self.earliest, self.refs = earliest, refs

    @classmethod
    def empty(cls, refs: list[str]) -> "Found":
        none = np.empty(0, dtype=np.int64)
        return cls(*[none] * 10, refs)

    def windows(self) -> dict[int, int]:
        """person → the start of their window (their earliest exposure): the next degree's
        infectors."""
        return dict(zip(self.person.tolist(), self.earliest.tolist(), strict=True))

    def in_order(self):
        """Rows as Python integers in order of start, then person: (person, overlap, low,
        start, visit, via, venue, zone, ref, earliest)."""
        order = np.lexsort((self.person, self.start))
        columns = (self.person, self.overlap, self.low, self.start, self.visit, self.via,
                   self.venue, self.zone, self.ref, self.earliest)  # fmt: skip
        return zip(*(column[order].tolist() for column in columns), strict=True)


class Presences:
    """One degree's infectious presences at venues, (start, end, infector, zone) each, with the
    rule of each venue: compares visits read there with the presences that can overlap them."""

    def __init__(self, spans: dict[int, list], rules: dict[int, tuple], wards: set[int],
                 widest: int, lookback: int):  # fmt: skip
        """`spans`: venue → its presences sorted by (start, end); `rules`: venue → the rules
        (before, after, minimum, high risk) without and with a ward involved; `wards`: the ward
        zones' ids; `widest`: the widest buffer of any rule."""
        venues = sorted(spans)
        sizes = [len(spans[venue]) for venue in venues]
        flat = [span for venue in venues for span in spans[venue]]
        self.venue_ids = np.array(venues, dtype=np.int64)
        self.a, self.b, self.via, self.zone = (np.array(column, dtype=np.int64)
                                               for column in zip(*flat, strict=True))  # fmt: skip
        firsts = np.cumsum(sizes) - sizes
        self.longest = np.maximum.reduceat(self.b - self.a, firsts)
        # Presences in order of (venue, start) as one sortable integer: the venue's position
        # times the number of distinct starts, plus the start's rank among them — exact, and
        # no product of a venue and a time to overflow.
        self.starts = np.unique(self.a)
        self.width = len(self.starts) + 1
        position = np.repeat(np.arange(len(venues), dtype=np.int64), sizes)
        self.key = position * self.width + np.searchsorted(self.starts, self.a)
        # (before, after, minimum, high) as four columns, one row per venue.
        self.plain = np.array([rules[venue][0] for venue in venues], dtype=np.int64).T
        self.ward = np.array([rules[venue][1] for venue in venues], dtype=np.int64).T
        self.wards = np.array(sorted(wards), dtype=np.int64)
        self.widest, self.lookback = widest, lookback

    def _position(self, venue_index, times) -> np.ndarray:
        """Where (venue, time) falls among the presences' keys: before every presence of that
        venue that starts at or after `time`."""
        return np.searchsorted(self.key, venue_index * self.width
                               + np.searchsorted(self.starts, times))  # fmt: skip

    def compare(self, visits: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, ...]:
        """The exposures among `visits` (an (n, 6) array read at these venues) of people not in
        `known`: the columns of Offers, one row per visit and presence that count."""
        visits = visits[~np.isin(visits[:, PERSON], known)]
        ident, person, venue, zone, entered, ends = (np.ascontiguousarray(c) for c in visits.T)
        at = np.searchsorted(self.venue_ids, venue)
        until = np.minimum(ends, entered + self.lookback)
        # Only presences that start before this visit ends (plus the widest buffer) and end
        # after it starts can overlap it: a run of the venue's presences sorted by start.
        first = self._position(at, entered - self.widest - self.longest[at])
        count = self._position(at, until + self.widest) - first
        v = np.repeat(np.arange(len(person)), count)  # each visit, once per presence
        s = np.arange(len(v)) - np.repeat(np.cumsum(count) - count - first, count)
        zone, via_zone, at = zone[v], self.zone[s], at[v]
        same_zone = (zone == 0) | (via_zone == 0) | (zone == via_zone)
        ward = np.isin(zone, self.wards) | np.isin(via_zone, self.wards)
        before, after, minimum, high = np.where(ward, self.ward[:, at], self.plain[:, at])
        start = np.maximum(entered[v], self.a[s] - before)
        overlap = np.minimum(until[v], self.b[s] + after) - start
        counts = same_zone & (overlap > 0) & (overlap >= minimum)
        v, s, overlap, start = v[counts], s[counts], overlap[counts], start[counts]
        shown = np.where(zone[counts] != 0, zone[counts], via_zone[counts])
        return (person[v], overlap, (overlap < high[counts]).astype(np.int64), start, ident[v],
                self.via[s], venue[v], shown, np.zeros(len(v), dtype=np.int64))  # fmt: skip
