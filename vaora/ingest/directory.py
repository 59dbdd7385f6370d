"""Venues and zones by short code, in memory: what a scanned token resolves to without a query.
Refreshed in the background; a code not yet known is looked up once."""

import threading
import time
from dataclasses import dataclass

REFRESH_SECONDS = 30


@dataclass(frozen=True)
class Place:
    venue_id: int
    zone_id: int | None
    version: int
    revoked: bool
    stay_seconds: int
    province_code: str


class Directory:
    def __init__(self):
        self._codes: dict[str, Place] = {}
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def _load(self) -> None:
        from vaora.venues.models import Venue, Zone

        codes: dict[str, Place] = {}
        venues = Venue.objects.values_list("id", "short_code", "qr_version", "revoked_at",
                                           "default_stay_minutes", "province_code")  # fmt: skip
        by_id = {}
        for pk, code, version, revoked, stay, province in venues.iterator(chunk_size=5000):
            codes[code] = by_id[pk] = Place(pk, None, version, revoked is not None, stay * 60,
                                            province)  # fmt: skip
        zones = Zone.objects.values_list("id", "venue_id", "short_code", "qr_version", "revoked_at")
        for pk, venue_id, code, version, revoked in zones.iterator(chunk_size=5000):
            venue = by_id.get(venue_id)
            if venue is not None:
                codes[code] = Place(venue_id, pk, version, revoked is not None or venue.revoked,
                                    venue.stay_seconds, venue.province_code)  # fmt: skip
        with self._lock:
            self._codes, self._loaded_at = codes, time.monotonic()

    def clear(self) -> None:
        """Forget everything (tests, and after bulk changes): the next lookup reloads."""
        with self._lock:
            self._codes, self._loaded_at = {}, 0.0

    def get(self, code: str) -> Place | None:
        """Called from the writer thread (it owns a database connection)."""
        if time.monotonic() - self._loaded_at > REFRESH_SECONDS or code not in self._codes:
            if time.monotonic() - self._loaded_at > 1.0 or not self._codes:  # at most 1/s
                self._load()
        return self._codes.get(code)


directory = Directory()
