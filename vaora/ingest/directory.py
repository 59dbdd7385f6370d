"""What the fast path keeps in memory: venues and zones by short code (a scanned token resolves
without a query) and check-in pass revocations (a revoked pass is refused at the door). The
writer thread reads the change counters (core/changes.py) once per batch and reloads what moved,
so a revocation or a reissued poster takes effect on the next request in every process."""

import datetime
import threading
import time
from dataclasses import dataclass

from vaora.visits import rules


@dataclass(frozen=True)
class Place:
    venue_id: int
    zone_id: int | None
    version: int
    revoked: bool
    reason: str
    rule: rules.Place


class Directory:
    def __init__(self):
        self._codes: dict[str, Place] = {}
        self._revoked_passes: dict[int, float] = {}
        self._seen: dict[str, int] | None = None  # the counters at the last load
        self._lock = threading.Lock()
        self._missed_at = 0.0

    def _load_places(self) -> None:
        from vaora.venues.models import Venue, Zone

        codes: dict[str, Place] = {}
        venues = Venue.objects.values_list("id", "short_code", "qr_version", "revoked_at",
                                           "revoked_reason", "default_stay_minutes",
                                           "province_code")  # fmt: skip
        by_id = {}
        for pk, code, version, revoked, reason, stay, province in venues.iterator(chunk_size=5000):
            rule = rules.Place(pk, None, province, datetime.timedelta(minutes=stay))
            codes[code] = by_id[pk] = Place(pk, None, version, revoked is not None, reason, rule)
        zones = Zone.objects.values_list("id", "venue_id", "short_code", "qr_version",
                                         "revoked_at", "revoked_reason")  # fmt: skip
        for pk, venue_id, code, version, revoked, reason in zones.iterator(chunk_size=5000):
            venue = by_id.get(venue_id)
            if venue is None:
                continue
            rule = rules.Place(venue_id, pk, venue.rule.province_code, venue.rule.stay)
            # Revoking a venue stops its zones' codes too, with the venue's reason.
            is_revoked = venue.revoked or revoked is not None
            reason = venue.reason if venue.revoked else reason
            codes[code] = Place(venue_id, pk, version, is_revoked, reason, rule)
        with self._lock:
            self._codes = codes

    def refresh(self) -> None:
        """Reloads whatever changed since the last call (called by the writer thread, which
        owns a database connection, at the start of every batch)."""
        from vaora.core import changes
        from vaora.people import passes

        counters = changes.read()
        seen = self._seen or {}
        if self._seen is None or counters.get(changes.PLACES) != seen.get(changes.PLACES):
            self._load_places()
        if self._seen is None or counters.get(changes.PASSES) != seen.get(changes.PASSES):
            self._revoked_passes = passes.revocations_of()
        self._seen = counters

    def clear(self) -> None:
        """Forget everything (tests): the next refresh reloads."""
        with self._lock:
            self._codes, self._revoked_passes, self._seen = {}, {}, None

    def get(self, code: str) -> Place | None:
        """A code created since the last load (bulk imports move no counter) is looked up by
        reloading, at most once a second."""
        found = self._codes.get(code)
        if found is None and time.monotonic() - self._missed_at > 1.0:
            self._missed_at = time.monotonic()
            self._load_places()
            found = self._codes.get(code)
        return found

    def pass_revoked(self, found) -> bool:
        from vaora.people import passes

        return passes.is_revoked(found, self._revoked_passes)


directory = Directory()
