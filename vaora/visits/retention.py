"""What visits keeps, and for how long: a visit goes when it ended before the retention cutoff;
at a sensitive place (clinics, places of worship: threat 22) after the shorter
VAORA_SENSITIVE_RETENTION_DAYS."""

import datetime

from django.conf import settings

from vaora.core.retention import cutoff
from vaora.visits import partitions
from vaora.visits.models import Visit

PURGE = "the retention purge deletes what is past retention"


def purge(now) -> dict[str, int]:
    """On PostgreSQL whole days go first (visits/partitions.py: a dropped partition, its few
    visits still within retention put back); then row by row what is left past the cutoff —
    `entered_at` bounds the delete to the partitions that can hold such rows (a visit ends
    after it starts)."""
    sensitive_cutoff = now - datetime.timedelta(days=settings.VAORA_SENSITIVE_RETENTION_DAYS)
    sensitive = Visit.objects.for_system(PURGE).filter(
        venue__sensitive=True, ends_at__lt=sensitive_cutoff, entered_at__lt=sensitive_cutoff
    )
    counts = {"visits_at_sensitive_places": sensitive.delete()[0]}
    limit = cutoff(now)
    dropped, days = partitions.drop_before(limit)
    edge = Visit.objects.for_system(PURGE).filter(ends_at__lt=limit, entered_at__lt=limit)
    counts["visits"] = dropped + edge.delete()[0]
    counts["visit_days_dropped"] = len(days)
    return counts


def visits_of(persons):
    """A person's (and their dependants') visits, for "my data"."""
    return (
        Visit.objects.for_system("a person's own data")
        .filter(person__in=persons)
        .select_related("venue", "zone", "person")
        .order_by("-entered_at")
    )
