"""What counts as exposure at each kind of place: the minimum overlap, buffers around the
infectious person's presence, and the overlap from which the risk is high. Defaults follow the
province's practice (15 minutes; any overlap in a vehicle or a hospital ward); the health
department edits them (ExposureRule rows)."""

import datetime
from dataclasses import dataclass, replace

from vaora.venues.models import Kind, ZoneKind

WARD = "ward"  # a hospital ward zone has its own rule, whatever the venue's kind
MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Rule:
    min_overlap: datetime.timedelta
    before: datetime.timedelta  # added before the infectious person arrived
    after: datetime.timedelta  # and after they left (the air stays infectious for a while)
    high_risk: datetime.timedelta


DEFAULT = Rule(15 * MINUTE, 0 * MINUTE, 0 * MINUTE, 60 * MINUTE)
DEFAULTS = {Kind.VEHICLE: Rule(0 * MINUTE, 0 * MINUTE, 0 * MINUTE, 0 * MINUTE),
            WARD: Rule(0 * MINUTE, 0 * MINUTE, 0 * MINUTE, 0 * MINUTE)}  # fmt: skip


class Rules:
    """The rules in force for one trace (read once), with an optional overlap override."""

    def __init__(
        self, table: dict[str, Rule] | None = None, min_overlap_minutes: int | None = None
    ):
        self.table = dict(DEFAULTS) | (table or {})
        self.min_overlap = None if min_overlap_minutes is None else min_overlap_minutes * MINUTE

    @classmethod
    def from_database(cls, min_overlap_minutes: int | None = None) -> "Rules":
        from vaora.tracing.models import ExposureRule

        table = {
            r.kind: Rule(r.min_overlap_minutes * MINUTE, r.buffer_before_minutes * MINUTE,
                         r.buffer_after_minutes * MINUTE, r.high_risk_minutes * MINUTE)
            for r in ExposureRule.objects.all()
        }  # fmt: skip
        return cls(table, min_overlap_minutes)

    def for_place(self, venue_kind: str, zone_kind: str | None) -> Rule:
        key = WARD if zone_kind == ZoneKind.WARD else venue_kind
        rule = self.table.get(key, DEFAULT)
        if self.min_overlap is not None:
            rule = replace(rule, min_overlap=self.min_overlap)
        return rule
